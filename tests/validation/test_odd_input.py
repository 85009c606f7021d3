"""Odd input is a clear 4xx, never a server error: control characters, invisible-only text, odd tokens.

Run on SQLite and PostgreSQL (DATABASE_URL): NUL is what PostgreSQL cannot store.
"""

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from tests.api.helpers import BASE, assert_error, post_json
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

VALID = {
    "title": "小区路灯不亮",
    "details": "春晖小区3栋门口路灯坏了两周。",
    "station_code": "donghu",
    "contact_name": "张三",
    "contact_phone": "13812341234",
    "consent": True,
}


def counts():
    return Case.objects.count(), AuditEntry.objects.count()


# --- the API: JSON bodies are checked before any view, naming the field ---------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\ud800"])
@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "不能包含控制字符。"), ("en", "Cannot contain control characters.")],
)
def test_api_json_with_a_control_character_is_422_naming_the_field(client, district, char, language, message):
    before = counts()
    body = {**VALID, "details": f"路灯{char}坏了"}
    error = assert_error(post_json(client, f"{BASE}/cases", body, headers={"Accept-Language": language}), 422)
    assert error["code"] == "invalid_input"
    assert error["fields"] == {"details": [message]}
    assert counts() == before


def test_api_query_parameter_with_nul_is_422_naming_it(client, district):
    error = assert_error(client.get(f"{BASE}/finder/search", {"q": "东\x00湖"}), 422, "invalid_input")
    assert list(error["fields"]) == ["q"]


def test_a_nul_in_the_url_path_matches_nothing(client, district):
    assert_error(client.get(f"{BASE}/cases/track/LX%00ABCDEF"), 404, "not_found")  # the API's shape
    assert client.get("/track/LX%00ABCDEF").status_code == 404


# --- the services: every text field, also through multipart forms (not checked before the view) --------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "路灯\x00坏了", "标题含有不允许的控制字符。"),
        ("title", "路灯\n2026-01-01 ERROR 伪造的日志行", "标题只能填写一行。"),
        ("title", "\u200b\u200c\u200d\u2060\ufeff ", "请填写标题。"),
        ("details", "第一行\x0b第二行", "具体内容含有不允许的控制字符。"),
        ("details", "\u200b \u200b", "请填写具体内容。"),
        ("contact_name", "张\x00三", "姓名含有不允许的控制字符。"),
        ("address", "春晖路\r\n12号", "地址只能填写一行。"),
        ("station_code", "dong\x00hu", "编码含有不允许的控制字符。"),
    ],
)
def test_api_multipart_intake_checks_each_text_field(client, district, field, value, message):
    before = counts()
    data = {**VALID, "consent": "true", field: value}
    error = assert_error(client.post(f"{BASE}/cases", data), 422, "invalid_input")
    assert error["fields"][field] == [message]
    assert counts() == before


def test_an_english_api_caller_gets_english_field_errors(client, district):
    data = {**VALID, "consent": "true", "title": "a\x00b", "details": "\u200b"}
    error = assert_error(client.post(f"{BASE}/cases", data, headers={"Accept-Language": "en"}), 422)
    assert error["fields"] == {
        "title": ["Title contains control characters that are not allowed."],
        "details": ["Please describe the matter."],
    }


def test_multi_line_details_keep_their_lines(client, district):
    response = post_json(client, f"{BASE}/cases", {**VALID, "details": "第一行\r\n第二行\t（完）"})
    assert response.status_code == 201, response.content
    assert Case.objects.get().details == "第一行\n第二行\t（完）"


# --- web forms ----------------------------------------------------------------------------------------


def test_web_report_form_refuses_control_characters_and_keeps_nothing(client, district):
    before = counts()
    data = {
        "title": "路灯\x1b[31m坏了",
        "details": "坏了两周。",
        "contact_name": "张三",
        "contact_phone": "13812341234",
        "consent": "on",
        "idempotency_key": "key-odd",
    }
    response = client.post("/s/donghu", data)  # multipart, as the browser sends it
    assert response.status_code == 422
    assert "标题含有不允许的控制字符。" in response.content.decode()
    assert counts() == before


def test_web_form_post_with_nul_is_422_naming_the_field_in_english(client, district):
    response = client.post(
        "/s/donghu",
        "title=a%00b&details=x&consent=on",
        content_type="application/x-www-form-urlencoded",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "The input contains control characters that are not allowed." in response.content.decode()


# --- tokens -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["%C3%A9", "%E4%BB%A4%E7%89%8C", "%F0%9F%98%80"])
def test_a_non_ascii_follow_up_token_is_a_wrong_token(client, district, token):
    case = submit_case()
    assert client.get(f"/track/{case.tracking_code}?token={token}").status_code == 404
    assert_error(client.get(f"{BASE}/cases/track/{case.tracking_code}?token={token}"), 404)


@pytest.mark.parametrize("token", ["é", "令牌", "\u00e9" * 30])
def test_a_non_ascii_token_in_a_body_is_a_wrong_token(client, district, token):
    case = submit_case()
    body = {"token": token, "rating": "satisfied"}
    assert_error(post_json(client, f"{BASE}/cases/track/{case.tracking_code}/rating", body), 404)
