"""axe-core (from the npm registry, node_modules/axe-core) finds no critical and no serious violation on the public
pages and on every role's main screens, drawn from the demo district.

axe is injected into a context that bypasses the Content-Security-Policy (the policy allows no inline script, and
Playwright's add_script_tag inlines the file): only the test's own script goes around it, the pages are the same."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
PASSWORD = "Demo-Pass-2026!"
SERIOUS = {"critical", "serious"}

PUBLIC = [
    "/login/",
    "/report/",
    "/s/chunhui",
    "/track/",
    "/track/recover",
    "/find/",
    "/stations/",
    "/stations/chunhui/",
    "/events/",
    "/events/1/",
    "/consultations/",
    "/public/suggestions/",
    "/appraisal/",
]
# each role's main screens (the cockpit's and wall's layout is another item's; they are checked here all the same)
WORK = {
    "office": [
        "/work/cases/",
        "/work/suggestions/",
        "/work/people/",
        "/work/notifications/",
        "/work/cockpit/",
        "/work/cockpit/reports/",
        "/work/performance/",
        "/work/performance/appraisal/",
        "/work/consultations/",
        "/work/finder/",
        "/demo/messages/",
    ],
    "station": [
        "/work/cases/",
        "/work/walk-in/",
        "/work/duty/",
        "/work/duty/year/",
        "/work/duty/receptions/",
        "/work/events/",
    ],
    "deputy": ["/work/cases/", "/work/visit/", "/work/duty/mine/", "/work/suggestions/", "/work/voters/"],
    "unit": ["/work/cases/", "/work/suggestions/"],
    "leader": ["/work/cockpit/", "/work/cockpit/wall/"],
}


@pytest.fixture
def demo_district(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    os.environ["LIANXIN_DEMO_PASSWORD"] = PASSWORD
    try:
        call_command("seed_demo", cases=60, stdout=io.StringIO())
    finally:
        os.environ.pop("LIANXIN_DEMO_PASSWORD", None)


@pytest.fixture
def axe_page(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(60000)
    yield page
    context.close()


def axe_findings(page, url: str) -> list[str]:
    """Critical and serious violations on the page at `url`: rule, impact, how many nodes, the first target."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {v['nodes'][0]['target']} {v['nodes'][0]['failureSummary']}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def _login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_axe_finds_nothing_serious_on_public_and_work_pages(demo_district, live_server, axe_page):
    from lianxin.cases.codes import follow_up_token
    from lianxin.cases.models import Case
    from lianxin.consultations.models import Consultation
    from lianxin.organisation.models import Deputy

    base = live_server.url
    case = Case.objects.filter(status="fed_back").order_by("pk").first()  # the rating form is on its page
    token = follow_up_token(case.tracking_code, case.follow_up_generation)
    extra = [
        f"/track/{case.tracking_code}?token={token}",
        f"/deputies/{Deputy.objects.filter(public=True).order_by('code').first().code}/",
        f"/consultations/{Consultation.objects.filter(status='open').order_by('pk').first().pk}/",
        f"/work/cases/{case.pk}/",
    ]
    found = {}
    for path in PUBLIC + extra[:3]:
        if problems := axe_findings(axe_page, base + path):
            found[path] = problems
    for username, paths in WORK.items():
        axe_page.context.clear_cookies()
        _login(axe_page, base, username)
        for path in paths + (extra[3:] if username == "office" else []):
            if problems := axe_findings(axe_page, base + path):
                found[f"{username} {path}"] = problems
    assert found == {}


def test_axe_does_report_a_serious_violation(district, live_server, axe_page):
    """The check above can fail: a light dot with an aria-label and no role is reported (aria-prohibited-attr)."""
    axe_page.goto(f"{live_server.url}/report/")
    axe_page.evaluate(
        """() => { const s = document.createElement("span"); s.setAttribute("aria-label", "红灯");
        document.querySelector("main").appendChild(s); }"""
    )
    axe_page.add_script_tag(path=str(AXE))
    result = axe_page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert "aria-prohibited-attr" in [v["id"] for v in result["violations"]]
