"""Rebuild the automatic points ledger from scratch (decided and manual entries are kept)."""

from django.core.management.base import BaseCommand

from lianxin.points.services import points_recompute


class Command(BaseCommand):
    help = "从头重算履职积分（人工录入和已审核、已提出异议的记录保留）。"

    def handle(self, *args, **options):
        added = points_recompute(actor=None)
        total = sum(added.values())
        self.stdout.write(f"履职积分已重算：生成 {total} 条记录。")
