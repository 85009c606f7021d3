"""A voter rates a deputy's report on a phone: asks for the SMS code, reads it, rates, sees the thanks."""

import logging

import pytest

from lianxin.voters.models import ReportRating
from tests.voters.helpers import open_report, sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_voter_rates_a_report_on_a_phone(district, live_server, phone, caplog):
    report = open_report(district, text="一年来我走访结对户 40 次。")
    page = phone
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    assert "一年来我走访结对户 40 次。" in page.inner_text("#report-text")

    page.fill("#id_phone", "13812341234")
    with caplog.at_level(logging.INFO, logger="lianxin.notifications"):
        page.click("#send-code")
        page.wait_for_selector("#code-notice")
    page.fill("#id_code", sent_code(caplog))
    page.check("#rating-basically_satisfied")
    page.fill("#id_comment", "希望多来小区走走。")
    page.check("#id_consent")
    page.click("#submit-rating")
    page.wait_for_selector("#rated-notice")

    row = ReportRating.objects.get()
    assert (row.rating, row.comment, row.phone_masked) == ("basically_satisfied", "希望多来小区走走。", "138****1234")
    assert page.locator("#rating-form").count() == 0
