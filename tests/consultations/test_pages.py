"""Consultation pages (public and staff), the Excel export and the printable report, and the API."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.audit.models import AuditEntry
from lianxin.consultations import services
from lianxin.consultations.models import Comment
from tests.api.helpers import BASE, assert_error, bearer, post_json
from tests.consultations.conftest import ARTICLES, comment, make_consultation


def approve(district, made):
    services.comment_moderate(actor=district.station_staff, comment_id=made.pk, decision="approve")


def test_public_list_and_page_show_no_personal_data(client, district, consultation, django_assert_max_num_queries):
    make_consultation(district, publish=False, title="内部草稿")
    shown = comment(consultation, 0, name="孙八", phone="13612345678", body="建议明确维修基金使用程序。")
    approve(district, shown)
    comment(consultation, 1, body="尚未审核的意见")
    with django_assert_max_num_queries(3):
        listing = client.get(reverse("consultations:list")).content.decode()
    assert consultation.title in listing and "内部草稿" not in listing
    with django_assert_max_num_queries(8):
        page = client.get(reverse("consultations:public_detail", args=[consultation.pk])).content.decode()
    assert "建议明确维修基金使用程序。" in page and "尚未审核的意见" not in page
    assert "孙*" in page and "孙八" not in page and "13612345678" not in page and "136****5678" not in page


def test_comment_on_the_page(client, consultation):
    article = consultation.articles.order_by("number")[1]
    url = reverse("consultations:comment", args=[consultation.pk, article.pk])
    prefix = f"a{article.pk}-"
    bad = client.post(url, {prefix + "body": "意见", prefix + "phone": "123", prefix + "consent": "on"})
    assert bad.status_code == 422 and "请填写正确的手机号码或固定电话。" in bad.content.decode()
    assert Comment.objects.count() == 0
    ok = client.post(url, {prefix + "body": "建议每半年召开一次。", prefix + "consent": "on"})
    assert ok.status_code == 302 and ok["Location"].endswith(f"#article-{article.pk}")
    made = Comment.objects.get()
    assert (made.article, made.status, made.author_kind) == (article, "pending", "citizen")
    assert "感谢您的意见" in client.get(ok["Location"]).content.decode()


def test_a_logged_in_deputy_comments_as_deputy(client, district, consultation):
    client.force_login(district.deputy_user)
    article = consultation.articles.first()
    url = reverse("consultations:comment", args=[consultation.pk, article.pk])
    client.post(url, {f"a{article.pk}-body": "代表意见", f"a{article.pk}-consent": "on"})
    assert Comment.objects.get().author_kind == "deputy"


def test_comment_on_a_foreign_article_is_a_404(client, district, consultation):
    other = make_consultation(district, title="另一个")
    article = other.articles.first()
    response = client.post(
        reverse("consultations:comment", args=[consultation.pk, article.pk]),
        {f"a{article.pk}-body": "意见", f"a{article.pk}-consent": "on"},
    )
    assert response.status_code == 404 and Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 200),
        ("station_staff", 200),
        ("outsider", 404),
        ("deputy_user", 404),
        ("auditor", 404),
        ("leader", 404),
    ],
)
def test_staff_pages_permissions(client, district, consultation, persona, status):
    client.force_login(district.persona(persona))
    for name in ["detail", "export_xlsx", "report"]:
        assert client.get(reverse(f"consultations:{name}", args=[consultation.pk])).status_code == status
    manage = client.get(reverse("consultations:manage"))
    assert manage.status_code == (200 if persona in {"office", "station_staff", "outsider"} else 404)


def test_staff_moderate_on_the_page(client, district, consultation, django_assert_max_num_queries):
    made = [comment(consultation, n % 3) for n in range(6)]
    client.force_login(district.station_staff)
    url = reverse("consultations:detail", args=[consultation.pk])
    client.get(url)
    with django_assert_max_num_queries(12):  # session, user, roles, the consultation, summary, 2 lists, deputy, session
        body = client.get(url).content.decode()
    assert "孙*" in body and "136****5678" in body and "孙八" not in body
    moderate = reverse("consultations:moderate", args=[made[0].pk])
    refused = client.post(moderate, {"decision": "reject", "reason": ""})
    assert refused.status_code == 422 and "不予公开须写明理由。" in refused.content.decode()
    assert client.post(moderate, {"decision": "reject", "reason": "与本条无关"}).status_code == 302
    assert client.post(reverse("consultations:moderate", args=[made[1].pk]), {"decision": "approve"}).status_code == 302
    assert list(Comment.objects.order_by("id").values_list("status", flat=True)[:2]) == ["rejected", "approved"]
    client.force_login(district.outsider)
    assert client.post(reverse("consultations:moderate", args=[made[2].pk]), {"decision": "approve"}).status_code == 404


def test_staff_list_query_count(client, district, django_assert_max_num_queries):
    for n in range(5):
        comment(make_consultation(district, title=f"征求{n}"))
    client.force_login(district.station_staff)
    client.get(reverse("consultations:manage"))
    with django_assert_max_num_queries(10):  # the same for any number of rows: counts are annotated
        body = client.get(reverse("consultations:manage")).content.decode()
    assert all(f"征求{n}" in body for n in range(5))


def test_staff_create_page(client, district):
    client.force_login(district.office)
    data = {
        "kind": "topic",
        "title": "老旧小区加装电梯",
        "deadline": "2099-01-01T12:00",
        "articles_text": ARTICLES,
        "publish": "on",
    }
    assert client.post(reverse("consultations:create"), {**data, "articles_text": ""}).status_code == 422
    response = client.post(reverse("consultations:create"), data)
    assert response.status_code == 302


def test_excel_export_has_a_summary_and_a_sheet_per_article(client, district, consultation):
    approve(district, comment(consultation, 0, body="第一条的公开意见", name="孙八"))
    comment(consultation, 0, body="未审核的不导出")
    client.force_login(district.station_staff)
    response = client.get(reverse("consultations:export_xlsx", args=[consultation.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总", "001 第一条", "002 第二条", "003 第三条"]
    summary = [row for row in book["汇总"].iter_rows(min_row=5, values_only=True)]
    assert summary[0] == (1, "第一条", 2, 1, 1, 0, 2, 0)
    assert summary[-1] == (None, "合计", 2, 1, 1, 0, 2, 0)
    first = list(book["001 第一条"].iter_rows(min_row=5, values_only=True))
    assert [(r[1], r[2], r[3]) for r in first] == [("群众", "孙*", "第一条的公开意见")]
    text = "".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
    assert "13612345678" not in text and "孙八" not in text and "未审核的不导出" not in text
    assert AuditEntry.objects.filter(action="consultation.exported", subject_id=consultation.pk).count() == 1


def test_printable_report_for_the_legislature(client, district, consultation):
    approve(district, comment(consultation, 1, body="第二条的公开意见"))
    client.force_login(district.office)
    body = client.get(reverse("consultations:report", args=[consultation.pk])).content.decode()
    assert "@media print" in body and "第二条的公开意见" in body and "收到意见 1 条" in body
    assert "13612345678" not in body


def test_api_public_and_comment(client, district, consultation):
    approve(district, comment(consultation, 0, body="公开的"))
    comment(consultation, 0, body="待审的")
    items = client.get(f"{BASE}/consultations").json()["items"]
    assert [(i["id"], i["article_count"], i["approved_count"], i["open"]) for i in items] == [
        (consultation.pk, 3, 1, True)
    ]
    detail = client.get(f"{BASE}/consultations/{consultation.pk}").json()
    assert [c["body"] for a in detail["articles"] for c in a["comments"]] == ["公开的"]
    assert detail["articles"][0]["comments"][0]["name"] == "孙*"
    article = detail["articles"][2]["id"]
    created = post_json(
        client,
        f"{BASE}/consultations/{consultation.pk}/comments",
        {"article_id": article, "body": "API 意见", "consent": True},
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    for body, status in [
        ({"article_id": article, "body": "", "consent": True}, 422),
        ({"article_id": article, "body": "x"}, 422),
        ({"article_id": 999999, "body": "x", "consent": True}, 404),
        ({"body": "x", "consent": True}, 422),
        ("[]", 422),
    ]:
        assert_error(post_json(client, f"{BASE}/consultations/{consultation.pk}/comments", body), status)
    assert Comment.objects.count() == 3
    assert_error(client.get(f"{BASE}/consultations/999999"), 404)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("station_staff", 200), ("office", 200), ("outsider", 404), ("deputy_user", 404), ("auditor", 404)],
)
def test_api_staff_moderation_matrix(client, district, consultation, persona, status):
    made = comment(consultation)
    headers = bearer(district.persona(persona))
    response = post_json(
        client, f"{BASE}/staff/comments/{made.pk}/moderation", {"decision": "reject", "reason": "重复意见"}, **headers
    )
    assert response.status_code == status
    listing = client.get(f"{BASE}/staff/consultations/{consultation.pk}/comments?status=pending", **headers)
    assert listing.status_code == status
    made.refresh_from_db()
    assert made.status == ("rejected" if status == 200 else "pending")


def test_api_staff_create_and_summary(client, district):
    headers = bearer(district.station_staff)
    body = {
        "title": "议题",
        "station_id": district.station.pk,
        "deadline": "2099-01-01T00:00:00+08:00",
        "articles_text": ARTICLES,
        "publish": True,
    }
    created = post_json(client, f"{BASE}/staff/consultations", body, **headers)
    assert created.status_code == 201
    assert [a["heading"] for a in created.json()["articles"]] == ["第一条", "第二条", "第三条"]
    error = assert_error(
        post_json(client, f"{BASE}/staff/consultations", {**body, "articles_text": ""}, **headers), 422
    )
    assert "articles_text" in error["fields"]
    assert_error(client.get(f"{BASE}/staff/consultations"), 401)


def test_one_identity_per_visit_fills_the_other_articles_forms(client, consultation):
    """Name, phone and consent are asked once a visit: after a first comment, every article's form has them."""
    first, second = consultation.articles.order_by("number")[:2]
    page_url = reverse("consultations:public_detail", args=[consultation.pk])
    assert 'value="13612345678"' not in client.get(page_url).content.decode()
    prefix = f"a{first.pk}-"
    client.post(
        reverse("consultations:comment", args=[consultation.pk, first.pk]),
        {
            prefix + "body": "建议每半年召开一次。",
            prefix + "name": "孙八",
            prefix + "phone": "13612345678",
            prefix + "consent": "on",
        },
    )
    response = client.get(page_url)
    page = response.content.decode()
    assert f'name="a{second.pk}-phone" value="13612345678"' in page
    assert f'name="a{second.pk}-name" value="孙八"' in page
    assert re.search(rf'<input[^>]*name="a{second.pk}-consent"[^>]*checked', page)
    assert "no-store" in response["Cache-Control"]  # the page now holds this visitor's phone
    # the session holds the identity encrypted, never in clear
    stored = next(v for k, v in client.session.items() if k.startswith("lx_consultation_identity_"))
    assert "13612345678" not in stored
    # the second article is commented on with the body only, as the same person
    prefix = f"a{second.pk}-"
    client.post(
        reverse("consultations:comment", args=[consultation.pk, second.pk]),
        {
            prefix + "body": "同意第二条。",
            prefix + "name": "孙八",
            prefix + "phone": "13612345678",
            prefix + "consent": "on",
        },
    )
    assert Comment.objects.filter(article=second).count() == 1
    # another visitor (another session) starts empty
    client.logout()
    assert 'value="13612345678"' not in client.get(page_url).content.decode()
