"""Hot issues of a CSV of messages: `manage.py hot_issues --csv FILE` prints the top groups (label, heat, citizens,
supporters, period, sample titles). Columns as in the Teddy Cup data: 留言主题, 留言时间 (required), 留言详情,
留言用户, 点赞数, 留言编号."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from lianxin.topics import conf, csvdata, hot


class Command(BaseCommand):
    help = "Group a CSV of messages by topic and place and print the hottest groups."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--csv", required=True, help="UTF-8 CSV with 留言主题 and 留言时间 (留言详情, 留言用户, 点赞数 used)"
        )
        parser.add_argument("--top", type=int, default=5)
        parser.add_argument(
            "--half-life",
            type=float,
            default=90.0,
            help="days (default 90: a CSV of past messages spans months; the live hot issues use the setting"
            " LIANXIN_TOPICS_HOT_HALF_LIFE_DAYS over LIANXIN_TOPICS_HOT_DAYS)",
        )
        parser.add_argument("--similarity", type=float, default=None, help="cosine (default: the setting)")
        parser.add_argument("--json", action="store_true", help="one JSON line per group")

    def handle(self, *args, **options) -> None:
        matters = csvdata.matters(options["csv"])
        if not matters:
            self.stdout.write("0 messages")
            return
        now = max(m.at for m in matters)
        half_life = options["half_life"] if options["half_life"] and options["half_life"] > 0 else 90.0
        groups = hot.hot_issues(
            matters,
            now=now,
            half_life_days=half_life,
            similarity=options["similarity"] or conf.hot_similarity(),
            limit=max(options["top"], 1),
        )
        self.stdout.write(
            f"{len(matters)} messages up to {now:%Y-%m-%d}; heat = (citizens + √supporters) × 0.5^(days since latest"
            f" ÷ {half_life:g})"
        )
        for rank, group in enumerate(groups, start=1):
            row = {
                "rank": rank,
                "label": group.label,
                "heat": round(group.heat, 2),
                "citizens": group.citizens,
                "supporters": group.supporters,
                "messages": len(group.members),
                "from": f"{group.first_at:%Y-%m-%d}",
                "to": f"{group.last_at:%Y-%m-%d}",
                "titles": group.titles[:3],
                "ids": [str(m.key) for m in group.members][:20],
            }
            if options["json"]:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
                continue
            self.stdout.write(
                f"{rank}. {row['label']}  热度 {row['heat']}  ({row['citizens']} 人, {row['supporters']} 赞, "
                f"{row['messages']} 条, {row['from']} – {row['to']})"
            )
            for title in row["titles"]:
                self.stdout.write(f"     · {title}")
