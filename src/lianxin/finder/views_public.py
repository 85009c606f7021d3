"""Find my deputy: the phone page (map, my location, street → community → grid pickers, name/pinyin search),
the grid page behind /g/<code>, deputy profiles and the QR images. Public, no account, no personal data."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lianxin.errors import PUBLIC_REFUSALS
from lianxin.finder import qr, search, selectors
from lianxin.finder.exports import map_layers
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Deputy, Division, Station
from lianxin.throttle import limits

QR_FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def _not_found(request) -> HttpResponse:
    return render(request, "cases/public/not_found.html", status=404)


def _int(raw: str) -> int | None:
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 12 else None


def _picker(request) -> dict:
    """The street → community → grid choices from the query string. A grid alone (or a community alone, as
    the search links give) fills in the levels above it; a broken chain is dropped."""
    street_id, community_id, grid_id = (_int(request.GET.get(name, "")) for name in ("street", "community", "grid"))
    if grid_id is not None:
        found = Division.objects.filter(pk=grid_id, kind=DivisionKind.GRID).only("parent").first()
        community_id = found.parent_id if found else community_id
    if community_id is not None:
        found = Division.objects.filter(pk=community_id, kind=DivisionKind.COMMUNITY).only("parent").first()
        street_id = found.parent_id if found else street_id
    streets = list(Division.objects.filter(kind=DivisionKind.STREET).only("id", "name").order_by("path"))
    street = next((s for s in streets if s.pk == street_id), None)
    communities, community, grids, grid = [], None, [], None
    if street is not None:
        communities = list(street.children.filter(kind=DivisionKind.COMMUNITY).only("id", "name").order_by("id"))
        community = next((c for c in communities if c.pk == community_id), None)
    if community is not None:
        grids = list(community.children.filter(kind=DivisionKind.GRID).order_by("id"))
        grid = next((g for g in grids if g.pk == grid_id), None)
    return {
        "streets": streets,
        "street": street,
        "communities": communities,
        "community": community,
        "grids": grids,
        "grid": grid,
    }


@require_GET
def find(request):
    """The whole page; works without JavaScript (the pickers and the search are plain GET forms)."""
    picker = _picker(request)
    query = request.GET.get("q", "").strip()[: search.QUERY_MAX]
    results = search.search(query) if query else []
    grid = picker["grid"]
    if grid is None and len(picker["grids"]) == 1:
        grid = picker["grids"][0]
    context = {
        **picker,
        "query": query,
        "results": results,
        "searched": bool(query),
        "card": selectors.grid_card(grid) if grid else None,
        "station": selectors.nearest_station_to_grid(grid) if grid else None,
        "map_tile_url": settings.MAP_TILE_URL,
    }
    return render(request, "finder/find.html", context)


@require_GET
def find_at(request):
    """The answer for a point (map tap or the phone's location) as an HTML fragment for the page."""
    try:
        limits.check(request, "lookup")
        result = selectors.lookup(request.GET.get("lat"), request.GET.get("lng"))
    except PUBLIC_REFUSALS as exc:
        return render(request, "finder/_error.html", {"message": exc.message}, status=exc.status)
    context = {"card": result["grid"], "station": result["station"], "message": result["message"]}
    return render(request, "finder/_result.html", context)


@require_GET
def map_data(request):
    response = JsonResponse(map_layers())
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def grid(request, code):
    """Behind a grid's QR code: the grid, its grid worker and deputies, each with a button to raise a matter."""
    found = selectors.grid_by_code(code)
    if found is None:
        return _not_found(request)
    context = {"card": selectors.grid_card(found), "station": selectors.nearest_station_to_grid(found)}
    return render(request, "finder/grid.html", context)


@require_GET
def deputy(request, code):
    profile = selectors.deputy_profile(code)
    if profile is None:
        return _not_found(request)
    return render(request, "finder/deputy.html", {"profile": profile})


@require_GET
def qr_image(request, kind, code, fmt):
    """The QR code of a station (s), deputy (d) or grid (g) as SVG or PNG; unknown codes are a 404."""
    exists = {
        "s": lambda: Station.objects.filter(code=code, active=True).exists(),
        "d": lambda: Deputy.objects.filter(code=code, active=True).exists(),
        "g": lambda: selectors.grid_by_code(code) is not None,
    }
    if kind not in exists or fmt not in QR_FORMATS or not exists[kind]():
        return _not_found(request)
    url = qr.public_url(kind, code)
    body = qr.qr_svg(url) if fmt == "svg" else qr.qr_png(url)
    response = HttpResponse(body, content_type=QR_FORMATS[fmt])
    response["Cache-Control"] = "public, max-age=86400"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{kind}-{code}.{fmt}"'
    return response
