"""The in-process spatial index for the lookup: an STRtree over the grid polygons plus the station points.

Built once per process and rebuilt when the grids change: every finder service that changes grids, their
deputies or a deputy's consent bumps `GridVersion` (checked with one small query per lookup), and a TTL
(`FINDER_INDEX_TTL_SECONDS`) catches changes made elsewhere (the registry import, the admin). The index also
keeps the station rows and, once asked, each grid's card, so a lookup is one query plus arithmetic.
Reads never write.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np
import shapely

from lianxin.finder import conf
from lianxin.finder.geo import haversine_m, shape_of
from lianxin.finder.models import GridVersion
from lianxin.organisation.enums import DivisionKind, StationKind
from lianxin.organisation.models import Division, Station

NO_LOCATION_KINDS = {StationKind.ONLINE}


@dataclass
class GridIndex:
    version: int
    built_at: float
    tree: shapely.STRtree | None
    geometries: np.ndarray  # prepared shapely polygons, aligned with grid_ids
    grid_ids: np.ndarray
    station_ids: np.ndarray
    station_lat: np.ndarray
    station_lng: np.ndarray
    stations: dict[int, Station] = field(default_factory=dict)
    # Grid cards (the grid, its community, street, worker and public deputies), all built by the first lookup
    # that finds a grid (selectors.fill_cards) and kept until the next rebuild.
    cards: dict[int, dict] = field(default_factory=dict)
    cards_ready: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def size(self) -> int:
        return len(self.grid_ids)

    def grid_at(self, lat: float, lng: float) -> int | None:
        """The grid covering the point (its edge counts); on a shared edge the lowest id wins."""
        if self.tree is None:
            return None
        point = shapely.Point(lng, lat)
        candidates = self.tree.query(point)
        if len(candidates) == 0:
            return None
        hits = candidates[shapely.covers(self.geometries[candidates], point)]
        if len(hits) == 0:
            return None
        return int(self.grid_ids[hits].min())

    def nearest_station(self, lat: float, lng: float) -> tuple[int, float] | None:
        """(station id, distance in metres) of the nearest station with a location."""
        if len(self.station_ids) == 0:
            return None
        distances = haversine_m(lat, lng, self.station_lat, self.station_lng)
        best = int(np.argmin(distances))
        return int(self.station_ids[best]), float(distances[best])


_lock = threading.Lock()
_current: GridIndex | None = None


def current_version() -> int:
    return GridVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def build(version: int) -> GridIndex:
    geometries, ids = [], []
    rows = Division.objects.filter(kind=DivisionKind.GRID, polygon__isnull=False).values_list("id", "polygon")
    for pk, polygon in rows.iterator(chunk_size=2000):
        geometry = shape_of(polygon)
        if geometry is not None:
            geometries.append(geometry)
            ids.append(pk)
    array = np.array(geometries, dtype=object)
    if len(array):
        shapely.prepare(array)
    stations = list(
        Station.objects.filter(active=True, lat__isnull=False, lng__isnull=False)
        .exclude(kind__in=NO_LOCATION_KINDS)
        .order_by("id")
    )
    return GridIndex(
        version=version,
        built_at=time.monotonic(),
        tree=shapely.STRtree(array) if len(array) else None,
        geometries=array,
        grid_ids=np.array(ids, dtype=np.int64),
        station_ids=np.array([s.pk for s in stations], dtype=np.int64),
        station_lat=np.array([s.lat for s in stations], dtype=float),
        station_lng=np.array([s.lng for s in stations], dtype=float),
        stations={s.pk: s for s in stations},
    )


def grid_index() -> GridIndex:
    """The index for the current grids (rebuilt when the version moved or the TTL passed)."""
    global _current
    version = current_version()
    index = _current
    if index is not None and index.version == version and time.monotonic() - index.built_at < conf.index_ttl_seconds():
        return index
    with _lock:
        index = _current
        if index is None or index.version != version or time.monotonic() - index.built_at >= conf.index_ttl_seconds():
            index = build(version)
            _current = index
    return index


def forget() -> None:
    """Drop this process's index (tests, and after bulk changes made outside the finder)."""
    global _current
    with _lock:
        _current = None
