"""The htmx behaviour of the work screens in a real browser (Debian's chromium through Playwright).

Playwright's sync API keeps an event loop running in the thread that started it, and another module's
session-scoped browser may still hold the main thread; so this test drives its own browser in a worker
thread and checks the database from the main thread afterwards.
"""

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from tests.factories import PASSWORD, submit_case
from tests.work.helpers import case_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("LIANXIN_CHROMIUM", "/usr/bin/chromium")
WAIT_MS = 15000  # every wait, the page's and expect()'s (whose own default is 5 s): a busy machine answers slowly
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-dev-shm-usage"]


@pytest.fixture
def drive():
    """Run `steps(page)` on a desktop-sized page in a fresh thread; returns what `steps` returns."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"chromium not found at {CHROMIUM}: install Debian's chromium package to run the browser tests"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)

    def _drive(steps):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
                page = context.new_page()
                page.set_default_timeout(WAIT_MS)
                return steps(page)
            finally:
                browser.close()

    def run(steps):
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(_drive, steps).result(timeout=120)

    return run


def test_filters_tabs_actions_and_reveal_without_page_loads(drive, live_server, district):
    case = case_at(district, "dispatched")
    for i in range(3):
        submit_case(title=f"测试事项{i}")
    base = live_server.url

    def steps(page):
        seen = {"htmx_errors": [], "queue_requests": []}
        # htmx reports a refused eval (an hx-trigger filter under allowEval: false) or a bad trigger as a console error
        page.on("console", lambda m: "htmx:" in m.text and seen["htmx_errors"].append(m.text))
        page.on("request", lambda r: "/work/cases/?" in r.url and seen["queue_requests"].append(r.url))
        page.goto(f"{base}/login/")
        page.fill("#id_username", "station")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/work/cases/?tab=all")
        page.evaluate("window.loadedOnce = true")  # survives only if no full page load happens

        page.fill("#id_q", "测试事项1")
        # expect() rather than wait_for_function: the page's CSP forbids evaluating strings in it
        expect(page.locator("#queue-table tbody tr")).to_have_count(1, timeout=WAIT_MS)
        seen["search_url"] = page.url  # hx-push-url keeps the filter in the address bar
        before_click = len(seen["queue_requests"])
        page.click("a[data-tab=handling]")
        expect(page.locator("#queue-tab")).to_have_value("handling", timeout=WAIT_MS)
        expect(page).to_have_url(
            re.compile(r"tab=handling"), timeout=WAIT_MS
        )  # the tab's table is swapped in and pushed
        # one request only: the search box losing focus does not send the form again with the old tab
        seen["tab_requests"] = seen["queue_requests"][before_click:]
        page.fill("#id_q", "")
        page.wait_for_load_state("networkidle")  # the emptied search's request is answered before the next filter
        page.select_option("#id_channel", "qr_station")  # a select filter swaps the table too, on the current tab
        expect(page.locator("#queue-table tbody tr[data-case]")).to_have_count(1, timeout=WAIT_MS)
        expect(page).to_have_url(re.compile(r"channel=qr_station"), timeout=WAIT_MS)
        seen["filter_url"] = page.url
        seen["queue_no_reload"] = page.evaluate("window.loadedOnce")

        page.goto(f"{base}/work/cases/{case.pk}/")
        page.evaluate("window.loadedOnce = true")
        page.click("#action-urge button")  # empty message
        page.wait_for_selector("#action-urge .action-error")
        seen["error"] = page.inner_text("#action-urge .action-error")
        page.fill("#urge-message", "请今天签收")
        page.click("#action-urge button")
        page.wait_for_selector(".alert-success")
        page.click("text=显示完整号码")
        page.wait_for_selector("#contact-full")
        seen["contact"] = page.inner_text("#contact-full")
        seen["detail_no_reload"] = page.evaluate("window.loadedOnce")
        return seen

    seen = drive(steps)
    assert "q=" in seen["search_url"]
    assert seen["htmx_errors"] == []
    assert len(seen["tab_requests"]) == 1 and "tab=handling" in seen["tab_requests"][0]
    assert "q=%E6%B5%8B" in seen["tab_requests"][0]  # the tab keeps the search
    assert "tab=handling" in seen["filter_url"]
    assert seen["queue_no_reload"] is True and seen["detail_no_reload"] is True
    assert seen["error"] == "请填写催办意见。"
    assert Case.objects.get(pk=case.pk).urge_count == 1  # the empty submit stored nothing
    assert "13812341234" in seen["contact"]
    assert AuditEntry.objects.filter(action="case.contact_revealed", subject_id=case.pk).count() == 1
