"""Following a case with the private link: the thank-you page, the tracking page, photos and rating."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from lianxin.cases.enums import Status
from lianxin.cases.intake import Submission, case_register
from lianxin.cases.photos import prepare_photos
from tests.factories import jpeg_bytes, submit_case

pytestmark = pytest.mark.django_db

# What differs between two renders of the same page: the CSRF token and the language switcher's "next".
# the CSRF token, and the address the large-text toggle returns to (this page's own)
VARYING_RE = re.compile(
    r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|name="next" type="hidden" value="|name="next" value=")[^"]+'
)


def track_url(case, token=None):
    return f"/track/{case.tracking_code}?token={token or follow_up_token(case.tracking_code)}"


def timeline_items(body: str) -> list[str]:
    section = body.split('<ol class="timeline', 1)[1].split("</ol>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", section, re.S)


def case_with_photo(**fields):
    values = {
        "title": "小区路灯不亮",
        "details": "春晖小区3栋门口路灯坏了两周。",
        "channel": "qr_station",
        "station_code": "donghu",
        "contact_name": "张三",
        "contact_phone": "13812341234",
        "consent": True,
    }
    values.update(fields)
    case, _ = case_register(submission=Submission(**values), photos=prepare_photos([jpeg_bytes(exif_gps=True)]))
    return case


def walk_to_feedback(district, case):
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到，我来跟进。")
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    services.case_claim(actor=district.unit_user, case_id=case.pk)
    services.case_add_note(actor=district.station_staff, case_id=case.pk, message="内部备注：已电话联系张三")
    services.case_reply(actor=district.unit_user, case_id=case.pk, message="内部答复：已派电工。")
    services.case_feedback(actor=district.deputy_user, case_id=case.pk, message="路灯已修好，请您查看。")
    case.refresh_from_db()
    return case


# --- Thank-you page ----------------------------------------------------------------------------------


def test_thank_you_page_shows_the_code_and_the_private_link(district, client):
    response = client.post("/s/donghu", {"title": "路灯", "details": "坏了", "consent": "on", "idempotency_key": "k"})
    done = client.get(response["Location"])
    body = done.content.decode()
    code = re.search(r"/report/done/(\w+)", response["Location"]).group(1)
    assert done.status_code == 200
    assert f'class="tracking-code" id="tracking-code">{code}<' in body
    assert f"http://testserver/track/{code}?token={follow_up_token(code)}" in body
    assert "请保存此链接" in body and "data-copy-target" in body
    assert done["Referrer-Policy"] == "same-origin"
    assert "no-store" in done["Cache-Control"]
    assert client.get(f"/report/done/{code}?token=wrong").status_code == 404
    assert client.get(f"/report/done/LXNOPE2345?token={follow_up_token('LXNOPE2345')}").status_code == 404


# --- The tracking page ---------------------------------------------------------------------------------


def test_tracking_page_shows_the_public_timeline_and_never_a_person(district, client):
    case = walk_to_feedback(district, case_with_photo())

    response = client.get(track_url(case))

    body = response.content.decode()
    assert response.status_code == 200
    assert "小区路灯不亮" in body and "春晖小区3栋门口路灯坏了两周。" in body
    assert "已反馈，待评价" in body
    public = AuditEntry.objects.filter(subject_type="case", subject_id=case.pk, public=True).count()
    internal = AuditEntry.objects.filter(subject_type="case", subject_id=case.pk, public=False).count()
    assert (public, internal) == (5, 2)
    items = timeline_items(body)
    assert len(items) == public
    labels = [re.search(r'fw-semibold">(.*?)<', item).group(1) for item in items]
    assert labels == ["已受理", "代表回应", "已交办", "已签收", "办理结果反馈"]
    assert "收到，我来跟进。" in body and "路灯已修好，请您查看。" in body
    # Internal entries, people and staff are absent.
    for secret in ("内部备注", "内部答复", "张三", "张*", "13812341234", "138****1234"):
        assert secret not in body, secret
    for username in ("deputy", "station", "unit"):  # as whole words: the footer links /stations/
        assert not re.search(rf"\b{username}\b", body), username
    assert "/media/" not in body
    assert response["Referrer-Policy"] == "same-origin"


def test_declined_case_shows_the_reason(district, client):
    case = submit_case()
    services.case_decline(actor=district.station_staff, case_id=case.pk, reason="该事项已进入诉讼程序。")
    body = client.get(track_url(case)).content.decode()
    assert "不予受理理由" in body and "该事项已进入诉讼程序。" in body
    assert "请评价办理结果" not in body


@pytest.mark.parametrize("kind", ["wrong token", "no token", "unknown code", "other case's token"])
def test_wrong_token_or_unknown_code_is_the_same_404(district, client, kind):
    case = submit_case()
    other = submit_case(title="另一件")
    url = {
        "wrong token": f"/track/{case.tracking_code}?token=AAAAAAAAAAAAAAAAAAAAAAAA",
        "no token": f"/track/{case.tracking_code}",
        "unknown code": "/track/LXNOPE2345?token=" + follow_up_token("LXNOPE2345"),
        "other case's token": f"/track/{case.tracking_code}?token={follow_up_token(other.tracking_code)}",
    }[kind]
    response = client.get(url)
    reference = client.get("/track/LXZZZZZZZZ?token=x")
    assert response.status_code == reference.status_code == 404
    assert VARYING_RE.sub("", response.content.decode()) == VARYING_RE.sub("", reference.content.decode())
    assert case.title not in response.content.decode()


def test_tracking_page_query_count_does_not_grow_with_the_timeline(district, client, django_assert_max_num_queries):
    short = case_with_photo()
    services.case_acknowledge(actor=district.deputy_user, case_id=short.pk, message="收到")
    long = walk_to_feedback(district, case_with_photo(title="长时间线"))
    token = follow_up_token(long.tracking_code)
    services.case_rate(tracking_code=long.tracking_code, token=token, rating="unsatisfied", comment="还是不亮")
    services.case_dispatch(actor=district.station_staff, case_id=long.pk, unit_id=district.unit.pk)
    services.case_claim(actor=district.unit_user, case_id=long.pk)
    services.case_reply(actor=district.unit_user, case_id=long.pk, message="已更换线路。")
    services.case_feedback(actor=district.deputy_user, case_id=long.pk, message="线路已更换。")

    def measure(case):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(track_url(case)).content.decode()
        return len(queries), len(timeline_items(body))

    short_queries, short_items = measure(short)
    long_queries, long_items = measure(long)
    assert (short_items, long_items) == (2, 10)
    assert long_queries == short_queries
    with django_assert_max_num_queries(short_queries):
        client.get(track_url(long))


# --- Photos are served only to the token holder ------------------------------------------------------------


def test_photos_are_streamed_only_with_the_token(district, client):
    case = case_with_photo()
    other = case_with_photo(title="别人的")
    photo = case.photos.get()
    url = f"/track/{case.tracking_code}/photos/{photo.pk}"
    body = client.get(track_url(case)).content.decode()
    assert f"{url}?token={follow_up_token(case.tracking_code)}" in body

    response = client.get(url, {"token": follow_up_token(case.tracking_code)})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert "private" in response["Cache-Control"]

    assert client.get(url, {"token": "wrong"}).status_code == 404
    assert client.get(url).status_code == 404
    # Another case's photo through this case's link, and this photo through the other's token.
    other_photo = other.photos.get()
    token = follow_up_token(case.tracking_code)
    assert client.get(f"/track/{case.tracking_code}/photos/{other_photo.pk}", {"token": token}).status_code == 404
    other_token = follow_up_token(other.tracking_code)
    assert client.get(f"/track/{other.tracking_code}/photos/{photo.pk}", {"token": other_token}).status_code == 404


# --- Rating ---------------------------------------------------------------------------------------------------


def rate(client, case, token=None, **data):
    return client.post(
        f"/track/{case.tracking_code}/rate", {"token": token or follow_up_token(case.tracking_code), **data}
    )


def snapshot(case):
    case.refresh_from_db()
    return (case.status, case.rating, case.rating_comment, AuditEntry.objects.count())


def test_rating_form_is_offered_only_after_feedback(district, client):
    case = submit_case()
    assert "请评价办理结果" not in client.get(track_url(case)).content.decode()
    walk_to_feedback(district, case)
    body = client.get(track_url(case)).content.decode()
    assert "请评价办理结果" in body
    for label in ("满意", "基本满意", "不满意"):
        assert f">{label}</label>" in body


def test_satisfied_rating_is_recorded_and_shown(district, client):
    case = walk_to_feedback(district, submit_case())
    response = rate(client, case, rating="satisfied", comment="修得很快")
    assert response.status_code == 302
    assert response["Location"] == track_url(case)
    page = client.get(response["Location"]).content.decode()
    assert "感谢您的评价！" in page
    assert "您的评价：</strong>满意" in page
    assert "群众评价" in page and "修得很快" in page
    case.refresh_from_db()
    assert (case.status, case.rating) == (Status.RATED, "satisfied")
    assert "请评价办理结果" not in page


def test_unsatisfied_without_a_comment_is_refused_and_changes_nothing(district, client):
    case = walk_to_feedback(district, submit_case())
    before = snapshot(case)
    response = rate(client, case, rating="unsatisfied", comment="  ")
    body = response.content.decode()
    assert response.status_code == 422
    assert "请填写评价意见。" in body
    assert 'id="rating-unsatisfied" value="unsatisfied" required checked' in body
    assert snapshot(case) == before


@pytest.mark.parametrize("data", [{"rating": "great"}, {"rating": ""}, {"comment": "没选"}])
def test_invalid_rating_is_refused_and_changes_nothing(district, client, data):
    case = walk_to_feedback(district, submit_case())
    before = snapshot(case)
    response = rate(client, case, **data)
    assert response.status_code == 422
    assert "请选择满意、基本满意或不满意。" in response.content.decode()
    assert snapshot(case) == before


def test_rating_with_a_wrong_token_is_a_404_and_changes_nothing(district, client):
    case = walk_to_feedback(district, submit_case())
    before = snapshot(case)
    assert rate(client, case, token="wrong", rating="satisfied").status_code == 404
    assert snapshot(case) == before


def test_unsatisfied_with_a_comment_reopens_and_a_second_rating_is_refused(district, client):
    case = walk_to_feedback(district, submit_case())
    assert rate(client, case, rating="unsatisfied", comment="灯还是不亮").status_code == 302
    case.refresh_from_db()
    assert (case.status, case.reopen_count) == (Status.REOPENED, 1)
    page = client.get(track_url(case)).content.decode()
    assert "启动重办" in page and "灯还是不亮" in page

    before = snapshot(case)
    again = rate(client, case, rating="satisfied")
    assert again.status_code == 409
    assert "该民意件当前不能评价。" in again.content.decode()
    assert snapshot(case) == before


def test_rate_endpoint_accepts_only_post(district, client):
    case = walk_to_feedback(district, submit_case())
    assert client.get(f"/track/{case.tracking_code}/rate").status_code == 405


# --- Lookup ------------------------------------------------------------------------------------------------------


def test_lookup_by_pasted_link_or_code_and_token(district, client):
    case = submit_case()
    token = follow_up_token(case.tracking_code)
    pasted = f"请保存此链接 http://example.cn/track/{case.tracking_code}?token={token} 谢谢"
    assert client.get("/track/", {"link": pasted})["Location"] == track_url(case)
    by_fields = client.get("/track/", {"code": case.tracking_code.lower(), "token": token})
    assert by_fields["Location"] == track_url(case)
    assert client.get("/track/").status_code == 200

    for junk in ({"link": "not a link"}, {"code": case.tracking_code}, {"token": token}):
        response = client.get("/track/", junk)
        assert response.status_code == 422
        assert "查询" in response.content.decode()
