"""The htmx behaviour of the work screens in a real browser (Debian's chromium through Playwright)."""

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from tests.browser.conftest import chromium_browser, desktop, login  # noqa: F401  (fixtures)
from tests.factories import submit_case
from tests.work.helpers import case_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filters_tabs_actions_and_reveal_without_page_loads(desktop, login, live_server, district):  # noqa: F811
    case = case_at(district, "dispatched")
    for i in range(3):
        submit_case(title=f"测试事项{i}")
    login(desktop, "station")
    page = desktop
    page.goto(f"{live_server.url}/work/cases/?tab=all")
    page.evaluate("window.loadedOnce = true")  # survives only if no full page load happens

    page.fill("#id_q", "测试事项1")
    page.wait_for_function("document.querySelectorAll('#queue-table tbody tr').length === 1")
    assert "q=" in page.url  # hx-push-url keeps the filter in the address bar
    page.click("a[data-tab=handling]")
    page.wait_for_function("document.querySelector('#queue-tab').value === 'handling'")
    page.fill("#id_q", "")
    page.select_option("#id_channel", "qr_station")  # a select filter swaps the table too, on the current tab
    page.wait_for_function("document.querySelectorAll('#queue-table tbody tr[data-case]').length === 1")
    assert "channel=qr_station" in page.url and "tab=handling" in page.url
    assert page.evaluate("window.loadedOnce") is True

    page.goto(f"{live_server.url}/work/cases/{case.pk}/")
    page.evaluate("window.loadedOnce = true")
    page.click("#action-urge button")  # empty message
    page.wait_for_selector("#action-urge .action-error")
    assert page.inner_text("#action-urge .action-error") == "请填写催办意见。"
    assert Case.objects.get(pk=case.pk).urge_count == 0
    page.fill("#urge-message", "请今天签收")
    page.click("#action-urge button")
    page.wait_for_selector(".alert-success")
    assert Case.objects.get(pk=case.pk).urge_count == 1
    page.click("text=显示完整号码")
    page.wait_for_selector("#contact-full")
    assert "13812341234" in page.inner_text("#contact-full")
    assert page.evaluate("window.loadedOnce") is True
    assert AuditEntry.objects.filter(action="case.contact_revealed", subject_id=case.pk).count() == 1
