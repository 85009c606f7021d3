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

from django.db.models import Exists, OuterRef, Q, Sum
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
    the viewer may not open (`linkable`: {area: deputies the viewer may open}, checked as EXISTS). One query."""
    path = scope.division.path
    own = Q(active=True) & (Q(stations__division__path__startswith=path) | Q(grids__path__startswith=path))
    flags = {f"link_{area}": Exists(deputies.filter(pk=OuterRef("pk"))) for area, deputies in linkable.items()}
    rows = Deputy.objects.filter(own | Q(pk__in=raised_through)).annotate(**flags).values_list("pk", "name", *flags)
    return {
        pk: (name, {area for area, ok in zip(linkable, opens, strict=True) if not ok})
        for pk, name, *opens in rows.distinct()
    }


def deputy_table(scope: Scope, period: Period, *, list_url, allowed: set[str] | None, user=None) -> DeputyTable:
    """The ranked table (at most COCKPIT_RANKING_SIZE rows). A station's page has none: the rollup is not kept by
    station and a station's deputies are the street's. An area's numbers link only to pages `user` may open: areas in
    `allowed` (None: all) and, where the area says so, deputies the user reaches (extensions.linkable_deputies)."""
    columns = _case_columns()
    if scope.station is not None:
        return DeputyTable(columns, [], "")
    measures = list(DeputyFigure.MEASURES)
    figures = {
        row["deputy_id"]: {m: int(row[f"m_{m}"] or 0) for m in measures}
        for row in DeputyFigure.objects.filter(scope.rows_q())
        .filter(periods.rows_q(period))
        .values("deputy_id")
        .annotate(**{f"m_{m}": Sum(m) for m in measures})
        .order_by()
        if row["deputy_id"] is not None
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
    rows = []
    for deputy_id, (name, closed) in names.items():
        sums = figures.get(deputy_id, dict.fromkeys(measures, 0))
        own = values.get(deputy_id, {})
        cells = [
            Cell("cases", sums["total"], list_url(scope, period, deputy=deputy_id)),
            Cell("visits", sums["visits"], list_url(scope, period, deputy=deputy_id, measure="visits")),
            Cell("qr", sums["qr"], list_url(scope, period, deputy=deputy_id, measure="qr")),
        ]
        for m in area_measures:
            value = own.get(m.key, 0)
            cells.append(Cell(m.key, value, m.url(deputy_id) if m.url and m.source not in closed else ""))
        total = sum(int(c.value or 0) for c, col in zip(cells, columns, strict=True) if col.in_total)
        if total or any(c.value for c in cells):
            rows.append(DeputyRow(deputy_id, name, sums, cells[0].url, cells, total))
    rows.sort(key=lambda r: (-r.total, r.name))
    summed = " + ".join(c.label for c in columns if c.in_total)
    shown = _("、").join(str(c.label) for c in columns if not c.in_total)
    formula = _("按活动合计排序：%(summed)s（%(shown)s只列示，不计入合计）") % {"summed": summed, "shown": shown}
    return DeputyTable(columns, rows[: conf.ranking_size()], formula)
