"""The office's people screen in a browser: create an account, print its activation sheet (QR code), and the
holder activates it from the printed link and lands in the work area. The CSP reports no violation."""

import pytest

from lianxin.accounts.models import User
from lianxin.audit.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__csp.push(e.violatedDirective); });
"""


def test_office_creates_an_account_and_prints_its_activation_sheet(
    district, live_server, desktop, login, chromium_browser
):
    base = live_server.url
    desktop.set_default_timeout(60000)
    desktop.add_init_script(WATCH)
    login(desktop, "office")
    desktop.goto(f"{base}/work/people/")
    desktop.click("#new-account")
    desktop.fill("#id_username", "zhao-liu")
    desktop.fill("#id_display_name", "赵六")
    desktop.select_option("#id_role", "station")
    desktop.select_option("#id_station", str(district.station.pk))
    desktop.click("#account-form button[type=submit]")
    desktop.wait_for_selector("#person-state")
    assert desktop.inner_text("#person-state") == "待激活"
    user = User.objects.get(username="zhao-liu")
    assert not user.has_usable_password()

    # the list: the state filter swaps the results in place (htmx) and keeps the new account
    desktop.goto(f"{base}/work/people/")
    with desktop.expect_response(lambda r: "/work/people/?" in r.url and "state=pending" in r.url):
        desktop.select_option("#id_state", "pending")
    desktop.wait_for_selector('tr[data-person="zhao-liu"]')
    assert desktop.locator('tr[data-person="station"]').count() == 0  # activated accounts are filtered out

    # tick it and print: a sheet with a QR code and the link
    desktop.check('tr[data-person="zhao-liu"] input[type=checkbox]')
    desktop.click("#print-selected")
    sheet = desktop.locator('.activation-sheet[data-username="zhao-liu"]')
    sheet.wait_for()
    assert sheet.locator("svg").count() == 1
    link = sheet.locator(".text-break").inner_text().strip()
    assert "/activate/?token=" in link
    assert AuditEntry.objects.filter(action="account.activation_issued", subject_id=user.pk).exists()
    assert desktop.evaluate("window.__csp") == []

    # the holder opens the printed link on another machine and sets a password
    context = chromium_browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    holder = context.new_page()
    holder.set_default_timeout(60000)
    holder.goto(link.replace("http://127.0.0.1:8000", base))
    holder.fill("#id_new_password1", "Zhao-Liu-2026!")
    holder.fill("#id_new_password2", "Zhao-Liu-2026!")
    holder.click("#activate-form button[type=submit]")
    holder.wait_for_url(f"{base}/work/**")
    user.refresh_from_db()
    assert user.check_password("Zhao-Liu-2026!")
    context.close()
