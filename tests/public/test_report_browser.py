"""The report page on a phone: the chained pickers (htmx), the grid map (Leaflet, no tiles) and the whole round trip."""

import pytest

from lianxin.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[120.10, 30.20], [120.20, 30.20], [120.20, 30.30], [120.10, 30.30], [120.10, 30.20]]],
}


def test_citizen_reports_from_a_station_qr_and_follows_the_case(district, live_server, phone):
    district.grid.polygon = SQUARE
    district.grid.save()
    page = phone
    page.goto(f"{live_server.url}/s/donghu")
    assert page.locator("h1").first.inner_text() == "东湖街道代表联络站"

    # The map (loaded on a tap) draws the street's grid from our own data (no tile server); a tap pins the location.
    page.click("#show-map")
    page.wait_for_selector("#report-map path.leaflet-interactive")
    page.locator("#report-map").click(position={"x": 150, "y": 120})
    assert page.input_value("#id_lat") != ""
    assert page.input_value("#id_lng") != ""

    # Street is fixed to the station's; community → grid are chained by htmx (behind one line on the phone).
    page.click("#location-more > summary")
    page.select_option("#id_community", str(district.community.pk))
    page.wait_for_selector(f'#id_grid option[value="{district.grid.pk}"]', state="attached")
    page.select_option("#id_grid", str(district.grid.pk))

    page.fill("#id_title", "小区路灯不亮")
    page.fill("#id_details", "春晖小区3栋门口路灯坏了两周。")
    page.fill("#id_contact_phone", "13812341234")
    page.check("#id_consent")
    page.click("#report-submit")
    page.wait_for_selector("#tracking-code")

    case = Case.objects.get()
    assert page.inner_text("#tracking-code") == case.tracking_code
    assert (case.division, case.station, case.channel) == (district.grid, district.station, "qr_station")
    assert 30.2 <= case.lat <= 30.3 and 120.1 <= case.lng <= 120.2

    page.click("a:text-is('查看办理进度')")
    page.wait_for_selector("h2:text-is('办理过程')")
    assert "已受理" in page.inner_text(".timeline")
