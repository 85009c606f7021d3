"""Cockpit endpoint: the overview figures of a division the caller may see (the same figures as the page)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lianxin.api.auth import token_auth
from lianxin.api.errors import errors_documented
from lianxin.cockpit import periods, selectors
from lianxin.cockpit.rules import scope_for_actor

router = Router(tags=["cockpit"])


class OverviewQuery(Schema):
    division: int | None = None
    station: int | None = None
    period: str = periods.DEFAULT_PRESET
    date_from: str = ""
    date_to: str = ""


class RateOut(Schema):
    key: str
    label: str
    percent: float | None
    numerator: int
    denominator: int
    formula: str


class ItemOut(Schema):
    label: str
    value: int
    url: str = ""
    key: str = ""


class ChildOut(Schema):
    id: int | None
    name: str
    total: int
    open: int
    overdue: int
    answer_rate: float | None
    satisfaction: float | None


class OverviewOut(Schema):
    scope: dict
    period: dict
    updated_at: str | None
    headline: dict[str, int]
    totals: dict[str, int]
    overdue: int
    near_due: int
    rates: list[RateOut]
    status: list[ItemOut]
    channels: list[ItemOut]
    categories: list[ItemOut]
    children: list[ChildOut]
    trend: list[ItemOut]
    units: list[dict]
    deputies: list[dict]
    hot: list[dict]
    extra: list[dict]


@router.get(
    "/cockpit/overview",
    auth=token_auth,
    response={200: OverviewOut, **errors_documented(401, 404, 422)},
    summary="驾驶舱总览（按区划、联络站和统计期间）",
    description=(
        "office/leader 可查看其区划，联络站工作人员可查看本站所在街道；其他区划一律 404。"
        "period 取 today/week/month/year/last30/custom（custom 需 date_from、date_to，格式 YYYY-MM-DD）。"
        "比率给出分子、分母和口径。"
    ),
)
def cockpit_overview(request: HttpRequest, query: Query[OverviewQuery]):
    scope = scope_for_actor(request.auth, query.division, query.station)
    period = periods.parse_period({"period": query.period, "from": query.date_from, "to": query.date_to})
    return selectors.overview_json(selectors.overview(scope, period, user=request.auth))
