"""Personal data typed into free text is masked on the tracking page and its API, on work screens, in
exports; the citizen is told at submission; the reveal roles see it through an audited reveal."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from lianxin.consultations import services as consultations
from lianxin.consultations.exports import workbook_bytes
from lianxin.errors import NotFound
from tests.api.helpers import bearer
from tests.factories import submit_case
from tests.work.helpers import case_at

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
DETAILS = (
    f"我家门口路灯坏了，请打我电话13912345678，身份证{ID_NUMBER}，邮箱li.si@example.com。查询码AB12CD34，2026-12-03。"
)
SECRETS = ("13912345678", ID_NUMBER, "li.si@example.com")


def assert_masked(body: str):
    for secret in SECRETS:
        assert secret not in body
    assert "139****5678" in body
    assert "110105********002X" in body
    assert "l***@example.com" in body
    assert "2026-12-03" in body  # dates stay


def test_the_tracking_page_masks_personal_data_in_the_details(client, district):
    case = submit_case(title="路灯坏了 电话13912345678", details=DETAILS)
    response = client.get(f"/track/{case.tracking_code}?token={follow_up_token(case.tracking_code)}")
    assert response.status_code == 200
    body = response.content.decode()
    assert_masked(body)
    assert "路灯坏了 电话139****5678" in body


def test_the_tracking_api_masks_personal_data(client, district):
    case = submit_case(details=DETAILS)
    response = client.get(f"/api/v1/cases/track/{case.tracking_code}", {"token": follow_up_token(case.tracking_code)})
    assert response.status_code == 200
    assert_masked(response.json()["details"])


def test_the_report_page_tells_the_citizen(client, district):
    body = client.get("/report/").content.decode()
    assert "标题、内容和评价中的电话、身份证号、银行卡号和邮箱会被自动隐藏。" in body
    english = client.get("/report/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "ID card numbers" in english


def test_the_work_screen_masks_and_the_reveal_is_audited(client, district):
    case = case_at(district, "registered")
    case.details = DETAILS
    case.save(update_fields=["details"])
    client.force_login(district.station_staff)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert_masked(detail)
    assert 'id="reveal-text"' in detail
    response = client.post(reverse("cases:reveal_text", args=[case.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    for secret in SECRETS:
        assert secret in response.content.decode()
    entry = AuditEntry.objects.get(action="case.text_revealed", subject_id=case.pk)
    assert (entry.actor, entry.public) == (district.station_staff, False)
    assert entry.data == {"kinds": ["email", "id_card", "mobile"]}
    assert not any(secret in str(entry.data) for secret in SECRETS)


def test_a_role_that_may_not_reveal_sees_the_text_masked_and_cannot_reveal(client, district):
    case = case_at(district, "dispatched")
    case.details = DETAILS
    case.save(update_fields=["details"])
    client.force_login(district.unit_user)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert_masked(detail)
    assert 'id="reveal-text"' not in detail
    response = client.post(reverse("cases:reveal_text", args=[case.pk]))
    assert response.status_code == 403
    for secret in SECRETS:
        assert secret not in response.content.decode()
    denied = AuditEntry.objects.get(action="case.text_revealed", subject_id=case.pk)  # the refusal is audited
    assert (denied.actor, denied.result, denied.actor_role) == (district.unit_user, "denied", "unit")


def test_no_reveal_button_without_personal_data(client, district):
    case = case_at(district, "registered")
    client.force_login(district.station_staff)
    assert 'id="reveal-text"' not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_a_foreign_case_reveal_is_404(client, district):
    case = case_at(district, "registered")
    client.force_login(district.outsider)
    assert client.post(reverse("cases:reveal_text", args=[case.pk])).status_code == 404
    with pytest.raises(NotFound):
        services.case_reveal_text(actor=district.outsider, case_id=case.pk)


def published_comment(district, body: str):
    consultation = consultations.consultation_create(
        actor=district.station_staff,
        data=consultations.ConsultationInput(
            title="《物业管理条例（草案）》征求意见",
            summary="请逐条提出意见。",
            station_id=district.station.pk,
            deadline=timezone.now() + dt.timedelta(days=10),
            articles_text="第一条　为了规范物业管理，制定本条例。",
        ),
        publish=True,
    )
    article = consultation.articles.get()
    made = consultations.comment_submit(
        consultation_id=consultation.pk, article_id=article.pk, body=body, name="孙八", phone="", consent=True
    )
    consultations.comment_moderate(actor=district.station_staff, comment_id=made.pk, decision="approve")
    return consultation


def test_consultation_comments_are_masked_on_the_public_page_and_in_the_workbook(client, district):
    consultation = published_comment(district, DETAILS)
    page = client.get(reverse("consultations:public_detail", args=[consultation.pk])).content.decode()
    assert_masked(page)
    book = load_workbook(io.BytesIO(workbook_bytes(consultation)))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert_masked(cells)
    api = client.get(f"/api/v1/consultations/{consultation.pk}")
    assert api.status_code == 200
    assert_masked(str(api.json()))


def test_the_staff_api_masks_the_text(client, district):
    case = case_at(district, "registered")
    case.details = DETAILS
    case.save(update_fields=["details"])
    response = client.get(f"/api/v1/cases/{case.pk}", **bearer(district.station_staff))
    assert response.status_code == 200
    assert_masked(response.json()["details"])
