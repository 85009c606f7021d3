"""Finder limits. Each is a setting with a default here (settings.py is not edited for them)."""

from __future__ import annotations

from django.conf import settings


def index_ttl_seconds() -> float:
    """The grid index is rebuilt after this long even without a change made through the finder."""
    return float(getattr(settings, "FINDER_INDEX_TTL_SECONDS", 300))


def stats_min_sample() -> int:
    """Satisfaction and the median acknowledgement time are shown only from this many cases on."""
    return int(getattr(settings, "FINDER_STATS_MIN_SAMPLE", 5))


def stats_window_days() -> int:
    return int(getattr(settings, "FINDER_STATS_WINDOW_DAYS", 365))


def geojson_max_bytes() -> int:
    return int(getattr(settings, "FINDER_GEOJSON_MAX_BYTES", 20 * 1024 * 1024))


def geojson_max_features() -> int:
    return int(getattr(settings, "FINDER_GEOJSON_MAX_FEATURES", 20000))


def overlap_min_m2() -> float:
    """Overlaps smaller than this (digitising slivers) are not reported."""
    return float(getattr(settings, "FINDER_OVERLAP_MIN_M2", 1.0))


def gap_min_m2() -> float:
    return float(getattr(settings, "FINDER_GAP_MIN_M2", 1.0))


def map_max_grids() -> int:
    return int(getattr(settings, "FINDER_MAP_MAX_GRIDS", 5000))


def search_max_results() -> int:
    return int(getattr(settings, "FINDER_SEARCH_MAX_RESULTS", 20))


def poster_font_path() -> str:
    """A TrueType CJK font reportlab can embed (Debian fonts-wqy-zenhei)."""
    return str(getattr(settings, "FINDER_POSTER_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"))


def posters_max() -> int:
    """At most this many pages in one street's poster PDF."""
    return int(getattr(settings, "FINDER_POSTERS_MAX", 500))
