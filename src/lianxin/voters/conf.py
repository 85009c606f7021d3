"""Limits of the voters area. Each is a Django setting with a default (domain.md: every number is a setting)."""

from __future__ import annotations

from django.conf import settings


def pairing_minimum() -> int:
    """Households each deputy keeps in regular contact with (结对), default 10."""
    return int(getattr(settings, "VOTERS_PAIRING_MINIMUM", 10))


def sample_percent() -> float:
    """Share of a month's contact records drawn for call-back verification, in percent (default 5)."""
    return float(getattr(settings, "VOTERS_SAMPLE_PERCENT", 5))


def sample_minimum() -> int:
    """At least this many records per draw (or all of them when fewer exist), default 3."""
    return int(getattr(settings, "VOTERS_SAMPLE_MINIMUM", 3))


def rating_code_minutes() -> int:
    """How long an SMS code for rating a report stays valid, default 10 minutes."""
    return int(getattr(settings, "VOTERS_RATING_CODE_MINUTES", 10))


def rating_code_attempts() -> int:
    """Wrong code entries allowed before a code is void, default 5."""
    return int(getattr(settings, "VOTERS_RATING_CODE_ATTEMPTS", 5))


def rating_code_interval_seconds() -> int:
    """Minimum time between two codes sent to the same phone for the same report, default 60 s."""
    return int(getattr(settings, "VOTERS_RATING_CODE_INTERVAL_SECONDS", 60))


def rating_days_default() -> int:
    """Rating stays open this many days after the report when no deadline is given, default 14."""
    return int(getattr(settings, "VOTERS_RATING_DAYS", 14))


def rating_retention_days() -> int:
    """Days after a report's result is published before the raters' phone and name are deleted, default 365."""
    return int(getattr(settings, "VOTERS_RATING_RETENTION_DAYS", 365))
