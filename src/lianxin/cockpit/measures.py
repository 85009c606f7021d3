"""What each figure counts: one Q over Case per measure, shared by the rollup job and the list behind a number.

Because the rollup counts `Count("pk", filter=MEASURES[name])` and the drill-down list filters with the same
`MEASURES[name]`, a number and the list it links to can never disagree on what they count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lianxin.cases.enums import DONE_STATES, OPEN_STATES, Channel, Light, Rating, Status

# Status groups: the same groups as the case queue's tabs (cases.selectors.LOOP_TABS), so a group's number
# links to the queue tab of the same name.
STATUS_GROUPS: dict[str, tuple[str, frozenset[str]]] = {
    "to_acknowledge": (_("待回应"), frozenset({Status.REGISTERED})),
    "to_dispatch": (
        _("待交办"),
        frozenset({Status.ACKNOWLEDGED, Status.ESCALATED, Status.RETURNED, Status.REOPENED}),
    ),
    "handling": (_("办理中"), frozenset({Status.DISPATCHED, Status.CLAIMED})),
    "to_feed_back": (_("待反馈"), frozenset({Status.REPLIED, Status.RESOLVED})),
    "to_rate": (_("待评价"), frozenset({Status.FED_BACK})),
    "done": (_("已办结"), frozenset(DONE_STATES)),
}

ANSWERED = Q(replied_at__isnull=False) | Q(resolved_at__isnull=False)
GOOD_RATING = Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED])


def _status(statuses) -> Q:
    return Q(status__in=sorted(str(s) for s in statuses))


# name -> Q over Case (None: every case). The order is the column order of the rollup tables.
CASE_MEASURES: dict[str, Q | None] = {
    "total": None,
    **{f"s_{key}": _status(statuses) for key, (_label, statuses) in STATUS_GROUPS.items()},
    "open": _status(OPEN_STATES),
    "declined": Q(status=Status.DECLINED),
    "converted": Q(status=Status.CONVERTED),
    **{f"ch_{channel}": Q(channel=channel) for channel in Channel.values},
    "acknowledged": Q(acknowledged_at__isnull=False),
    "ack_on_time": Q(acknowledged_at__isnull=False, ack_due_at__isnull=False, acknowledged_at__lte=F("ack_due_at")),
    "assigned": Q(dispatched_at__isnull=False),
    "replied": Q(dispatched_at__isnull=False, replied_at__isnull=False),
    "replied_on_time": Q(
        dispatched_at__isnull=False,
        replied_at__isnull=False,
        handle_due_at__isnull=False,
        replied_at__lte=F("handle_due_at"),
    ),
    "answered": ANSWERED,
    "resolved": ANSWERED & (GOOD_RATING | (Q(resolved_at__isnull=False) & ~Q(rating=Rating.UNSATISFIED))),
    "rated": ~Q(rating=""),
    "satisfied": Q(rating=Rating.SATISFIED),
    "basically_satisfied": Q(rating=Rating.BASICALLY_SATISFIED),
    "unsatisfied": Q(rating=Rating.UNSATISFIED),
    "closed_unrated": Q(closed_unrated=True),
}

UNIT_MEASURES: dict[str, Q | None] = {
    "assigned": CASE_MEASURES["assigned"],
    "replied": CASE_MEASURES["replied"],
    "replied_on_time": CASE_MEASURES["replied_on_time"],
    "returned": Q(return_count__gt=0),
    "rated": CASE_MEASURES["rated"],
    "satisfied": CASE_MEASURES["satisfied"],
    "basically_satisfied": CASE_MEASURES["basically_satisfied"],
    "unsatisfied": CASE_MEASURES["unsatisfied"],
}

DEPUTY_MEASURES: dict[str, Q | None] = {
    "total": None,
    "visits": Q(channel=Channel.VISIT),
    "qr": Q(channel=Channel.QR_DEPUTY),
    "acknowledged": CASE_MEASURES["acknowledged"],
    "ack_on_time": CASE_MEASURES["ack_on_time"],
    "rated": CASE_MEASURES["rated"],
    "satisfied": CASE_MEASURES["satisfied"],
    "basically_satisfied": CASE_MEASURES["basically_satisfied"],
}

PLACE_MEASURES: dict[str, Q | None] = {"total": None, "open": CASE_MEASURES["open"]}

# Live, current-state measures (not per day of registration): the overdue snapshot.
LIVE_MEASURES: dict[str, Q] = {
    "overdue": Q(light=Light.RED) & _status(OPEN_STATES),
    "near_due": Q(light=Light.YELLOW) & _status(OPEN_STATES),
}

MEASURE_LABELS = {
    "total": _("受理件数"),
    **{f"s_{key}": label for key, (label, _statuses) in STATUS_GROUPS.items()},
    "open": _("在办"),
    "declined": _("不予受理"),
    "converted": _("转代表建议"),
    **{f"ch_{value}": label for value, label in Channel.choices},
    "acknowledged": _("已回应"),
    "ack_on_time": _("24小时内回应"),
    "assigned": _("已交办"),
    "replied": _("已办复"),
    "replied_on_time": _("按期办复"),
    "answered": _("已答复"),
    "resolved": _("已解决"),
    "rated": _("已评价"),
    "satisfied": _("满意"),
    "basically_satisfied": _("基本满意"),
    "satisfied_incl": _("满意（含基本满意）"),
    "unsatisfied": _("不满意"),
    "closed_unrated": _("未评价办结"),
    "returned": _("曾退回"),
    "visits": _("走访"),
    "qr": _("代表码来件"),
    "overdue": _("超期"),
    "near_due": _("临期"),
}

# Lists behind a figure that no rollup column counts on its own (the rollups count its parts).
LIST_ONLY_MEASURES: dict[str, Q] = {"satisfied_incl": GOOD_RATING}

LIST_MEASURES = {**CASE_MEASURES, **UNIT_MEASURES, **DEPUTY_MEASURES, **LIVE_MEASURES, **LIST_ONLY_MEASURES}


def measure_q(name: str) -> Q:
    q = LIST_MEASURES[name]
    return Q() if q is None else q


@dataclass(frozen=True)
class Rate:
    """A rate with its parts and the formula shown on hover."""

    key: str
    label: Any  # a lazy translation: str() it where a plain string is needed
    numerator: int
    denominator: int
    formula: Any
    numerator_measure: str = ""
    denominator_measure: str = ""

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100.0 * self.numerator / self.denominator, 1)

    @property
    def display(self) -> str:
        value = self.percent
        return "—" if value is None else f"{value:.1f}%"


# key, label, formula, numerator measure, denominator measure (labels stay lazy: translated when shown)
RATE_DEFS = [
    ("ack_rate", _("24小时回应率"), _("时限内回应件数 ÷（受理件数 − 尚在时限内未回应件数）"), "ack_on_time", "total"),
    ("answer_rate", _("办复率"), _("已办复件数 ÷ 交办件数"), "replied", "assigned"),
    (
        "resolve_rate",
        _("解决率"),
        _("已解决件数 ÷ 已答复件数（已解决：就地解决且未评不满意，或评价为满意/基本满意）"),
        "resolved",
        "answered",
    ),
    ("satisfaction", _("满意率"), _("满意件数 ÷ 已评价件数（未评价办结不计入）"), "satisfied", "rated"),
    (
        "satisfaction_incl",
        _("满意率（含基本满意）"),
        _("（满意 + 基本满意）÷ 已评价件数（未评价办结不计入）"),
        "satisfied_incl",
        "rated",
    ),
    ("on_time_rate", _("按期办复率"), _("办理时限内答复件数 ÷ 已办复件数"), "replied_on_time", "replied"),
]


def case_rates(sums: dict[str, int], *, ack_waiting: int = 0) -> list[Rate]:
    """The rates of domain.md section 7 from summed counts. `ack_waiting`: matters still inside their
    acknowledgement window and not yet answered (not counted as late)."""
    rates = []
    for key, label, formula, numerator, denominator in RATE_DEFS:
        if key == "satisfaction_incl":
            top = sums.get("satisfied", 0) + sums.get("basically_satisfied", 0)
        else:
            top = sums.get(numerator, 0)
        bottom = sums.get(denominator, 0)
        if key == "ack_rate" and ack_waiting:
            bottom = max(bottom - ack_waiting, 0)
            denominator = ""  # no single list holds exactly these cases
        rates.append(Rate(key, label, top, bottom, formula, numerator, denominator))
    return rates
