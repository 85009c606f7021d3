"""Measure the topics app on the Teddy Cup 2020 data (make bench-topics):

- duplicates: pairs of attachment 3 flagged at the setting's similarity, and the precision on the judged sample
  (tests/topics/data/duplicate_pairs_judged.csv: pairs read and judged by hand, `same` 1/0);
- reply quality: precision and recall of flagging (boilerplate / deflects / unrelated) the replies of attachment 4
  labelled not explanatory (explainable = 0).

Prints the figures and a final JSON line."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from lianxin.topics import conf, csvdata, duplicates, replies

DATA = Path("/work/shared/data/teddy2020")


class Command(BaseCommand):
    help = "Duplicate pairs and reply-quality precision/recall on the Teddy Cup 2020 data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", default=str(DATA))
        parser.add_argument("--judged", default="tests/topics/data/duplicate_pairs_judged.csv")
        parser.add_argument("--sample-out", default="", help="write a random sample of flagged pairs to judge")
        parser.add_argument("--sample-size", type=int, default=120)

    def handle(self, *args, **options) -> None:
        data = Path(options["data"])
        result: dict = {"bench": "topics"}
        result.update(self._duplicates(data / "attachment3_messages_with_votes.csv", options))
        result.update(
            self._replies(
                data / "attachment4_messages_with_replies.csv", data / "attachment4_reply_explainability_labels.csv"
            )
        )
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _duplicates(self, path: Path, options) -> dict:
        found = csvdata.rows(path)
        documents = [duplicates.document(r[csvdata.TITLE], r[csvdata.DETAILS]) for r in found]
        started = time.perf_counter()
        threshold = conf.duplicate_similarity()
        pairs = duplicates.similar_pairs(documents, threshold=threshold)
        seconds = time.perf_counter() - started
        self.stdout.write(f"duplicates: {len(found)} messages, {len(pairs)} pairs ≥ {threshold} in {seconds:.1f} s")
        if options["sample_out"]:
            self._write_sample(found, pairs, options["sample_out"], options["sample_size"])
        judged = Path(options["judged"])
        out = {"duplicate_messages": len(found), "duplicate_pairs": len(pairs), "duplicate_seconds": round(seconds, 1)}
        if judged.exists():
            with judged.open(encoding="utf-8", newline="") as handle:
                marks = [row["same"].strip() for row in csv.DictReader(handle)]
            same = sum(1 for m in marks if m == "1")
            precision = same / len(marks) if marks else 0.0
            self.stdout.write(
                f"duplicates: judged sample {len(marks)} pairs, {same} the same matter: P = {precision:.3f}"
            )
            out.update({"duplicate_judged": len(marks), "duplicate_precision": round(precision, 3)})
        return out

    def _write_sample(self, found, pairs, path: str, size: int) -> None:
        import random  # noqa: PLC0415 — only for the sample

        chosen = sorted(random.Random(2020).sample(pairs, min(size, len(pairs))), key=lambda p: -p.score)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id_a", "id_b", "score", "title_a", "title_b", "same", "note"])
            for pair in chosen:
                a, b = found[pair.left], found[pair.right]
                writer.writerow([a[csvdata.KEY], b[csvdata.KEY], f"{pair.score:.3f}", a[csvdata.TITLE].strip(),
                                 b[csvdata.TITLE].strip(), "", ""])  # fmt: skip

    def _replies(self, messages: Path, labels: Path) -> dict:
        found = csvdata.replies(messages, labels)
        limits = conf.reply_limits()
        flagged = weak = hit = late = 0
        by_reason: dict[str, int] = {}
        for row in found:
            reasons = replies.check(
                title=row["title"],
                details=row["details"],
                reply=row["reply"],
                asked_at=row["asked_at"],
                replied_at=row["replied_at"],
                limits=limits,
            )
            for reason in reasons:
                by_reason[reason] = by_reason.get(reason, 0) + 1
            content = bool(set(reasons) & replies.CONTENT_REASONS)
            late += "late" in reasons
            flagged += content
            weak += not row["explainable"]
            hit += content and not row["explainable"]
        precision = hit / flagged if flagged else 0.0
        recall = hit / weak if weak else 0.0
        self.stdout.write(
            f"replies: {len(found)} labelled, {weak} not explanatory; flagged {flagged}, of them {hit} not explanatory:"
            f" P = {precision:.3f}, R = {recall:.3f}; by reason {by_reason} (late: > {limits.late_days} days, not"
            " counted in P/R)"
        )
        return {
            "replies": len(found),
            "replies_not_explanatory": weak,
            "replies_flagged": flagged,
            "reply_precision": round(precision, 3),
            "reply_recall": round(recall, 3),
            "replies_late": late,
        }
