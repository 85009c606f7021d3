"""Check-in with the station's daily code, staff confirmation, no-shows and reminders (the periodic jobs)."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.duty import attendance, tasks
from lianxin.duty.codes import check_in_token
from lianxin.duty.enums import ShiftState
from lianxin.duty.models import DutyShift
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _shift(district, day=None, start=9, end=12, deputy=None, station=None):
    day = day or timezone.localdate()
    tz = timezone.get_current_timezone()
    return DutyShift.objects.create(
        station=station or district.station,
        deputy=deputy or district.deputy,
        date=day,
        starts_at=dt.datetime.combine(day, dt.time(start), tz),
        ends_at=dt.datetime.combine(day, dt.time(end), tz),
    )


def _at(shift, minutes):
    return shift.starts_at + dt.timedelta(minutes=minutes)


def test_on_time_and_late_check_in(duty):
    shift = _shift(duty)
    token = check_in_token("donghu", shift.date)
    done = attendance.shift_check_in(actor=duty.deputy_user, station_code="donghu", token=token, now=_at(shift, 10))
    assert (done.state, done.late_minutes, done.check_in_method) == (ShiftState.PRESENT, 0, "scan")
    with pytest.raises(NotAllowed) as error:
        attendance.shift_check_in(actor=duty.deputy_user, station_code="donghu", token=token, now=_at(shift, 11))
    assert error.value.code == "already_checked_in"
    DutyShift.objects.filter(pk=shift.pk).update(state=ShiftState.PLANNED)
    late = attendance.shift_check_in(actor=duty.deputy_user, station_code="donghu", token=token, now=_at(shift, 40))
    assert (late.state, late.late_minutes) == (ShiftState.LATE, 40)


def test_yesterdays_code_and_other_stations_code_fail(duty):
    shift = _shift(duty)
    yesterday = shift.date - dt.timedelta(days=1)
    for station_code, token in (
        ("donghu", check_in_token("donghu", yesterday)),
        ("donghu", check_in_token("xishan", shift.date)),
        ("donghu", ""),
        ("donghu", None),
        ("donghu", ["x"]),
    ):
        with pytest.raises(InvalidInput) as error:
            attendance.shift_check_in(actor=duty.deputy_user, station_code=station_code, token=token, now=_at(shift, 0))
        assert error.value.code == "bad_token"
    with pytest.raises(NotFound):
        attendance.shift_check_in(actor=duty.deputy_user, station_code="nope", token="x", now=_at(shift, 0))
    shift.refresh_from_db()
    assert shift.state == ShiftState.PLANNED


def test_check_in_window_and_who_may_check_in(duty):
    shift = _shift(duty)
    token = check_in_token("donghu", shift.date)
    with pytest.raises(NotAllowed) as error:
        attendance.shift_check_in(actor=duty.deputy_user, station_code="donghu", token=token, now=_at(shift, -61))
    assert error.value.code == "too_early" and "08:00" in error.value.message
    with pytest.raises(NotAllowed) as error:
        attendance.shift_check_in(actor=duty.deputy_user, station_code="donghu", token=token, now=_at(shift, 181))
    assert error.value.code == "too_late"
    with pytest.raises(NotAllowed) as error:
        attendance.shift_check_in(actor=duty.station_staff, station_code="donghu", token=token, now=_at(shift, 0))
    assert error.value.code == "not_a_deputy"
    with pytest.raises(NotAllowed) as error:  # a deputy with no shift there today
        attendance.shift_check_in(
            actor=duty.deputy_user, station_code="xishan", token=check_in_token("xishan", shift.date), now=_at(shift, 0)
        )
    assert error.value.code == "no_shift"


def test_staff_confirm_and_correct_a_no_show(duty):
    shift = _shift(duty, day=timezone.localdate() - dt.timedelta(days=2))
    assert tasks.mark_no_shows() == 1
    assert tasks.mark_no_shows() == 0  # safe to run twice
    shift.refresh_from_db()
    assert shift.state == ShiftState.ABSENT
    with pytest.raises(NotFound):
        attendance.shift_confirm(actor=duty.outsider, shift_id=shift.pk)
    with pytest.raises(NotFound):
        attendance.shift_confirm(actor=duty.deputy_user, shift_id=shift.pk)
    with pytest.raises(InvalidInput):
        attendance.shift_confirm(actor=duty.station_staff, shift_id=shift.pk, late_minutes="半小时")
    confirmed = attendance.shift_confirm(actor=duty.station_staff, shift_id=shift.pk, late_minutes=20)
    assert (confirmed.state, confirmed.late_minutes, confirmed.check_in_method) == (ShiftState.LATE, 20, "staff")
    future = _shift(duty, day=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(NotAllowed):
        attendance.shift_confirm(actor=duty.station_staff, shift_id=future.pk)


def test_reminder_the_day_before_once(duty):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    shift = _shift(duty, day=tomorrow)
    _shift(duty, day=tomorrow, deputy=duty.station.deputies.exclude(user__isnull=False).first())  # no account
    _shift(duty, day=tomorrow + dt.timedelta(days=5))  # too far ahead
    assert tasks.remind_shifts() == 1
    assert tasks.remind_shifts() == 0
    row = Notification.objects.get(event="duty.reminder")
    assert row.recipient_user == duty.deputy_user
    assert "东湖街道代表联络站" in row.body and "09:00" in row.body
    shift.refresh_from_db()
    assert shift.reminded_at is not None
