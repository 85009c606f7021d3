"""Finder limits: each is a setting read from the environment by settings.py, which lists it with its
default and unit (docs/configuration.md)."""

from __future__ import annotations

from django.conf import settings


def index_ttl_seconds() -> float:
    """The grid index is rebuilt after this long even without a change made through the finder."""
    return settings.FINDER_INDEX_TTL_SECONDS


def stats_min_sample() -> int:
    """Satisfaction and the median acknowledgement time are shown only from this many cases on."""
    return settings.FINDER_STATS_MIN_SAMPLE


def stats_window_days() -> int:
    return settings.FINDER_STATS_WINDOW_DAYS


def geojson_max_bytes() -> int:
    return settings.FINDER_GEOJSON_MAX_BYTES


def geojson_max_features() -> int:
    return settings.FINDER_GEOJSON_MAX_FEATURES


def overlap_min_m2() -> float:
    """Overlaps smaller than this (digitising slivers) are not reported."""
    return settings.FINDER_OVERLAP_MIN_M2


def gap_min_m2() -> float:
    return settings.FINDER_GAP_MIN_M2


def map_max_grids() -> int:
    return settings.FINDER_MAP_MAX_GRIDS


def search_max_results() -> int:
    return settings.FINDER_SEARCH_MAX_RESULTS


def poster_font_path() -> str:
    """A TrueType CJK font reportlab can embed (Debian fonts-wqy-zenhei)."""
    return settings.FINDER_POSTER_FONT


def posters_max() -> int:
    """At most this many pages in one street's poster PDF."""
    return settings.FINDER_POSTERS_MAX
