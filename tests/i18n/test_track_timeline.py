"""The citizen's timeline in the reader's language: steps the system words itself are rendered when shown,
not the Chinese sentence stored when they happened; words a person wrote stay as written."""

import re

import pytest
from django.test import Client

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from tests.audit.helpers import trigger_off
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def timeline_texts(response) -> list[str]:
    section = response.content.decode().split('<ol class="timeline', 1)[1].split("</ol>", 1)[0]
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'<div class="pre-line small">(.*?)</div>', section, re.S)
    ]


def track(client, case):
    return client.get(f"/track/{case.tracking_code}", {"token": follow_up_token(case.tracking_code)})


def english_by_the_switcher() -> Client:
    """The language as the site sets it: the switcher's POST stores the choice in the language cookie."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    return client


def test_registered_step_in_english_with_the_english_switch(district):
    case = submit_case()
    response = track(english_by_the_switcher(), case)
    assert response.status_code == 200
    assert timeline_texts(response) == [f"Your matter has been accepted. Tracking code {case.tracking_code}."]
    assert "您反映的问题已受理" not in response.content.decode()


def test_registered_step_in_chinese_by_default(district):
    case = submit_case()
    response = track(Client(), case)
    assert timeline_texts(response) == [f"您反映的问题已受理，查询码 {case.tracking_code}。"]


def test_what_intake_stores_is_unchanged(district):
    case = submit_case()
    track(english_by_the_switcher(), case)
    stored = AuditEntry.objects.get(subject_id=case.pk, action="case.registered").message
    assert stored == f"您反映的问题已受理，查询码 {case.tracking_code}。"


def test_a_deputy_s_own_words_stay_as_written(district):
    case = submit_case()
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到，我来跟进。")
    texts = timeline_texts(track(english_by_the_switcher(), case))
    assert texts == [f"Your matter has been accepted. Tracking code {case.tracking_code}.", "收到，我来跟进。"]


def test_approved_extension_in_english_and_an_old_entry_without_workdays_as_stored(district):
    case = submit_case()
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到。")
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    services.case_claim(actor=district.unit_user, case_id=case.pk)
    services.case_request_extension(actor=district.unit_user, case_id=case.pk, workdays=5, reason="需要协调供电公司。")
    services.case_decide_extension(actor=district.station_staff, case_id=case.pk, approve=True)
    client = english_by_the_switcher()
    assert "Handling time limit extended by 5 working days." in timeline_texts(track(client, case))

    entry = AuditEntry.objects.get(subject_id=case.pk, action="case.extension_approved")
    entry.data = {key: value for key, value in entry.data.items() if key != "workdays"}
    with trigger_off():  # an entry written before extensions recorded workdays (the audit log is append-only)
        entry.save(update_fields=["data"])
    assert "办理时限延长 5 个工作日。" in timeline_texts(track(client, case))


def test_public_api_timeline_in_english(district):
    case = submit_case()
    url = f"/api/v1/cases/track/{case.tracking_code}"
    token = {"token": follow_up_token(case.tracking_code)}
    english = english_by_the_switcher().get(url, token).json()["timeline"]
    chinese = Client().get(url, token).json()["timeline"]
    assert [(e["label"], e["message"]) for e in english] == [
        ("Registered", f"Your matter has been accepted. Tracking code {case.tracking_code}.")
    ]
    assert [(e["label"], e["message"]) for e in chinese] == [
        ("已受理", f"您反映的问题已受理，查询码 {case.tracking_code}。")
    ]


def test_dispatch_claim_and_rating_in_the_reader_s_language_with_the_words_as_typed(district):
    case = submit_case()
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到。")
    services.case_dispatch(
        actor=district.station_staff,
        case_id=case.pk,
        unit_id=district.unit.pk,
        message="请三日内核实。",
        instruction_public=True,
    )
    services.case_claim(actor=district.unit_user, case_id=case.pk)
    services.case_reply(actor=district.unit_user, case_id=case.pk, message="已修复。")
    services.case_feedback(actor=district.station_staff, case_id=case.pk, message="已修复，请查看。")
    services.case_rate(
        tracking_code=case.tracking_code, token=follow_up_token(case.tracking_code), rating="satisfied", comment="很快"
    )
    english = timeline_texts(track(english_by_the_switcher(), case))
    chinese = timeline_texts(track(Client(), case))
    assert english[2:4] == ["Assigned to 区住建局. 请三日内核实。", "区住建局 has claimed it."]
    assert english[-1] == "Citizen rating: Satisfied. 很快"
    assert chinese[2:4] == ["已交办区住建局办理。 请三日内核实。", "区住建局已签收。"]
    assert chinese[-1] == "群众评价：满意。 很快"
    # stored: the action's data and the person's words only
    rated = AuditEntry.objects.get(subject_id=case.pk, action="case.rated")
    assert rated.message == "很快" and rated.data["rating"] == "satisfied" and rated.data["words_only"] is True
    dispatched = AuditEntry.objects.get(subject_id=case.pk, action="case.dispatched")
    assert dispatched.message == "请三日内核实。" and dispatched.data["unit"] == "区住建局"


def test_an_entry_written_before_shows_its_stored_sentence(district):
    """Rows from before the change hold the whole Chinese sentence and no `words_only`: shown as stored."""
    case = submit_case()
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到。")
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    entry = AuditEntry.objects.get(subject_id=case.pk, action="case.dispatched")
    entry.message = "已交办区住建局办理。"
    entry.data = {key: value for key, value in entry.data.items() if key not in ("words_only", "unit")}
    with trigger_off():
        entry.save(update_fields=["message", "data"])
    assert timeline_texts(track(english_by_the_switcher(), case))[2] == "已交办区住建局办理。"
