"""On a phone: find my deputy by tapping the map, by my location, or with the pickers, then 有事找TA lands on
the deputy's intake form. Playwright driving Debian's chromium (see tests/browser/conftest.py)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_tap_the_map_see_the_grid_and_raise_a_matter_with_its_deputy(mapped, live_server, phone, settings):
    settings.MAP_TILE_URL = ""  # no tiles at all: grid polygons and station pins on a plain background
    phone.goto(f"{live_server.url}/find/")
    phone.wait_for_selector("#finder-map[data-ready='1']")
    assert phone.locator("#finder-map path.leaflet-interactive").count() == 4
    assert phone.locator("#finder-map .station-pin").count() >= 1
    # Tap near the north-west corner of 春晖一网格 (its centre holds the station's pin).
    phone.locator("#finder-map path.leaflet-interactive").first.click(position={"x": 12, "y": 12})
    card = phone.wait_for_selector("#finder-result #grid-card")
    text = card.inner_text()
    assert "春晖一网格" in text and "网格员：陈网格" in text and "王代表" in text
    station = phone.inner_text("#finder-result #station-card")
    assert "东湖街道代表联络站" in station and "下次接待" in station
    assert no_sideways_scroll(phone)
    phone.click("#finder-result a:text-is('有事找TA')")
    phone.wait_for_url(f"{live_server.url}/d/d-wang")
    phone.wait_for_selector("#report-form #id_title")
    assert "王代表" in phone.inner_text("body")


def test_my_location_and_the_pickers_without_the_map(mapped, live_server, phone):
    phone.context.grant_permissions(["geolocation"])
    phone.context.set_geolocation({"latitude": 30.005, "longitude": 120.015})
    phone.goto(f"{live_server.url}/find/")
    phone.click("#locate-me")
    phone.wait_for_selector("#finder-result #grid-card[data-grid^='g']")
    assert "春晖二网格" in phone.inner_text("#finder-result #grid-card")

    # The non-map path: street → community → grid, each choice reloads the page with the next picker.
    phone.goto(f"{live_server.url}/find/")
    with phone.expect_navigation():
        phone.select_option("#id_street", label="东湖街道")
    with phone.expect_navigation():
        phone.select_option("#id_community", label="春晖社区")
    with phone.expect_navigation():
        phone.select_option("#id_grid", label="春晖一网格")
    assert "王代表" in phone.inner_text("#grid-card")
    # Search by pinyin initials.
    phone.fill("#id_q", "chsq")
    with phone.expect_navigation():
        phone.press("#id_q", "Enter")
    assert "春晖社区" in phone.inner_text("#search-results")
    assert no_sideways_scroll(phone)
