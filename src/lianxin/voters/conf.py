"""Limits of the voters area: each is a setting read from the environment by settings.py, which lists it
with its default and unit (docs/configuration.md; domain.md: every number is a setting)."""

from __future__ import annotations

from django.conf import settings


def pairing_minimum() -> int:
    """Households each deputy keeps in regular contact with (结对)."""
    return settings.VOTERS_PAIRING_MINIMUM


def sample_percent() -> float:
    """Share of a month's contact records drawn for call-back verification, in percent."""
    return settings.VOTERS_SAMPLE_PERCENT


def sample_minimum() -> int:
    """At least this many records per draw (or all of them when fewer exist)."""
    return settings.VOTERS_SAMPLE_MINIMUM


def rating_code_minutes() -> int:
    """How long an SMS code for rating a report stays valid."""
    return settings.VOTERS_RATING_CODE_MINUTES


def rating_code_attempts() -> int:
    """Wrong code entries allowed before a code is void."""
    return settings.VOTERS_RATING_CODE_ATTEMPTS


def rating_code_interval_seconds() -> int:
    """Minimum time between two codes sent to the same phone for the same report."""
    return settings.VOTERS_RATING_CODE_INTERVAL_SECONDS


def rating_days_default() -> int:
    """Rating stays open this many days after the report when no deadline is given."""
    return settings.VOTERS_RATING_DAYS


def rating_retention_days() -> int:
    """Days after a report's result is published before the raters' phone and name are deleted."""
    return settings.VOTERS_RATING_RETENTION_DAYS


def page_size() -> int:
    """Contact records per page."""
    return settings.VOTERS_PAGE_SIZE
