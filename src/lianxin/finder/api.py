"""Finder endpoints (public): the grid, deputies and nearest station at a point; search by name or pinyin."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lianxin.api.errors import errors_documented
from lianxin.finder import search, selectors
from lianxin.throttle import limits

router = Router(tags=["finder"])


class PointOut(Schema):
    lat: float
    lng: float


class PlaceRef(Schema):
    id: int
    name: str


class DeputyCardOut(Schema):
    code: str
    name: str
    levels: list[str]
    sector: str
    photo_url: str | None
    assigned_at: str
    profile_url: str
    report_url: str


class GridOut(Schema):
    id: int
    code: str
    name: str
    grid_worker: str
    community: PlaceRef | None
    street: PlaceRef | None
    url: str
    deputies: list[DeputyCardOut]


class StationNearOut(Schema):
    code: str
    name: str
    kind_label: str
    address: str
    opening_hours: str
    phone: str
    lat: float | None
    lng: float | None
    distance_m: int | None
    reception: str
    next_reception: date | None
    report_url: str


class LookupOut(Schema):
    found: bool
    message: str
    point: PointOut
    grid: GridOut | None
    station: StationNearOut | None


class SearchHitOut(Schema):
    id: int
    kind: str
    name: str
    parent_name: str


@router.get(
    "/lookup",
    auth=None,
    response={200: LookupOut, **errors_documented(422, 429)},
    summary="按位置找网格、代表和最近的联络站（公开）",
    description=(
        "lat/lng 为 WGS-84/GCJ-02 十进制度（与网格多边形同一坐标系）。落在网格边界上的点算作该网格；"
        "不在任何网格内时 found=false、grid=null，并给出说明和最近的联络站。只列出同意公开的代表。"
    ),
)
def lookup(request: HttpRequest, lat: float = Query(...), lng: float = Query(...)):
    limits.check(request, "lookup")
    return selectors.lookup(lat, lng)


@router.get(
    "/finder/search",
    auth=None,
    response={200: list[SearchHitOut], **errors_documented(422, 429)},
    summary="按名称或拼音搜索街道、社区和网格（公开）",
    description="q 可以是中文名称的一部分、全拼（chunhui）或首字母（chsq）。",
)
def finder_search(request: HttpRequest, q: str = Query("", max_length=search.QUERY_MAX)):
    limits.check(request, "lookup")
    return [
        {"id": hit.id, "kind": hit.kind, "name": hit.name, "parent_name": hit.parent_name} for hit in search.search(q)
    ]
