"""An elderly citizen on a phone: staff register their walk-in matter, the SMS brings the private link; later
they lost it and get a new one with the tracking code, their phone and an SMS code."""

import logging
import re

import pytest

from lianxin.cases.models import Case
from lianxin.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK_RE = re.compile(r"(https?://\S+?/track/\S+?)（")
CODE_RE = re.compile(r"验证码 (\d{6})")


def test_walk_in_citizen_follows_by_sms_link_and_recovers_a_lost_link(
    district, live_server, settings, chromium_browser, login, phone, caplog
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    # Station staff register the matter at the desk, with the visitor's phone.
    context = chromium_browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    staff = context.new_page()
    staff.set_default_timeout(15000)
    login(staff, "station")
    staff.goto(f"{base}/work/walk-in/")
    staff.fill("#id_title", "楼道扶手松动")
    staff.fill("#id_details", "3幢2单元楼道扶手松动，老人上下楼不安全。")
    staff.fill("#id_contact_name", "王大爷")
    staff.fill("#id_contact_phone", "13812341234")
    staff.check("#id_consent")
    staff.click("button:text-is('登记')")
    staff.wait_for_load_state()
    case = Case.objects.get()
    assert case.channel == "walk_in"
    context.close()

    # The registration SMS (the log channel in tests: its outbox row) carries the private link.
    body = Notification.objects.get(subject_id=case.pk, recipient_kind="citizen", event="case.registered").body
    link = LINK_RE.search(body).group(1)
    page = phone
    page.goto(link)
    page.wait_for_selector("h2:text-is('办理过程')")
    assert "楼道扶手松动" in page.inner_text("h1")
    assert "已受理" in page.inner_text(".timeline")

    # Lost it: the tracking page (and the lookup page) point to 找回查询链接.
    page.goto(f"{base}/track/")
    page.click("#lost-link a")
    page.wait_for_selector("#recover-start")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.fill("#id_tracking_code", case.tracking_code.lower())
    page.fill("#id_phone", "138 1234 1234")
    with caplog.at_level(logging.INFO, logger="lianxin.notifications"):
        page.click("#send-code")
        page.wait_for_selector("#recover-verify")
    assert "验证码短信已发送" in page.inner_text("#code-sent")
    code = [m.group(1) for r in caplog.records if (m := CODE_RE.search(r.getMessage()))][-1]

    # A slip of the finger first: a clear error, and the form is still there.
    page.fill("#id_code", "12345")
    page.click("#verify-code")
    page.wait_for_selector("#recover-error")
    assert "6 位数字验证码" in page.inner_text("#recover-error")
    page.fill("#id_code", code)
    page.click("#verify-code")
    page.wait_for_selector("#recovered")
    page.click("#recovered a:text-is('查看办理进度')")
    page.wait_for_selector("h2:text-is('办理过程')")
    assert "楼道扶手松动" in page.inner_text("h1")

    # The old link from the SMS no longer opens the case.
    response = page.goto(link)
    assert response.status == 404
