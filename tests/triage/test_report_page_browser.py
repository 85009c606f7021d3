"""The report page proposes a category while the citizen types; one tap fills the select, their choice wins."""

import pytest
from playwright.sync_api import expect

from lianxin.organisation.models import Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_page_offers_the_suggested_category(district, live_server, phone, triage_model):
    urban = Category.objects.get(level=1, name="城乡建设")
    phone.goto(f"{live_server.url}/s/donghu")
    box = phone.locator("#triage-suggestion")
    expect(box).to_be_hidden()
    phone.fill("#id_title", "小区路灯不亮")
    phone.fill("#id_details", "我们小区的路灯坏了一个月，晚上很黑，请尽快修理。")
    expect(box).to_be_visible(timeout=15000)
    expect(phone.locator("#triage-suggestion-text")).to_contain_text("城乡建设")
    phone.click("#triage-suggestion-take")
    expect(phone.locator("#id_category1")).to_have_value(str(urban.pk))
    expect(box).to_be_hidden()
