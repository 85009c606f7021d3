"""Personal data typed into free text, beyond the case's title and details: the answers and replies in the staff
API, consultation comments on the work screen and in the staff API, voters' contact records, reports and rating
comments, the reception register, suggestions quoting cases, the cockpit's lists, the audit export, and the public
forms that tell the citizen. Masked by default; an audited reveal (`?reveal=1` on a page, `reveal=true` in the API)
for office, station and deputy; any other role is refused with a 403 that is audited too."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.duty.models import Reception
from lianxin.suggestions.models import Suggestion
from lianxin.voters.models import ReportRating, VoterContact, VoterReport
from tests.api.helpers import bearer
from tests.factories import submit_case
from tests.privacy.test_personal_data_pages import DETAILS, SECRETS, assert_masked, published_comment
from tests.work.helpers import case_at

pytestmark = pytest.mark.django_db

REPLY = "2026-12-03 已联系业主，修好了。业主电话13912345678，身份证11010519491231002X，邮箱li.si@example.com。"


def entries(action: str, **filters):
    return list(AuditEntry.objects.filter(action=action, **filters).order_by("id"))


def assert_whole(body: str):
    for secret in SECRETS:
        assert secret in body


# --- cases: the answers, reasons and replies in the staff API and on the work screen ----------------------------


@pytest.fixture
def replied_case(district) -> Case:
    case = case_at(district, "replied")
    case.dispatches.update(reply=REPLY)
    Case.objects.filter(pk=case.pk).update(public_answer=REPLY, details=DETAILS)
    return case


def test_the_staff_api_masks_the_answer_and_the_replies(client, district, replied_case):
    body = client.get(f"/api/v1/cases/{replied_case.pk}", **bearer(district.station_staff)).json()
    assert_masked(body["public_answer"])
    assert_masked(body["dispatches"][0]["reply"])
    assert_masked(body["details"])
    assert not entries("case.text_revealed")


def test_the_staff_api_reveal_shows_everything_and_is_audited(client, district, replied_case):
    body = client.get(f"/api/v1/cases/{replied_case.pk}?reveal=true", **bearer(district.station_staff)).json()
    assert_whole(body["public_answer"])
    assert_whole(body["dispatches"][0]["reply"])
    assert_whole(body["details"])
    [entry] = entries("case.text_revealed")
    assert (entry.actor, entry.result, entry.data) == (
        district.station_staff,
        "ok",
        {"kinds": ["email", "id_card", "mobile"]},
    )


def test_the_staff_api_refuses_the_reveal_to_a_unit_with_403_and_audits_it(client, district, replied_case):
    response = client.get(f"/api/v1/cases/{replied_case.pk}?reveal=true", **bearer(district.unit_user))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "reveal_not_allowed"
    [entry] = entries("case.text_revealed")
    assert (entry.actor, entry.result) == (district.unit_user, "denied")
    assert not any(secret in str(entry.data) for secret in SECRETS)


def test_the_work_screen_masks_the_answer_and_reply_and_the_reveal_shows_them(client, district, replied_case):
    client.force_login(district.station_staff)
    page = client.get(reverse("cases:detail", args=[replied_case.pk])).content.decode()
    assert_masked(page)
    shown = client.post(reverse("cases:reveal_text", args=[replied_case.pk]), headers={"HX-Request": "true"})
    assert REPLY in shown.content.decode()


# --- consultations: the moderation screen and the staff API -------------------------------------------------------


def test_the_moderation_screen_masks_comments_and_the_reveal_is_audited(client, district):
    consultation = published_comment(district, DETAILS)
    client.force_login(district.station_staff)
    url = reverse("consultations:detail", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert "139****5678" in page  # the moderated list shows the first 80 characters
    assert not any(secret in page for secret in SECRETS)
    assert 'id="reveal-text"' in page
    revealed = client.get(url, {"reveal": "1"}).content.decode()
    assert "13912345678" in revealed
    assert 'id="text-revealed"' in revealed
    [entry] = entries("consultation.text_revealed", subject_id=consultation.pk)
    assert (entry.actor, entry.result, entry.data["kinds"]) == (
        district.station_staff,
        "ok",
        ["email", "id_card", "mobile"],
    )


def test_the_staff_comment_api_masks_and_reveals(client, district):
    consultation = published_comment(district, DETAILS)
    url = f"/api/v1/staff/consultations/{consultation.pk}/comments"
    masked = client.get(url, **bearer(district.office)).json()["items"][0]["body"]
    assert_masked(masked)
    whole = client.get(url, {"reveal": "true"}, **bearer(district.office)).json()["items"][0]["body"]
    assert_whole(whole)
    assert entries("consultation.text_revealed")[0].actor == district.office
    assert client.get(url, {"reveal": "true"}, **bearer(district.outsider)).status_code == 404  # not theirs


def test_the_comment_form_tells_the_citizen(client, district):
    consultation = published_comment(district, "同意")
    page = client.get(reverse("consultations:public_detail", args=[consultation.pk])).content.decode()
    assert "写了也会在公开页面、导出和无权查看的人员面前自动隐藏" in page


# --- voters: contact records, reports and the voters' comments ---------------------------------------------------


@pytest.fixture
def voter_texts(district):
    VoterContact.objects.create(
        deputy=district.deputy, contacted_on=timezone.localdate(), way="visit", summary=DETAILS, raised=REPLY
    )
    report = VoterReport.objects.create(
        deputy=district.deputy,
        title="2026 年述职",
        held_on=timezone.localdate(),
        place="东湖街道代表联络站",
        text=f"本人联系电话13912345678。{DETAILS}",
        rating_closes_at=timezone.now() + dt.timedelta(days=7),
        status="published",
        published_at=timezone.now(),
    )
    ReportRating.objects.create(
        report=report, phone_hash="h", phone_enc="e", phone_masked="139****0000", rating="satisfied", comment=DETAILS
    )
    return report


def test_the_deputys_contact_records_are_masked_and_revealed_with_an_audit_entry(client, district, voter_texts):
    client.force_login(district.deputy_user)
    url = reverse("voters:deputy", args=[district.deputy.pk])
    page = client.get(url).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    revealed = client.get(url, {"reveal": "1"}).content.decode()
    assert "13912345678" in revealed
    [entry] = entries("voters.contact_text_revealed")
    assert (entry.actor, entry.result) == (district.deputy_user, "ok")


def test_the_contact_api_masks_and_reveals(client, district, voter_texts):
    url = "/api/v1/voters/contacts"
    item = client.get(url, {"deputy_id": district.deputy.pk}, **bearer(district.office)).json()["items"][0]
    assert_masked(item["summary"])
    assert_masked(item["raised"])
    item = client.get(url, {"deputy_id": district.deputy.pk, "reveal": "true"}, **bearer(district.office)).json()
    assert_whole(item["items"][0]["summary"])
    assert entries("voters.contact_text_revealed")[0].actor == district.office


def test_a_report_and_its_comments_are_masked_on_every_page_and_in_the_api(client, district, voter_texts):
    report = voter_texts
    public = client.get(reverse("voters:public_report", args=[report.pk])).content.decode()
    assert "13912345678" not in public and "139****5678" in public
    assert "写了也会在公开页面、导出和无权查看的人员面前自动隐藏" in public  # the rating form tells the voter
    assert "13912345678" not in str(client.get(f"/api/v1/voters/reports/{report.pk}").json())
    client.force_login(district.office)
    staff = client.get(reverse("voters:report", args=[report.pk])).content.decode()
    assert_masked(staff)
    revealed = client.get(reverse("voters:report", args=[report.pk]), {"reveal": "1"}).content.decode()
    assert_whole(revealed)
    api = client.get(f"/api/v1/voters/reports/{report.pk}/staff", **bearer(district.office)).json()
    assert_masked(api["comments"][0]["comment"])
    api = client.get(f"/api/v1/voters/reports/{report.pk}/staff?reveal=true", **bearer(district.office)).json()
    assert_whole(api["comments"][0]["comment"])
    assert [e.result for e in entries("voters.report_text_revealed")] == ["ok", "ok"]


# --- duty: the reception register -----------------------------------------------------------------------------------


@pytest.fixture
def reception(district) -> Reception:
    record = Reception.objects.create(
        station=district.station, date=timezone.localdate(), notes=f"来访群众留下电话13912345678。{DETAILS}"
    )
    record.cases.add(submit_case(title="路灯坏了 电话13912345678", details=DETAILS))
    return record


def test_the_register_masks_notes_and_matters_and_the_reveal_is_audited(client, district, reception):
    client.force_login(district.station_staff)
    url = reverse("duty:reception", args=[reception.pk])
    page = client.get(url).content.decode()
    assert_masked(page)
    assert 'name="notes"' not in page  # the masked notes are not offered for editing (a save would store the mask)
    revealed = client.get(url, {"reveal": "1"}).content.decode()
    assert "13912345678" in revealed and 'name="notes"' in revealed
    [entry] = entries("reception.text_revealed")
    assert (entry.actor, entry.subject_id, entry.result) == (district.station_staff, reception.pk, "ok")


def test_saving_the_register_without_revealing_keeps_the_notes(client, district, reception):
    client.force_login(district.station_staff)
    url = reverse("duty:reception", args=[reception.pk])
    assert client.post(url, {"visitor_count": "3", "notes_unchanged": "1"}).status_code == 302
    reception.refresh_from_db()
    assert reception.visitor_count == 3
    assert "13912345678" in reception.notes


def test_the_printed_register_is_masked(client, district, reception):
    client.force_login(district.office)
    day = timezone.localdate().isoformat()
    page = client.get(reverse("duty:reception_print"), {"from": day, "to": day}).content.decode()
    assert "139****5678" in page
    assert "13912345678" not in page


# --- suggestions quoting a case -------------------------------------------------------------------------------------


@pytest.fixture
def suggestion(district) -> Suggestion:
    case = submit_case(title="路灯坏了 电话13912345678", details=DETAILS)
    made = Suggestion.objects.create(
        title="关于修复春晖小区路灯的建议",
        situation=DETAILS,  # a draft made from a case carries the citizen's words
        proposals="请尽快修复。",
        lead_deputy=district.deputy,
        state="reviewing",
        submitted_at=timezone.now(),
    )
    made.cases.add(case)
    return made


def test_the_suggestion_screen_masks_the_quoted_case_and_the_reveal_is_audited(client, district, suggestion):
    client.force_login(district.deputy_user)
    url = reverse("suggestions:detail", args=[suggestion.pk])
    page = client.get(url).content.decode()
    assert_masked(page)
    assert "路灯坏了 电话139****5678" in page
    revealed = client.get(url, {"reveal": "1"}).content.decode()
    assert_whole(revealed)
    [entry] = entries("suggestion.text_revealed")
    assert (entry.actor, entry.result) == (district.deputy_user, "ok")


def test_a_leader_sees_the_suggestion_masked_and_the_reveal_is_refused_and_audited(client, district, suggestion):
    client.force_login(district.leader)
    url = reverse("suggestions:detail", args=[suggestion.pk])
    page = client.get(url).content.decode()
    assert_masked(page)
    assert 'id="reveal-text"' not in page
    refused = client.get(url, {"reveal": "1"})
    assert refused.status_code == 403
    assert "13912345678" not in refused.content.decode()
    api = client.get(f"/api/v1/suggestions/{suggestion.pk}?reveal=true", **bearer(district.leader))
    assert api.status_code == 403
    assert [(e.actor, e.result) for e in entries("suggestion.text_revealed")] == [(district.leader, "denied")] * 2
    masked = client.get(f"/api/v1/suggestions/{suggestion.pk}", **bearer(district.leader)).json()
    assert_masked(masked["situation"])


# --- the case title quoted by other screens, and the exports -----------------------------------------------------


def test_the_event_and_cockpit_lists_mask_case_titles(client, district):
    from lianxin.events.models import Event

    case = submit_case(title="路灯坏了 电话13912345678")
    event = Event.objects.create(
        station=district.station,
        title="代表接待日",
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(hours=2),
        capacity=10,
        status="published",
    )
    event.cases.add(case)
    client.force_login(district.station_staff)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "路灯坏了 电话139****5678" in page and "13912345678" not in page
    from lianxin.cockpit.lists import case_row

    assert case_row(Case.objects.select_related("station", "category", "current_unit").get(pk=case.pk))[2] == (
        "路灯坏了 电话139****5678"
    )


def test_the_audit_export_masks_messages(client, district, replied_case):
    client.force_login(district.auditor)
    body = b"".join(client.get(reverse("web:audit_export", args=["csv"])).streaming_content).decode()
    assert "已更换灯泡" in body  # the export has the messages
    from lianxin.cases import services

    services.case_add_note(actor=district.station_staff, case_id=replied_case.pk, message=f"回访 {REPLY}")
    body = b"".join(client.get(reverse("web:audit_export", args=["csv"])).streaming_content).decode()
    assert "139****5678" in body
    assert "13912345678" not in body


def test_the_tracking_page_rating_form_tells_the_citizen(client, district):
    from lianxin.cases.codes import follow_up_token

    case = case_at(district, "fed_back")
    page = client.get(f"/track/{case.tracking_code}?token={follow_up_token(case.tracking_code)}").content.decode()
    assert "写了也会在公开页面、导出和无权查看的人员面前自动隐藏" in page
