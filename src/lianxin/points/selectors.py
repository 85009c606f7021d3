"""Reads of the points ledger: a deputy's entries, period totals with caps, the ranking, and the assessment.

The cockpit's hooks (found at run time by lianxin.cockpit.extensions) are at the end: each deputy's points in the
period, linked to the ledger.
Totals apply each rule's cap per period: with a yearly cap, a quarter's share is the capped year-to-date total at
the quarter's end minus the capped total at the previous quarter's end, so four quarters add up to the year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractQuarter
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.duty.enums import ATTENDED_STATES
from lianxin.duty.models import DutyShift
from lianxin.points.enums import Activity, ContestState, EntryState, Grade, Metric, Period
from lianxin.points.models import (
    AssessmentStandard,
    PointsContest,
    PointsEntry,
    PointsPublication,
    PointsRule,
)
from lianxin.points.rules import is_office, ledger_deputies, table_deputies
from lianxin.points.sources import EVIDENCE_LINKS
from lianxin.voters.enums import ReportStatus
from lianxin.voters.models import VoterContact, VoterReport

ZERO = Decimal(0)


def period_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """[start, end) of a quarter (1–4) or of the whole year (0)."""
    if quarter == 0:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end


def is_published(year: int, quarter: int) -> bool:
    return PointsPublication.objects.filter(year=year, quarter=quarter, published=True).exists()


def publications(year: int) -> dict[int, bool]:
    rows = dict(PointsPublication.objects.filter(year=year).values_list("quarter", "published"))
    return {q: rows.get(q, False) for q in range(5)}


def ledger(
    deputy, *, year: int | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[PointsEntry]:
    """A deputy's entries of a year, or of the days [start, end] when either is given (newest first)."""
    entries = PointsEntry.objects.filter(deputy=deputy).select_related("rule").prefetch_related("contests")
    if start is not None or end is not None:
        if start is not None:
            entries = entries.filter(occurred_on__gte=start)
        if end is not None:
            entries = entries.filter(occurred_on__lte=end)
    elif year is not None:
        entries = entries.filter(occurred_on__year=year)
    return entries.order_by("-occurred_on", "-id")


def entries_sum(entries: QuerySet[PointsEntry]) -> Decimal:
    """The points of the entries as listed (no cap applied). One query."""
    return entries.order_by().aggregate(total=Sum("points"))["total"] or ZERO


def evidence_url(entry: PointsEntry) -> str:
    link = EVIDENCE_LINKS.get(entry.evidence_type)
    if link is None:
        return ""
    name, attribute = link
    try:
        return reverse(name, args=[getattr(entry, attribute)])
    except NoReverseMatch:
        return ""


def _clamp(total: Decimal, cap: Decimal | None, points: Decimal) -> Decimal:
    if cap is None:
        return total
    if points < 0:
        return max(total, -cap)
    return min(total, cap)


@dataclass
class Row:
    deputy: object
    total: Decimal = ZERO
    by_activity: dict[str, Decimal] = field(default_factory=dict)
    rank: int | None = None

    def activity(self, key: str) -> Decimal:
        return self.by_activity.get(key, ZERO)


def _contributions(deputy_ids, year: int) -> dict[int, dict[str, list[Decimal]]]:
    """{deputy id: {activity: [points counted in Q1, Q2, Q3, Q4]}} with every cap applied. One query."""
    sums = (
        PointsEntry.objects.filter(deputy_id__in=deputy_ids, state=EntryState.COUNTED, occurred_on__year=year)
        .annotate(quarter=ExtractQuarter("occurred_on"))
        .order_by()
        .values("deputy_id", "activity", "rule_id", "rule__points", "rule__cap", "rule__cap_period", "quarter")
        .annotate(points=Sum("points"))
    )
    grouped: dict[tuple, dict] = defaultdict(lambda: {"quarters": [ZERO] * 4})
    for row in sums:
        key = (row["deputy_id"], row["activity"], row["rule_id"])
        group = grouped[key]
        group["quarters"][row["quarter"] - 1] += row["points"]
        group["cap"], group["period"], group["sign"] = row["rule__cap"], row["rule__cap_period"], row["rule__points"]
    result: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(lambda: [ZERO] * 4))
    for (deputy_id, activity, _rule_id), group in grouped.items():
        quarters, cap, sign = group["quarters"], group["cap"], group["sign"] or ZERO
        out = result[deputy_id][activity]
        if group["period"] == Period.QUARTER:
            for q in range(4):
                out[q] += _clamp(quarters[q], cap, sign)
        else:
            before = ZERO
            running = ZERO
            for q in range(4):
                running += quarters[q]
                capped = _clamp(running, cap, sign)
                out[q] += capped - before
                before = capped
    return result


def table(deputies: QuerySet, *, year: int, quarter: int = 0) -> list[Row]:
    """The ranking of a quarter (1–4) or the year (0): every deputy listed, best first, equal totals share a rank."""
    deputy_list = list(deputies.order_by("code"))
    contributions = _contributions([d.pk for d in deputy_list], year)
    rows = []
    for deputy in deputy_list:
        row = Row(deputy=deputy)
        for activity, quarters in contributions.get(deputy.pk, {}).items():
            value = sum(quarters, ZERO) if quarter == 0 else quarters[quarter - 1]
            if value:
                row.by_activity[activity] = value
                row.total += value
        rows.append(row)
    rows.sort(key=lambda r: (-r.total, r.deputy.code))
    for index, row in enumerate(rows):
        row.rank = rows[index - 1].rank if index and row.total == rows[index - 1].total else index + 1
    return rows


def deputy_totals(deputy, *, year: int) -> dict:
    """{"year": total, "quarters": [Q1..Q4], "by_activity": {activity: year total}} for one deputy."""
    contributions = _contributions([deputy.pk], year).get(deputy.pk, {})
    quarters = [sum((c[q] for c in contributions.values()), ZERO) for q in range(4)]
    return {
        "year": sum(quarters, ZERO),
        "quarters": quarters,
        "by_activity": {a: sum(c, ZERO) for a, c in contributions.items() if sum(c, ZERO)},
    }


def columns(rows: list[Row]) -> list[tuple[str, str]]:
    """The activities that appear in a table, in the order of the Activity choices."""
    present = {key for row in rows for key in row.by_activity}
    return [(value, label) for value, label in Activity.choices if value in present]


def pending_contests(deputies: QuerySet) -> QuerySet[PointsContest]:
    return (
        PointsContest.objects.filter(state=ContestState.PENDING, entry__deputy__in=deputies)
        .select_related("entry", "entry__deputy", "raised_by")
        .order_by("raised_at", "id")
    )


def pending_entries(deputies: QuerySet) -> QuerySet[PointsEntry]:
    return (
        PointsEntry.objects.filter(state=EntryState.PENDING, deputy__in=deputies)
        .select_related("deputy", "rule")
        .order_by("occurred_on", "id")
    )


def current_rules() -> list[PointsRule]:
    return list(PointsRule.objects.filter(active=True).order_by("activity"))


# --- assessment ---------------------------------------------------------------------------------------------


@dataclass
class Assessment:
    deputy: object
    total: Decimal
    grade: str
    standard: AssessmentStandard | None
    counts: dict[str, int]
    shortfalls: list[tuple[str, int, int]]  # (metric label, actual, minimum)
    below_points: bool

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label

    @property
    def falls_short(self) -> bool:
        return self.grade == Grade.FAIL


def _metric_counts(deputy_ids: list[int], year: int) -> dict[str, dict[int, int]]:
    """Per metric, {deputy id: count in the year}. One query per metric."""

    def grouped(qs, key="deputy_id"):
        return dict(qs.order_by().values_list(key).annotate(n=Count("pk")))

    counts = {
        Metric.VOTER_CONTACTS: grouped(VoterContact.objects.filter(deputy_id__in=deputy_ids, contacted_on__year=year)),
        Metric.DUTY_ATTENDED: grouped(
            DutyShift.objects.filter(deputy_id__in=deputy_ids, date__year=year, state__in=ATTENDED_STATES)
        ),
        Metric.VOTER_REPORTS: grouped(
            VoterReport.objects.filter(
                deputy_id__in=deputy_ids,
                held_on__year=year,
                status__in=[ReportStatus.PUBLISHED, ReportStatus.RESULT_PUBLISHED],
            )
        ),
    }
    suggestions = dict(
        PointsEntry.objects.filter(
            deputy_id__in=deputy_ids,
            occurred_on__year=year,
            activity__in=[Activity.SUGGESTION_LEAD, Activity.SUGGESTION_COSIGN],
        )
        .exclude(state__in=[EntryState.VOIDED, EntryState.REJECTED])
        .order_by()
        .values_list("deputy_id")
        .annotate(n=Count("pk"))
    )
    counts[Metric.SUGGESTIONS] = suggestions
    return counts


def _standard_for(deputy, standards: dict[str, AssessmentStandard]) -> AssessmentStandard | None:
    levels = [m.level for m in deputy.mandates.all()]
    for level in levels:
        if level in standards:
            return standards[level]
    return standards.get("")


def assessment(deputies: QuerySet, *, year: int, only_short: bool = False) -> list[Assessment]:
    """Grade every deputy for the year against the standard of their level; with only_short, those who fail."""
    deputies = deputies.prefetch_related("mandates")
    rows = table(deputies, year=year, quarter=0)
    standards = {s.level: s for s in AssessmentStandard.objects.prefetch_related("requirements")}
    counts = _metric_counts([r.deputy.pk for r in rows], year)
    result = []
    for row in rows:
        standard = _standard_for(row.deputy, standards)
        own = {metric: counts[metric].get(row.deputy.pk, 0) for metric in counts}
        shortfalls = []
        below = False
        grade = Grade.PASS
        if standard is not None:
            for requirement in standard.requirements.all():
                actual = own.get(requirement.metric, 0)
                if actual < requirement.minimum:
                    shortfalls.append((requirement.get_metric_display(), actual, requirement.minimum))
            below = row.total < standard.pass_points
            if below or shortfalls:
                grade = Grade.FAIL
            elif row.total >= standard.excellent_points:
                grade = Grade.EXCELLENT
        item = Assessment(row.deputy, row.total, grade, standard, own, shortfalls, below)
        if not only_short or item.falls_short:
            result.append(item)
    return result


def contest_counts(deputy) -> dict[str, int]:
    return dict(
        PointsContest.objects.filter(entry__deputy=deputy).order_by().values_list("state").annotate(n=Count("pk"))
    )


def entries_filter(entries: QuerySet, *, state: str = "") -> QuerySet:
    if state in EntryState.values:
        return entries.filter(state=state)
    if state == "contested":
        return entries.filter(Q(contests__state=ContestState.PENDING)).distinct()
    return entries


# --- the figures of a period, as the viewer may see them --------------------------------------------------------

QUARTER_NAMES = {
    1: gettext_lazy("一季度"),
    2: gettext_lazy("二季度"),
    3: gettext_lazy("三季度"),
    4: gettext_lazy("四季度"),
}


def periods_covering(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """The points periods (year, quarter) a span of days touches, a year whose four quarters it touches as (year, 0).
    Points are capped per quarter or year (never per day), so a span is read as the whole periods it touches."""
    units: list[tuple[int, int]] = []
    for year in range(start.year, end.year + 1):
        first = 1 if year > start.year else (start.month - 1) // 3 + 1
        last = 4 if year < end.year else (end.month - 1) // 3 + 1
        units += [(year, 0)] if (first, last) == (1, 4) else [(year, q) for q in range(first, last + 1)]
    return units


def period_label(units: list[tuple[int, int]]) -> str:
    """ "2026年全年", "2026年一季度、二季度", …; "" for none."""
    parts = []
    for year in sorted({y for y, _q in units}):
        quarters = sorted(q for y, q in units if y == year)
        names = _("全年") if quarters == [0] else _("、").join(str(QUARTER_NAMES[q]) for q in quarters if q)
        parts.append(_("%(year)d年%(names)s") % {"year": year, "names": names})
    return _("；").join(parts)


def may_see_unpublished(user) -> bool:
    """The points page's rule (rules.table_deputies): the office sees every period, everyone else published ones."""
    return user is not None and is_office(user)


@dataclass
class PeriodFigures:
    """The capped points of the periods shown (the same computation as the ranking and the ledger)."""

    units: list[tuple[int, int]]  # the periods shown
    hidden: list[tuple[int, int]]  # the periods touched but not shown to this viewer (unpublished)
    totals: dict[int, Decimal]  # {deputy id: points}; a deputy the viewer may not see is left out

    @property
    def label(self) -> str:
        return period_label(self.units)


def visible_periods(user, start: dt.date, end: dt.date) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(shown, hidden): the periods of [start, end] that `user` may see. The office sees all; anyone else only
    published periods, and of a year not published as a whole only its published quarters. Two queries at most."""
    units = periods_covering(start, end)
    if may_see_unpublished(user):
        return units, []
    years = sorted({y for y, _q in units})
    published = set(PointsPublication.objects.filter(year__in=years, published=True).values_list("year", "quarter"))
    shown, hidden = [], []
    for year, quarter in units:
        if (year, quarter) in published:
            shown.append((year, quarter))
        elif quarter == 0:
            parts = [(year, q) for q in range(1, 5)]
            shown += [u for u in parts if u in published]
            hidden += [u for u in parts if u not in published]
        else:
            hidden.append((year, quarter))
    return shown, hidden


def period_figures(user, deputy_ids, *, start: dt.date, end: dt.date) -> PeriodFigures:
    """Each deputy's capped points over the periods [start, end] touches, as `user` may see them on the points page
    (rules.table_deputies: which periods, and which deputies). One query per year touched, plus the rule's."""
    shown, hidden = visible_periods(user, start, end)
    ids = list(deputy_ids)
    if shown and user is not None and not may_see_unpublished(user):
        ids = list(table_deputies(user, published=True).filter(pk__in=ids).order_by().values_list("pk", flat=True))
    elif shown and user is not None:
        ids = list(table_deputies(user, published=False).filter(pk__in=ids).order_by().values_list("pk", flat=True))
    return PeriodFigures(shown, hidden, capped_points(ids, shown))


def capped_points(deputy_ids, units: list[tuple[int, int]]) -> dict[int, Decimal]:
    """{deputy id: counted points of the periods `units`, each rule's cap applied}: the computation of the ranking
    (table) and the ledger's totals (deputy_totals), summed over the periods. One query per year."""
    ids = list(deputy_ids)
    totals: dict[int, Decimal] = {}
    for year in sorted({y for y, _q in units}):
        quarters = [q for y, q in units if y == year]
        for deputy_id, activities in _contributions(ids, year).items():
            for values in activities.values():
                value = sum(values, ZERO) if 0 in quarters else sum((values[q - 1] for q in quarters), ZERO)
                totals[deputy_id] = totals.get(deputy_id, ZERO) + value
    return totals


# --- the cockpit's hooks ---------------------------------------------------------------------------------------


def cockpit_links_allowed(*, user, division) -> bool:
    """The office over the division opens a deputy's ledger (leaders see only published tables, not ledgers)."""
    return scope_of(user, Role.OFFICE).covers(division)


def cockpit_linkable_deputies(*, user, division):
    """The deputies whose ledger `user` opens (the ledger's own rule, rules.ledger_deputy); unevaluated."""

    return ledger_deputies(user)


def cockpit_deputy_measures(*, division, start, end, user=None) -> list[dict]:
    """The deputies' table's points column: each deputy's points of the periods the cockpit's dates touch, capped
    as the ranking and the ledger cap them (period_figures), only the periods `user` may see (shown, not added to
    the activity total: points weigh the same activities). Linked to the deputy's ledger of those dates, which shows
    the same capped total of the periods they touch (only the office follows the link: it sees every period)."""

    shown, hidden = visible_periods(user, start, end)
    formula = _("积分期间：%(label)s。按积分规则的每期上限封顶，与积分排名和个人积分台账的同期合计一致。") % {
        "label": period_label(shown) or _("无")
    }
    if hidden:
        formula += _("未公布的期间（%(label)s）不显示。") % {"label": period_label(hidden)}
    window = urlencode({"from": start.isoformat(), "to": end.isoformat(), "state": EntryState.COUNTED})
    return [
        {
            "key": "points",
            "label": _("履职积分"),
            "period": period_label(shown) or _("未公布"),
            "formula": formula,
            "in_total": False,
            "url": lambda deputy_id: f"{reverse('points:deputy', args=[deputy_id])}?{window}",
        }
    ]


def cockpit_deputy_activity(*, division, start, end, deputy_ids, user=None) -> dict[int, dict[str, float]]:
    """Per deputy: period_figures (entries have no place: a deputy's points count wherever the deputy is listed)."""
    found = period_figures(user, deputy_ids, start=start, end=end)
    return {deputy_id: {"points": float(points)} for deputy_id, points in found.totals.items() if points}
