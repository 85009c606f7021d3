"""Limits of the consultations area: each is a setting read from the environment by settings.py, which
lists it with its default and unit (docs/configuration.md)."""

from django.conf import settings


def comment_max() -> int:
    return settings.CONSULTATION_COMMENT_MAX


def articles_max() -> int:
    return settings.CONSULTATION_ARTICLES_MAX


def page_size() -> int:
    return settings.CONSULTATION_PAGE_SIZE
