"""Reads of the duty area: the month calendar, a station's next reception days, the directory, the register."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import CharField, Count, Prefetch, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.selectors import user_memberships
from lianxin.cases.models import Case
from lianxin.duty import conf
from lianxin.duty.enums import ATTENDED_STATES, ShiftState, SwapState
from lianxin.duty.models import DutyShift, Reception, ShiftSwap, Unavailability
from lianxin.duty.rules import managed_stations
from lianxin.duty.schedule import reception_days
from lianxin.events.selectors import upcoming_events_for_station
from lianxin.organisation.enums import ReceptionRule, StationKind
from lianxin.organisation.labels import reception_rule_text, weekday_label
from lianxin.organisation.models import Deputy, Station
from lianxin.workdays.services import is_working_day


def public_name(deputy: Deputy) -> str:
    """A deputy's name on public pages only if they agreed to a public profile."""
    return deputy.name if deputy.public else _("人大代表")


def holiday_policy_text(station: Station) -> str:
    if station.reception_rule == ReceptionRule.MONTHLY:
        return _("接待日遇周末或节假日照常接待（不见不散）；如有调整，以下方公布的值班安排为准。")
    if station.reception_rule == ReceptionRule.WEEKLY:
        return _("接待日遇法定节假日顺延至下周；如有调整，以下方公布的值班安排为准。")
    return ""


# --- Month calendar (work screen) ---------------------------------------------------------------------------


@dataclass
class CalendarDay:
    date: dt.date
    in_month: bool
    working: bool
    reception_day: bool
    shifts: list[DutyShift] = field(default_factory=list)


def _shifts_and_rule_days(
    station: Station, first: dt.date, last: dt.date
) -> tuple[dict[dt.date, list[DutyShift]], set[dt.date]]:
    """The station's shifts by day (with their deputies, in time order: one query) and its reception days by its
    rule, from `first` to `last`."""
    shifts: dict[dt.date, list[DutyShift]] = defaultdict(list)
    rows = DutyShift.objects.filter(station=station, date__range=(first, last)).select_related("deputy")
    for shift in rows.order_by("date", "starts_at", "id"):
        shifts[shift.date].append(shift)
    rule_days = set(
        reception_days(
            rule=station.reception_rule,
            weekday=station.reception_weekday,
            monthday=station.reception_monthday,
            start=first,
            end=last,
            is_working_day=is_working_day,
        )
    )
    return shifts, rule_days


def month_calendar(station: Station, year: int, month: int) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month with each day's shifts: one query."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    shifts, rule_days = _shifts_and_rule_days(station, weeks[0][0], weeks[-1][-1])
    return [
        [
            CalendarDay(day, day.month == month, is_working_day(day), day in rule_days, shifts.get(day, []))
            for day in week
        ]
        for week in weeks
    ]


@dataclass
class YearMonth:
    first: dt.date
    days: list[CalendarDay]  # reception days by the rule and days with shifts, in order

    @property
    def shift_count(self) -> int:
        return sum(len(d.shifts) for d in self.days)


def year_roster(station: Station, year: int) -> list[YearMonth]:
    """The roster of a whole year (it is planned for a year), month by month: each reception day of the station's
    rule and each day that has shifts, with its deputies: one query."""
    shifts, rule_days = _shifts_and_rule_days(station, dt.date(year, 1, 1), dt.date(year, 12, 31))
    months = [YearMonth(dt.date(year, m, 1), []) for m in range(1, 13)]
    for day in sorted(rule_days | set(shifts)):
        months[day.month - 1].days.append(CalendarDay(day, True, is_working_day(day), day in rule_days, shifts[day]))
    return months


def attendance_summary(station: Station, start: dt.date, end: dt.date) -> list[dict]:
    """Per deputy: shifts, present, late, absent in the period (one query)."""
    rows = (
        DutyShift.objects.filter(station=station, date__range=(start, end))
        .values("deputy_id", "deputy__name", "deputy__code")
        .annotate(
            total=Count("pk"),
            present=Count("pk", filter=Q(state=ShiftState.PRESENT)),
            late=Count("pk", filter=Q(state=ShiftState.LATE)),
            absent=Count("pk", filter=Q(state=ShiftState.ABSENT)),
        )
        .order_by("deputy__code")
    )
    return list(rows)


def pending_swaps(stations: QuerySet[Station]) -> list[ShiftSwap]:
    return list(
        ShiftSwap.objects.filter(state=SwapState.PENDING, shift__station__in=stations.values("pk"))
        .select_related("shift__station", "shift__deputy", "to_deputy", "counter_shift")
        .order_by("shift__starts_at")
    )


def deputy_shifts(deputy: Deputy, *, start: dt.date, limit: int = 50) -> list[DutyShift]:
    return list(
        DutyShift.objects.filter(deputy=deputy, date__gte=start)
        .select_related("station")
        .prefetch_related(
            Prefetch("swaps", queryset=ShiftSwap.objects.filter(state=SwapState.PENDING), to_attr="pending")
        )
        .order_by("starts_at")[:limit]
    )


def deputy_unavailability(deputy: Deputy, *, today: dt.date) -> list[Unavailability]:
    return list(Unavailability.objects.filter(deputy=deputy, end__gte=today).order_by("start"))


# --- Public: station page, directory, feeds ------------------------------------------------------------------


@dataclass
class UpcomingDay:
    date: dt.date
    weekday: str
    published: bool
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    names: list[str] = field(default_factory=list)


def upcoming_reception_days(station: Station, *, today: dt.date | None = None, limit: int = 4) -> list[UpcomingDay]:
    """The next reception days (by rule, or as moved by the office) and, within the publication window, who is on
    duty. Two queries."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=120)
    published_until = today + dt.timedelta(days=conf.publish_days())
    by_day: dict[dt.date, list[DutyShift]] = defaultdict(list)
    for shift in DutyShift.objects.filter(station=station, date__range=(today, horizon)).select_related("deputy"):
        by_day[shift.date].append(shift)
    rule_days = reception_days(
        rule=station.reception_rule,
        weekday=station.reception_weekday,
        monthday=station.reception_monthday,
        start=today,
        end=horizon,
        is_working_day=is_working_day,
    )
    days = sorted(set(rule_days) | set(by_day))[:limit]
    result = []
    for day in days:
        shifts = by_day.get(day, [])
        published = day <= published_until and bool(shifts)
        item = UpcomingDay(day, weekday_label(day.weekday()), published)
        if published:
            item.starts_at = min(s.starts_at for s in shifts)
            item.ends_at = max(s.ends_at for s in shifts)
            item.names = [public_name(s.deputy) for s in shifts]
        result.append(item)
    return result


def published_shifts(*, station: Station | None = None, deputy: Deputy | None = None, everything: bool = False):
    """Shifts for a calendar feed: the publication window (from 30 days back), or all upcoming for a private feed."""
    today = timezone.localdate()
    qs = DutyShift.objects.select_related("station", "deputy").order_by("starts_at")
    if station is not None:
        qs = qs.filter(station=station)
    if deputy is not None:
        qs = qs.filter(deputy=deputy)
    start = today - dt.timedelta(days=30)
    if everything:
        return qs.filter(date__gte=start)[:1000]
    return qs.filter(date__range=(start, today + dt.timedelta(days=conf.publish_days())))[:1000]


def station_directory() -> list[dict]:
    """Every active station grouped by kind, with its number of public deputies (one query)."""
    stations = (
        Station.objects.filter(active=True)
        .select_related("division")
        .annotate(deputy_count=Count("deputies", filter=Q(deputies__active=True), distinct=True))
        .order_by("code")
    )
    groups: dict[str, list[Station]] = defaultdict(list)
    for station in stations:
        station.rule_text = reception_rule_text(station)
        groups[station.kind].append(station)
    return [
        {"kind": kind, "label": label, "stations": groups[kind]}
        for kind, label in StationKind.choices
        if groups.get(kind)
    ]


def station_deputies(station: Station) -> list[Deputy]:
    return list(station.deputies.filter(public=True, active=True).prefetch_related("mandates").order_by("code"))


def upcoming_events(station: Station, limit: int = 5) -> list:
    """The station's next events (from the events app)."""
    return list(upcoming_events_for_station(station, limit))


# --- Reception register -------------------------------------------------------------------------------------


def receptions(
    stations: QuerySet[Station], *, start: dt.date, end: dt.date, deputy: Deputy | None = None
) -> list[Reception]:
    """The register for a period (optionally only the days `deputy` was present): each reception with its deputies
    and matters (three queries)."""

    rows = Reception.objects.filter(station__in=stations.values("pk"), date__range=(start, end))
    if deputy is not None:
        rows = rows.filter(pk__in=Reception.deputies_present.through.objects.filter(deputy=deputy).values("reception"))
    return list(
        rows.select_related("station")
        .prefetch_related(
            Prefetch("deputies_present", queryset=Deputy.objects.order_by("code")),
            Prefetch("cases", queryset=Case.objects.select_related("category").order_by("created_at")),
        )
        .order_by("date", "station__code")
    )


def shifts(
    stations: QuerySet[Station], *, start: dt.date, end: dt.date, deputy: Deputy | None = None
) -> QuerySet[DutyShift]:
    """The shifts of the stations in a period (optionally of one deputy), oldest first, in one query."""
    rows = DutyShift.objects.filter(station__in=stations.values("pk"), date__range=(start, end))
    if deputy is not None:
        rows = rows.filter(deputy=deputy)
    return rows.select_related("station", "deputy").order_by("date", "station__code", "deputy__code")


# --- cockpit (驾驶舱) extension: found at run time by lianxin.cockpit.extensions ---------------------------


def _cockpit_shifts(division, start: dt.date, end: dt.date) -> QuerySet[DutyShift]:
    return DutyShift.objects.filter(station__division__path__startswith=division.path, date__gte=start, date__lte=end)


def _cockpit_receptions(division, start: dt.date, end: dt.date) -> QuerySet[Reception]:
    return Reception.objects.filter(station__division__path__startswith=division.path, date__gte=start, date__lte=end)


def cockpit_work_items(*, division, start, end) -> list[dict]:
    """Duty shifts attended (one row per station and day, people = the deputies present) and reception days
    registered, at stations inside `division` (Station.division in its subtree), dates in [start, end]. Two queries."""

    days: dict[tuple, list[str]] = defaultdict(list)
    shifts = (
        _cockpit_shifts(division, start, end)
        .filter(state__in=ATTENDED_STATES)
        .order_by("date", "station_id", "deputy__name")
        .values_list("date", "station_id", "station__name", "deputy__name")
    )
    for day, _station_id, station_name, deputy_name in shifts:
        days[(day, _station_id, station_name)].append(deputy_name)
    rows = [
        {
            "date": f"{day:%Y-%m-%d}",
            "kind": _("值班"),
            "place": name,
            "title": _("代表值班"),
            "people": "、".join(names),
        }
        for (day, _station_id, name), names in days.items()
    ]
    for day, station_name, visitors in (
        _cockpit_receptions(division, start, end)
        .order_by("date", "station_id")
        .values_list("date", "station__name", "visitor_count")
    ):
        rows.append(
            {
                "date": f"{day:%Y-%m-%d}",
                "kind": _("接待"),
                "place": station_name,
                "title": _("代表接待日"),
                "people": _("来访%(count)d人") % {"count": visitors},
            }
        )
    return sorted(rows, key=lambda r: r["date"], reverse=True)


def cockpit_figures(*, division, start, end) -> list[dict]:
    """Shifts attended, attendance rate (attended ÷ scheduled shifts already past, i.e. dated before today) and
    reception days registered, at stations inside `division`, dates in [start, end]. Two queries.

    Each number links to the list that holds exactly what it counts: the shift list or the reception register
    narrowed to the division and the dates (the rate's parts to the shifts up to yesterday, all or attended). The
    lists show at most DUTY_LIST_MAX_DAYS at once: for a longer period the figures say so instead of linking."""

    today = timezone.localdate()
    counts = _cockpit_shifts(division, start, end).aggregate(
        attended=Count("pk", filter=Q(state__in=ATTENDED_STATES)),
        past=Count("pk", filter=Q(date__lt=today)),
        past_attended=Count("pk", filter=Q(date__lt=today, state__in=ATTENDED_STATES)),
    )
    receptions_held = _cockpit_receptions(division, start, end).count()
    rate = f"{counts['past_attended'] * 100 / counts['past']:.1f}%" if counts["past"] else "—"
    listable = (end - start).days <= conf.list_max_days()

    def link(name: str, last: dt.date = end, **extra) -> str:
        if not listable or last < start:
            return ""
        window = {"division": division.pk, "from": start.isoformat(), "to": last.isoformat(), **extra}
        return f"{reverse(name)}?{urlencode(window)}"

    too_long = _("值班和接待清单一次最多显示 %(days)d 天，请选较短的期间")
    no_link = "" if listable else too_long % {"days": conf.list_max_days()}
    yesterday = min(end, today - dt.timedelta(days=1))
    return [
        {
            "key": "duty_shifts_attended",
            "label": _("代表值班（人次）"),
            "value": counts["attended"],
            "formula": _("已到岗或迟到的值班人次"),
            "url": link("duty:shifts", attended="1"),
            "no_link": no_link,
        },
        {
            "key": "duty_attendance_rate",
            "label": _("值班出勤率"),
            "value": rate,
            "formula": _("已出勤值班 ÷ 已过去的排班（不含今天）"),
            "numerator": counts["past_attended"],
            "denominator": counts["past"],
            "numerator_url": link("duty:shifts", yesterday, attended="1"),
            "denominator_url": link("duty:shifts", yesterday),
            "no_link": _("比率：由下面两个数相除，两个数各自链接到值班清单"),
        },
        {
            "key": "duty_receptions",
            "label": _("接待日（场）"),
            "value": receptions_held,
            "formula": _("已登记的接待日"),
            "url": link("duty:receptions"),
            "no_link": no_link,
        },
    ]


def cockpit_links_allowed(*, user, division) -> bool:
    """The duty lists behind the numbers show the user's managed stations: linked only when those cover every
    station of the division (the office over it; a station's staff when theirs is the street's only station).
    One query."""

    if not any(m.role in (Role.OFFICE, Role.STATION) for m in user_memberships(user)):
        return False
    managed = managed_stations(user).values("pk")
    return not Station.objects.filter(division__path__startswith=division.path).exclude(pk__in=managed).exists()


def cockpit_deputy_measures(*, division, start, end) -> list[dict]:
    """The deputies' table's duty columns: shifts attended (in the activity total) and reception days present (the
    same days as their shifts, so not added again), each linked to its list for the deputy, division and period."""

    window = {"division": division.pk, "from": start.isoformat(), "to": end.isoformat()}
    listable = (end - start).days <= conf.list_max_days()  # the lists show at most a year

    def link(name: str, **extra):
        if not listable:
            return None
        return lambda deputy_id: f"{reverse(name)}?{urlencode({**window, 'deputy': deputy_id, **extra})}"

    return [
        {
            "key": "duty_shifts",
            "label": _("值班到岗"),
            "formula": _("本期在本区划联络站值班且到岗或迟到的次数"),
            "in_total": True,
            "url": link("duty:shifts", attended="1"),
        },
        {
            "key": "duty_receptions",
            "label": _("接待日"),
            "formula": _("本期登记为接待代表的接待日（多与值班同日，不计入合计）"),
            "in_total": False,
            "url": link("duty:receptions"),
        },
    ]


def cockpit_deputy_activity(*, division, start, end, deputy_ids) -> dict[int, dict[str, int]]:
    """Per deputy: shifts attended and reception days present at stations inside `division`, dates in [start, end].
    One query (the two counts grouped by deputy, as one UNION ALL)."""

    ids = list(deputy_ids)
    shifts = (
        _cockpit_shifts(division, start, end)
        .filter(deputy_id__in=ids, state__in=ATTENDED_STATES)
        .order_by()
        .values("deputy_id")
        .annotate(n=Count("pk"), measure=Value("duty_shifts", output_field=CharField()))
    )
    present = (
        Reception.deputies_present.through.objects.filter(
            deputy_id__in=ids,
            reception__station__division__path__startswith=division.path,
            reception__date__gte=start,
            reception__date__lte=end,
        )
        .order_by()
        .values("deputy_id")
        .annotate(n=Count("pk"), measure=Value("duty_receptions", output_field=CharField()))
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for row in shifts.union(present, all=True):
        result[row["deputy_id"]][row["measure"]] = row["n"]
    return dict(result)
