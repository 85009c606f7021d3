"""Limits of the duty area: each is a setting read from the environment by settings.py, which lists it with
its default and unit (docs/configuration.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def publish_days() -> int:
    """How many days ahead the public station page and feeds show who is on duty."""
    return settings.DUTY_PUBLISH_DAYS


def deputies_per_shift() -> int:
    return settings.DUTY_DEPUTIES_PER_SHIFT


def min_shifts_per_deputy() -> int:
    return settings.DUTY_MIN_SHIFTS_PER_DEPUTY


def shift_start() -> dt.time:
    return settings.DUTY_SHIFT_START


def shift_end() -> dt.time:
    return settings.DUTY_SHIFT_END


def late_grace_minutes() -> int:
    """A check-in later than start + this many minutes is recorded as late."""
    return settings.DUTY_LATE_GRACE_MINUTES


def check_in_opens_minutes() -> int:
    """Check-in opens this many minutes before a shift starts."""
    return settings.DUTY_CHECK_IN_OPENS_MINUTES


def reminder_days() -> int:
    """Deputies are reminded this many days before a shift (1 = the day before)."""
    return settings.DUTY_REMINDER_DAYS


def max_generate_days() -> int:
    """Generation covers at most this many days at once (a year and a bit)."""
    return settings.DUTY_MAX_GENERATE_DAYS


def list_max_days() -> int:
    """The reception register and the shift list show at most this many days at once (a year)."""
    return settings.DUTY_LIST_MAX_DAYS
