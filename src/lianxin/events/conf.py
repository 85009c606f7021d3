"""Limits of the events area: each is a setting with a safe default (set them in settings to change)."""

from django.conf import settings


def capacity_max() -> int:
    return int(getattr(settings, "EVENT_CAPACITY_MAX", 2000))


def waitlist_max() -> int:
    """How many may wait for a freed place, per event."""
    return int(getattr(settings, "EVENT_WAITLIST_MAX", 50))


def page_size() -> int:
    return int(getattr(settings, "EVENT_PAGE_SIZE", 20))
