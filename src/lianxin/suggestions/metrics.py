"""Metrics of suggestion handling (domain.md §7): counts are stored facts, rates are computed here and every
rate carries its formula, shown on screen. Also the progress bulletin (进度通报) per unit, exportable to Excel."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.cases.enums import Rating
from lianxin.suggestions import conf
from lianxin.suggestions.enums import AssignmentState, UnitRole
from lianxin.suggestions.models import Assignment

GROUPS = {"unit": _("承办单位"), "deputy": _("领衔代表"), "category": _("分类"), "period": _("月份")}
FORMULAS = [
    ("answered_rate", _("办复率"), _("已答复件数 ÷ 交办件数")),
    ("satisfied_rate", _("满意率"), _("满意件数 ÷ 已评价件数")),
    ("satisfied_wide_rate", _("满意率（含基本满意）"), _("（满意 + 基本满意）÷ 已评价件数")),
    ("solved_rate", _("解决率（A）"), _("A类件数 ÷ 已答复件数")),
    ("solved_wide_rate", _("解决率（A+B）"), _("（A类 + B类）÷ 已答复件数")),
    ("on_time_rate", _("按期办复率"), _("期限内答复件数 ÷ 已答复件数")),
    ("signed_on_time_rate", _("按期签收率"), _("期限内签收件数 ÷ 已签收件数（仅按单位统计）")),
]
# The suggestions each rate counts, as (numerator, denominator) outcomes of outcome_q; "assigned" is every
# suggestion handed to units (round ≥ 1), the base of all of them.
RATE_OUTCOMES = {
    "answered_rate": ("answered", "assigned"),
    "satisfied_rate": ("satisfied", "rated"),
    "satisfied_wide_rate": ("satisfied_wide", "rated"),
    "solved_rate": ("solved", "answered"),
    "solved_wide_rate": ("solved_wide", "answered"),
}
OUTCOME_LABELS = {
    "assigned": _("已交办"),
    "answered": _("已答复"),
    "solved": _("A类（已解决）"),
    "solved_wide": _("A类或B类"),
    "rated": _("已评价"),
    "satisfied": _("满意"),
    "satisfied_wide": _("满意或基本满意"),
}


def resolution_codes() -> tuple[set[str], set[str]]:
    """(codes counted as solved 'A', codes of 'A+B'): solved categories, plus the first open one."""
    cats = conf.answer_categories()
    solved = {c.code for c in cats if c.solved}
    wide = set(solved)
    first_open = next((c.code for c in cats if c.stays_open), None)
    if first_open:
        wide.add(first_open)
    return solved, wide


@dataclass
class Row:
    key: str
    label: str
    assigned: int = 0
    answered: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    basically: int = 0
    solved: int = 0
    solved_wide: int = 0
    signed: int = 0
    signed_on_time: int = 0
    rates: dict[str, float | None] = field(default_factory=dict)
    enough: bool = True

    def finish(self, minimum: int) -> Row:
        def rate(num: int, den: int) -> float | None:
            return round(num * 100 / den, 1) if den else None

        self.rates = {
            "answered_rate": rate(self.answered, self.assigned),
            "satisfied_rate": rate(self.satisfied, self.rated),
            "satisfied_wide_rate": rate(self.satisfied + self.basically, self.rated),
            "solved_rate": rate(self.solved, self.answered),
            "solved_wide_rate": rate(self.solved_wide, self.answered),
            "on_time_rate": rate(self.on_time, self.answered),
            "signed_on_time_rate": rate(self.signed_on_time, self.signed),
        }
        self.enough = self.assigned >= minimum
        return self


def outcome_q(name: str) -> Q:
    """The suggestions counted by one outcome (the same rules as _count below; the cockpit's figures count with
    these and the suggestion list filters with them, so a figure and its list cannot disagree). KeyError if unknown.
    """
    solved, wide = resolution_codes()
    answered = Q(answered_at__isnull=False)
    rated_as = lambda ratings: Q(rating__in=ratings) | Q(rating="", first_rating__in=ratings)  # noqa: E731
    return {
        "assigned": Q(round__gte=1),
        "answered": answered,
        "solved": answered & Q(answer_category__in=sorted(solved)),
        "solved_wide": answered & Q(answer_category__in=sorted(wide)),
        "rated": ~Q(rating="") | ~Q(first_rating=""),
        "satisfied": rated_as([Rating.SATISFIED]),
        "satisfied_wide": rated_as([Rating.SATISFIED, Rating.BASICALLY_SATISFIED]),
    }[name]


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _count(row: Row, s: dict, solved: set[str], wide: set[str]) -> None:
    row.assigned += 1
    if s["answered_at"]:
        row.answered += 1
        row.on_time += bool(s["answered_on_time"])
        row.solved += s["answer_category"] in solved
        row.solved_wide += s["answer_category"] in wide
    rating = s["rating"] or s["first_rating"]
    if rating:
        row.rated += 1
        row.satisfied += rating == Rating.SATISFIED
        row.basically += rating == Rating.BASICALLY_SATISFIED


def metrics(suggestions, group: str, start: dt.date, end: dt.date) -> list[Row]:
    """Rows per unit, deputy, category or month for suggestions first assigned in [start, end]; two queries.

    Rows below the minimum sample are kept but marked and sorted last (a ranking needs a sample).
    """
    if group not in GROUPS:
        raise ValueError(group)
    lo, hi = _bounds(start, end)
    fields = (
        "pk",
        "answered_at",
        "answered_on_time",
        "answer_category",
        "rating",
        "first_rating",
        "lead_deputy_id",
        "lead_deputy__name",
        "category_id",
        "category__name",
        "accepted_at",
    )
    rows_by_pk = {
        s["pk"]: s
        for s in suggestions.filter(
            round__gte=1, assignments__round=1, assignments__assigned_at__gte=lo, assignments__assigned_at__lt=hi
        )
        .distinct()
        .values(*fields)
    }
    solved, wide = resolution_codes()
    rows: dict[str, Row] = {}
    if group == "unit":
        parts = Assignment.objects.filter(
            suggestion_id__in=list(rows_by_pk), role__in=[UnitRole.LEAD, UnitRole.SPLIT]
        ).values("suggestion_id", "unit_id", "unit__name", "signed_at", "sign_due_at")
        seen = set()
        for part in parts:
            row = rows.setdefault(str(part["unit_id"]), Row(str(part["unit_id"]), part["unit__name"]))
            if part["signed_at"]:
                row.signed += 1
                row.signed_on_time += part["signed_at"] <= part["sign_due_at"]
            if (part["unit_id"], part["suggestion_id"]) in seen:
                continue
            seen.add((part["unit_id"], part["suggestion_id"]))
            _count(row, rows_by_pk[part["suggestion_id"]], solved, wide)
    else:
        first_assigned = {}
        if group == "period":
            for a in Assignment.objects.filter(suggestion_id__in=list(rows_by_pk), round=1).values(
                "suggestion_id", "assigned_at"
            ):
                first_assigned.setdefault(a["suggestion_id"], a["assigned_at"])
        for pk, s in rows_by_pk.items():
            if group == "deputy":
                key, label = str(s["lead_deputy_id"]), s["lead_deputy__name"] or "—"
            elif group == "category":
                key, label = str(s["category_id"]), s["category__name"] or "未分类"
            else:
                month = timezone.localtime(first_assigned[pk]).strftime("%Y-%m")
                key, label = month, month
            _count(rows.setdefault(key, Row(key, label)), s, solved, wide)
    minimum = conf.ranking_min_sample()
    result = [row.finish(minimum) for row in rows.values()]
    if group == "period":
        return sorted(result, key=lambda r: r.key)
    return sorted(result, key=lambda r: (not r.enough, -(r.rates["answered_rate"] or 0), r.label))


# --- progress bulletin (进度通报) -------------------------------------------------------------------------

BULLETIN_COLUMNS = [
    ("unit", "承办单位"),
    ("assigned", "交办件数"),
    ("signed", "已签收"),
    ("signed_late", "超期签收"),
    ("returned", "退回"),
    ("answered", "已答复"),
    ("answered_on_time", "按期答复"),
    ("open", "未答复"),
    ("overdue", "超期未答复"),
    ("urges", "催办次数"),
    ("second_round", "其中二次交办"),
]


def bulletin(suggestions, start: dt.date, end: dt.date, now=None) -> list[dict]:
    """Progress per unit of the parts assigned in [start, end] (lead, co and split), one query."""
    now = now or timezone.now()
    lo, hi = _bounds(start, end)
    parts = (
        Assignment.objects.filter(suggestion__in=suggestions.values("pk"), assigned_at__gte=lo, assigned_at__lt=hi)
        .values(
            "unit_id",
            "unit__name",
            "state",
            "signed_at",
            "sign_due_at",
            "answered_at",
            "answer_due_at",
            "role",
            "round",
            "suggestion__urge_count",
        )
        .order_by("unit__name")
    )
    rows: dict[int, dict] = defaultdict(lambda: {key: 0 for key, _label in BULLETIN_COLUMNS})
    for p in parts:
        row = rows[p["unit_id"]]
        row["unit"] = p["unit__name"]
        row["assigned"] += 1
        row["signed"] += p["signed_at"] is not None
        row["signed_late"] += p["signed_at"] is not None and p["signed_at"] > p["sign_due_at"]
        row["returned"] += p["state"] == AssignmentState.RETURNED
        answers = p["role"] != UnitRole.CO
        if answers and p["answered_at"]:
            row["answered"] += 1
            row["answered_on_time"] += p["answered_at"] <= p["answer_due_at"]
        elif answers and p["state"] in (AssignmentState.PENDING, AssignmentState.SIGNED):
            row["open"] += 1
            row["overdue"] += now > p["answer_due_at"]
        row["urges"] += p["suggestion__urge_count"]
        row["second_round"] += p["round"] >= 2
    return sorted(rows.values(), key=lambda r: (-r["overdue"], r["unit"]))


def bulletin_xlsx(rows: list[dict], start: dt.date, end: dt.date) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 — openpyxl is heavy and only the workbook import/export needs it

    book = Workbook()
    sheet = book.active
    sheet.title = "进度通报"
    sheet.append([f"代表建议办理进度通报（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）"])
    sheet.append([label for _key, label in BULLETIN_COLUMNS])
    for row in rows:
        sheet.append([row[key] for key, _label in BULLETIN_COLUMNS])
    sheet.column_dimensions["A"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return dt.date(today.year, 1, 1), today
