"""Reads of the events area: public lists, the staff list, sign-ups, and the department-visit counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.events.enums import EventKind, EventStatus, SignUpStatus
from lianxin.events.models import Event, SignUp
from lianxin.events.rules import visible_events

PAST_DAYS_SHOWN = 30


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate confirmed, waitlisted and attended counts (one query for the whole list)."""
    return events.annotate(
        confirmed_count=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)),
        waitlist_count=Count("signups", filter=Q(signups__status=SignUpStatus.WAITLISTED)),
        attended_count=Count("signups", filter=Q(signups__attended_at__isnull=False)),
    )


def upcoming_events_for_station(station, limit: int = 5) -> list[Event]:
    """Published events of one station that have not started yet, soonest first (for the station's page)."""
    events = Event.objects.filter(station=station, status=EventStatus.PUBLISHED, starts_at__gt=timezone.now())
    return list(with_counts(events).select_related("station", "unit").order_by("starts_at", "id")[: max(limit, 0)])


def public_events(*, station_code: str = "", now: dt.datetime | None = None) -> tuple[list[Event], list[Event]]:
    """(upcoming, recent past) published events, optionally of one station."""
    now = now or timezone.now()
    events = Event.objects.filter(status=EventStatus.PUBLISHED).select_related("station", "unit")
    if station_code:
        events = events.filter(station__code=station_code)
    events = with_counts(events)
    upcoming = list(events.filter(ends_at__gte=now).order_by("starts_at", "id")[:100])
    past = list(
        events.filter(ends_at__lt=now, ends_at__gte=now - dt.timedelta(days=PAST_DAYS_SHOWN)).order_by(
            "-starts_at", "-id"
        )[:20]
    )
    return upcoming, past


def public_event(event_id) -> Event | None:
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        return None
    events = Event.objects.filter(pk=event_id, status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
    return with_counts(events).select_related("station", "unit").first()


def staff_events(user, *, when: str = "upcoming") -> QuerySet[Event]:
    events = with_counts(visible_events(user)).select_related("station", "unit")
    now = timezone.now()
    if when == "past":
        return events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return events.filter(ends_at__gte=now).order_by("starts_at", "id")


def event_signups(event: Event) -> list[SignUp]:
    """Every sign-up of the event, confirmed first, then the waitlist in order, then cancelled ones."""
    order = {SignUpStatus.CONFIRMED: 0, SignUpStatus.WAITLISTED: 1, SignUpStatus.CANCELLED: 2}
    rows = list(SignUp.objects.filter(event=event).defer("name_enc", "phone_enc").order_by("created_at", "id"))
    return sorted(rows, key=lambda s: order.get(s.status, 3))


def event_counts(event: Event) -> dict[str, int]:
    counts = SignUp.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=SignUpStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=SignUpStatus.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=SignUpStatus.CANCELLED)),
        attended=Count("pk", filter=Q(attended_at__isnull=False)),
    )
    counts["free"] = max(event.capacity - counts["confirmed"], 0)
    return counts


def department_visits(unit=None, start: dt.datetime | None = None, end: dt.datetime | None = None) -> dict[int, int]:
    """Department visits to stations (进站) held per handling unit: {unit id: number of visits}.

    A visit counts once it was published, not cancelled, and has started; `start` (inclusive) and `end`
    (exclusive) bound its start time. `unit` (a HandlingUnit or its id) limits the answer to one unit.
    This feeds the department appraisal (部门工作评议, item 进基层单元情况).
    """
    visits = Event.objects.filter(
        kind=EventKind.STATION_VISIT,
        status=EventStatus.PUBLISHED,
        unit__isnull=False,
        starts_at__lte=timezone.now(),
    )
    if unit is not None:
        visits = visits.filter(unit_id=getattr(unit, "pk", unit))
    if start is not None:
        visits = visits.filter(starts_at__gte=start)
    if end is not None:
        visits = visits.filter(starts_at__lt=end)
    rows = visits.order_by().values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    return dict(rows)


# --- cockpit (驾驶舱) extension: found at run time by lianxin.cockpit.extensions ---------------------------


def cockpit_work_items(*, division, start, end) -> list[dict]:
    """Events held: published, already started, starting on a day in [start, end], at stations inside `division`
    (Station.division in its subtree). Kind 部门进站 for station visits, else 活动; people = attended (signed in)
    out of confirmed sign-ups. One query."""

    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    events = with_counts(
        Event.objects.filter(
            station__division__path__startswith=division.path,
            status=EventStatus.PUBLISHED,
            starts_at__gte=lo,
            starts_at__lt=hi,
            starts_at__lte=timezone.now(),
        )
    ).select_related("station", "unit")
    rows = []
    for e in events.order_by("-starts_at", "-id"):
        visit = e.kind == EventKind.STATION_VISIT
        title = f"{e.title}（{e.unit.name}）" if visit and e.unit_id else e.title
        rows.append(
            {
                "date": f"{timezone.localtime(e.starts_at):%Y-%m-%d}",
                "kind": _("部门进站") if visit else _("活动"),
                "place": e.station.name,
                "title": title,
                "people": _("签到%(attended)d人／报名%(confirmed)d人")
                % {"attended": e.attended_count, "confirmed": e.confirmed_count},
            }
        )
    return rows
