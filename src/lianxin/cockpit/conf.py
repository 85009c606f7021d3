"""The cockpit's limits, read from Django settings (every number is a setting, never a constant);
settings.py reads each from the environment with its default and unit (docs/configuration.md)."""

from __future__ import annotations

from django.conf import settings


def ranking_min_sample() -> int:
    """Rankings (departments, deputies) list only those with at least this many cases in the window."""
    return settings.COCKPIT_RANKING_MIN_SAMPLE


def ranking_size() -> int:
    return settings.COCKPIT_RANKING_SIZE


def refresh_overlap_seconds() -> int:
    """The refresh job re-reads this much before its last watermark (transactions that committed late)."""
    return settings.COCKPIT_REFRESH_OVERLAP_SECONDS


def sweep_minutes() -> int:
    """How often the refresh job also sweeps Case.updated_at (a full scan on a big table) for silent changes."""
    return settings.COCKPIT_SWEEP_MINUTES


def wall_refresh_seconds() -> int:
    return settings.COCKPIT_WALL_REFRESH_SECONDS


def export_max_rows() -> int:
    """Upper bound of rows in one Excel list (the four lists); more is cut and the sheet says so."""
    return settings.COCKPIT_EXPORT_MAX_ROWS


def list_page_size() -> int:
    return settings.COCKPIT_PAGE_SIZE


def ack_hours() -> int:
    return settings.CASE_ACK_HOURS
