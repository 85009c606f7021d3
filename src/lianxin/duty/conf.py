"""Limits of the duty area. Each is a Django setting with a default here (settings.py is not edited)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def publish_days() -> int:
    """How many days ahead the public station page and feeds show who is on duty."""
    return int(getattr(settings, "DUTY_PUBLISH_DAYS", 14))


def deputies_per_shift() -> int:
    return int(getattr(settings, "DUTY_DEPUTIES_PER_SHIFT", 2))


def min_shifts_per_deputy() -> int:
    return int(getattr(settings, "DUTY_MIN_SHIFTS_PER_DEPUTY", 1))


def shift_start() -> dt.time:
    return dt.time.fromisoformat(getattr(settings, "DUTY_SHIFT_START", "09:00"))


def shift_end() -> dt.time:
    return dt.time.fromisoformat(getattr(settings, "DUTY_SHIFT_END", "11:30"))


def late_grace_minutes() -> int:
    """A check-in later than start + this many minutes is recorded as late."""
    return int(getattr(settings, "DUTY_LATE_GRACE_MINUTES", 15))


def check_in_opens_minutes() -> int:
    """Check-in opens this many minutes before a shift starts."""
    return int(getattr(settings, "DUTY_CHECK_IN_OPENS_MINUTES", 60))


def reminder_days() -> int:
    """Deputies are reminded this many days before a shift (1 = the day before)."""
    return int(getattr(settings, "DUTY_REMINDER_DAYS", 1))


def max_generate_days() -> int:
    """Generation covers at most this many days at once (a year and a bit)."""
    return int(getattr(settings, "DUTY_MAX_GENERATE_DAYS", 366))


def list_max_days() -> int:
    """The reception register and the shift list show at most this many days at once (a year)."""
    return int(getattr(settings, "DUTY_LIST_MAX_DAYS", 366))
