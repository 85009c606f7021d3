"""The seeded three-level taxonomy (teddy2020 附件1, `data/taxonomy_teddy2020.csv`; data/README.md has its source):
the default categories the office edits, read as rows for whoever needs the default's words (the seeding migration
reads the same file)."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

TAXONOMY_CSV = Path(__file__).resolve().parent / "data" / "taxonomy_teddy2020.csv"


@functools.cache
def default_taxonomy() -> tuple[tuple[str, str, str], ...]:
    """(first, second, third) level names of every row of the seeded taxonomy; a missing level is ""."""
    with TAXONOMY_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(
            tuple((row.get(key) or "").strip() for key in ("一级分类", "二级分类", "三级分类"))
            for row in csv.DictReader(handle)
        )
