"""Staff side of events: who manages what, creating and changing events, attendance, matters raised, counts."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.events import selectors, services
from lianxin.events.enums import EventKind
from lianxin.events.models import Event, SignUp
from lianxin.events.rules import can_manage, visible_events
from tests.events.conftest import event_input, make_event, sign_up

MANAGERS = {"office": True, "station_staff": True}


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("office", True),
        ("station_staff", True),
        ("outsider", False),
        ("deputy_user", False),
        ("unit_user", False),
        ("leader", False),
        ("auditor", False),
    ],
)
def test_who_manages_an_event_of_our_station(district, event, persona, sees):
    user = district.persona(persona)
    assert list(visible_events(user)) == ([event] if sees else [])
    assert can_manage(user) == (persona in MANAGERS or persona == "outsider")
    if not sees:
        with pytest.raises(NotFound):
            services.event_publish(actor=user, event_id=event.pk)
        with pytest.raises(NotFound):
            services.attendance_record(actor=user, event_id=event.pk, checkin_code="123456")


def test_staff_create_only_for_their_own_station(district):
    with pytest.raises(InvalidInput) as exc:
        services.event_create(actor=district.outsider, data=event_input(district))
    assert "station" in exc.value.fields
    own = services.event_create(
        actor=district.outsider, data=event_input(district, station_id=district.other_station.pk)
    )
    assert own.station == district.other_station
    assert own.status == "draft"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 101}, "title"),
        ({"description": "长" * 5001}, "description"),
        ({"kind": "party"}, "kind"),
        ({"kind": EventKind.STATION_VISIT}, "unit"),
        ({"unit_id": 999999}, "unit"),
        ({"unit_id": "abc"}, "unit"),
        ({"station_id": "abc"}, "station"),
        ({"station_id": None}, "station"),
        ({"starts_at": None}, "starts_at"),
        ({"starts_at": "2026-01-01"}, "starts_at"),
        ({"ends_at": timezone.now()}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -5}, "capacity"),
        ({"capacity": "十"}, "capacity"),
        ({"capacity": True}, "capacity"),
        ({"capacity": 10**9}, "capacity"),
    ],
)
def test_bad_event_input_is_refused_and_stores_nothing(district, fields, field):
    with pytest.raises(InvalidInput) as exc:
        services.event_create(actor=district.station_staff, data=event_input(district, **fields))
    assert field in exc.value.fields
    assert Event.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="event.").exists()


def test_publish_a_draft_once(district):
    event = make_event(district, publish=False)
    services.event_publish(actor=district.station_staff, event_id=event.pk)
    event.refresh_from_db()
    assert (event.status, event.published_at is not None) == ("published", True)
    with pytest.raises(NotAllowed):
        services.event_publish(actor=district.station_staff, event_id=event.pk)


def test_raising_capacity_moves_the_waitlist_up_and_lowering_below_signups_is_refused(district, event):
    [sign_up(event, n) for n in range(5)]
    with pytest.raises(InvalidInput) as exc:
        services.event_update(actor=district.station_staff, event_id=event.pk, data=event_input(district, capacity=2))
    assert "capacity" in exc.value.fields
    services.event_update(actor=district.station_staff, event_id=event.pk, data=event_input(district, capacity=4))
    assert list(event.signups.order_by("id").values_list("status", flat=True)) == ["confirmed"] * 4 + ["waitlisted"]


def test_attendance_by_check_in_code(district, event):
    signup = sign_up(event, 1)
    recorded = services.attendance_record(
        actor=district.station_staff, event_id=event.pk, checkin_code=" " + signup.checkin_code
    )
    assert recorded.pk == signup.pk and recorded.attended_at is not None
    assert recorded.attendance_recorded_by == district.station_staff
    with pytest.raises(NotAllowed) as exc:
        services.attendance_record(actor=district.station_staff, event_id=event.pk, checkin_code=signup.checkin_code)
    assert exc.value.code == "already_attended"
    assert selectors.event_counts(event)["attended"] == 1


def test_attendance_refuses_bad_codes_and_the_waitlist(district, event):
    [sign_up(event, n) for n in range(3)]
    waiting = sign_up(event, 4)
    other = make_event(district, title="另一个活动")
    foreign = sign_up(other, 9)
    for code in ["", "abc", "1" * 30, None, 123456]:
        with pytest.raises(InvalidInput):
            services.attendance_record(actor=district.station_staff, event_id=event.pk, checkin_code=code)
    unused = next(c for c in (f"{n:06d}" for n in range(1000)) if not event.signups.filter(checkin_code=c).exists())
    with pytest.raises(InvalidInput):
        services.attendance_record(actor=district.station_staff, event_id=event.pk, checkin_code=unused)
    if not event.signups.filter(checkin_code=foreign.checkin_code).exists():
        with pytest.raises(InvalidInput):
            services.attendance_record(
                actor=district.station_staff, event_id=event.pk, checkin_code=foreign.checkin_code
            )
    with pytest.raises(NotAllowed):
        services.attendance_record(actor=district.station_staff, event_id=event.pk, checkin_code=waiting.checkin_code)
    assert not SignUp.objects.filter(attended_at__isnull=False).exists()


def test_a_matter_raised_at_the_event_becomes_a_walk_in_case_linked_to_it(district, event):
    case = services.event_case_register(
        actor=district.station_staff,
        event_id=event.pk,
        title="小区停车难",
        details="活动中群众反映春晖小区夜间停车位不足。",
        contact_name="李四",
        contact_phone="13912341234",
        consent=True,
    )
    assert (case.channel, case.station, case.created_by) == ("walk_in", district.station, district.station_staff)
    assert case.contact_phone_masked == "139****1234"
    assert list(event.cases.all()) == [case]
    assert list(case.events.all()) == [event]
    assert AuditEntry.objects.filter(action="event.case_registered", subject_id=event.pk).count() == 1


def test_a_bad_matter_stores_nothing(district, event):
    for fields in [{"title": ""}, {"details": ""}, {"consent": False}, {"contact_phone": "123"}]:
        values = {"title": "停车难", "details": "车位不足", "consent": True, **fields}
        with pytest.raises(InvalidInput):
            services.event_case_register(actor=district.station_staff, event_id=event.pk, **values)
    assert Case.objects.count() == 0
    assert event.cases.count() == 0
    with pytest.raises(NotFound):
        services.event_case_register(
            actor=district.outsider, event_id=event.pk, title="停车难", details="车位不足", consent=True
        )
    assert Case.objects.count() == 0


def test_department_visits_count_held_visits_per_unit(district):
    now = timezone.now()

    def visit(unit, days, publish=True):
        event = make_event(district, kind=EventKind.STATION_VISIT, unit_id=unit.pk, publish=publish)
        start = now + dt.timedelta(days=days)
        Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=1))
        return event

    visit(district.unit, -40)
    visit(district.unit, -10)
    visit(district.other_unit, -5)
    visit(district.other_unit, 5)  # not held yet
    visit(district.other_unit, -3, publish=False)  # a draft never took place
    cancelled = visit(district.unit, -2)
    Event.objects.filter(pk=cancelled.pk).update(status="cancelled")
    make_event(district)  # a theme event is no department visit

    assert selectors.department_visits() == {district.unit.pk: 2, district.other_unit.pk: 1}
    assert selectors.department_visits(unit=district.unit) == {district.unit.pk: 2}
    assert selectors.department_visits(unit=district.other_unit.pk) == {district.other_unit.pk: 1}
    since = now - dt.timedelta(days=20)
    assert selectors.department_visits(start=since) == {district.unit.pk: 1, district.other_unit.pk: 1}
    assert selectors.department_visits(end=since) == {district.unit.pk: 1}


def test_upcoming_events_for_station(district, django_assert_max_num_queries):
    soon = make_event(
        district,
        title="近的",
        starts_at=timezone.now() + dt.timedelta(days=1),
        ends_at=timezone.now() + dt.timedelta(days=1, hours=1),
    )
    later = make_event(district, title="远的")
    make_event(district, title="草稿", publish=False)
    make_event(district, title="别站", station_id=district.other_station.pk, actor=district.office)
    past = make_event(district, title="过去的")
    Event.objects.filter(pk=past.pk).update(starts_at=timezone.now() - dt.timedelta(days=1))
    sign_up(soon, 1)
    with django_assert_max_num_queries(1):
        events = selectors.upcoming_events_for_station(district.station, limit=5)
        assert [(e.title, e.confirmed_count) for e in events] == [("近的", 1), ("远的", 0)]
        assert [e.station.name for e in events] == [district.station.name] * 2
    assert [e.pk for e in selectors.upcoming_events_for_station(district.station, limit=1)] == [soon.pk]
    assert later.pk != soon.pk
