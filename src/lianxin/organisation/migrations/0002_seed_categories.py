"""Seed the three-level topic categories from the teddy2020 government taxonomy (附件1).

The file came from the 2020 Teddy Cup data set (see organisation/data/README.md); it is the
default the office edits, not the project's own data.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "taxonomy_teddy2020.csv"


def seed(apps, schema_editor):
    Category = apps.get_model("organisation", "Category")
    seen: dict[tuple, object] = {}
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            parent = None
            for level, key in enumerate(("一级分类", "二级分类", "三级分类"), start=1):
                name = (row.get(key) or "").strip()
                if not name:
                    break
                path = (parent.pk if parent else None, name)
                if path not in seen:
                    seen[path] = Category.objects.create(name=name, parent=parent, level=level)
                parent = seen[path]


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
