"""Thin tasks of the performance area (django-q2; sync in tests). Schedule: migration 0003_schedules (hourly)."""

from __future__ import annotations

from lianxin.performance.points_services import points_scan


def scan_points() -> dict[str, int]:
    """Find new evidence of the last PERFORMANCE_SCAN_DAYS days and add its entries (idempotent)."""
    return points_scan(actor=None)
