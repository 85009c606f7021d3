"""Background jobs of the cockpit (schedules in migration 0002_schedules). Thin: ids in, the work is elsewhere."""

from __future__ import annotations

from lianxin.cockpit import rollups
from lianxin.cockpit.reports import report_generate


def refresh_rollups() -> dict:
    """Every minute: recompute the rollup buckets touched since the last run, and the overdue snapshot."""
    return rollups.refresh()


def rebuild_rollups() -> int:
    """Every night: rebuild all rollups from the cases (repairs anything an incremental run could miss)."""
    return rollups.rebuild_all()


def generate_report(report_id: int) -> None:

    report_generate(report_id=report_id)
