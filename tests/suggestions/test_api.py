"""The suggestions API: list, draft, detail with timeline, transitions; permissions and the error shape."""

import base64

import pytest

from lianxin.suggestions.models import Suggestion
from tests.api.helpers import BASE, assert_error, bearer, post_json
from tests.suggestions.factories import acknowledged_case, fields, suggestion_at

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def step(client, user, s, **data):
    return post_json(client, f"{BASE}/suggestions/{s.pk}/transitions", data, **bearer(user))


def test_deputy_drafts_submits_and_reads_the_timeline(client, world):
    case = acknowledged_case(world)
    auth = bearer(world.deputy)
    response = post_json(client, f"{BASE}/suggestions", {**fields(world), "case_ids": [case.pk]}, **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["case_ids"] == [case.pk] and body["problems"] == {}
    assert body["allowed_actions"] == ["edit", "add_cosigner", "link_cases", "submit"]
    sid = body["id"]
    response = post_json(client, f"{BASE}/suggestions/{sid}/transitions", {"action": "submit"}, **auth)
    assert response.status_code == 200 and response.json()["state"] == "reviewing"
    detail = client.get(f"{BASE}/suggestions/{sid}", **auth).json()
    assert [e["action"] for e in detail["timeline"]] == [
        "suggestion.drafted",
        "suggestion.cases_linked",
        "suggestion.submitted",
    ]
    assert detail["review_stage"] == "代表工作机构初审"


def test_the_whole_path_through_the_api(client, world):
    s = suggestion_at(world, "accepted")
    assert (
        step(
            client,
            world.office,
            s,
            action="assign",
            mode="lead",
            lead_unit_id=world.d.unit.pk,
            co_unit_ids=[world.d.other_unit.pk],
        ).status_code
        == 200
    )
    assert step(client, world.lead_unit, s, action="sign").json()["state"] == "handling"
    step(client, world.co_unit, s, action="sign")
    step(client, world.co_unit, s, action="send_opinion", message="同意。")
    step(
        client,
        world.lead_unit,
        s,
        action="record_contact",
        kind="face_to_face",
        happened_on=str(s.created_at.date()),
        note="面商。",
    )
    bad = step(
        client, world.lead_unit, s, action="answer", category="A", signed_by="李局长", document_base64="not base64!"
    )
    assert_error(bad, 422)
    response = step(
        client,
        world.lead_unit,
        s,
        action="answer",
        category="A",
        signed_by="李局长",
        document_base64=base64.b64encode(PDF).decode(),
    )
    assert response.status_code == 200 and response.json()["answers"][0]["has_document"] is True
    response = step(client, world.deputy, s, action="rate", rating="satisfied")
    assert response.json()["state"] == "closed"


def test_list_is_scoped_by_persona(client, world):
    s = suggestion_at(world, "assigned")
    suggestion_at(world, "draft", title="关于草稿的建议")
    expected = {
        "office": [s.pk],
        "lead_unit": [s.pk],
        "co_unit": [s.pk],
        "leader": [s.pk],
        "outsider": [],
        "auditor": [],
        "third_unit_user": [],
    }
    for persona, ids in expected.items():
        response = client.get(
            f"{BASE}/suggestions?tab=all" if persona in ("office", "leader") else f"{BASE}/suggestions",
            **bearer(getattr(world, persona)),
        )
        assert response.status_code == 200
        assert [i["id"] for i in response.json()["items"]] == ids, persona
    response = client.get(f"{BASE}/suggestions?tab=drafts", **bearer(world.deputy))
    assert len(response.json()["items"]) == 1
    assert_error(client.get(f"{BASE}/suggestions?tab=review", **bearer(world.deputy)), 422)


def test_list_query_count(client, world, django_assert_max_num_queries):
    for i in range(4):
        suggestion_at(world, "reviewing", title=f"关于第{i}件事的建议")
    auth = bearer(world.office)
    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/suggestions?tab=all", **auth)
    assert response.json()["total"] == 4


@pytest.mark.parametrize(
    ("persona", "action", "status"),
    [
        ("office", "accept", 200),
        ("deputy", "accept", 409),
        ("lead_unit", "accept", 404),
        ("outsider", "accept", 404),
        ("auditor", "accept", 404),
        ("leader", "accept", 409),
        ("cosigner", "accept", 404),
        ("office", "fly", 422),
        ("outsider", "fly", 404),
    ],
)
def test_transition_permission_table(client, world, persona, action, status):
    s = suggestion_at(world, "reviewing")
    response = step(client, getattr(world, persona), s, action=action)
    if status == 200:
        assert response.status_code == 200
    else:
        assert_error(response, status)


def test_bad_input_gets_the_error_shape_and_stores_nothing(client, world):
    auth = bearer(world.deputy)
    assert_error(client.get(f"{BASE}/suggestions"), 401)
    assert_error(post_json(client, f"{BASE}/suggestions", "[1, 2]", **auth), 422)
    assert_error(post_json(client, f"{BASE}/suggestions", "{not json", **auth), 400)
    assert_error(post_json(client, f"{BASE}/suggestions", {**fields(world), "title": ""}, **auth), 422)
    assert_error(post_json(client, f"{BASE}/suggestions", {**fields(world), "category_id": "x"}, **auth), 422)
    assert_error(post_json(client, f"{BASE}/suggestions", {**fields(world), "case_ids": [999]}, **auth), 422)
    assert_error(post_json(client, f"{BASE}/suggestions", fields(world), **bearer(world.office)), 409)
    assert_error(client.get(f"{BASE}/suggestions/0", **auth), 422)
    assert_error(client.get(f"{BASE}/suggestions/99999", **auth), 404)
    assert not Suggestion.objects.exists()
    s = suggestion_at(world, "draft")
    error = assert_error(step(client, world.deputy, s, action="submit", title=5), 422)
    assert "title" in error["fields"]
    response = step(client, world.deputy, s, action="edit", situation="此事正在诉讼中。")
    assert response.status_code == 200 and "situation" in response.json()["problems"]
    error = assert_error(step(client, world.deputy, s, action="submit"), 422, "not_admissible")
    assert "诉讼" in error["message"]
