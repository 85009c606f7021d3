"""The unit's reveal of the citizen's contact with a stated reason (LIANXIN_UNIT_CONTACT_REVEAL) through the API,
with the web's rules, audit and errors: POST /api/v1/cases/{id}/contact."""

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from tests.api.helpers import BASE, assert_error, bearer, post_json
from tests.work.helpers import case_at

pytestmark = pytest.mark.django_db


def reveal(client, user, case, **body):
    return post_json(client, f"{BASE}/cases/{case.pk}/contact", body, **bearer(user))


def reveals(case, result="ok"):
    return AuditEntry.objects.filter(action="case.contact_revealed", subject_id=case.pk, result=result)


def test_the_holding_unit_reveals_with_a_reason_audited(client, district):
    case = case_at(district, "claimed")
    response = reveal(client, district.unit_user, case, reason="电话回访核实路灯位置")
    assert response.status_code == 200, response.content
    assert response.json() == {"name": "张三", "phone": "13812341234"}
    assert "no-store" in response["Cache-Control"]
    entry = reveals(case).get()
    assert (entry.actor, entry.actor_role, entry.public) == (district.unit_user, "unit", False)
    assert entry.data["reason"] == entry.message == "电话回访核实路灯位置"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "长" * 201}])
def test_the_unit_must_state_a_reason_and_nothing_is_revealed_without_one(client, district, body):
    case = case_at(district, "claimed")
    error = assert_error(reveal(client, district.unit_user, case, **body), 422)
    assert "reason" in error["fields"] and "13812341234" not in str(error)
    assert not reveals(case).exists()


def test_the_error_is_in_english_when_asked(client, district):
    case = case_at(district, "claimed")
    response = post_json(
        client, f"{BASE}/cases/{case.pk}/contact", {}, HTTP_ACCEPT_LANGUAGE="en", **bearer(district.unit_user)
    )
    message = assert_error(response, 422)["message"]
    assert message and not any("\u4e00" <= ch <= "\u9fff" for ch in message), message


def test_a_unit_no_longer_holding_is_refused_audited_and_a_foreign_unit_gets_a_404(client, district):
    case = case_at(district, "claimed")
    assert_error(reveal(client, district.other_unit_user, case, reason="回访"), 404, "not_found")
    services.case_return(actor=district.unit_user, case_id=case.pk, reason="不属于我局职责")
    assert_error(reveal(client, district.unit_user, case, reason="回访"), 403, "reveal_not_allowed")
    assert (reveals(case, "denied").count(), reveals(case).count()) == (1, 0)


def test_setting_off_refuses_the_unit_but_not_staff(client, district, settings):
    settings.UNIT_CONTACT_REVEAL = False
    case = case_at(district, "claimed")
    assert_error(reveal(client, district.unit_user, case, reason="回访"), 403, "reveal_not_allowed")
    response = reveal(client, district.station_staff, case)  # staff need no reason
    assert response.status_code == 200 and response.json()["phone"] == "13812341234"


def test_anonymous_and_unknown_fields_are_refused(client, district):
    case = case_at(district, "claimed")
    assert post_json(client, f"{BASE}/cases/{case.pk}/contact", {"reason": "x"}).status_code == 401
    assert_error(reveal(client, district.unit_user, case, reason="回访", phone="x"), 422)
    assert not reveals(case).exists()


# office station deputy unit leader auditor outsider other_unit anonymous (the API permission matrix's personas)
CONTACT_EXPECTED = {
    "office": 200,
    "station_staff": 200,
    "deputy_user": 200,
    "unit_user": 200,  # holds the dispatched case, states a reason
    "leader": 403,  # sees the case, may not call the citizen
    "auditor": 404,
    "outsider": 404,
    "other_unit_user": 404,
}


@pytest.mark.parametrize(("persona", "expected"), CONTACT_EXPECTED.items())
def test_contact_permission_matrix(client, district, persona, expected):
    case = case_at(district, "dispatched")
    response = reveal(client, district.persona(persona), case, reason="电话回访")
    if expected == 200:
        assert response.status_code == 200 and response.json()["phone"] == "13812341234"
        assert reveals(case).count() == 1
    else:
        assert_error(response, expected)
        assert not reveals(case).exists()
