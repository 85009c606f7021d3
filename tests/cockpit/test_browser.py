"""The overview and the wall screen in a real browser (Debian's chromium through Playwright): the charts draw,
no script fails, and screenshots are taken (kept in the test's tmp directory for a person to look at)."""

import os
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("LIANXIN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-dev-shm-usage"]


def _drive(steps, viewport):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"chromium not found at {CHROMIUM}: install Debian's chromium package to run the browser tests"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)

    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
                page.set_default_timeout(15000)
                errors = []
                page.on("pageerror", lambda exc: errors.append(f"{exc} @ {str(exc.stack)[:600]}"))
                return steps(page, errors), errors
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=120)


def _login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_overview_and_wall_screen_draw(live_server, world, tmp_path):
    from lianxin.organisation.models import Division

    for i, grid in enumerate([world.district.grid, world.district.other_grid]):
        ring = [[120 + i, 30], [120.5 + i, 30], [120.5 + i, 30.5], [120 + i, 30.5], [120 + i, 30]]
        Division.objects.filter(pk=grid.pk).update(polygon={"type": "Polygon", "coordinates": [ring]})
    base = live_server.url

    def overview(page, errors):
        _login(page, base, "office")
        page.goto(f"{base}/work/cockpit/?period=year")
        page.wait_for_selector("#chart-trend canvas")
        page.wait_for_selector("#chart-map canvas")
        page.wait_for_load_state("networkidle")
        total = page.inner_text("#fig-total")
        page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
        # The overview's own errors: what a chart's last frame may throw while the page is left is not one.
        drawn = list(errors)
        page.click("#fig-total")
        page.wait_for_selector("#case-count")
        return total, page.inner_text("#case-count"), drawn

    (total, listed, errors_while_shown), _errors = _drive(overview, {"width": 1440, "height": 900})
    assert errors_while_shown == []
    assert int(total) == int(listed) > 0

    def wall(page, _errors):
        _login(page, base, "leader")
        page.goto(f"{base}/work/cockpit/wall/?period=year")
        for chart in ("trend", "map", "children", "categories"):
            page.wait_for_selector(f"#chart-{chart} svg")  # the wall draws with the SVG renderer
        page.wait_for_function("document.getElementById('wall-clock').textContent.length > 0")
        page.screenshot(path=str(tmp_path / "wall.png"))
        return page.evaluate("getComputedStyle(document.body).backgroundColor")

    background, errors = _drive(wall, {"width": 1920, "height": 1080})
    assert errors == []
    assert background == "rgb(6, 18, 43)"  # the dark theme
    with Image.open(tmp_path / "wall.png") as shot:
        assert shot.size == (1920, 1080)
        colours = shot.convert("RGB").resize((64, 36)).getcolors(maxcolors=4096) or []
        assert len(colours) > 50  # charts, not a blank screen
    with Image.open(tmp_path / "overview.png") as shot:
        assert shot.size[0] == 1440
