"""The events API: public sign-up with the private token, staff endpoints, permissions, the error shape."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.events.codes import signup_token
from lianxin.events.models import Event, SignUp
from tests.api.helpers import BASE, assert_error, bearer, post_json
from tests.events.conftest import make_event, sign_up


def test_public_list_and_detail(client, district, event, django_assert_max_num_queries):
    make_event(district, title="草稿", publish=False)
    for n in range(4):
        make_event(district, title=f"活动{n}")
    with django_assert_max_num_queries(2):
        items = client.get(f"{BASE}/events").json()["items"]
    assert len(items) == 5 and "草稿" not in [i["title"] for i in items]
    detail = client.get(f"{BASE}/events/{event.pk}").json()
    assert (detail["capacity"], detail["confirmed"], detail["open_for_signup"]) == (3, 0, True)
    assert_error(client.get(f"{BASE}/events/999999"), 404, "not_found")
    assert_error(client.get(f"{BASE}/events/abc"), 422)


def test_sign_up_follow_and_cancel(client, event):
    response = post_json(
        client, f"{BASE}/events/{event.pk}/signups", {"name": "张三", "phone": "13812341234", "consent": True}
    )
    assert response.status_code == 201
    body = response.json()
    signup = SignUp.objects.get()
    assert body == {
        "code": signup.code,
        "token": signup_token(signup.code),
        "status": "confirmed",
        "status_label": "已报名",
        "checkin_code": signup.checkin_code,
        "event_id": event.pk,
    }
    again = post_json(
        client, f"{BASE}/events/{event.pk}/signups", {"name": "张三", "phone": "13812341234", "consent": True}
    )
    assert_error(again, 409, "already_signed_up")
    assert client.get(f"{BASE}/signups/{signup.code}?token={body['token']}").json()["status"] == "confirmed"
    assert_error(client.get(f"{BASE}/signups/{signup.code}?token=bad"), 404, "not_found")
    assert_error(post_json(client, f"{BASE}/signups/{signup.code}/cancel", {"token": "bad"}), 404)
    cancelled = post_json(client, f"{BASE}/signups/{signup.code}/cancel", {"token": body["token"]})
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["checkin_code"] is None


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "", "phone": "13812341234", "consent": True}, 422, "name"),
        ({"name": "张三", "phone": "123", "consent": True}, 422, "phone"),
        ({"name": "张三", "phone": "13812341234"}, 422, "consent"),
        ({"name": 5, "phone": "13812341234", "consent": True}, 422, "name"),
        ({"phone": "13812341234", "consent": True}, 422, "name"),
        ({"name": "张" * 101, "phone": "13812341234", "consent": True}, 422, "name"),
        ("[1, 2]", 422, None),
        ("{not json", 400, None),
    ],
)
def test_bad_sign_ups_get_the_error_shape_and_store_nothing(client, event, body, status, field):
    error = assert_error(post_json(client, f"{BASE}/events/{event.pk}/signups", body), status)
    if field:
        assert field in error["fields"]
    assert SignUp.objects.count() == 0


def test_wrong_content_type_is_415(client, event):
    response = client.post(f"{BASE}/events/{event.pk}/signups", "name=张三", content_type="text/plain")
    assert_error(response, 415)


def _event_body(district, **fields):
    start = timezone.now() + dt.timedelta(days=2)
    body = {
        "station_id": district.station.pk,
        "kind": "training",
        "title": "代表履职培训",
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=3)).isoformat(),
        "capacity": 20,
        "publish": True,
    }
    body.update(fields)
    return body


def test_staff_create_sign_ups_attendance_and_case(client, district):
    headers = bearer(district.station_staff)
    response = post_json(client, f"{BASE}/staff/events", _event_body(district), **headers)
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    signup = sign_up(Event.objects.get(pk=event_id), 1, name="钱七")
    listing = client.get(f"{BASE}/staff/events/{event_id}/signups", **headers).json()["items"]
    assert [(s["name"], s["phone"], s["status"]) for s in listing] == [("钱*", "138****0001", "confirmed")]
    checked = post_json(
        client, f"{BASE}/staff/events/{event_id}/attendance", {"checkin_code": signup.checkin_code}, **headers
    )
    assert checked.status_code == 200 and checked.json()["attended_at"]
    assert_error(
        post_json(
            client, f"{BASE}/staff/events/{event_id}/attendance", {"checkin_code": signup.checkin_code}, **headers
        ),
        409,
        "already_attended",
    )
    case = post_json(
        client,
        f"{BASE}/staff/events/{event_id}/cases",
        {"title": "路灯不亮", "details": "门口路灯坏了", "consent": True},
        **headers,
    )
    assert case.status_code == 201
    detail = client.get(f"{BASE}/staff/events/{event_id}", **headers).json()
    assert detail["cases"] == [case.json()["tracking_code"]] and detail["attended"] == 1


def test_staff_create_bad_input(client, district):
    headers = bearer(district.station_staff)
    for fields, field in [
        ({"capacity": 0}, "capacity"),
        ({"kind": "station_visit"}, "unit"),
        ({"title": ""}, "title"),
        ({"station_id": district.other_station.pk}, "station"),
        ({"starts_at": "明天"}, "starts_at"),
    ]:
        error = assert_error(post_json(client, f"{BASE}/staff/events", _event_body(district, **fields), **headers), 422)
        assert field in error["fields"]
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "detail", "listed"),
    [
        ("office", 200, 1),
        ("station_staff", 200, 1),
        ("outsider", 404, 0),
        ("deputy_user", 404, 0),
        ("auditor", 404, 0),
        ("unit_user", 404, 0),
    ],
)
def test_staff_permission_matrix(client, district, event, persona, detail, listed):
    headers = bearer(district.persona(persona))
    response = client.get(f"{BASE}/staff/events/{event.pk}", **headers)
    assert response.status_code == detail
    assert len(client.get(f"{BASE}/staff/events", **headers).json()["items"]) == listed
    if detail == 404:
        assert_error(post_json(client, f"{BASE}/staff/events/{event.pk}/cancel", {"reason": "测试"}, **headers), 404)
        assert_error(client.get(f"{BASE}/staff/events/{event.pk}/signups", **headers), 404)
    assert Event.objects.get(pk=event.pk).status == "published"


def test_staff_endpoints_need_a_token(client, event):
    assert_error(client.get(f"{BASE}/staff/events"), 401, "unauthorized")
    assert_error(post_json(client, f"{BASE}/staff/events/{event.pk}/publish", {}), 401)


def test_department_visits_endpoint(client, district):
    event = make_event(district, kind="station_visit", unit_id=district.unit.pk)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(days=1))
    items = client.get(f"{BASE}/staff/department-visits", **bearer(district.leader)).json()["items"]
    assert items == [{"unit_id": district.unit.pk, "unit_name": "区住建局", "visits": 1}]
    assert client.get(f"{BASE}/staff/department-visits", **bearer(district.unit_user)).json()["items"] == []
