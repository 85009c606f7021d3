"""The report page's "是否与以下问题相同？" in a real browser: the citizen types a title at the station's page, sees the
open matter nearby, and adds their support instead of submitting it again."""

import pytest
from playwright.sync_api import expect

from lianxin.cases.models import Case, CaseSupporter
from tests.factories import submit_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_sees_the_same_matter_and_says_me_too(district, live_server, phone):
    case = submit_case(title="春晖小区3栋门口路灯不亮", details="春晖小区3栋门口的路灯坏了两周，晚上出行不便。")
    phone.set_default_timeout(60000)  # the first comparison loads jieba's dictionary in the server (seconds)
    phone.set_default_navigation_timeout(60000)
    phone.goto(f"{live_server.url}/s/donghu")
    phone.fill("#id_details", "3栋门口的路灯坏了两周，晚上出行不便")
    phone.fill("#id_title", "春晖小区路灯坏了")
    phone.press("#id_title", "Tab")  # leaving the title fires its change: htmx asks
    found = phone.locator("#similar-found")
    expect(found).to_contain_text("是否与以下问题相同？", timeout=60000)
    expect(found).to_contain_text(case.title)
    phone.fill(f"#support-phone-{case.pk}", "13900001111")
    phone.click(f"#similar-{case.pk} button")
    expect(phone.locator(f"#supported-{case.pk}")).to_contain_text("已附议", timeout=30000)
    assert Case.objects.get(pk=case.pk).supporters == 1
    assert CaseSupporter.objects.filter(case=case).count() == 1
    assert Case.objects.count() == 1  # nothing submitted twice
