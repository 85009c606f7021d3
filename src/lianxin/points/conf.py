"""Limits of the points area: each is a setting read from the environment by settings.py, which lists it with its
default and unit (docs/configuration.md; domain.md: every number is a setting). The settings keep the names they
had in the performance app (`PERFORMANCE_*`, from `LIANXIN_PERFORMANCE_*`) so no deployment's environment changes.
Point values, caps and thresholds are data (models), edited by the office."""

from __future__ import annotations

from django.conf import settings


def scan_days() -> int:
    """The hourly scan looks this many days back for new evidence; recompute looks at everything."""
    return settings.PERFORMANCE_SCAN_DAYS


def page_size() -> int:
    """Ledger entries per page."""
    return settings.PERFORMANCE_PAGE_SIZE


def reason_max() -> int:
    """Longest reason of a manual entry or a contest, in characters."""
    return settings.PERFORMANCE_REASON_MAX


def manual_points_max() -> int:
    """The largest number of points (up or down) of one manual entry."""
    return settings.PERFORMANCE_MANUAL_POINTS_MAX
