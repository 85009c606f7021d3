"""The shift list (值班记录) and the reception register narrowed to a deputy, a division and a period (the cockpit's
deputies' table links here): who sees what, bad filters, query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.duty.models import Reception
from lianxin.organisation.models import Deputy
from tests.points.helpers import shift

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SHIFTS = reverse("duty:shifts")
RECEPTIONS = reverse("duty:receptions")


@pytest.fixture
def shifts(duty):
    """东湖: 王 present today and 10 days ago, absent 20 days ago; 代表0 late today. 西山: 李 present today."""
    zero = Deputy.objects.get(code="d-0")
    shift(duty, TODAY, "present")
    shift(duty, TODAY - dt.timedelta(days=10), "present")
    shift(duty, TODAY - dt.timedelta(days=20), "absent")
    shift(duty, TODAY, "late", deputy=zero)
    shift(duty, TODAY, "present", deputy=duty.other_deputy, station=duty.other_station)
    here = Reception.objects.create(station=duty.station, date=TODAY, visitor_count=2)
    here.deputies_present.set([duty.deputy, zero])
    earlier = Reception.objects.create(station=duty.station, date=TODAY - dt.timedelta(days=10), visitor_count=1)
    earlier.deputies_present.set([zero])
    there = Reception.objects.create(station=duty.other_station, date=TODAY, visitor_count=1)
    there.deputies_present.set([duty.other_deputy])
    duty.zero = zero
    return duty


def _listed(client, **params):
    response = client.get(SHIFTS, params)
    assert response.status_code == 200
    return [(s.deputy.name, s.state) for s in response.context["page"]]


def test_the_office_lists_shifts_by_deputy_division_period_and_attendance(client, shifts):
    client.force_login(shifts.office)
    month = {"from": (TODAY - dt.timedelta(days=15)).isoformat(), "to": TODAY.isoformat()}
    assert len(_listed(client, **month)) == 4
    assert len(_listed(client, **month, division=shifts.street.pk)) == 3
    assert _listed(client, **month, deputy=shifts.deputy.pk) == [("王代表", "present"), ("王代表", "present")]
    wide = {"from": (TODAY - dt.timedelta(days=30)).isoformat(), "to": TODAY.isoformat()}
    assert len(_listed(client, **wide, deputy=shifts.deputy.pk)) == 3
    assert len(_listed(client, **wide, deputy=shifts.deputy.pk, attended="1")) == 2
    attended = _listed(client, **month, division=shifts.street.pk, attended="1")
    assert sorted(attended) == [("代表0", "late"), ("王代表", "present"), ("王代表", "present")]
    page = client.get(SHIFTS, {**month, "deputy": shifts.deputy.pk}).content.decode()
    assert "代表：王代表" in page and 'name="deputy" value="%d"' % shifts.deputy.pk in page


def test_station_staff_see_only_their_station_and_others_nothing(client, shifts):
    client.force_login(shifts.station_staff)
    assert {name for name, _state in _listed(client, division=shifts.district.pk)} == {"王代表", "代表0"}
    assert _listed(client, deputy=shifts.other_deputy.pk) == []  # a foreign deputy narrows to nothing
    assert client.get(SHIFTS, {"station": shifts.other_station.pk}).status_code == 404
    for persona in ("deputy_user", "leader", "unit_user", "auditor"):
        client.force_login(shifts.persona(persona))
        assert client.get(SHIFTS).status_code == 404, persona


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"deputy": "abc"}, "找不到该代表"),
        ({"deputy": "99999999"}, "找不到该代表"),
        ({"division": "1;drop"}, "找不到该区划"),
        ({"division": "9" * 40}, "找不到该区划"),
        ({"from": "2026-13-01"}, "日期格式不正确"),
    ],
)
def test_bad_filters_are_left_out_with_a_message(client, shifts, params, message):
    client.force_login(shifts.office)
    for url in (SHIFTS, RECEPTIONS):
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert message in response.content.decode(), url
    assert len(client.get(SHIFTS, params).context["page"].object_list) == 5  # the last 90 days, everybody


def test_the_register_narrows_to_the_days_a_deputy_was_present(client, shifts):
    client.force_login(shifts.office)
    window = {"from": (TODAY - dt.timedelta(days=15)).isoformat(), "to": TODAY.isoformat()}
    dates = lambda **p: [r.date for r in client.get(RECEPTIONS, {**window, **p}).context["receptions"]]  # noqa: E731
    assert len(dates()) == 3
    assert dates(deputy=shifts.zero.pk) == [TODAY - dt.timedelta(days=10), TODAY]
    assert dates(deputy=shifts.deputy.pk) == [TODAY]
    assert len(dates(division=shifts.other_street.pk)) == 1
    assert dates(division=shifts.other_street.pk, deputy=shifts.zero.pk) == []


def test_list_query_counts_do_not_grow(client, shifts, django_assert_max_num_queries):
    client.force_login(shifts.office)
    params = {"deputy": shifts.zero.pk, "division": shifts.street.pk}
    with django_assert_max_num_queries(14):
        assert client.get(SHIFTS, params).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(RECEPTIONS, params).status_code == 200
    for days in range(30, 60):
        shift(shifts, TODAY - dt.timedelta(days=days), "present", deputy=shifts.zero)
        Reception.objects.create(station=shifts.station, date=TODAY - dt.timedelta(days=days)).deputies_present.set(
            [shifts.zero]
        )
    with django_assert_max_num_queries(14):
        response = client.get(SHIFTS, params)
    assert response.context["page"].paginator.count == 31
    with django_assert_max_num_queries(14):
        assert len(client.get(RECEPTIONS, params).context["receptions"]) == 32
