"""The lists behind the numbers, and the four lists (四张清单). These read Case, always through
`rules.scoped_cases` (visible_cases semantics), with the same measure definitions as the rollups."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.cases.enums import Channel
from lianxin.cases.models import Case
from lianxin.cockpit import extensions, periods
from lianxin.cockpit.measures import LIST_MEASURES, LIVE_MEASURES, MEASURE_LABELS, measure_q
from lianxin.cockpit.periods import Period
from lianxin.cockpit.rules import Scope, scoped_cases
from lianxin.errors import InvalidInput
from lianxin.organisation.models import Division
from lianxin.privacy import mask_personal_data

ID_FILTERS = ("street", "station_filter", "category", "unit", "deputy", "place")
NONE = "none"


@dataclass(frozen=True)
class CaseFilters:
    measure: str = "total"
    street: int | str | None = None  # an id, "none" (placed at the district itself) or None
    category: int | str | None = None
    unit: int | None = None
    deputy: int | None = None
    place: int | None = None
    station: str | None = None  # "none": cases that came through no station (a station id is the Scope's)

    def describe(self) -> str:
        return str(MEASURE_LABELS.get(self.measure, self.measure))


def _id(value, field: str, allow_none: bool = False):
    if value in (None, ""):
        return None
    text = str(value).strip()
    if allow_none and text == NONE:
        return NONE
    if not text.isdigit() or len(text) > 18:
        raise InvalidInput(_("筛选条件不正确。"), fields={field: [_("应为编号")]})
    return int(text)


def parse_filters(params) -> CaseFilters:
    measure = (params.get("measure") or "total").strip()
    if measure not in LIST_MEASURES:
        raise InvalidInput(_("没有这个统计口径。"), fields={"measure": [_("没有这个统计口径")]})
    station = params.get("station")
    return CaseFilters(
        measure=measure,
        street=_id(params.get("street"), "street", allow_none=True),
        category=_id(params.get("category"), "category", allow_none=True),
        unit=_id(params.get("unit"), "unit"),
        deputy=_id(params.get("deputy"), "deputy"),
        place=_id(params.get("place"), "place"),
        station=NONE if station == NONE else None,
    )


def figure_cases(user, scope: Scope, period: Period, filters: CaseFilters) -> QuerySet[Case]:
    """Exactly the cases one number of the overview counts, as far as the user may see them."""
    qs = scoped_cases(user, scope).filter(measure_q(filters.measure))
    if filters.measure not in LIVE_MEASURES:  # overdue and near-due are "now", whatever the period
        qs = qs.filter(periods.created_q(period))
    if filters.street == NONE:
        qs = qs.filter(division_id=scope.division.pk)
    elif filters.street is not None:
        street = Division.objects.filter(pk=filters.street, parent_id=scope.division.pk).first()
        qs = qs.filter(division__path__startswith=street.path) if street else qs.none()
    if filters.station == NONE:
        qs = qs.filter(station__isnull=True)
    if filters.category == NONE:
        qs = qs.filter(category__isnull=True)
    elif filters.category is not None:
        c = filters.category
        qs = qs.filter(Q(category_id=c) | Q(category__parent_id=c) | Q(category__parent__parent_id=c))
    if filters.unit is not None:
        qs = qs.filter(current_unit_id=filters.unit)
    if filters.deputy is not None:
        qs = qs.filter(deputy_id=filters.deputy)
    if filters.place is not None:
        qs = qs.filter(division_id=filters.place)
    return qs.select_related("station", "category", "current_unit", "division", "deputy").order_by("-created_at", "-id")


# --- The four lists ---------------------------------------------------------------------------------

LISTS = {
    "work": gettext_lazy("工作清单"),
    "problems": gettext_lazy("问题清单"),
    "suggestions": gettext_lazy("建议清单"),
    "results": gettext_lazy("成果清单"),
}
CASE_COLUMNS = [
    gettext_lazy("查询码"),
    gettext_lazy("登记日期"),
    gettext_lazy("标题"),
    gettext_lazy("分类"),
    gettext_lazy("联络站"),
    gettext_lazy("状态"),
    gettext_lazy("承办单位"),
    gettext_lazy("评价"),
]
WORK_COLUMNS = [
    gettext_lazy("日期"),
    gettext_lazy("类别"),
    gettext_lazy("地点"),
    gettext_lazy("内容"),
    gettext_lazy("参与人员"),
]
SUGGESTION_COLUMNS = [
    gettext_lazy("日期"),
    gettext_lazy("编号"),
    gettext_lazy("标题"),
    gettext_lazy("状态"),
    gettext_lazy("承办单位"),
    gettext_lazy("代表"),
]


def _texts(labels) -> list[str]:
    """Column headings in the active language (plain strings: the workbook writer takes no lazy text)."""
    return [str(label) for label in labels]


def case_row(case: Case) -> list[str]:
    return [
        case.tracking_code,
        f"{localtime(case.created_at):%Y-%m-%d}",
        mask_personal_data(case.title),
        case.category.name if case.category_id else "",
        case.station.name if case.station_id else "",
        case.get_status_display(),
        case.current_unit.name if case.current_unit_id else "",
        case.get_rating_display() if case.rating else ("未评价办结" if case.closed_unrated else ""),
    ]


def _cases(user, scope, period) -> QuerySet[Case]:
    return (
        scoped_cases(user, scope)
        .filter(periods.created_q(period))
        .select_related("station", "category", "current_unit", "deputy")
        .order_by("-created_at", "-id")
    )


def four_list(user, scope: Scope, period: Period, kind: str, limit: int) -> tuple[list[str], list[list[str]], int]:
    """(columns, rows up to `limit`, total rows) of one of the four lists."""
    if kind not in LISTS:
        raise InvalidInput(_("没有这张清单。"), fields={"list": [_("没有这张清单")]})
    if kind in ("problems", "results"):
        qs = _cases(user, scope, period)
        if kind == "results":
            qs = qs.filter(measure_q("resolved"))
        return _texts(CASE_COLUMNS), [case_row(c) for c in qs[:limit]], qs.count()
    if kind == "work":
        qs = _cases(user, scope, period).filter(channel__in=[Channel.WALK_IN, Channel.VISIT])
        rows = [
            [
                f"{localtime(c.created_at):%Y-%m-%d}",
                "来访接待" if c.channel == Channel.WALK_IN else "代表走访",
                c.station.name if c.station_id else "",
                mask_personal_data(c.title),
                c.deputy.name if c.deputy_id else "",
            ]
            for c in qs[:limit]
        ]
        total = qs.count()
        extra = extensions.work_items(division=scope.division, start=period.start, end=period.end)
        rows += [
            [mask_personal_data(str(r.get(k, ""))) for k in ("date", "kind", "place", "title", "people")] for r in extra
        ]
        rows.sort(key=lambda r: r[0], reverse=True)
        return _texts(WORK_COLUMNS), rows[:limit], total + len(extra)
    extra = extensions.suggestion_items(division=scope.division, start=period.start, end=period.end)
    rows = [
        [mask_personal_data(str(r.get(k, ""))) for k in ("date", "number", "title", "state", "unit", "deputy")]
        for r in extra
    ]
    converted = _cases(user, scope, period).filter(status="converted")
    rows += [
        [
            f"{localtime(c.created_at):%Y-%m-%d}",
            c.tracking_code,
            mask_personal_data(c.title),
            "民意件转代表建议",
            "",
            c.deputy.name if c.deputy_id else "",
        ]
        for c in converted[:limit]
    ]
    return _texts(SUGGESTION_COLUMNS), rows[:limit], len(extra) + converted.count()
