"""In a browser: a deputy reads their points and contests an entry."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.points.models import PointsContest
from lianxin.points.services import points_scan
from tests.points.helpers import ensure_defaults, shift

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _defaults(db):
    ensure_defaults()


def test_a_deputy_reads_their_points_and_contests_an_entry(district, live_server, desktop, login):
    today = timezone.localdate()
    shift(district, today - dt.timedelta(days=2), "present")
    shift(district, today - dt.timedelta(days=1), "absent")
    points_scan()
    page = login(desktop, "deputy")
    page.goto(f"{live_server.url}/work/performance/")
    page.wait_for_selector("#entries")  # not published yet: straight to their own ledger
    assert page.inner_text("#year-total") == "61.0"
    absent = page.locator("#entries tr[data-activity=duty_absent]")
    assert "-1.0" in absent.inner_text()
    absent.locator("summary").click()
    absent.locator("textarea[name=reason]").fill("当天已请假，由李代表替班。")
    absent.locator("form.contest-form button").click()
    page.wait_for_selector(".contest-pending")
    assert PointsContest.objects.get().reason == "当天已请假，由李代表替班。"
    assert "异议已提交" in page.inner_text("main")
