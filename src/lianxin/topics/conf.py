"""The topics app's limits, read from Django settings (settings.py reads each from the environment)."""

from __future__ import annotations

from django.conf import settings

from lianxin.topics.replies import Limits


def duplicate_similarity() -> float:
    return settings.TOPICS_DUPLICATE_SIMILARITY


def duplicate_days() -> int:
    return settings.TOPICS_DUPLICATE_DAYS


def duplicate_shown() -> int:
    return settings.TOPICS_DUPLICATE_SHOWN


def hot_days() -> int:
    return settings.TOPICS_HOT_DAYS


def hot_half_life_days() -> float:
    return settings.TOPICS_HOT_HALF_LIFE_DAYS


def hot_similarity() -> float:
    return settings.TOPICS_HOT_SIMILARITY


def hot_size() -> int:
    return settings.TOPICS_HOT_SIZE


def hot_max_matters() -> int:
    return settings.TOPICS_HOT_MAX_MATTERS


def reply_limits() -> Limits:
    return Limits(
        min_chars=settings.TOPICS_REPLY_MIN_CHARS,
        deflect_chars=settings.TOPICS_REPLY_DEFLECT_CHARS,
        min_overlap=settings.TOPICS_REPLY_MIN_OVERLAP,
    )
