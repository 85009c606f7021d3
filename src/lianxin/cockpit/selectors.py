"""Reads of the cockpit: every figure comes from the rollup tables (a few small GROUP BY queries, whatever
the size of the case history); only the lists behind a number read Case itself."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.models import Case
from lianxin.cockpit import conf, extensions, periods
from lianxin.cockpit.deputies import Column as DeputyColumn
from lianxin.cockpit.deputies import DeputyRow, deputy_table
from lianxin.cockpit.measures import CASE_MEASURES, MEASURE_LABELS, STATUS_GROUPS, Rate, case_rates
from lianxin.cockpit.models import (
    GRAIN_DAY,
    GRAIN_MONTH,
    CaseFigure,
    OverdueFigure,
    PlaceFigure,
    RollupState,
    UnitFigure,
)
from lianxin.cockpit.periods import Period
from lianxin.cockpit.rules import Scope
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Category, Division, HandlingUnit, Station


def list_url(scope: Scope, period: Period, **filters) -> str:
    """The cockpit's list of the cases behind a number (same scope, period and measure)."""
    params = {**scope.query(), **period.query(), **{k: v for k, v in filters.items() if v not in (None, "")}}
    return f"{reverse('cockpit:cases')}?{urlencode(params)}"


class Links:
    """list_url and the drill-down link of one page: the scope's and the period's part of the query is reversed and
    encoded once, not for each of the hundred-odd links of the overview. The same strings as list_url and _drill
    (a filter that replaces one of the scope's parameters, the drill-down to another division, is built in full)."""

    def __init__(self, scope: Scope, period: Period):
        self.scope, self.period = scope, period
        self.base = {**scope.query(), **period.query()}
        encoded = urlencode(self.base)
        self.cases = f"{reverse('cockpit:cases')}?{encoded}"
        self.overview = f"{reverse('cockpit:overview')}?{encoded}"

    def list(self, **filters) -> str:
        extra = {k: v for k, v in filters.items() if v not in (None, "")}
        if not extra:
            return self.cases
        if not extra.keys().isdisjoint(self.base):
            return list_url(self.scope, self.period, **filters)
        return f"{self.cases}&{urlencode(extra)}"

    def drill(self, **params) -> str:
        extra = {k: str(v) for k, v in params.items()}
        if not extra.keys().isdisjoint(self.base):
            return _drill(self.scope, self.period, **params)
        return f"{self.overview}&{urlencode(extra)}" if extra else self.overview

    def list_url(self, scope: Scope, period: Period, **filters) -> str:
        """list_url's signature, for deputy_table (always called with this page's scope and period)."""
        if scope != self.scope or period != self.period:
            return list_url(scope, period, **filters)
        return self.list(**filters)


@dataclass
class Item:
    key: str
    label: str
    value: int
    url: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Row:
    """One line of a breakdown (a street, a station, a unit, a deputy) with its counts and rates."""

    id: int | None
    name: str
    sums: dict[str, int]
    url: str = ""
    drill_url: str = ""
    rates: list[Rate] = field(default_factory=list)
    overdue: int = 0

    def rate(self, key: str) -> Rate | None:
        return next((r for r in self.rates if r.key == key), None)


def _sum(qs, keys: list[str], measures) -> list[dict]:
    return list(qs.values(*keys).annotate(**{f"m_{m}": Sum(m) for m in measures}).order_by())


def _sum_rows(qs, keys: list[str], measures) -> list[tuple]:
    """The same query as _sum, read as tuples (keys…, sums…): no dict per row of the few hundred a page reads."""
    names = [f"m_{m}" for m in measures]
    return list(qs.values(*keys).annotate(**{f"m_{m}": Sum(m) for m in measures}).order_by().values_list(*keys, *names))


def _column_sums(measures, vectors: list[tuple]) -> dict[str, int]:
    """{measure: sum over the rows} of rows of measure sums (each rollup column is NOT NULL, so a group's SUM is
    never NULL); summed column by column, not row by row into a dict."""
    if not vectors:
        return dict.fromkeys(measures, 0)
    return dict(zip(measures, (int(sum(column)) for column in zip(*vectors, strict=True)), strict=True))


def _measures(row: dict, measures) -> dict[str, int]:
    return {m: int(row.get(f"m_{m}") or 0) for m in measures}


def ack_waiting(scope: Scope, period: Period, now: dt.datetime | None = None) -> int:
    """Matters still inside their acknowledgement window and not yet acknowledged (a live count over the last
    hours only). The division ids are listed first: joined through the path, PostgreSQL picks a scan of the whole
    case table for a district (every case's path matches), which costs hundreds of milliseconds at 10 million."""
    now = now or timezone.now()
    since = now - dt.timedelta(hours=conf.ack_hours())
    start, end = periods.created_bounds(period)
    if end <= since:
        return 0
    divisions = scope.division_ids
    # One lower bound on created_at (the later of the two): SQLite walks the index from the first bound it is given,
    # which for a year's period is the whole year's cases.
    qs = Case.objects.filter(created_at__gte=max(start, since), created_at__lt=end, division_id__in=divisions)
    if scope.station is not None:
        qs = qs.filter(station_id=scope.station.pk)
    return qs.filter(acknowledged_at__isnull=True).count()


def headline(scope: Scope, now_day: dt.date | None = None) -> dict[str, int]:
    """Matters registered today, this week and this year (one query)."""
    day = now_day or periods.today()
    week = day - dt.timedelta(days=day.weekday())
    month, year = day.replace(day=1), day.replace(month=1, day=1)
    rows = CaseFigure.objects.filter(scope.rows_q()).filter(
        Q(grain=GRAIN_MONTH, day__gte=year, day__lt=month) | Q(grain=GRAIN_DAY, day__gte=min(week, month), day__lte=day)
    )
    sums = rows.aggregate(
        today=Sum("total", filter=Q(grain=GRAIN_DAY, day=day)),
        week=Sum("total", filter=Q(grain=GRAIN_DAY, day__gte=week)),
        year=Sum("total", filter=Q(grain=GRAIN_MONTH) | Q(grain=GRAIN_DAY, day__gte=month)),
    )
    return {k: int(v or 0) for k, v in sums.items()}


@dataclass
class Overview:
    scope: Scope
    period: Period
    updated_at: dt.datetime | None
    headline: dict[str, int]
    totals: dict[str, int]
    rates: list[Rate]
    status: list[Item]
    channels: list[Item]
    categories: list[Item]
    children: list[Row]
    children_label: str
    stations: list[Row]
    overdue: int
    near_due: int
    trend: list[Item]
    units: list[Row]
    deputies: list[DeputyRow]
    deputy_columns: list[DeputyColumn]
    deputy_formula: str
    places: dict[int, int]
    hot: list  # dicts from an area's cockpit_hot_issues hook
    extra: list[dict]


def _names(model, ids) -> dict[int, str]:
    ids = [i for i in set(ids) if i is not None]
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _rates_row(sums: dict[str, int]) -> list[Rate]:
    return case_rates(sums)


def overview(scope: Scope, period: Period, *, now: dt.datetime | None = None, user=None) -> Overview:
    """Everything the overview shows. `user` decides which of the other areas' numbers link to their lists (without
    a user only the cockpit's own lists and the areas that do not restrict theirs are linked)."""
    now = now or timezone.now()
    allowed = extensions.links_allowed(user=user, division=scope.division)
    links = Links(scope, period)
    activity = deputy_table(scope, period, list_url=links.list_url, allowed=allowed, user=user)
    base = CaseFigure.objects.filter(scope.rows_q()).filter(periods.rows_q(period))
    measures = list(CASE_MEASURES)
    rows = _sum_rows(base, ["street_id", "station_id", "category_id"], measures)
    # The rows of each street, station and category, then each one's sums column by column (one pass in C per
    # column, not a dict update per row and measure: the district's year is a few hundred rows of 30-odd sums).
    street_rows: dict[int | None, list] = defaultdict(list)
    station_rows: dict[int | None, list] = defaultdict(list)
    category_rows: dict[int | None, list] = defaultdict(list)
    for street_id, station_id, category_id, *sums in rows:
        street_rows[street_id].append(sums)
        station_rows[station_id].append(sums)
        category_rows[category_id].append(sums)
    totals = _column_sums(measures, [row[3:] for row in rows])
    by_street = {key: _column_sums(measures, group) for key, group in street_rows.items()}
    by_station = {key: _column_sums(measures, group) for key, group in station_rows.items()}
    by_category = {key: _column_sums(measures, group) for key, group in category_rows.items()}
    link = links.list
    recent = period.end >= timezone.localtime(now).date() - dt.timedelta(days=2)
    rates = case_rates(totals, ack_waiting=ack_waiting(scope, period, now) if recent else 0)

    overdue_rows = list(
        OverdueFigure.objects.filter(scope.rows_q())
        .values("street_id", "station_id")
        .annotate(o=Sum("overdue"), n=Sum("near_due"))
    )
    overdue_by_street: dict = defaultdict(int)
    overdue_by_station: dict = defaultdict(int)
    for r in overdue_rows:
        overdue_by_street[r["street_id"]] += r["o"] or 0
        overdue_by_station[r["station_id"]] += r["o"] or 0

    station_names = _names(Station, by_station)
    category_names = _names(Category, by_category)
    status = [
        Item(key, str(label), totals[f"s_{key}"], link(measure=f"s_{key}"))
        for key, (label, _s) in STATUS_GROUPS.items()
    ]
    channels = [
        Item(name[3:], str(MEASURE_LABELS[name]), totals[name], link(measure=name))
        for name in measures
        if name.startswith("ch_") and totals[name]
    ]
    categories = sorted(
        (
            Item(str(cid or ""), category_names.get(cid, str(_("未分类"))), sums["total"], link(category=cid or "none"))
            for cid, sums in by_category.items()
            if sums["total"]
        ),
        key=lambda i: -i.value,
    )
    stations = sorted(
        (
            Row(
                sid,
                station_names.get(sid, str(_("未经联络站"))),
                sums,
                link(station=sid or "none"),
                list_url(Scope(scope.division), period) if sid is None else links.drill(station=sid),
                _rates_row(sums),
                overdue_by_station.get(sid, 0),
            )
            for sid, sums in by_station.items()
        ),
        key=lambda r: -r.sums["total"],
    )
    if scope.level == 0 and scope.station is None:
        street_names = _names(Division, by_street)
        children = sorted(
            (
                Row(
                    sid,
                    street_names.get(sid, str(_("区级（未落到街道）"))),
                    sums,
                    link(street=sid or "none"),
                    links.drill(division=sid) if sid else "",
                    _rates_row(sums),
                    overdue_by_street.get(sid, 0),
                )
                for sid, sums in by_street.items()
            ),
            key=lambda r: -r.sums["total"],
        )
        children_label = str(_("街道/乡镇"))
    else:
        children, children_label = stations, str(_("联络站"))
    return Overview(
        scope=scope,
        period=period,
        updated_at=RollupState.objects.filter(name="cases").values_list("last_run_at", flat=True).first(),
        headline=headline(scope),
        totals=totals,
        rates=rates,
        status=status,
        channels=channels,
        categories=categories,
        children=children,
        children_label=children_label,
        stations=stations,
        overdue=sum(r["o"] or 0 for r in overdue_rows),
        near_due=sum(r["n"] or 0 for r in overdue_rows),
        trend=trend(scope, period),
        units=unit_ranking(scope, period, links=links),
        deputies=activity.rows,
        deputy_columns=activity.columns,
        deputy_formula=activity.formula,
        places=place_counts(scope, period),
        hot=hot_issues(scope),
        extra=extensions.figures(scope=scope, period=period, allowed=allowed),
    )


def _drill(scope: Scope, period: Period, **params) -> str:
    query = {**scope.query(), **period.query(), **{k: str(v) for k, v in params.items()}}
    return f"{reverse('cockpit:overview')}?{urlencode(query)}"


def trend(scope: Scope, period: Period) -> list[Item]:
    """Matters per day (periods up to 62 days) or per month."""
    rows = _sum(CaseFigure.objects.filter(scope.rows_q()).filter(periods.rows_q(period)), ["grain", "day"], ["total"])
    by_month = period.days > 62
    points: dict[dt.date, int] = defaultdict(int)
    for row in rows:
        day = row["day"] if isinstance(row["day"], dt.date) else dt.date.fromisoformat(str(row["day"]))
        points[day.replace(day=1) if by_month else day] += int(row["m_total"] or 0)
    cursor = period.start.replace(day=1) if by_month else period.start
    while cursor <= min(period.end, periods.today()):
        points.setdefault(cursor, 0)
        cursor = periods.next_month(cursor) if by_month else cursor + dt.timedelta(days=1)
    fmt = "%Y-%m" if by_month else "%m-%d"
    return [Item(day.isoformat(), day.strftime(fmt), points[day]) for day in sorted(points)]


def _ranked(rows: list[Row], key: str) -> list[Row]:
    minimum = conf.ranking_min_sample()
    eligible = [r for r in rows if r.sums.get(key, 0) >= minimum]
    return eligible[: conf.ranking_size()]


def unit_ranking(scope: Scope, period: Period, *, links: Links | None = None) -> list[Row]:
    """Departments by 办复率, then 满意率; only those with at least COCKPIT_RANKING_MIN_SAMPLE assigned cases."""
    measures = list(UnitFigure.MEASURES)
    if scope.station is not None:  # unit rows are not keyed by station
        return []
    rows = _sum(UnitFigure.objects.filter(scope.rows_q()).filter(periods.rows_q(period)), ["unit_id"], measures)
    names = _names(HandlingUnit, [r["unit_id"] for r in rows])
    links = links or Links(scope, period)
    result = []
    for row in rows:
        sums = _measures(row, measures)
        rates = case_rates(sums)
        result.append(
            Row(
                row["unit_id"],
                names.get(row["unit_id"], "?"),
                sums,
                links.list(unit=row["unit_id"], measure="assigned"),
                rates=rates,
            )
        )
    key = lambda r: (-(r.rate("answer_rate").percent or 0), -(r.rate("satisfaction_incl").percent or 0), r.name)  # noqa: E731
    return _ranked(sorted(result, key=key), "assigned")


def place_counts(scope: Scope, period: Period) -> dict[int, int]:
    if scope.station is not None:
        return {}
    rows = _sum(PlaceFigure.objects.filter(scope.rows_q()).filter(periods.rows_q(period)), ["division_id"], ["total"])
    return {r["division_id"]: int(r["m_total"] or 0) for r in rows if r["division_id"]}


def grid_map(scope: Scope, places: dict[int, int]) -> dict:
    """GeoJSON of the grids under the scope with their counts (for ECharts' map series, no tiles)."""
    features = []
    # The grids and, in the same query, the areas (streets or communities, one level below the scope) they lie in:
    # the map labels the areas when the grids are too many to name one by one.
    rows = Division.objects.filter(
        Q(kind=DivisionKind.GRID, polygon__isnull=False) | Q(parent_id=scope.division.pk),
        path__startswith=scope.division.path,
    ).values_list("pk", "name", "polygon", "path", "kind", "parent_id")
    grids, areas = [], []
    for pk, name, polygon, path, kind, parent_id in rows:
        if kind == DivisionKind.GRID and polygon is not None:
            grids.append((pk, name, polygon, path))
        if parent_id == scope.division.pk:
            areas.append((path, name))
    for pk, name, polygon, _path in grids:
        features.append({"type": "Feature", "properties": {"name": name, "id": pk}, "geometry": polygon})
    area_of = {pk: next((name for prefix, name in areas if path.startswith(prefix)), "") for pk, _n, _p, path in grids}
    counts = [
        {
            "name": f["properties"]["name"],
            "value": places.get(f["properties"]["id"], 0),
            "id": f["properties"]["id"],
            "area": area_of.get(f["properties"]["id"], ""),
        }
        for f in features
    ]
    return {"geojson": {"type": "FeatureCollection", "features": features}, "values": counts}


def hot_issues(scope: Scope) -> list[dict]:
    """The hot issues of the area that provides them (topics: groups by text and place, labelled, with a heat
    index); none when no installed area provides them."""
    return extensions.hot_issues(division=scope.division) or []


def _hot_json(row: dict) -> dict:
    return {
        "label": row.get("label") or f"{row['keyword']} · {row['place_name']}",
        "keyword": row["keyword"],
        "place": row["place_name"],
        "cases": row["cases"],
        "people": row["people"],
        "supporters": row.get("supporters", 0),
        "score": round(row["score"], 1),
    }


def overview_json(data: Overview) -> dict:
    """The overview as plain JSON (charts, the wall screen's refresh, the API)."""
    return {
        "scope": {
            "division": data.scope.division.name,
            "division_id": data.scope.division.pk,
            "station": data.scope.station.name if data.scope.station else None,
        },
        "period": {
            "preset": data.period.preset,
            "start": data.period.start.isoformat(),
            "end": data.period.end.isoformat(),
            "label": data.period.label,
        },
        "updated_at": data.updated_at.isoformat() if data.updated_at else None,
        "headline": data.headline,
        "totals": {k: data.totals[k] for k in ("total", "open", "s_done", "assigned", "replied", "rated")},
        "overdue": data.overdue,
        "near_due": data.near_due,
        "rates": [
            {
                "key": r.key,
                "label": str(r.label),
                "percent": r.percent,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "formula": str(r.formula),
            }
            for r in data.rates
        ],
        "status": [{"key": i.key, "label": i.label, "value": i.value, "url": i.url} for i in data.status],
        "channels": [{"key": i.key, "label": i.label, "value": i.value, "url": i.url} for i in data.channels],
        "categories": [{"label": i.label, "value": i.value, "url": i.url} for i in data.categories[:15]],
        "children": [
            {
                "id": r.id,
                "name": r.name,
                "total": r.sums["total"],
                "open": r.sums["open"],
                "overdue": r.overdue,
                "url": r.url,
                "drill_url": r.drill_url,
                "answer_rate": r.rate("answer_rate").percent,
                "satisfaction": r.rate("satisfaction").percent,
            }
            for r in data.children
        ],
        "trend": [{"label": i.label, "value": i.value} for i in data.trend],
        "units": [
            {
                "name": r.name,
                "assigned": r.sums["assigned"],
                "answer_rate": r.rate("answer_rate").percent,
                "satisfaction": r.rate("satisfaction_incl").percent,
            }
            for r in data.units
        ],
        "deputies": [
            {
                "id": r.id,
                "name": r.name,
                "total": r.sums["total"],
                "visits": r.sums["visits"],
                "activity": r.total,
                "url": r.url,
                "measures": [
                    {"key": col.key, "label": col.label, "period": col.period, "value": cell.value, "url": cell.url}
                    for col, cell in zip(data.deputy_columns, r.cells, strict=True)
                ],
            }
            for r in data.deputies
        ],
        "deputy_formula": data.deputy_formula,
        "hot": [_hot_json(h) for h in data.hot],
        "extra": data.extra,
    }
