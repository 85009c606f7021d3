"""A deputy on duty checks in on their phone: scans the station's code, logs in, taps 确认签到."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.duty.codes import check_in_path
from lianxin.duty.models import DutyShift
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deputy_checks_in_on_a_phone(duty, live_server, phone):
    now = timezone.localtime()
    start = now - dt.timedelta(minutes=5)
    shift = DutyShift.objects.create(
        station=duty.station,
        deputy=duty.deputy,
        date=now.date(),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    page = phone
    # The QR code opens the check-in URL; not logged in yet, the login page comes first and returns here.
    page.goto(f"{live_server.url}{check_in_path('donghu')}")
    page.fill("#id_username", "deputy")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#check-in-button")
    assert page.locator("h1").first.inner_text() == "东湖街道代表联络站"
    # The button is thumb-sized on a phone.
    box = page.locator("#check-in-button").bounding_box()
    assert box["width"] > 300 and box["height"] >= 44
    page.click("#check-in-button")
    page.wait_for_selector("#check-in-result")
    assert "签到成功" in page.inner_text("#check-in-result")
    shift.refresh_from_db()
    assert (shift.state, shift.check_in_method) == ("present", "scan")

    # A photo of yesterday's code does not work.
    yesterday = check_in_path("donghu", now.date() - dt.timedelta(days=1))
    page.goto(f"{live_server.url}{yesterday}")
    assert "签到码无效或已过期" in page.inner_text("#check-in-error")
    assert page.locator("#check-in-button").count() == 0
