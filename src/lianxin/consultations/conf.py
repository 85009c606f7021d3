"""Limits of the consultations area: each is a setting with a safe default."""

from django.conf import settings


def comment_max() -> int:
    return int(getattr(settings, "CONSULTATION_COMMENT_MAX", 2000))


def articles_max() -> int:
    return int(getattr(settings, "CONSULTATION_ARTICLES_MAX", 300))


def page_size() -> int:
    return int(getattr(settings, "CONSULTATION_PAGE_SIZE", 20))
