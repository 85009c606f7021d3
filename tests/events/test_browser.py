"""A citizen signs up for an event on a phone, sees the check-in code, and cancels; the waitlist moves up."""

import pytest

from lianxin.events.models import SignUp
from tests.events.conftest import make_event, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_and_cancel_on_a_phone(district, live_server, phone):
    event = make_event(district, title="垃圾分类主题活动", capacity=2)
    sign_up(event, 1)
    page = phone
    page.goto(f"{live_server.url}/events/?station=donghu")
    page.click("text=垃圾分类主题活动")
    page.wait_for_selector("#signup-form")
    assert "剩余 1 个名额" in page.inner_text("#signup-form h2")

    # The phone's browser is not trusted: a wrong number comes back with a Chinese message and nothing stored.
    page.fill("#id_name", "张三")
    page.fill("#id_phone", "12345")
    page.check("#id_consent")
    page.click("#signup-submit")
    page.wait_for_selector(".invalid-feedback")
    assert "请填写正确的手机号码或固定电话。" in page.inner_text("#signup-form")
    assert SignUp.objects.count() == 1

    page.fill("#id_phone", "13812341234")
    page.check("#id_consent")
    page.click("#signup-submit")
    page.wait_for_selector("#checkin-code")
    mine = SignUp.objects.get(phone_masked="138****1234")
    assert page.inner_text("#checkin-code") == mine.checkin_code
    assert page.inner_text("#signup-status") == "已报名"
    assert page.locator(".checkin-qr svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone

    # Full now: the next citizen waits; when I cancel, they move up.
    waiting = sign_up(event, 3)
    assert waiting.status == "waitlisted"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#signup-cancel")
    page.wait_for_selector("text=已取消报名。")
    assert page.inner_text("#signup-status") == "已取消"
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
