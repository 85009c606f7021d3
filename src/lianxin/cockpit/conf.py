"""The cockpit's limits, read from Django settings with defaults (every number is a setting, never a constant)."""

from __future__ import annotations

from django.conf import settings


def ranking_min_sample() -> int:
    """Rankings (departments, deputies) list only those with at least this many cases in the window."""
    return int(getattr(settings, "COCKPIT_RANKING_MIN_SAMPLE", 5))


def ranking_size() -> int:
    return int(getattr(settings, "COCKPIT_RANKING_SIZE", 10))


def refresh_overlap_seconds() -> int:
    """The refresh job re-reads this much before its last watermark (transactions that committed late)."""
    return int(getattr(settings, "COCKPIT_REFRESH_OVERLAP_SECONDS", 180))


def sweep_minutes() -> int:
    """How often the refresh job also sweeps Case.updated_at (a full scan on a big table) for silent changes."""
    return int(getattr(settings, "COCKPIT_SWEEP_MINUTES", 60))


def hot_days() -> int:
    return int(getattr(settings, "COCKPIT_HOT_DAYS", 7))


def hot_half_life_days() -> float:
    return float(getattr(settings, "COCKPIT_HOT_HALF_LIFE_DAYS", 2.0))


def hot_size() -> int:
    return int(getattr(settings, "COCKPIT_HOT_SIZE", 10))


def wall_refresh_seconds() -> int:
    return int(getattr(settings, "COCKPIT_WALL_REFRESH_SECONDS", 60))


def export_max_rows() -> int:
    """Upper bound of rows in one Excel list (the four lists); more is cut and the sheet says so."""
    return int(getattr(settings, "COCKPIT_EXPORT_MAX_ROWS", 20000))


def list_page_size() -> int:
    return int(getattr(settings, "COCKPIT_PAGE_SIZE", 25))


def ack_hours() -> int:
    return int(getattr(settings, "CASE_ACK_HOURS", 24))
