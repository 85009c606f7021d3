"""Thin tasks of the points (django-q2; sync in tests). Schedule: performance migration 0003_schedules (hourly), its
`func` moved here by performance 0004_split."""

from __future__ import annotations

from lianxin.points.services import points_scan


def scan_points() -> dict[str, int]:
    """Find new evidence of the last PERFORMANCE_SCAN_DAYS days and add its entries (idempotent)."""
    return points_scan(actor=None)
