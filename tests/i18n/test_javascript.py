"""The JavaScript catalogue: served per language, loaded by every page before its scripts, so messages and chart
labels drawn by our scripts follow the page's language."""

import json
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db

ENGLISH_DENIED = "Your location is not available: tap the map or choose a grid."
CHINESE_DENIED = "无法获取您的位置，请在地图上点选或选择网格。"


def _client(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


def _catalogue(response) -> dict:
    """The messages in a JavaScriptCatalog response (a JSON object in the script)."""
    body = response.content.decode()
    assert "django.gettext = function" in body and "django.interpolate = function" in body
    return json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.DOTALL).group(1))


def test_catalogue_of_each_language():
    english = Client().get("/jsi18n/en/")
    assert english.status_code == 200 and english["Content-Type"].startswith("text/javascript")
    messages = _catalogue(english)
    assert messages[CHINESE_DENIED] == ENGLISH_DENIED
    assert messages["%(n)s件"] == ["%(n)s matter", "%(n)s matters"]
    assert messages["受理"] == "Registered"

    assert CHINESE_DENIED not in _catalogue(Client().get("/jsi18n/zh-hans/"))  # gettext gives back the msgid
    assert Client().get("/jsi18n/fr/").status_code == 404


def test_the_path_chooses_the_language_not_the_cookie():
    # A reader who just switched: the page names the catalogue of the new language, whatever the cookie says.
    assert CHINESE_DENIED in _catalogue(_client("zh-hans").get("/jsi18n/en/"))
    assert CHINESE_DENIED not in _catalogue(_client("en").get("/jsi18n/zh-hans/"))


def test_catalogue_is_cached_and_revalidated():
    first = Client().get("/jsi18n/en/")
    assert "max-age=3600" in first["Cache-Control"]
    again = Client().get("/jsi18n/en/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def _script_sources(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', html)


@pytest.mark.parametrize(("language", "script"), [("en", "/jsi18n/en/"), ("zh-hans", "/jsi18n/zh-hans/")])
def test_report_page_loads_the_catalogue_of_its_language_before_report_js(district, language, script):
    sources = _script_sources(_client(language).get("/report/").content.decode())
    report = next(i for i, src in enumerate(sources) if src.endswith("cases/report.js"))
    assert script in sources[:report]


def test_cockpit_wall_screen_is_in_the_readers_language_with_the_catalogue(district):
    client = _client("en")
    client.force_login(district.leader)
    html = client.get("/work/cockpit/wall/").content.decode()
    assert '<html lang="en">' in html
    sources = _script_sources(html)
    assert sources.index("/jsi18n/en/") < next(i for i, src in enumerate(sources) if src.endswith("cockpit.js"))


# In a real browser: a message of report.js and the chart labels of cockpit.js, in English and in Chinese.

# What cockpit.js wrote into the charts' options: tooltips on the overview, series names on the wall screen.
OVERVIEW_CHARTS = """() => {
  const option = (id) => echarts.getInstanceByDom(document.getElementById(id)).getOption();
  return {status: option("chart-status").tooltip[0].formatter, map: option("chart-map").tooltip[0].formatter};
}"""
WALL_CHARTS = """() => {
  const option = echarts.getInstanceByDom(document.getElementById("chart-children")).getOption();
  return option.series.map((s) => s.name);  // the legend shows these names
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "denied", "marked"),
    [
        ("en", ENGLISH_DENIED, "Location marked (30.00500, 120.01500)"),
        ("zh-hans", CHINESE_DENIED, "已标记位置（30.00500, 120.01500）"),
    ],
)
def test_report_page_location_messages_in_the_page_language(district, live_server, phone, language, denied, marked):
    page = phone
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.context.clear_permissions()  # the reader says no to sharing the location
    page.goto(f"{live_server.url}/report/")
    assert page.locator("html").get_attribute("lang") == language
    page.click("#locate-me")
    # expect(), not wait_for_function: the CSP forbids evaluating a string in the page
    expect(page.locator("#location-status")).to_have_text(denied, timeout=15000)

    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 30.005, "longitude": 120.015})
    page.click("#locate-me")
    expect(page.locator("#location-status")).to_have_text(marked, timeout=15000)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_cockpit_chart_labels_follow_the_language_switcher(district, live_server, desktop, login):
    from lianxin.organisation.models import Division

    ring = [[120, 30], [120.5, 30], [120.5, 30.5], [120, 30.5], [120, 30]]
    Division.objects.filter(pk=district.grid.pk).update(polygon={"type": "Polygon", "coordinates": [ring]})
    errors = []
    page = login(desktop, "leader")
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/work/cockpit/")
    page.click("footer button:text-is('English')")
    page.wait_for_selector("#chart-map canvas")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate(OVERVIEW_CHARTS) == {"status": "{b}: {c} ({d}%)", "map": "{b}: {c} matters"}
    page.goto(f"{live_server.url}/work/cockpit/wall/")
    page.wait_for_selector("#chart-children svg")
    assert page.evaluate(WALL_CHARTS) == ["Registered", "Overdue"]

    page.goto(f"{live_server.url}/work/cockpit/")
    page.click("footer button:text-is('简体中文')")
    page.wait_for_selector("#chart-map canvas")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.evaluate(OVERVIEW_CHARTS) == {"status": "{b}：{c}（{d}%）", "map": "{b}：{c} 件"}
    page.goto(f"{live_server.url}/work/cockpit/wall/")
    page.wait_for_selector("#chart-children svg")
    assert page.evaluate(WALL_CHARTS) == ["受理", "超期"]
    assert errors == []
