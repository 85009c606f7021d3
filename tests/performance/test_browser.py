"""In a browser: anyone checks the leaderboard and opens an item's details; a deputy reads their points and contests."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.performance import appraisal_services
from lianxin.performance.enums import ItemSource, RoundState
from lianxin.performance.models import PointsContest
from lianxin.performance.points_services import points_scan
from tests.performance.helpers import ensure_defaults, handled_case, shift

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _defaults(db):
    ensure_defaults()


def test_anyone_checks_the_leaderboard_and_its_details(district, live_server, phone, settings):
    settings.PERFORMANCE_APPRAISAL_MIN_SAMPLE = 1
    round_ = appraisal_services.round_create(actor=district.office, year=YEAR)
    for item in round_.items.exclude(source=ItemSource.CASE_HANDLING):
        appraisal_services.item_update(actor=district.office, item_id=item.pk, weight=0)
    handled_case(district, rating="satisfied")
    appraisal_services.round_set_state(actor=district.office, round_id=round_.pk, state=RoundState.COLLECTING)
    appraisal_services.round_publish(actor=district.office, round_id=round_.pk)

    page = phone
    page.goto(f"{live_server.url}/appraisal/{YEAR}/")
    first = page.locator("#leaderboard tbody tr").first
    assert first.get_attribute("data-unit") == district.unit.code
    assert first.locator(".rank").inner_text() == "1" and first.locator(".total").inner_text() == "100.00"
    assert "样本不足" in page.locator("#leaderboard tr.unranked").first.inner_text()
    assert "权重合计" in page.inner_text("#method")
    first.locator("a.item-score").nth(3).click()  # 民生实事办理
    page.wait_for_selector("#item-score")
    assert page.inner_text("#item-score") == "100.00"
    assert "办复率" in page.inner_text("#details") and "已答复 ÷ 交办" in page.inner_text("#item-method")


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
