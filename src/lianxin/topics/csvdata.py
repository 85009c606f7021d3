"""Reading the Teddy Cup 2020 CSVs (and any CSV of messages with the same column names) for the commands."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.topics.hot import Matter

TITLE, DETAILS, AT, AUTHOR, LIKES, KEY = "留言主题", "留言详情", "留言时间", "留言用户", "点赞数", "留言编号"
TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%Y-%m-%d")


def moment(value: str) -> dt.datetime | None:
    value = (value or "").strip()
    for pattern in TIME_FORMATS:
        try:
            return timezone.make_aware(dt.datetime.strptime(value, pattern))
        except ValueError:
            continue
    return None


def rows(path: str | Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CommandError(_("无法读取 CSV 文件：%(error)s") % {"error": error}) from error


def matters(path: str | Path) -> list[Matter]:
    """Messages with a title and a time (rows without one of them are skipped); likes and authors where present."""
    found = rows(path)
    if found and (TITLE not in found[0] or AT not in found[0]):
        raise CommandError(_("CSV 文件需要这两列：%(title)s、%(at)s") % {"title": TITLE, "at": AT})
    result = []
    for number, row in enumerate(found, start=1):
        at = moment(row.get(AT, ""))
        title = (row.get(TITLE) or "").strip()
        if at is None or not title:
            continue
        likes = (row.get(LIKES) or "0").strip()
        result.append(
            Matter(
                key=(row.get(KEY) or str(number)).strip(),
                title=title,
                details=row.get(DETAILS) or "",
                at=at,
                author=(row.get(AUTHOR) or "").strip(),
                supporters=int(likes) if likes.isdigit() else 0,
            )
        )
    return result


def replies(messages_path: str | Path, labels_path: str | Path) -> list[dict]:
    """Attachment 4 joined with its explainability labels: message, reply, both times, label (1 explainable)."""
    labels = {r["留言编号"].strip(): r["explainable"].strip() for r in rows(labels_path)}
    result = []
    for row in rows(messages_path):
        key = (row.get(KEY) or "").strip()
        if key not in labels:
            continue
        result.append(
            {
                "key": key,
                "title": row.get(TITLE) or "",
                "details": row.get(DETAILS) or "",
                "reply": row.get("答复意见") or "",
                "asked_at": moment(row.get(AT, "")),
                "replied_at": moment(row.get("答复时间", "")),
                "explainable": labels[key] == "1",
            }
        )
    return result
