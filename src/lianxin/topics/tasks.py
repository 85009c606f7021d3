"""Background jobs of the topics app (schedule in migration 0002_schedules). Thin: the work is in services."""

from __future__ import annotations

from lianxin.topics import services


def refresh_hot_topics() -> int:
    """Hourly: recompute the hot issues (recent and last month) of every district and street."""
    return services.refresh_hot_topics()
