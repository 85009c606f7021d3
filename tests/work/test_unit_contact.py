"""Issue 14 item 3: the unit holding a case may reveal the citizen's contact with a stated reason (audited), and
records its call-back (回访) as an internal timeline entry."""

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from tests.work.helpers import audit_count, case_at

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _reveals(case, result="ok"):
    return AuditEntry.objects.filter(action="case.contact_revealed", subject_id=case.pk, result=result)


def test_holding_unit_reveals_with_a_reason_audited(client, district):
    case = case_at(district, "claimed")
    client.force_login(district.unit_user)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="reveal-reason"' in detail  # the unit is asked why
    response = client.post(reverse("cases:reveal", args=[case.pk]), {"reason": "电话回访核实路灯位置"}, **HTMX)
    assert response.status_code == 200
    assert "13812341234" in response.content.decode()
    entry = _reveals(case).get()
    assert entry.actor == district.unit_user and entry.actor_role == "unit" and entry.public is False
    assert entry.data["reason"] == "电话回访核实路灯位置" and entry.message == "电话回访核实路灯位置"


def test_unit_reveal_without_a_reason_is_refused_with_a_translated_error(client, district):
    case = case_at(district, "claimed")
    with pytest.raises(InvalidInput):
        services.case_reveal_contact(actor=district.unit_user, case_id=case.pk, reason="  ")
    client.force_login(district.unit_user)
    response = client.post(reverse("cases:reveal", args=[case.pk]), {"reason": ""}, **HTMX)
    body = response.content.decode()
    assert "13812341234" not in body and "查看原因" in body and 'role="alert"' in body
    client.cookies["django_language"] = "en"
    response = client.post(reverse("cases:reveal", args=[case.pk]), {"reason": ""}, HTTP_ACCEPT_LANGUAGE="en", **HTMX)
    alert = response.content.decode().split('role="alert">')[1].split("<")[0]
    assert alert and not any("\u4e00" <= ch <= "\u9fff" for ch in alert), alert
    assert not _reveals(case).exists()


def test_unit_no_longer_holding_and_other_units_are_refused(client, district):
    case = case_at(district, "claimed")
    with pytest.raises(NotFound):  # never dispatched to it: a foreign case
        services.case_reveal_contact(actor=district.other_unit_user, case_id=case.pk, reason="回访")
    services.case_return(actor=district.unit_user, case_id=case.pk, reason="不属于我局职责")
    with pytest.raises(NotAllowed):  # it saw the case, but no longer holds it
        services.case_reveal_contact(actor=district.unit_user, case_id=case.pk, reason="回访")
    assert _reveals(case, "denied").count() == 1
    client.force_login(district.unit_user)
    assert client.post(reverse("cases:reveal", args=[case.pk]), {"reason": "回访"}).status_code == 403
    client.force_login(district.other_unit_user)
    assert client.post(reverse("cases:reveal", args=[case.pk]), {"reason": "回访"}).status_code == 404


def test_setting_off_refuses_the_unit(client, district, settings):
    settings.UNIT_CONTACT_REVEAL = False
    case = case_at(district, "claimed")
    with pytest.raises(NotAllowed):
        services.case_reveal_contact(actor=district.unit_user, case_id=case.pk, reason="回访")
    client.force_login(district.unit_user)
    assert 'id="reveal-reason"' not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # staff are not affected, and need no reason
    assert services.case_reveal_contact(actor=district.station_staff, case_id=case.pk)["phone"] == "13812341234"


def test_call_back_is_an_internal_timeline_entry(client, district):
    case = case_at(district, "claimed")
    client.force_login(district.unit_user)
    before = audit_count(case)
    response = client.post(reverse("cases:act", args=[case.pk, "call_back"]), {"message": ""}, **HTMX)
    assert "请填写回访情况" in response.content.decode() and audit_count(case) == before
    response = client.post(reverse("cases:act", args=[case.pk, "call_back"]), {"message": "群众表示已知悉进度"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="case.called_back", subject_id=case.pk)
    assert entry.public is False and entry.actor_role == "unit"
    # the entry keeps the words as typed; the system's sentence is rendered from the action when shown
    assert entry.message == "群众表示已知悉进度" and entry.data["words_only"] is True
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-action="case.called_back"' in detail and "已电话回访。\n群众表示已知悉进度" in detail
    # another unit has no such action
    with pytest.raises(NotFound):
        services.case_call_back(actor=district.other_unit_user, case_id=case.pk, message="x")
