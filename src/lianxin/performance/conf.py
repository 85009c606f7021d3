"""Limits of the performance area: each is a setting read from the environment by settings.py, which lists it
with its default and unit (docs/configuration.md; domain.md: every number is a setting).
Point values, caps, thresholds, appraisal items and weights are data (models), edited by the office."""

from __future__ import annotations

from django.conf import settings


def appraisal_min_sample() -> int:
    """Matters (cases or suggestions) handled, or survey ratings given, before a rate-based item is scored
    and the unit can be ranked: one quick item must not top the list."""
    return settings.PERFORMANCE_APPRAISAL_MIN_SAMPLE


def appraisal_min_scorers() -> int:
    """Entered scores (standing-committee members, office) needed before an entered item counts."""
    return settings.PERFORMANCE_APPRAISAL_MIN_SCORERS


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
