"""English in a real browser: a phone set to English reports a matter; staff switch the language in the footer."""

import os

import pytest

from lianxin.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("LIANXIN_I18N_SCREENSHOTS")  # a folder, to look at the English pages by eye


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def english_phone(chromium_browser):
    context = chromium_browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="en-US"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_english_phone_reports_a_matter_and_follows_it(district, live_server, english_phone):
    page = english_phone
    page.goto(f"{live_server.url}/s/{district.station.code}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Talk to your deputy" in page.inner_text("body")
    _shot(page, "report")

    page.fill("#id_title", "Street lights out")
    page.fill("#id_details", "The street lights outside building 3 have been out for two weeks.")
    page.check("#id_consent")
    page.click("#report-submit")
    page.wait_for_selector("#tracking-code")
    assert "Submitted. Thank you for raising this matter!" in page.inner_text("body")
    _shot(page, "report_done")

    case = Case.objects.get()
    assert page.inner_text("#tracking-code") == case.tracking_code
    page.click("main a:text-is('Check progress')")
    page.wait_for_selector("h2:text-is('Handling history')")
    assert "Registered" in page.inner_text(".timeline")
    _shot(page, "track")


def test_staff_switch_to_english_and_back_in_the_footer(district, live_server, desktop, login):
    page = login(desktop, "station")
    page.goto(f"{live_server.url}/work/cases/?tab=all")
    assert "来访登记" in page.inner_text("main")

    page.click("footer button:text-is('English')")
    page.wait_for_load_state()
    assert page.url.endswith("/work/cases/?tab=all")
    assert page.locator("html").get_attribute("lang") == "en"
    main = page.inner_text("main")
    assert "Register walk-in" in main and "来访登记" not in main
    _shot(page, "queue")

    # The choice sticks for the next page, whatever the browser asks for.
    page.goto(f"{live_server.url}/work/walk-in/")
    assert "Citizen's details" in page.inner_text("main")
    _shot(page, "walk_in")

    page.click("footer button:text-is('简体中文')")
    page.wait_for_load_state()
    assert "来访登记" in page.inner_text("main")


def test_the_office_menu_is_one_line_in_english_at_1440(district, live_server, chromium_browser, login):
    """The office sees the most entries; in English they must not wrap onto a second line on a 1440 px screen."""
    context = chromium_browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = login(context.new_page(), "office")
    page.goto(f"{live_server.url}/work/cases/")
    assert page.locator("html").get_attribute("lang") == "en"
    items = page.locator("#work-nav > li")
    assert items.count() >= 12
    tops = {round(box["y"]) for box in (items.nth(i).bounding_box() for i in range(items.count()))}
    _shot(page, "menu_1440")
    context.close()
    assert len(tops) == 1, f"the menu wraps onto {len(tops)} lines"
