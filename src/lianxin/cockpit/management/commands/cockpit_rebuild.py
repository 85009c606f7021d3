"""`python manage.py cockpit_rebuild [--incremental]`: rebuild the cockpit's rollups now (the nightly job)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from lianxin.cockpit import rollups


class Command(BaseCommand):
    help = "重建驾驶舱统计（全部重算）；--incremental 只重算上次以来变化的分组。"

    def add_arguments(self, parser):
        parser.add_argument("--incremental", action="store_true", help="只重算变化的分组（每分钟任务的做法）")

    def handle(self, *args, incremental: bool, **options):
        started = time.monotonic()
        if incremental:
            result = rollups.refresh()
            self.stdout.write(f"已重算 {result['buckets']} 个日分组。")
        else:
            self.stdout.write(f"已重建 {rollups.rebuild_all()} 个区划分组。")
        self.stdout.write(f"用时 {time.monotonic() - started:.1f} 秒。")
