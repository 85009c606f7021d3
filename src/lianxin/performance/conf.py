"""Limits of the performance area. Each is a Django setting with a default (domain.md: every number is a setting).
Point values, caps, thresholds, appraisal items and weights are data (models), edited by the office."""

from __future__ import annotations

from django.conf import settings


def appraisal_min_sample() -> int:
    """Matters (cases or suggestions) handled, or survey ratings given, before a rate-based item is scored
    and the unit can be ranked (default 5): one quick item must not top the list."""
    return int(getattr(settings, "PERFORMANCE_APPRAISAL_MIN_SAMPLE", 5))


def appraisal_min_scorers() -> int:
    """Entered scores (standing-committee members, office) needed before an entered item counts (default 1)."""
    return int(getattr(settings, "PERFORMANCE_APPRAISAL_MIN_SCORERS", 1))


def scan_days() -> int:
    """The hourly scan looks this many days back for new evidence (default 400); recompute looks at everything."""
    return int(getattr(settings, "PERFORMANCE_SCAN_DAYS", 400))


def page_size() -> int:
    """Ledger entries per page (default 50)."""
    return int(getattr(settings, "PERFORMANCE_PAGE_SIZE", 50))


def reason_max() -> int:
    """Longest reason of a manual entry or a contest, in characters (default 500)."""
    return int(getattr(settings, "PERFORMANCE_REASON_MAX", 500))


def manual_points_max() -> int:
    """The largest number of points (up or down) of one manual entry (default 50)."""
    return int(getattr(settings, "PERFORMANCE_MANUAL_POINTS_MAX", 50))
