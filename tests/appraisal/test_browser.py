"""In a browser: anyone checks the leaderboard and opens an item's details (moved from
tests/performance/test_browser.py)."""

import pytest
from django.utils import timezone

from lianxin.appraisal import services as appraisal_services
from lianxin.appraisal.enums import ItemSource, RoundState
from tests.appraisal.helpers import handled_case
from tests.points.helpers import ensure_defaults

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
