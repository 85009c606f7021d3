"""Count how many of the keys in a file are stored: `lost = answered 201 - found` in `make bench-intake`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lianxin.bench.models import BenchRow
from lianxin.cases.models import Case

CHUNK = 500


def stored_count(model, field: str, keys: list[str]) -> int:
    found = 0
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        found += model.objects.filter(**{f"{field}__in": chunk}).count()
    return found


class Command(BaseCommand):
    help = "统计文件中的幂等键（每行一个）有多少已存入数据库。"

    def add_arguments(self, parser):
        parser.add_argument("--target", choices=["cases", "baseline"], required=True)
        parser.add_argument("--keys", required=True, help="a file with one Idempotency-Key per line")

    def handle(self, *args, **options):
        path = Path(options["keys"])
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        keys = sorted({line.strip() for line in path.read_text().splitlines() if line.strip()})
        if options["target"] == "cases":
            found = stored_count(Case, "idempotency_key", keys)
        else:
            found = stored_count(BenchRow, "idempotency_key", keys)
        self.stdout.write(f"{found} {len(keys)}")
