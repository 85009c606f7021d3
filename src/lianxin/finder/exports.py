"""GeoJSON out: the grids of a division (staff export, round-trips through the import) and the public map."""

from __future__ import annotations

from django.db.models import Prefetch

from lianxin.finder import conf
from lianxin.finder.geo import geometry_of
from lianxin.finder.index import NO_LOCATION_KINDS
from lianxin.finder.selectors import grid_code
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Deputy, Division, Station


def grids_export(within: Division) -> dict:
    """Every grid with a polygon under `within`, with the properties the import reads back."""
    grids = (
        Division.objects.filter(kind=DivisionKind.GRID, path__startswith=within.path, polygon__isnull=False)
        .select_related("parent", "parent__parent")
        .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.only("id", "code").order_by("code")))
        .order_by("path")
    )
    features = []
    for grid in grids:
        geometry = geometry_of(grid.polygon)
        if geometry is None:
            continue
        community = grid.parent
        street = community.parent if community else None
        properties = {
            "name": grid.name,
            "code": grid.code,
            "community": community.name if community else "",
            "community_code": community.code if community else "",
            "street": street.name if street else "",
            "grid_worker": grid.grid_worker,
            "deputies": [d.code for d in grid.deputies.all()],
        }
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def map_layers(within: Division | None = None) -> dict:
    """The public map's data: grid polygons (id, name, code) and station pins. No tiles are needed."""
    grids = Division.objects.filter(kind=DivisionKind.GRID, polygon__isnull=False)
    stations = Station.objects.filter(active=True, lat__isnull=False, lng__isnull=False).exclude(
        kind__in=NO_LOCATION_KINDS
    )
    if within is not None:
        grids = grids.filter(path__startswith=within.path)
        stations = stations.filter(division__path__startswith=within.path)
    features = []
    for pk, name, code, polygon in grids.order_by("id").values_list("id", "name", "code", "polygon")[
        : conf.map_max_grids()
    ]:
        geometry = geometry_of(polygon)
        if geometry is not None:
            properties = {"id": pk, "name": name, "code": grid_code(Division(pk=pk, code=code))}
            features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    pins = [
        {"code": code, "name": name, "lat": lat, "lng": lng}
        for code, name, lat, lng in stations.order_by("code").values_list("code", "name", "lat", "lng")
    ]
    return {"grids": {"type": "FeatureCollection", "features": features}, "stations": pins}
