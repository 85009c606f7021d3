"""Deputies' activity on the overview (代表履职): per deputy of the division, the matters raised through them (the
DeputyFigure rollup: their QR code, their visits, their registrations) and, from the other areas through
extensions.deputy_activity, duty shifts attended, reception days, voter contacts and performance points in the
period. A fixed number of queries whatever the number of deputies: the rollup, the deputies, one per area.

Which deputies: those stationed at a station or holding a grid in the division's subtree, and any deputy a matter
of the division was raised through. The deputies are ranked by their activity total (the columns marked in_total:
matters + duty shifts attended + voter contacts); reception days (the same days as the shifts) and points are shown
beside it, not added. Every number links to its list where the viewer may open it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from lianxin.cockpit import conf, extensions, periods
from lianxin.cockpit.models import DeputyFigure
from lianxin.cockpit.periods import Period
from lianxin.cockpit.rules import Scope
from lianxin.organisation.models import Deputy


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    formula: str
    in_total: bool
    period: str = ""  # the area's own period when it is not the cockpit's dates (the points: whole quarters/years)


@dataclass
class Cell:
    key: str
    value: object
    url: str = ""


@dataclass
class DeputyRow:
    id: int
    name: str
    sums: dict[str, int]  # the DeputyFigure measures (total, visits, qr, …)
    url: str  # the cases raised through the deputy
    cells: list[Cell] = field(default_factory=list)
    total: int = 0  # the activity total that ranks the deputies

    def value(self, key: str):
        return next((c.value for c in self.cells if c.key == key), 0)


@dataclass
class DeputyTable:
    columns: list[Column]
    rows: list[DeputyRow]
    formula: str


def _case_columns() -> list[Column]:
    return [
        Column("cases", _("民意件"), _("本期经该代表登记、走访或扫代表码反映的民意件"), True),
        Column("visits", _("走访"), _("其中代表走访登记的民意件"), False),
        Column("qr", _("代表码"), _("其中群众扫代表码反映的民意件"), False),
    ]


def _deputies(scope: Scope, raised_through: list[int], linkable: dict) -> dict[int, tuple[str, set[str]]]:
    """The division's deputies and those a matter was raised through, each with the areas whose page of that deputy
    the viewer may not open (`linkable`: {area: deputies the viewer may open}, checked as EXISTS). One query.

    Bounded at any size: the division's stations and grids are found through the two link tables by the subtree's
    division ids (no join of the deputies with their stations and grids, so no DISTINCT over their product), and each
    EXISTS runs once per deputy, by primary key."""
    ids = scope.division_ids
    stationed = Deputy.stations.through.objects.filter(station__division_id__in=ids).order_by().values("deputy_id")
    gridded = Deputy.grids.through.objects.filter(division_id__in=ids).order_by().values("deputy_id")
    raised_q = Deputy.objects.filter(pk__in=raised_through).order_by().values("pk")
    flags = {f"link_{area}": Exists(deputies.filter(pk=OuterRef("pk"))) for area, deputies in linkable.items()}
    # One IN over a UNION ALL, not three INs joined by OR: PostgreSQL cannot look an OR of subqueries up by key.
    rows = Deputy.objects.filter(pk__in=stationed.union(gridded, raised_q, all=True))
    rows = rows.annotate(**flags).order_by().values_list("code", "pk", "name", "active", *flags)
    # A division's own deputies count while in office (active); one a matter was raised through, whatever they are
    # now. Sorted by code here, as deputies are listed everywhere (ties of the ranking keep this order), not by the
    # database, which would walk the code index over every deputy to spare a sort of a few.
    raised = set(raised_through)
    return {
        pk: (name, {area for area, ok in zip(linkable, opens, strict=True) if not ok})
        for _code, pk, name, active, *opens in sorted(rows)
        if active or pk in raised
    }


def deputy_table(scope: Scope, period: Period, *, list_url, allowed: set[str] | None, user=None) -> DeputyTable:
    """The ranked table (at most COCKPIT_RANKING_SIZE rows). A station's page has none: the rollup is not kept by
    station and a station's deputies are the street's. An area's numbers link only to pages `user` may open: areas in
    `allowed` (None: all) and, where the area says so, deputies the user reaches (extensions.linkable_deputies).
    Every deputy is counted and ranked; the links are made for the rows shown only."""
    columns = _case_columns()
    if scope.station is not None:
        return DeputyTable(columns, [], "")
    measures = list(DeputyFigure.MEASURES)
    figures = {
        deputy_id: dict(zip(measures, (int(v or 0) for v in sums), strict=True))
        for deputy_id, *sums in DeputyFigure.objects.filter(scope.rows_q())
        .filter(periods.rows_q(period))
        .values("deputy_id")
        .annotate(**{f"m_{m}": Sum(m) for m in measures})
        .order_by()
        .values_list("deputy_id", *(f"m_{m}" for m in measures))
        if deputy_id is not None
    }
    linkable = extensions.linkable_deputies(user=user, division=scope.division, allowed=allowed)
    names = _deputies(scope, sorted(figures), linkable)
    area_measures, values = extensions.deputy_activity(
        division=scope.division,
        start=period.start,
        end=period.end,
        deputy_ids=sorted(names),
        allowed=allowed,
        user=user,
    )
    columns += [Column(m.key, m.label, m.formula, m.in_total, m.period) for m in area_measures]
    zero = dict.fromkeys(measures, 0)
    ranked = []
    for deputy_id, (name, closed) in names.items():
        sums = figures.get(deputy_id, zero)
        own = values.get(deputy_id, {})
        numbers = [sums["total"], sums["visits"], sums["qr"], *(own.get(m.key, 0) for m in area_measures)]
        total = sum(int(v or 0) for v, col in zip(numbers, columns, strict=True) if col.in_total)
        if total or any(numbers):
            ranked.append((-total, name, deputy_id, closed, sums, numbers))
    ranked.sort(key=lambda r: (r[0], r[1]))
    rows = []
    for minus_total, name, deputy_id, closed, sums, numbers in ranked[: conf.ranking_size()]:
        cells = [
            Cell("cases", numbers[0], list_url(scope, period, deputy=deputy_id)),
            Cell("visits", numbers[1], list_url(scope, period, deputy=deputy_id, measure="visits")),
            Cell("qr", numbers[2], list_url(scope, period, deputy=deputy_id, measure="qr")),
        ]
        for m, value in zip(area_measures, numbers[3:], strict=True):
            cells.append(Cell(m.key, value, m.url(deputy_id) if m.url and m.source not in closed else ""))
        rows.append(DeputyRow(deputy_id, name, dict(sums), cells[0].url, cells, -minus_total))
    summed = " + ".join(c.label for c in columns if c.in_total)
    shown = _("、").join(str(c.label) for c in columns if not c.in_total)
    formula = _("按活动合计排序：%(summed)s（%(shown)s只列示，不计入合计）") % {"summed": summed, "shown": shown}
    return DeputyTable(columns, rows, formula)
