"""Key pages in English when English is asked for, and in Simplified Chinese by default."""

import re

import pytest
from django.test import Client

from lianxin.cases.codes import follow_up_token
from tests.factories import PASSWORD, submit_case

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]+")


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", "\n", html)


def chinese_lines(response, data: set[str]) -> list[str]:
    """Lines of visible text with Chinese in them, once the names of data (stations, categories...) are removed."""
    lines = []
    for line in visible_text(response).splitlines():
        rest = line
        for name in sorted(data, key=len, reverse=True):
            rest = rest.replace(name, "")
        if CJK.search(rest):
            lines.append(line.strip())
    return lines


def data_names(district) -> set[str]:
    """Names stored in the database: shown as they were entered, in any language."""
    from lianxin.organisation.models import Category, Deputy, Division, HandlingUnit, Station

    names = {"简体中文"}  # the language switcher names each language in itself
    for model in (Category, Deputy, Division, HandlingUnit, Station):
        names |= set(model.objects.values_list("name", flat=True))
    return names


def english():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_login_page_in_english():
    response = english().get("/login/")
    body = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in body
    for text in ("Staff sign-in", "Username", "Password", "Sign in"):
        assert text in body
    assert "工作人员登录" not in body
    assert chinese_lines(response, {"简体中文"}) == []


def test_login_error_in_english(district):
    response = english().post("/login/", {"username": "station", "password": "wrong"})
    assert "Incorrect username or password. After 5 failed attempts in a row" in response.content.decode()


def test_public_report_page_in_english(district):
    response = english().get("/report/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Raise a matter", "Personal information notice", "Contact details (optional)", "Submit"):
        assert text in body
    assert "我要反映问题" not in body and "个人信息告知" not in body
    assert chinese_lines(response, data_names(district)) == []


def test_station_report_page_in_english(district):
    response = english().get(f"/s/{district.station.code}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Talk to your deputy" in body
    assert f"Collected by: {district.station.name} (Lianxin deputy liaison platform)." in body
    assert chinese_lines(response, data_names(district)) == []


def test_report_form_errors_in_english(district):
    response = english().post("/report/", {"title": "", "details": ""})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Your submission was not sent. Please correct the following:" in body
    assert "提交未成功" not in body
    from lianxin.cases.models import Case

    assert Case.objects.count() == 0


def test_tracking_lookup_in_english(district):
    response = english().get("/track/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Paste your personal tracking link", "Look up", "Token"):
        assert text in body
    assert chinese_lines(response, set()) == ["简体中文"]


def test_tracking_lookup_errors_in_english():
    client = english()
    bad_link = client.get("/track/", {"link": "not a link"})
    assert bad_link.status_code == 422
    assert "This link was not recognised. Please paste the complete tracking link" in bad_link.content.decode()
    no_token = client.get("/track/", {"code": "LX12345678"})
    assert no_token.status_code == 422
    assert "Please enter the tracking code and token, or paste the tracking link." in no_token.content.decode()
    assert "无法识别该链接" not in bad_link.content.decode() + no_token.content.decode()


def test_tracking_page_in_english(district):
    case = submit_case()
    response = english().get(f"/track/{case.tracking_code}?token={follow_up_token(case.tracking_code)}")
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Progress", "Handling history", "Registered", f"Tracking code {case.tracking_code}"):
        assert text in body
    assert "办理进度" not in body and "办理过程" not in body
    # The citizen's own words stay as written; the registration step is worded by the system, so in English.
    assert case.title in body and case.details in body
    assert chinese_lines(response, {case.title, case.details, "简体中文"}) == []


def test_work_queue_in_english_for_station_staff(district):
    case = submit_case()
    client = english()
    client.force_login(district.station_staff)
    response = client.get("/work/cases/?tab=all")
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Register walk-in", "Filter", "Sign out", "Registered"):
        assert text in body
    assert case.tracking_code in body
    assert "来访登记" not in body and "退出" not in body
    assert chinese_lines(response, data_names(district) | {case.title}) == []


def test_chinese_is_the_default_without_a_preference(district):
    client = Client()
    response = client.get("/login/")
    body = response.content.decode()
    assert response.headers["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in body
    assert "工作人员登录" in body and "Staff sign-in" not in body
    assert "反映问题" in client.get("/report/").content.decode()


def test_chinese_for_a_language_we_do_not_offer():
    response = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,de;q=0.8").get("/login/")
    assert response.headers["Content-Language"] == "zh-hans"
    assert "工作人员登录" in response.content.decode()


def test_regional_english_gets_english():
    response = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,zh-CN;q=0.5").get("/login/")
    assert "Staff sign-in" in response.content.decode()


def test_language_cookie_chooses_english_over_the_browser():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    client.cookies["django_language"] = "en"
    assert "Staff sign-in" in client.get("/login/").content.decode()


def test_language_switcher_sets_english_then_back_to_chinese(district):
    client = Client()
    client.force_login(district.station_staff)
    assert "来访登记" in client.get("/work/cases/").content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/work/cases/"})
    assert response.status_code == 302 and response.headers["Location"] == "/work/cases/"
    assert "Register walk-in" in client.get("/work/cases/").content.decode()

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/work/cases/"})
    assert "来访登记" in client.get("/work/cases/").content.decode()


def test_switcher_refuses_an_unknown_language_and_an_outside_redirect(district):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert not response.headers["Location"].startswith("https://evil.example")
    assert "工作人员登录" in client.get("/login/").content.decode()


def test_signed_in_staff_with_password_see_english_after_login(district):
    client = english()
    response = client.post("/login/", {"username": "station", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert "Register walk-in" in response.content.decode()


def test_api_errors_in_english(district):
    response = english().get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert "No such endpoint." in response.content.decode()
    assert "没有这个接口" in Client().get("/api/v1/no-such-endpoint").content.decode()


def test_switcher_names_each_language_in_itself():
    for client in (Client(), english()):
        body = client.get("/login/").content.decode()
        assert (
            '<button class="btn btn-link btn-sm p-0 mx-1" name="language" value="en" lang="en">English</button>' in body
        )
        assert 'value="zh-hans" lang="zh-hans">简体中文</button>' in body
        assert "英语" not in body
