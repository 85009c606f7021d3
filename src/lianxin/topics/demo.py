"""Demo: group the demo district's matters into hot issues, so the cockpit and 每月一题 show them at first login."""

from __future__ import annotations

from lianxin.topics import services
from lianxin.topics.models import HotTopic


def seed_demo_extension(*, now) -> str:
    if HotTopic.objects.exists():
        return "热点议题：已存在（由每小时的任务保持更新）。"
    rows = services.refresh_hot_topics(now)
    return f"热点议题：已按内容和地点聚类 {rows} 组。"
