"""Geometry of grids: GeoJSON parsing, the checks of an import (rings, overlaps, gaps), areas and distances.

Coordinates are GeoJSON order (lng, lat) in WGS-84/GCJ-02 degrees as the district's maps use them. Areas
are in square metres through a local equirectangular projection: exact enough to tell a sliver from a
real overlap at the size of a grid (a few hundred metres).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.utils.translation import gettext as _
from shapely.geometry import Point, Polygon, shape
from shapely.validation import explain_validity

EARTH_RADIUS_M = 6_371_008.8
AREA_TYPES = {"Polygon", "MultiPolygon"}


def haversine_m(lat1, lng1, lat2, lng2):
    """Great-circle distance in metres; works on numbers and on numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lng2) - np.radians(lng1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def area_m2(geometry) -> float:
    """Area of a lng/lat geometry in square metres (local projection at its centroid)."""
    if geometry.is_empty:
        return 0.0
    lat0 = math.radians(geometry.centroid.y)
    kx = math.cos(lat0) * math.pi * EARTH_RADIUS_M / 180
    ky = math.pi * EARTH_RADIUS_M / 180
    projected = shapely.transform(geometry, lambda coords: coords * np.array([kx, ky]))
    return float(projected.area)


def geometry_of(value) -> dict | None:
    """The Polygon/MultiPolygon dict held by a stored `Division.polygon` (a geometry or a Feature)."""
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if isinstance(value, dict) and value.get("type") in AREA_TYPES:
        return value
    return None


def shape_of(value):
    """A valid shapely geometry for a stored polygon, or None (bad stored data is skipped, not fatal)."""
    geometry = geometry_of(value)
    if geometry is None:
        return None
    try:
        result = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        return None
    if result.is_empty or not result.is_valid:
        return None
    return result


def where(geometry) -> str:
    """A point inside the geometry, as 'lat, lng' for messages."""
    point = geometry.representative_point()
    return f"{point.y:.5f}, {point.x:.5f}"


# --- checking one feature's rings ----------------------------------------------------------------------


def _ring_problems(ring, label: str) -> list[str]:
    if not isinstance(ring, list) or not all(
        isinstance(p, list | tuple)
        and len(p) >= 2
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in p[:2])
        for p in ring
    ):
        return [_("%(ring)s的坐标格式不对（应为 [经度, 纬度] 的列表）") % {"ring": label}]
    problems = []
    if len(ring) < 4:
        problems.append(_("%(ring)s少于 4 个点") % {"ring": label})
    elif list(ring[0][:2]) != list(ring[-1][:2]):
        problems.append(_("%(ring)s未闭合（首尾点不同）") % {"ring": label})
    for point in ring:
        lng, lat = point[0], point[1]
        if not (math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90):
            problems.append(_("%(ring)s有超出范围的坐标 [%(lng)s, %(lat)s]") % {"ring": label, "lng": lng, "lat": lat})
            break
    return problems


def geometry_problems(geometry) -> tuple[object | None, list[str]]:
    """(shapely geometry, []) for a valid area, or (None, the problems in Chinese)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in AREA_TYPES:
        return None, [_("几何类型须为 Polygon 或 MultiPolygon")]
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return None, [_("没有坐标")]
    problems: list[str] = []
    for p_index, rings in enumerate(polygons):
        if not isinstance(rings, list) or not rings:
            problems.append(_("第 %(n)d 个多边形没有坐标环") % {"n": p_index + 1})
            continue
        for r_index, ring in enumerate(rings):
            label = _("外环") if r_index == 0 else _("第 %(n)d 个内环（洞）") % {"n": r_index}
            if len(polygons) > 1:
                label = _("第 %(n)d 个多边形的") % {"n": p_index + 1} + label
            problems += _ring_problems(ring, label)
    if problems:
        return None, problems
    try:
        result = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        return None, [_("坐标无效")]
    if result.is_empty:
        return None, [_("多边形为空")]
    if not result.is_valid:
        return None, [_("多边形无效：%(why)s") % {"why": _explain(result)}]
    return result, []


def _explain(geometry) -> str:
    """shapely's reason with the place in lat, lng order, e.g. '自相交（30.75000, 120.75000 附近）'."""
    reason = explain_validity(geometry)
    words = {
        "Self-intersection": _("自相交"),
        "Ring Self-intersection": _("环自相交"),
        "Too few points": _("点数不足"),
        "Hole lies outside shell": _("洞在外环之外"),
        "Nested holes": _("洞相互嵌套"),
        "Interior is disconnected": _("内部不连通"),
        "Nested shells": _("外环相互嵌套"),
        "Duplicate Rings": _("重复的环"),
    }
    name, _sep, rest = reason.partition("[")
    label = words.get(name.strip(), name.strip())
    try:
        x_text, y_text = rest.rstrip("]").split()[:2]
        return _("%(what)s（%(lat).5f, %(lng).5f 附近）") % {"what": label, "lat": float(y_text), "lng": float(x_text)}
    except ValueError:
        return label


# --- checking a set of grids: overlaps and gaps -----------------------------------------------------------


@dataclass
class GridShape:
    """One grid of the checked set: its name, its community's name, its geometry; `new` if from the file."""

    name: str
    community: str
    geometry: object
    new: bool = True
    key: object = None
    extra: dict = field(default_factory=dict)


def overlaps(grids: list[GridShape], *, min_m2: float) -> list[str]:
    """Each overlapping pair that involves at least one new grid, by name, with its area and place."""
    if not grids:
        return []
    tree = shapely.STRtree([g.geometry for g in grids])
    left, right = tree.query([g.geometry for g in grids], predicate="intersects")
    messages = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j or not (grids[i].new or grids[j].new):
            continue
        common = grids[i].geometry.intersection(grids[j].geometry)
        size = area_m2(common)
        if size < min_m2:
            continue  # they touch along an edge, or a digitising sliver
        messages.append(
            _("“%(a)s”与“%(b)s”重叠约 %(area)s 平方米（%(where)s 附近）")
            % {"a": grids[i].name, "b": grids[j].name, "area": f"{size:,.0f}", "where": where(common)}
        )
    return messages


def gaps(grids: list[GridShape], *, min_m2: float) -> list[str]:
    """Holes between the grids of one community (a hole inside one grid, like a lake, is not a gap)."""
    by_community: dict[str, list[GridShape]] = {}
    for grid in grids:
        by_community.setdefault(grid.community, []).append(grid)
    messages = []
    for community, members in by_community.items():
        if not any(m.new for m in members):
            continue
        union = shapely.union_all([m.geometry for m in members])
        parts = list(union.geoms) if union.geom_type == "MultiPolygon" else [union]
        shells = [(m, _filled(m.geometry)) for m in members]
        for part in parts:
            for interior in part.interiors:
                hole = Polygon(interior)
                size = area_m2(hole)
                if size < min_m2:
                    continue
                if any(shell.contains(hole.representative_point()) and shell.covers(hole) for _m, shell in shells):
                    continue  # a hole of one grid, on purpose
                neighbours = sorted({m.name for m in members if m.geometry.distance(hole) < 1e-9})
                messages.append(
                    _("“%(community)s”的网格之间有空隙，约 %(area)s 平方米（%(where)s 附近），相邻网格：%(names)s")
                    % {
                        "community": community,
                        "area": f"{size:,.0f}",
                        "where": where(hole),
                        "names": "、".join(neighbours),
                    }
                )
    return messages


def _filled(geometry):
    """The geometry with its holes filled."""
    if geometry.geom_type == "MultiPolygon":
        return shapely.union_all([Polygon(p.exterior) for p in geometry.geoms])
    return Polygon(geometry.exterior)


def point(lat: float, lng: float) -> Point:
    return Point(lng, lat)
