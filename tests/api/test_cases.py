"""Staff endpoints: units, the scoped case list, the case detail and transitions through the whole loop."""

import json

import pytest

from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from lianxin.cases.enums import Light, Status
from lianxin.cases.intake import Submission, case_register
from lianxin.cases.models import Case
from lianxin.cases.photos import prepare_photos
from tests.api.helpers import BASE, assert_error, bearer, post_json, row_counts
from tests.factories import jpeg_bytes, submit_case

pytestmark = pytest.mark.django_db


def _transition(client, headers, case_id, data):
    return post_json(client, f"{BASE}/cases/{case_id}/transitions", data, **headers)


# --- units --------------------------------------------------------------------------------------------


def test_units_for_staff_are_the_active_units(client, district):
    district.other_unit.active = False
    district.other_unit.save()
    response = client.get(f"{BASE}/units", **bearer(district.station_staff))
    assert response.status_code == 200
    assert response.json() == [
        {"id": district.unit.pk, "code": "zjj", "name": "区住建局", "level": "district", "level_label": "区级"}
    ]


def test_units_query_count_is_fixed(client, district, django_assert_max_num_queries):
    headers = bearer(district.office)
    client.get(f"{BASE}/units", **headers)
    with django_assert_max_num_queries(4):  # token, memberships, deputy link, units
        assert client.get(f"{BASE}/units", **headers).status_code == 200


# --- list ---------------------------------------------------------------------------------------------


def test_list_shows_only_visible_cases_with_masked_phones(client, district):
    ours = submit_case()
    submit_case(station_code="xishan", title="西山的事")
    response = client.get(f"{BASE}/cases", **bearer(district.station_staff))
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["page"], body["page_size"]) == (1, 1, 20)
    assert body["items"] == [
        {
            "id": ours.pk,
            "tracking_code": ours.tracking_code,
            "title": "小区路灯不亮",
            "status": "registered",
            "status_label": "已受理",
            "light": ours.light,
            "channel": "qr_station",
            "station": "东湖街道代表联络站",
            "current_unit": None,
            "created_at": body["items"][0]["created_at"],
            "due_at": body["items"][0]["due_at"],
            "contact_phone": "138****1234",
        }
    ]
    assert "13812341234" not in response.content.decode()


def test_list_filters_and_search(client, district):
    lamp = submit_case(title="路灯不亮")
    road = submit_case(title="道路坑洼")
    services.case_acknowledge(actor=district.station_staff, case_id=road.pk, message="收到")
    services.case_dispatch(actor=district.station_staff, case_id=road.pk, unit_id=district.unit.pk)
    Case.objects.filter(pk=lamp.pk).update(light=Light.RED)
    headers = bearer(district.office)

    def ids(**params):
        response = client.get(f"{BASE}/cases", params, **headers)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids(status="dispatched") == [road.pk]
    assert ids(light="red") == [lamp.pk]
    assert ids(q="路灯") == [lamp.pk]
    assert ids(q=road.tracking_code.lower()) == [road.pk]
    assert ids(unit=district.unit.pk) == [road.pk]
    assert ids(station=district.station.pk) == [road.pk, lamp.pk]
    assert ids(station=district.other_station.pk) == []


def test_list_pagination(client, district):
    cases = [submit_case(title=f"第{i}件") for i in range(5)]
    headers = bearer(district.office)
    page = client.get(f"{BASE}/cases", {"page": 2, "page_size": 2}, **headers).json()
    assert page["total"] == 5
    assert [item["id"] for item in page["items"]] == [cases[2].pk, cases[1].pk]


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 101},
        {"page_size": 0},
        {"page": 0},
        {"page": "x"},
        {"status": "lost"},
        {"light": "purple"},
        {"station": "abc"},
        {"unit": 10**30},
        {"q": "q" * 101},
    ],
)
def test_list_rejects_bad_filters(client, district, params):
    error = assert_error(client.get(f"{BASE}/cases", params, **bearer(district.office)), 422, "invalid_input")
    assert list(error["fields"]) == list(params)


def test_list_query_count_does_not_grow_with_cases(client, district, django_assert_num_queries):
    headers = bearer(district.deputy_user)
    submit_case()
    client.get(f"{BASE}/cases", **headers)  # first use records last_used_at

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{BASE}/cases", **headers)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["total"]

    small = count_queries()
    for i in range(25):
        case = submit_case(title=f"第{i}件")
        if i % 3 == 0:
            services.case_acknowledge(actor=district.station_staff, case_id=case.pk, message="收到")
            services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    large = count_queries()
    assert (small[1], large[1]) == (1, 26)
    assert small[0] == large[0]
    # token + user, memberships, deputy link, count, page
    with django_assert_num_queries(5):
        client.get(f"{BASE}/cases", **headers)


# --- detail -------------------------------------------------------------------------------------------


def test_detail_has_full_timeline_photos_dispatches_and_allowed_actions(client, district):
    case, _created = case_register(
        submission=Submission(
            title="路灯",
            details="路灯坏了",
            channel="qr_station",
            station_code="donghu",
            contact_name="张三",
            contact_phone="13812341234",
            consent=True,
        ),
        photos=prepare_photos([jpeg_bytes()]),
    )
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到")
    services.case_add_note(actor=district.station_staff, case_id=case.pk, message="内部备注")
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    response = client.get(f"{BASE}/cases/{case.pk}", **bearer(district.unit_user))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "dispatched"
    assert body["contact_phone"] == "138****1234"
    assert body["contact_name"] == "张*"
    assert body["allowed_actions"] == ["claim", "return", "note", "call_back"]
    timeline = [(e["action"], e["actor"], e["actor_role"], e["public"]) for e in body["timeline"]]
    assert timeline == [
        ("case.registered", None, "", True),
        ("case.acknowledged", "deputy", "deputy", True),
        ("case.noted", "station", "station", False),
        ("case.dispatched", "station", "station", True),
    ]
    assert body["timeline"][2]["actor_role_label"] == "联络站工作人员"
    assert [d["unit"]["name"] for d in body["dispatches"]] == ["区住建局"]
    assert body["dispatches"][0]["state"] == "pending"
    assert len(body["photos"]) == 1
    photo_url = body["photos"][0]["url"]
    assert photo_url == f"/api/v1/cases/{case.pk}/photos/{case.photos.get().pk}"
    assert "13812341234" not in response.content.decode()


def test_detail_query_count_is_bounded(client, district, django_assert_max_num_queries):
    case = submit_case()
    for i in range(10):
        services.case_add_note(actor=district.station_staff, case_id=case.pk, message=f"备注{i}")
    headers = bearer(district.station_staff)
    client.get(f"{BASE}/cases/{case.pk}", **headers)
    with django_assert_max_num_queries(12):
        assert client.get(f"{BASE}/cases/{case.pk}", **headers).status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [("abc", 422), ("0", 422), ("-1", 422), (str(10**30), 422), ("999999", 404), ("1.5", 422)],
)
def test_detail_with_a_bad_or_unknown_id(client, district, path, status):
    assert_error(client.get(f"{BASE}/cases/{path}", **bearer(district.office)), status)


def test_someone_elses_case_is_404(client, district):
    case = submit_case()
    error = assert_error(client.get(f"{BASE}/cases/{case.pk}", **bearer(district.outsider)), 404, "not_found")
    unknown = assert_error(client.get(f"{BASE}/cases/{case.pk + 1000}", **bearer(district.outsider)), 404)
    assert error == unknown


# --- transitions --------------------------------------------------------------------------------------


def test_the_whole_loop_through_the_api(client, district):
    case = submit_case()
    deputy, staff, unit = bearer(district.deputy_user), bearer(district.station_staff), bearer(district.unit_user)
    steps = [
        (deputy, {"action": "acknowledge", "message": "收到，我来跟进。"}, "acknowledged"),
        (staff, {"action": "dispatch", "unit_id": district.unit.pk, "request_type": "help"}, "dispatched"),
        (unit, {"action": "claim"}, "claimed"),
        (unit, {"action": "request_extension", "workdays": 3, "reason": "需要采购灯具"}, "claimed"),
        (staff, {"action": "approve_extension", "message": "同意"}, "claimed"),
        (unit, {"action": "reply", "message": "已更换灯泡。"}, "replied"),
        (deputy, {"action": "feedback", "message": "路灯修好了。"}, "fed_back"),
    ]
    for headers, data, status in steps:
        response = _transition(client, headers, case.pk, data)
        assert response.status_code == 200, (data, response.content.decode())
        assert response.json()["status"] == status
    assert response.json()["allowed_actions"] == ["note"]
    token = follow_up_token(case.tracking_code)
    rated = post_json(
        client, f"{BASE}/cases/track/{case.tracking_code}/rating", {"token": token, "rating": "satisfied"}
    )
    assert rated.json()["status"] == "rated"
    closed = _transition(client, staff, case.pk, {"action": "close"})
    assert closed.json()["status"] == "closed"
    assert closed.json()["timeline"][-1]["action"] == "case.closed"


OTHER_ACTIONS = [
    ({"action": "resolve_on_spot", "message": "当场解决"}, "case.resolved", "resolved"),
    ({"action": "escalate", "message": "需要区里协调"}, "case.escalated", "escalated"),
    ({"action": "decline", "reason": "已在诉讼中"}, "case.declined", "declined"),
    ({"action": "convert", "message": "转为代表建议"}, "case.converted", "converted"),
    ({"action": "urge", "message": "请尽快"}, "case.urged", "registered"),
    ({"action": "note", "message": "备注"}, "case.noted", "registered"),
    ({"action": "return", "reason": "不属于本单位"}, "case.returned", "returned"),
    ({"action": "reject_extension", "message": "理由不足"}, "case.extension_rejected", "claimed"),
]


@pytest.mark.parametrize(("data", "event", "status"), OTHER_ACTIONS, ids=[a[0]["action"] for a in OTHER_ACTIONS])
def test_other_actions_reach_their_services(client, district, data, event, status):
    case = submit_case()
    if data["action"] in {"return", "reject_extension"}:
        services.case_acknowledge(actor=district.station_staff, case_id=case.pk, message="收到")
        services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
        services.case_claim(actor=district.unit_user, case_id=case.pk)
        if data["action"] == "reject_extension":
            services.case_request_extension(actor=district.unit_user, case_id=case.pk, workdays=2, reason="忙")
    elif data["action"] in {"escalate", "convert"}:
        services.case_acknowledge(actor=district.station_staff, case_id=case.pk, message="收到")
    actor = district.unit_user if data["action"] == "return" else district.office
    response = _transition(client, bearer(actor), case.pk, data)
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert (body["timeline"][-1]["action"], body["status"]) == (event, status)
    case.refresh_from_db()
    assert case.status == status


BAD_TRANSITIONS = [
    ("empty body", b"", 422, "invalid_input"),
    ("malformed json", b'{"action": ', 400, "malformed_json"),
    ("unknown action", json.dumps({"action": "teleport"}), 422, "unknown_action"),
    ("action is a number", json.dumps({"action": 7}), 422, "invalid_input"),
    ("message is a number", json.dumps({"action": "note", "message": 5}), 422, "invalid_input"),
    ("missing message", json.dumps({"action": "note"}), 422, "invalid_input"),
    ("blank message", json.dumps({"action": "note", "message": "  "}), 422, "invalid_input"),
    ("huge message", json.dumps({"action": "note", "message": "长" * 6000}), 422, "invalid_input"),
    ("unit id is text", json.dumps({"action": "dispatch", "unit_id": "x"}), 422, "invalid_input"),
    ("unit id overflow", json.dumps({"action": "dispatch", "unit_id": 10**30}), 422, "invalid_input"),
    ("unknown unit", json.dumps({"action": "dispatch", "unit_id": 999999}), 422, "invalid_input"),
    ("not allowed now", json.dumps({"action": "close"}), 409, "not_allowed"),
    ("not this role", json.dumps({"action": "claim"}), 409, "not_allowed"),
]


@pytest.mark.parametrize(("name", "body", "status", "code"), BAD_TRANSITIONS, ids=[b[0] for b in BAD_TRANSITIONS])
def test_bad_transition_changes_nothing(client, district, name, body, status, code):
    case = submit_case()
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到")
    headers = bearer(district.station_staff)
    before = row_counts()
    response = client.post(f"{BASE}/cases/{case.pk}/transitions", body, content_type="application/json", **headers)
    assert_error(response, status, code)
    assert row_counts() == before
    case.refresh_from_db()
    assert case.status == Status.ACKNOWLEDGED


def test_transition_on_someone_elses_case_is_404_even_for_an_unknown_action(client, district):
    case = submit_case()
    headers = bearer(district.outsider)
    before = row_counts()
    for data in ({"action": "acknowledge", "message": "我来"}, {"action": "teleport"}):
        assert_error(_transition(client, headers, case.pk, data), 404, "not_found")
    assert_error(_transition(client, headers, "abc", {"action": "claim"}), 422, "invalid_input")
    assert row_counts() == before
