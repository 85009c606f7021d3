"""Demo: build the cockpit's rollups for the demo district, so the cockpit is alive at first login."""

from __future__ import annotations

from lianxin.cockpit import rollups
from lianxin.cockpit.models import CaseFigure, RollupState


def seed_demo_extension(*, now) -> str:
    state = RollupState.objects.filter(name="cases").first()
    if state is not None and state.last_rebuild_at is not None:
        return "驾驶舱：统计数据已存在（由每分钟的汇总任务保持更新）。"
    buckets = rollups.rebuild_all(now)
    rows = CaseFigure.objects.count()
    return f"驾驶舱：已汇总 {buckets} 个区划分组、{rows} 行日/月统计。"
