"""With the Content-Security-Policy on, the main pages run without a single violation: htmx, Leaflet, ECharts,
the report form and the work queue all work from static files only."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects every violation the browser reports (the event fires before anything is blocked silently).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""

PUBLIC = ["/s/donghu", "/track/", "/find/", "/login/"]
WORK = ["/work/cases/", "/work/cockpit/", "/work/cockpit/wall/", "/account/", "/account/tokens/"]


def _visit(page, url, console):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__csp")
    return violations + [m for m in console if "Content Security Policy" in m]


def test_no_csp_violation_on_the_main_pages(district, live_server, desktop, login):
    base = live_server.url
    desktop.set_default_timeout(60000)  # the first page of a live server on a busy machine is slow
    console = []
    desktop.on("console", lambda message: console.append(message.text))
    desktop.add_init_script(WATCH)
    found = {}
    for path in PUBLIC:
        if problems := _visit(desktop, base + path, console):
            found[path] = problems
    assert desktop.evaluate("typeof htmx") == "object"
    login(desktop, "office")
    for path in WORK:
        if problems := _visit(desktop, base + path, console):
            found[path] = problems
    assert found == {}
    # the charts were drawn (ECharts from static files, started by cockpit/overview.js)
    desktop.goto(f"{base}/work/cockpit/")
    desktop.wait_for_selector("#chart-trend canvas")


def test_the_policy_does_block_an_inline_script(district, live_server, desktop):
    """The check above can fail: an injected inline script is reported as a violation."""
    desktop.add_init_script(WATCH)
    desktop.goto(f"{live_server.url}/login/")
    desktop.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
        document.body.appendChild(s); }""")
    desktop.wait_for_timeout(200)
    assert desktop.evaluate("window.__ran") is None
    assert any("script-src" in v for v in desktop.evaluate("window.__csp"))
