"""Limits of the events area: each is a setting read from the environment by settings.py, which lists it
with its default and unit (docs/configuration.md)."""

from django.conf import settings


def capacity_max() -> int:
    return settings.EVENT_CAPACITY_MAX


def waitlist_max() -> int:
    """How many may wait for a freed place, per event."""
    return settings.EVENT_WAITLIST_MAX


def page_size() -> int:
    return settings.EVENT_PAGE_SIZE
