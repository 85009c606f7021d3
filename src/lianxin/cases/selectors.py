"""Reads for the work screens: the queue with its tabs and filters, and the pieces of a case's detail page.

Every read starts from `rules.visible_cases(user)`, so a forgotten filter can never widen what a user sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.accounts.selectors import user_deputy, user_roles
from lianxin.audit.models import AuditEntry
from lianxin.cases import deadlines
from lianxin.cases.enums import DONE_STATES, OPEN_STATES, TRIAGE_STATES, Light, Status
from lianxin.cases.labels import event_message
from lianxin.cases.models import Case, Dispatch, ExtensionRequest
from lianxin.cases.rules import visible_cases
from lianxin.organisation.models import Division, Station


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    statuses: frozenset[str] | None  # None: every status
    mine_only: bool = False  # a handling unit's tabs show only what its unit holds now
    by_due: bool = True  # work tabs sort by the running deadline


def _tab(key, label, statuses, **kwargs) -> Tab:
    return Tab(key, label, None if statuses is None else frozenset(str(s) for s in statuses), **kwargs)


# Status groups of the case loop; the same groups serve deputies, stations and the office.
LOOP_TABS = [
    _tab("to_acknowledge", _("待回应"), {Status.REGISTERED}),
    _tab("to_dispatch", _("待交办"), TRIAGE_STATES),
    _tab("handling", _("办理中"), {Status.DISPATCHED, Status.CLAIMED}),
    _tab("to_feed_back", _("待反馈"), {Status.REPLIED, Status.RESOLVED}),
    _tab("to_rate", _("待评价"), {Status.FED_BACK}),
    _tab("done", _("已办结"), DONE_STATES, by_due=False),
    _tab("all", _("全部"), None, by_due=False),
]
UNIT_TABS = [
    _tab("to_claim", _("待签收"), {Status.DISPATCHED}, mine_only=True),
    _tab("claimed", _("办理中"), {Status.CLAIMED}, mine_only=True),
    _tab("replied", _("已答复"), {Status.REPLIED}, mine_only=True, by_due=False),
    _tab("all", _("全部"), None, by_due=False),
]
# The role that decides the screen when a user holds several, and its default tab.
ROLE_ORDER = [Role.OFFICE, Role.STATION, Role.UNIT, Role.DEPUTY, Role.LEADER]
DEFAULT_TAB = {
    Role.OFFICE: "all",
    Role.LEADER: "all",
    Role.STATION: "to_dispatch",
    Role.DEPUTY: "to_acknowledge",
    Role.UNIT: "to_claim",
}


def queue_role(user) -> str | None:
    """The role whose queue the user sees, or None when they have no case work at all."""
    roles = user_roles(user)
    for role in ROLE_ORDER:
        if role in roles:
            return role
    return None


def queue_tabs(role: str) -> list[Tab]:
    return UNIT_TABS if role == Role.UNIT else LOOP_TABS


@dataclass
class QueueFilters:
    """Cleaned filters of the queue (see forms_work.QueueFilterForm)."""

    tab: str = ""
    light: str = ""
    channel: str = ""
    station_id: int | None = None
    unit_id: int | None = None
    category_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    spam: str = ""  # "": spam hidden; "only": only cases marked as spam; "all": both


def _unit_ids(user) -> list[int]:
    return list(scope_of(user, Role.UNIT).unit_ids)


def _filtered(user, filters: QueueFilters) -> QuerySet[Case]:
    """Visible cases narrowed by every filter except the tab."""
    qs = visible_cases(user)
    if filters.light:
        qs = qs.filter(light=filters.light)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.station_id:
        qs = qs.filter(station_id=filters.station_id)
    if filters.unit_id:
        qs = qs.filter(current_unit_id=filters.unit_id)
    if filters.category_id:
        cid = filters.category_id
        qs = qs.filter(Q(category_id=cid) | Q(category__parent_id=cid) | Q(category__parent__parent_id=cid))
    tz = timezone.get_current_timezone()
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz)
        qs = qs.filter(created_at__gte=start)
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(created_at__lt=end)
    if filters.q:
        qs = qs.filter(Q(tracking_code__icontains=filters.q) | Q(title__icontains=filters.q))
    if filters.spam == "only":
        qs = qs.filter(spam=True)
    elif filters.spam != "all":
        qs = qs.filter(spam=False)
    return qs


def _tab_q(user, tab: Tab) -> Q:
    q = Q()
    if tab.statuses is not None:
        q &= Q(status__in=sorted(tab.statuses))
    if tab.mine_only:
        q &= Q(current_unit_id__in=_unit_ids(user))
    return q


def tab_counts(user, filters: QueueFilters, tabs: list[Tab]) -> dict[str, int]:
    """How many cases each tab holds under the other filters: one aggregate query."""
    qs = _filtered(user, filters)
    return qs.aggregate(**{tab.key: Count("pk", filter=_tab_q(user, tab)) for tab in tabs})


def case_list(user, filters: QueueFilters, tab: Tab | None = None) -> QuerySet[Case]:
    """The queue's rows: visible, filtered, in one query with everything a row shows."""
    qs = _filtered(user, filters)
    if tab is not None:
        qs = qs.filter(_tab_q(user, tab))
    qs = qs.select_related("station", "deputy", "current_unit", "category", "division")
    if tab is not None and tab.by_due:
        return qs.order_by(F("due_at").asc(nulls_last=True), "created_at", "id")
    return qs.order_by("-created_at", "-id")


def countdown_hours(due: dt.datetime | None, now: dt.datetime | None = None) -> int | None:
    """Whole hours left until `due` (negative when overdue, rounded away from zero); None without a deadline."""
    if due is None:
        return None
    now = now or timezone.now()
    seconds = (due - now).total_seconds()
    hours = int(abs(seconds) // 3600) + (1 if abs(seconds) % 3600 else 0)
    return hours if seconds >= 0 else -hours


# --- Detail ---------------------------------------------------------------------------------------


def division_path(division: Division | None) -> list[Division]:
    """The division and its ancestors, district first (one query)."""
    if division is None:
        return []
    return list(Division.objects.filter(pk__in=[*division.ancestor_ids(), division.pk]).order_by("path"))


@dataclass
class Deadline:
    label: str
    start: dt.datetime | None
    due: dt.datetime | None
    done_at: dt.datetime | None
    light: str

    @property
    def on_time(self) -> bool | None:
        if self.done_at is None or self.due is None:
            return None
        return self.done_at <= self.due


def case_deadlines(case: Case, now: dt.datetime | None = None) -> list[Deadline]:
    """The acknowledgement, claim and handling deadlines with their lights (a finished clock has no light)."""
    now = now or timezone.now()
    rows = [
        (_("回应时限"), case.created_at, case.ack_due_at, case.acknowledged_at),
        (_("签收时限"), case.dispatched_at, case.claim_due_at, case.claimed_at),
        (_("办理时限"), case.dispatched_at, case.handle_due_at, case.replied_at),
    ]
    result = []
    for label, start, due, done in rows:
        if due is None:
            continue
        light = Light.NONE if done is not None or case.status in DONE_STATES else deadlines.light_for(start, due, now)
        result.append(Deadline(str(label), start, due, done, str(light)))
    return result


def case_dispatches(case: Case) -> list[Dispatch]:
    return list(case.dispatches.select_related("unit", "dispatched_by").order_by("id"))


def case_extensions(case: Case) -> list[ExtensionRequest]:
    return list(case.extension_requests.select_related("dispatch__unit", "requested_by", "decided_by").order_by("id"))


def case_timeline(case: Case) -> list[AuditEntry]:
    """Every audit entry of the case, public and internal, oldest first; `text` is what each says, in the active
    language (the system's sentence rendered from the data, a person's words as written)."""
    entries = list(
        AuditEntry.objects.filter(subject_type="case", subject_id=case.pk).select_related("actor").order_by("id")
    )
    for entry in entries:
        entry.text = event_message(entry.action, entry.data, entry.message, tracking_code=case.tracking_code)
    return entries


def case_present_deputies(case: Case):
    return list(case.deputies_present.order_by("code"))


# --- Walk-in and visit choices ----------------------------------------------------------------------


def walk_in_stations(user) -> QuerySet[Station]:
    """Stations a user may register walk-ins for: their own as station staff, their subtree as office."""
    q = scope_of(user, Role.OFFICE, Role.STATION).q(division="division", station="pk")
    if q is None:
        return Station.objects.none()
    return Station.objects.filter(q, active=True).select_related("division").order_by("code")


def visit_grids(user) -> QuerySet[Division]:
    deputy = user_deputy(user)
    if deputy is None:
        return Division.objects.none()
    return deputy.grids.order_by("path")


# --- Operations (lianxin/ops/metrics.py reads these at every scrape; system-wide, not scoped to a user) ---------


def case_counts_by_channel() -> dict[str, int]:
    """Every case ever registered, by channel: the intakes counter of the metrics (it survives restarts)."""
    return dict(Case.objects.order_by().values_list("channel").annotate(n=Count("id")).values_list("channel", "n"))


def open_case_lights_by_level() -> dict[tuple[str, str], int]:
    """Open cases whose light is red (overdue) or yellow (near due), by the level that holds them now (the kind of
    their handling division: grid, community, street, district; "" when none is set)."""
    rows = (
        Case.objects.filter(status__in=OPEN_STATES, light__in=[Light.RED, Light.YELLOW])
        .order_by()
        .values_list("light", "handling_division__kind")
        .annotate(n=Count("id"))
    )
    return {(light, level or ""): n for light, level, n in rows}


# --- Routing suggestions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestionUptake:
    days: int
    dispatches: int  # dispatches in the window that had a suggestion
    taken: int  # of those, how many went to the suggested unit

    @property
    def percent(self) -> int | None:
        return round(100 * self.taken / self.dispatches) if self.dispatches else None


def suggestion_uptake(*, days: int = 30, division: Division | None = None, now=None) -> SuggestionUptake:
    """How often the dispatchers took the routing rules' suggestion (建议采纳率) over the last `days` days, for the
    cases in `division`'s subtree (all when None); dispatches without a suggestion do not count."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    rows = Dispatch.objects.filter(dispatched_at__gte=since, suggestion_taken__isnull=False)
    if division is not None:
        # The dispatches by their index, each case looked up by its key: joined to the cases instead, the planner
        # may walk every case of the subtree (the whole table for a district).
        subtree = Division.objects.filter(path__startswith=division.path).values("pk")
        rows = rows.filter(Exists(Case.objects.filter(pk=OuterRef("case_id"), division_id__in=subtree)))
    counts = rows.aggregate(total=Count("id"), taken=Count("id", filter=Q(suggestion_taken=True)))
    return SuggestionUptake(days=days, dispatches=counts["total"], taken=counts["taken"])


def suggestion_uptake_by_unit(*, days: int = 30, now=None) -> dict:
    """The uptake of the routing suggestion per suggested unit over the last `days` days (for the routing rules on
    the registry page; registered there in CasesConfig.ready): {"overall": SuggestionUptake, "units": [{"unit",
    "dispatches", "taken", "percent"}]}, most suggested first. One query for the units, one for the total."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    rows = (
        Dispatch.objects.filter(dispatched_at__gte=since, suggestion_taken__isnull=False, suggested_unit__isnull=False)
        .values("suggested_unit_id", "suggested_unit__name")
        .annotate(total=Count("id"), taken=Count("id", filter=Q(suggestion_taken=True)))
        .order_by("-total", "suggested_unit__name")
    )
    units = [
        {
            "unit": row["suggested_unit__name"],
            "dispatches": row["total"],
            "taken": row["taken"],
            "percent": round(100 * row["taken"] / row["total"]),
        }
        for row in rows
    ]
    return {"overall": suggestion_uptake(days=days, now=now), "units": units}


# The suggestion a case was converted into lives in the suggestions app (above this one): it registers, when Django
# starts (SuggestionsConfig.ready), the read that says whether a user may open it, so the case screen links to the
# draft without cases importing that app. Unregistered, a converted case shows no link (fails closed).
_suggestion_linker: Callable[..., dict | None] | None = None


def register_suggestion_linker(linker: Callable[..., dict | None]) -> None:
    """Set `linker(user=, suggestion_id=) -> {"id", "url", "number", "title", "state", "state_label"} | None`."""
    global _suggestion_linker
    _suggestion_linker = linker


def case_suggestion_link(*, user, case: Case) -> dict | None:
    """The suggestion `case` was converted into, when `user` may open it (None otherwise, or when not converted)."""
    if case.suggestion_id is None or _suggestion_linker is None:
        return None
    return _suggestion_linker(user=user, suggestion_id=case.suggestion_id)
