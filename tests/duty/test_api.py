"""The duty API: a permission matrix as data, the error shape on bad input, check-in and swaps."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.duty import services
from lianxin.duty.codes import check_in_token
from lianxin.duty.models import DutyShift
from tests.api.helpers import BASE, assert_error, bearer, post_json
from tests.duty.conftest import next_year_range

pytestmark = pytest.mark.django_db


def _generate_body(district):
    start, end = next_year_range()
    return {"station": district.station.pk, "start": start.isoformat(), "end": end.isoformat(), "minimum": 0}


# (persona, expected status of POST /duty/rosters/generate for our station)
GENERATE = [
    ("station_staff", 200),
    ("office", 200),
    ("outsider", 404),
    ("deputy_user", 404),
    ("unit_user", 404),
    ("auditor", 404),
    ("leader", 404),
]


@pytest.mark.parametrize(("persona", "status"), GENERATE)
def test_generate_permissions(duty, client, persona, status):
    response = post_json(client, f"{BASE}/duty/rosters/generate", _generate_body(duty), **bearer(duty.persona(persona)))
    assert response.status_code == status
    if status == 200:
        assert response.json()["created"] == 24
    else:
        assert_error(response, 404, "not_found")
        assert DutyShift.objects.count() == 0


def test_no_token_is_401(duty, client):
    assert_error(post_json(client, f"{BASE}/duty/rosters/generate", _generate_body(duty)), 401)
    assert_error(client.get(f"{BASE}/duty/shifts"), 401)


@pytest.mark.parametrize(
    "body",
    [
        {"station": 1},
        {"station": "x", "start": "2026-01-01", "end": "2026-02-01"},
        {"station": 1, "start": "2026-02-30", "end": "2026-03-01"},
        {"station": 1, "start": "2026-01-01", "end": "2026-02-01", "per_shift": 99},
    ],
)
def test_generate_bad_input_has_the_error_shape(duty, client, body):
    error = assert_error(post_json(client, f"{BASE}/duty/rosters/generate", body, **bearer(duty.station_staff)), 422)
    assert error["fields"]
    assert DutyShift.objects.count() == 0


def test_malformed_json_is_400(duty, client):
    assert_error(post_json(client, f"{BASE}/duty/rosters/generate", "{nope", **bearer(duty.station_staff)), 400)


def test_shift_list_is_scoped_and_counted(duty, client, django_assert_max_num_queries):
    services.roster_generate(
        actor=duty.office,
        station_id=duty.station.pk,
        **dict(zip(("start", "end"), next_year_range(), strict=True)),
        minimum=0,
    )
    services.roster_generate(
        actor=duty.office,
        station_id=duty.other_station.pk,
        **dict(zip(("start", "end"), next_year_range(), strict=True)),
        minimum=0,
    )
    url = f"{BASE}/duty/shifts?date_to={(timezone.localdate() + dt.timedelta(days=366)).isoformat()}"
    headers = bearer(duty.station_staff)
    with django_assert_max_num_queries(8):
        mine = client.get(url, **headers).json()
    assert mine["total"] == 24 and {item["station"] for item in mine["items"]} == {duty.station.pk}
    deputy = client.get(url, **bearer(duty.deputy_user)).json()
    assert deputy["total"] == 24
    assert client.get(url, **bearer(duty.unit_user)).json()["total"] == 0
    assert_error(client.get(f"{BASE}/duty/shifts?date_from=2026-01-01&date_to=2025-01-01", **headers), 422)
    assert_error(client.get(f"{BASE}/duty/shifts?state=sleeping", **headers), 422)


def test_create_change_confirm_delete(duty, client):
    headers = bearer(duty.station_staff)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = {
        "station": duty.station.pk,
        "deputy": duty.deputy.pk,
        "date": tomorrow,
        "start_time": "09:00",
        "end_time": "11:00",
    }
    created = post_json(client, f"{BASE}/duty/shifts", body, **headers)
    assert created.status_code == 201
    shift_id = created.json()["id"]
    assert_error(post_json(client, f"{BASE}/duty/shifts", body, **headers), 422, "duplicate")
    changed = client.patch(
        f"{BASE}/duty/shifts/{shift_id}",
        {"date": tomorrow, "start_time": "14:00", "end_time": "16:00"},
        content_type="application/json",
        **headers,
    )
    assert changed.status_code == 200 and changed.json()["starts_at"].endswith("T06:00:00Z")
    assert_error(post_json(client, f"{BASE}/duty/shifts/{shift_id}/confirm", {}, **headers), 409)
    assert_error(client.delete(f"{BASE}/duty/shifts/{shift_id}", **bearer(duty.outsider)), 404)
    assert client.delete(f"{BASE}/duty/shifts/{shift_id}", **headers).status_code == 204
    assert DutyShift.objects.count() == 0


def test_check_in_and_swap_by_api(duty, client):
    now = timezone.localtime()
    start = now - dt.timedelta(minutes=30)
    shift = DutyShift.objects.create(
        station=duty.station,
        deputy=duty.deputy,
        date=now.date(),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    headers = bearer(duty.deputy_user)
    bad = post_json(client, f"{BASE}/duty/check-in", {"station": "donghu", "token": "0" * 20}, **headers)
    assert_error(bad, 422, "bad_token")
    done = post_json(
        client, f"{BASE}/duty/check-in", {"station": "donghu", "token": check_in_token("donghu", now.date())}, **headers
    )
    assert done.status_code == 200 and done.json()["state"] == "late" and done.json()["late_minutes"] >= 30
    assert shift.pk == done.json()["id"]

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    future = services.shift_create(
        actor=duty.station_staff, station_id=duty.station.pk, deputy_id=duty.deputy.pk, date=tomorrow
    )
    colleague = duty.station.deputies.exclude(pk=duty.deputy.pk).order_by("code").first()
    swap = post_json(client, f"{BASE}/duty/shifts/{future.pk}/swaps", {"to_deputy": colleague.pk}, **headers)
    assert swap.status_code == 201
    swap_id = swap.json()["id"]
    assert_error(post_json(client, f"{BASE}/duty/swaps/{swap_id}/decision", {"approve": True}, **headers), 404)
    decided = post_json(
        client, f"{BASE}/duty/swaps/{swap_id}/decision", {"approve": True}, **bearer(duty.station_staff)
    )
    assert decided.json()["state"] == "approved"
    future.refresh_from_db()
    assert future.deputy == colleague
