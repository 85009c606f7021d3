"""找回查询链接: the public page and the API — tracking code + phone → SMS code → a new link; no oracle, rate
limited, bad input explained and nothing stored."""

import logging
import re

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.cases.codes import follow_up_token
from lianxin.cases.models import Case, FollowUpCode
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

PHONE = "13812341234"
CODE_RE = re.compile(r"验证码 (\d{6})")
SENT = "如果查询码和手机号码与登记时一致，验证码短信已发送到该号码"


def last_code(caplog) -> str:
    codes = [m.group(1) for r in caplog.records if (m := CODE_RE.search(r.getMessage()))]
    return codes[-1] if codes else ""


def ask(client, caplog, capture, case_code, phone):
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="lianxin.notifications"), capture(execute=True):
        response = client.post("/track/recover", {"step": "send", "tracking_code": case_code, "phone": phone})
    return response, last_code(caplog)


def test_page_walks_from_code_and_phone_to_a_new_link(client, district, caplog, django_capture_on_commit_callbacks):
    case = submit_case(channel="walk_in")
    page = client.get(f"/track/recover?tracking_code={case.tracking_code}")
    assert page.status_code == 200 and f'value="{case.tracking_code}"' in page.content.decode()
    response, code = ask(client, caplog, django_capture_on_commit_callbacks, case.tracking_code.lower(), PHONE)
    assert response.status_code == 200 and SENT in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    response = client.post(
        "/track/recover", {"step": "verify", "tracking_code": case.tracking_code, "phone": PHONE, "code": "000000"}
    )
    assert response.status_code == 422 and "验证码不正确或已失效" in response.content.decode()
    response = client.post(
        "/track/recover", {"step": "verify", "tracking_code": case.tracking_code, "phone": PHONE, "code": code}
    )
    text = response.content.decode()
    token = follow_up_token(case.tracking_code, 1)
    assert response.status_code == 200 and f"/track/{case.tracking_code}?token={token}" in text
    assert client.get(f"/track/{case.tracking_code}?token={token}").status_code == 200
    assert client.get(f"/track/{case.tracking_code}?token={follow_up_token(case.tracking_code)}").status_code == 404
    assert AuditEntry.objects.filter(action="case.follow_up_recovered", subject_id=case.pk).count() == 1


def test_page_answers_the_same_whether_or_not_the_phone_matched(
    client, district, caplog, django_capture_on_commit_callbacks
):
    case = submit_case(channel="walk_in")
    right, code = ask(client, caplog, django_capture_on_commit_callbacks, case.tracking_code, PHONE)
    wrong, none = ask(client, caplog, django_capture_on_commit_callbacks, case.tracking_code, "13900000000")
    unknown, none2 = ask(client, caplog, django_capture_on_commit_callbacks, "LXZZZZZZZZ", PHONE)
    assert code and not none and not none2
    assert right.status_code == wrong.status_code == unknown.status_code == 200
    strip = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|name="next" type="hidden" value="|value=")[^"]*')
    assert strip.sub("", right.content.decode()) == strip.sub("", wrong.content.decode())


def test_page_bad_input_is_explained_and_stores_nothing(client, district):
    case = submit_case(channel="walk_in")
    response = client.post("/track/recover", {"step": "send", "tracking_code": case.tracking_code, "phone": "12"})
    assert response.status_code == 422 and "请填写正确的手机号码或固定电话。" in response.content.decode()
    response = client.post("/track/recover", {"step": "send", "tracking_code": "LX\x01", "phone": PHONE})
    assert response.status_code == 422
    response = client.post(
        "/track/recover", {"step": "verify", "tracking_code": case.tracking_code, "phone": PHONE, "code": "12"}
    )
    assert response.status_code == 422 and "请填写短信中的 6 位数字验证码。" in response.content.decode()
    assert FollowUpCode.objects.count() == 0
    assert Case.objects.get(pk=case.pk).follow_up_generation == 0


def test_rate_limited_per_tracking_code(client, district, settings):
    settings.THROTTLE_LIMITS = {**settings.THROTTLE_LIMITS, "recover": {"code": (2, 3600)}}
    case = submit_case(channel="walk_in")
    for phone in ("13900000001", "13900000002"):
        assert client.post("/track/recover", {"tracking_code": case.tracking_code, "phone": phone}).status_code == 200
    response = client.post("/track/recover", {"tracking_code": case.tracking_code, "phone": PHONE})
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert FollowUpCode.objects.count() == 0


def test_rate_limited_per_phone_and_per_address(client, district, settings):
    settings.THROTTLE_LIMITS = {**settings.THROTTLE_LIMITS, "recover": {"phone": (1, 3600), "address": (3, 3600)}}
    submit_case(channel="walk_in")
    assert client.post("/track/recover", {"tracking_code": "LXAAAAAAAA", "phone": PHONE}).status_code == 200
    assert client.post("/track/recover", {"tracking_code": "LXBBBBBBBB", "phone": "138 1234 1234"}).status_code == 429
    assert client.post("/track/recover", {"tracking_code": "LXCCCCCCCC", "phone": "13900000000"}).status_code == 200
    assert client.post("/track/recover", {"tracking_code": "LXDDDDDDDD", "phone": "13900000009"}).status_code == 429


def test_lost_link_texts_point_to_recovery(client, district):
    case = submit_case(channel="qr_station")
    token = follow_up_token(case.tracking_code)
    track = client.get(f"/track/{case.tracking_code}?token={token}").content.decode()
    assert f'href="/track/recover?tracking_code={case.tracking_code}"' in track
    done = client.get(f"/report/done/{case.tracking_code}?token={token}").content.decode()
    assert "丢失后无法找回" not in done and "/track/recover?tracking_code=" in done
    anonymous = submit_case(channel="qr_station", contact_phone="", anonymous=True)
    token = follow_up_token(anonymous.tracking_code)
    assert (
        "您没有留电话，丢失后无法找回。"
        in client.get(f"/report/done/{anonymous.tracking_code}?token={token}").content.decode()
    )
    assert 'href="/track/recover"' in client.get("/track/").content.decode()


def test_api_recovery(client, district, caplog, django_capture_on_commit_callbacks):
    case = submit_case(channel="phone")
    body = {"tracking_code": case.tracking_code, "phone": PHONE}
    caplog.clear()
    with (
        caplog.at_level(logging.INFO, logger="lianxin.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/api/v1/cases/recover/code", body, content_type="application/json")
    code = last_code(caplog)
    assert response.status_code == 202 and code
    wrong = client.post("/api/v1/cases/recover/code", body | {"phone": "13900000000"}, content_type="application/json")
    assert (wrong.status_code, wrong.json()) == (202, response.json())
    bad = client.post(
        "/api/v1/cases/recover",
        body | {"code": "999999" if code != "999999" else "888888"},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "bad_code")
    ok = client.post("/api/v1/cases/recover", body | {"code": code}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json() == {
        "tracking_code": case.tracking_code,
        "follow_up_token": follow_up_token(case.tracking_code, 1),
        "status": "registered",
    }
    old = client.get(f"/api/v1/cases/track/{case.tracking_code}?token={follow_up_token(case.tracking_code)}")
    new = client.get(f"/api/v1/cases/track/{case.tracking_code}?token={ok.json()['follow_up_token']}")
    assert (old.status_code, new.status_code) == (404, 200)
    invalid = client.post(
        "/api/v1/cases/recover/code",
        {"tracking_code": case.tracking_code, "phone": "1\x00"},
        content_type="application/json",
    )
    assert invalid.status_code == 422
