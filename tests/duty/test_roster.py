"""Roster services: generation on real data, clashes across stations, unavailability, edits, swaps, bad input."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.duty import services
from lianxin.duty.enums import ShiftState, SwapState
from lianxin.duty.models import DutyShift, ShiftSwap, Unavailability
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from tests.duty.conftest import next_year_range

pytestmark = pytest.mark.django_db


def _generate(district, **kwargs):
    start, end = next_year_range()
    values = {"actor": district.station_staff, "station_id": district.station.pk, "start": start, "end": end}
    return services.roster_generate(**(values | kwargs))


def test_generates_a_fair_year_of_monthly_days(duty):
    result = _generate(duty, per_shift=2, minimum=4)
    shifts = list(DutyShift.objects.filter(station=duty.station))
    assert result.days == 12 and result.created == 24 == len(shifts)
    assert {s.date.day for s in shifts} == {20}
    counts = {}
    for s in shifts:
        counts[s.deputy_id] = counts.get(s.deputy_id, 0) + 1
    assert sorted(counts.values()) == [4, 5, 5, 5, 5]
    first = min(shifts, key=lambda s: s.starts_at)
    assert timezone.localtime(first.starts_at).strftime("%H:%M") == "09:00"
    assert AuditEntry.objects.filter(action="duty.roster_generated", subject_id=duty.station.pk).count() == 1


def test_generation_avoids_a_deputy_on_duty_elsewhere_and_declared_days(duty):
    start, end = next_year_range()
    shared = duty.deputy
    shared.stations.add(duty.other_station)
    services.roster_generate(
        actor=duty.office, station_id=duty.other_station.pk, start=start, end=end, per_shift=2, minimum=0
    )
    off = next(d for d in range(1, 400) if (start + dt.timedelta(days=d)).day == 20)
    off_day = start + dt.timedelta(days=off)
    Unavailability.objects.create(deputy=duty.deputy, start=off_day, end=off_day)
    _generate(duty, per_shift=5, minimum=0)
    assert not DutyShift.objects.filter(deputy=shared, date=off_day).exists()
    for shift in DutyShift.objects.filter(deputy=shared):
        assert (
            not DutyShift.objects.filter(deputy=shared, starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at)
            .exclude(pk=shift.pk)
            .exists()
        )


def test_impossible_minimum_is_refused_and_nothing_is_stored(duty):
    with pytest.raises(InvalidInput) as error:
        _generate(duty, per_shift=1, minimum=3)
    assert error.value.code == "not_enough_days"
    assert "不足以让 5 位代表" in error.value.message
    assert DutyShift.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": ""}, "start"),
        ({"start": "2026-13-01"}, "start"),
        ({"start": "明天"}, "start"),
        ({"end": "x" * 5000}, "end"),
        ({"per_shift": 0}, "per_shift"),
        ({"per_shift": "两"}, "per_shift"),
        ({"minimum": -1}, "minimum"),
        ({"start_time": "25:00"}, "start_time"),
        ({"start_time": "12:00", "end_time": "09:00"}, "end_time"),
        ({"start": timezone.localdate() - dt.timedelta(days=1), "end": timezone.localdate()}, "start"),
    ],
)
def test_generation_bad_input(duty, changes, field):
    with pytest.raises(InvalidInput) as error:
        _generate(duty, **changes)
    assert field in error.value.fields
    assert DutyShift.objects.count() == 0


def test_generation_over_a_year_and_reversed_range(duty):
    start, _end = next_year_range()
    with pytest.raises(InvalidInput):
        _generate(duty, end=start + dt.timedelta(days=400))
    with pytest.raises(InvalidInput):
        _generate(duty, end=start - dt.timedelta(days=1))


def test_existing_roster_needs_replace_which_keeps_started_shifts(duty):
    _generate(duty, per_shift=2, minimum=0)
    with pytest.raises(InvalidInput) as error:
        _generate(duty, per_shift=2, minimum=0)
    assert error.value.code == "roster_exists"
    result = _generate(duty, per_shift=1, minimum=0, replace=True)
    assert result.removed == 24 and result.created == 12
    assert DutyShift.objects.filter(station=duty.station).count() == 12


def test_station_without_rule_or_deputies(duty):
    duty.station.reception_rule = "none"
    duty.station.save()
    with pytest.raises(InvalidInput) as error:
        _generate(duty)
    assert error.value.code == "no_reception_rule"


@pytest.mark.parametrize("persona", ["outsider", "deputy_user", "unit_user", "leader", "auditor"])
def test_only_the_stations_staff_and_office_generate(duty, persona):
    with pytest.raises(NotFound):
        _generate(duty, actor=duty.persona(persona))
    assert DutyShift.objects.count() == 0


def test_office_generates_for_a_station_in_its_district(duty):
    assert _generate(duty, actor=duty.office, minimum=0).created == 24


# --- editing -----------------------------------------------------------------------------------------------


def _tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


def test_manual_shift_and_clash_with_another_station(duty):
    duty.deputy.stations.add(duty.other_station)
    shift = services.shift_create(
        actor=duty.station_staff,
        station_id=duty.station.pk,
        deputy_id=duty.deputy.pk,
        date=_tomorrow(),
        start_time="09:00",
        end_time="11:00",
    )
    assert shift.source == "manual"
    with pytest.raises(InvalidInput) as error:
        services.shift_create(
            actor=duty.office,
            station_id=duty.other_station.pk,
            deputy_id=duty.deputy.pk,
            date=_tomorrow(),
            start_time="10:00",
            end_time="12:00",
        )
    assert error.value.code == "clash"
    # The afternoon is free.
    services.shift_create(
        actor=duty.office,
        station_id=duty.other_station.pk,
        deputy_id=duty.deputy.pk,
        date=_tomorrow(),
        start_time="14:00",
        end_time="16:00",
    )
    assert DutyShift.objects.filter(deputy=duty.deputy).count() == 2


def test_manual_shift_bad_input(duty):
    base = {
        "actor": duty.station_staff,
        "station_id": duty.station.pk,
        "deputy_id": duty.deputy.pk,
        "date": _tomorrow(),
    }
    for changes in (
        {"deputy_id": duty.other_deputy.pk},  # not a deputy of this station
        {"deputy_id": "abc"},
        {"date": timezone.localdate() - dt.timedelta(days=1)},
        {"note": "长" * 201},
    ):
        with pytest.raises(InvalidInput):
            services.shift_create(**(base | changes))
    Unavailability.objects.create(deputy=duty.deputy, start=_tomorrow(), end=_tomorrow())
    with pytest.raises(InvalidInput) as error:
        services.shift_create(**base)
    assert error.value.code == "unavailable"
    assert DutyShift.objects.count() == 0


def test_move_a_shift_off_a_holiday_and_delete(duty):
    shift = services.shift_create(
        actor=duty.station_staff, station_id=duty.station.pk, deputy_id=duty.deputy.pk, date=_tomorrow()
    )
    later = _tomorrow() + dt.timedelta(days=1)
    moved = services.shift_update(
        actor=duty.station_staff, shift_id=shift.pk, date=later, start_time="14:00", end_time="16:00"
    )
    assert moved.date == later and timezone.localtime(moved.starts_at).hour == 14
    entry = AuditEntry.objects.get(action="duty.shift_updated")
    assert entry.data["before"]["date"] == _tomorrow().isoformat()
    with pytest.raises(NotFound):
        services.shift_update(actor=duty.outsider, shift_id=shift.pk, date=later, start_time="09:00", end_time="10:00")
    services.shift_delete(actor=duty.station_staff, shift_id=shift.pk)
    assert DutyShift.objects.count() == 0


def test_a_started_or_attended_shift_cannot_be_changed(duty):
    shift = services.shift_create(
        actor=duty.station_staff, station_id=duty.station.pk, deputy_id=duty.deputy.pk, date=_tomorrow()
    )
    DutyShift.objects.filter(pk=shift.pk).update(state=ShiftState.PRESENT)
    with pytest.raises(NotAllowed):
        services.shift_delete(actor=duty.station_staff, shift_id=shift.pk)
    assert DutyShift.objects.filter(pk=shift.pk).exists()


# --- unavailability and swaps --------------------------------------------------------------------------------


def test_deputy_declares_unavailability_and_sees_conflicts(duty):
    shift = services.shift_create(
        actor=duty.station_staff, station_id=duty.station.pk, deputy_id=duty.deputy.pk, date=_tomorrow()
    )
    item, conflicts = services.unavailability_declare(
        actor=duty.deputy_user, deputy_id=duty.deputy.pk, start=_tomorrow(), end=_tomorrow() + dt.timedelta(days=3)
    )
    assert conflicts == [shift]
    with pytest.raises(NotFound):  # another deputy's calendar is not theirs
        services.unavailability_declare(
            actor=duty.deputy_user, deputy_id=duty.other_deputy.pk, start=_tomorrow(), end=_tomorrow()
        )
    with pytest.raises(InvalidInput):
        services.unavailability_declare(
            actor=duty.deputy_user, deputy_id=duty.deputy.pk, start=_tomorrow(), end=_tomorrow() - dt.timedelta(days=2)
        )
    with pytest.raises(NotFound):
        services.unavailability_withdraw(actor=duty.outsider, unavailability_id=item.pk)
    services.unavailability_withdraw(actor=duty.deputy_user, unavailability_id=item.pk)
    assert Unavailability.objects.count() == 0


def test_swap_requested_by_the_deputy_and_approved_by_staff(duty):
    shift = services.shift_create(
        actor=duty.station_staff, station_id=duty.station.pk, deputy_id=duty.deputy.pk, date=_tomorrow()
    )
    colleague = duty.station.deputies.exclude(pk=duty.deputy.pk).order_by("code").first()
    swap = services.swap_request(actor=duty.deputy_user, shift_id=shift.pk, to_deputy_id=colleague.pk, reason="出差")
    with pytest.raises(NotAllowed):
        services.swap_request(actor=duty.deputy_user, shift_id=shift.pk, to_deputy_id=colleague.pk)
    with pytest.raises(NotFound):
        services.swap_decide(actor=duty.deputy_user, swap_id=swap.pk, approve=True)
    with pytest.raises(NotFound):
        services.swap_decide(actor=duty.outsider, swap_id=swap.pk, approve=True)
    services.swap_decide(actor=duty.station_staff, swap_id=swap.pk, approve=True)
    shift.refresh_from_db()
    assert shift.deputy == colleague
    assert ShiftSwap.objects.get().state == SwapState.APPROVED
    with pytest.raises(NotAllowed):
        services.swap_decide(actor=duty.station_staff, swap_id=swap.pk, approve=False)


def test_exchange_of_two_shifts(duty):
    colleague = duty.station.deputies.exclude(pk=duty.deputy.pk).order_by("code").first()
    mine = services.shift_create(
        actor=duty.station_staff, station_id=duty.station.pk, deputy_id=duty.deputy.pk, date=_tomorrow()
    )
    theirs = services.shift_create(
        actor=duty.station_staff,
        station_id=duty.station.pk,
        deputy_id=colleague.pk,
        date=_tomorrow() + dt.timedelta(days=7),
    )
    swap = services.swap_request(
        actor=duty.deputy_user, shift_id=mine.pk, to_deputy_id=colleague.pk, counter_shift_id=theirs.pk
    )
    services.swap_decide(actor=duty.office, swap_id=swap.pk, approve=True)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.deputy, theirs.deputy) == (colleague, duty.deputy)


def test_swap_bad_input(duty):
    shift = services.shift_create(
        actor=duty.station_staff, station_id=duty.station.pk, deputy_id=duty.deputy.pk, date=_tomorrow()
    )
    other_shift = services.shift_create(
        actor=duty.outsider, station_id=duty.other_station.pk, deputy_id=duty.other_deputy.pk, date=_tomorrow()
    )
    with pytest.raises(InvalidInput):  # not a deputy of the station
        services.swap_request(actor=duty.deputy_user, shift_id=shift.pk, to_deputy_id=duty.other_deputy.pk)
    with pytest.raises(InvalidInput):  # to themselves
        services.swap_request(actor=duty.deputy_user, shift_id=shift.pk, to_deputy_id=duty.deputy.pk)
    with pytest.raises(NotFound):  # a shift of a station they do not sit at
        services.swap_request(actor=duty.deputy_user, shift_id=other_shift.pk, to_deputy_id=duty.other_deputy.pk)
    colleague = duty.station.deputies.exclude(pk=duty.deputy.pk).order_by("code").first()
    with pytest.raises(InvalidInput):  # counter shift is not the colleague's
        services.swap_request(
            actor=duty.deputy_user, shift_id=shift.pk, to_deputy_id=colleague.pk, counter_shift_id=other_shift.pk
        )
    assert ShiftSwap.objects.count() == 0
