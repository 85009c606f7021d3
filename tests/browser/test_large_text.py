"""大字版 (适老化) on the public pages: one button in the header turns it on, every public page then draws its text at
18 px or more with a contrast of 4.5:1 or more and its buttons, fields and header links at 44 px or more; the choice
is remembered (a cookie the server reads, so the page is large from its first paint) until it is turned off."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/report/", "/s/donghu", "/track/", "/find/", "/stations/donghu/", "/public/suggestions/", "/consultations/"]

# What a person sees: each element with its own visible text, and each target a finger must hit.
MEASURE = """() => {
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 1 && r.height > 1 && s.visibility !== "hidden" && s.display !== "none" && !e.closest(".form-trap"); };
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || c[3] > 0.5) return c.slice(0, 3); } return [255, 255, 255]; };
  const small = [], faint = [], tiny = [];
  for (const e of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "NOSCRIPT", "OPTION"].includes(e.tagName) || !visible(e)) continue;
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own) {
      const s = getComputedStyle(e);
      if (parseFloat(s.fontSize) < 18) small.push(e.tagName + " " + s.fontSize + " " + e.textContent.trim().slice(0, 20));
      const fg = lum(rgb(s.color)), bg = lum(background(e));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < 4.5) faint.push(e.tagName + " " + ratio.toFixed(2) + " " + e.textContent.trim().slice(0, 20));
    }
  }
  const targets = "button, .btn, select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
    + ".form-check, .public-header a, footer button";
  for (const e of document.body.querySelectorAll(targets)) {
    if (!visible(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.height < 44 || r.width < 44) tiny.push(e.tagName + " " + Math.round(r.width) + "x" + Math.round(r.height)
      + " " + (e.textContent || e.name || "").trim().slice(0, 20));
  }
  return {small, faint, tiny};
}"""


def test_large_text_mode_meets_the_sizes_and_is_remembered(district, live_server, phone):
    base = live_server.url
    phone.set_default_timeout(60000)  # the first page of a live server on a busy machine is slow
    phone.goto(f"{base}/report/")
    before = phone.evaluate(MEASURE)
    assert before["small"] and before["tiny"]  # the standard pages have smaller text and targets: the check can fail
    assert phone.get_attribute("#large-text-toggle", "aria-pressed") == "false"
    with phone.expect_navigation():
        phone.click("#large-text-toggle")
    assert phone.url == f"{base}/report/"  # back where the button was pressed
    phone.set_viewport_size({"width": 320, "height": 640})  # the narrowest phone: large text must still fit
    found = {}
    for path in PAGES:  # remembered from page to page, drawn large by the server (the class is in the HTML)
        response = phone.goto(base + path)
        assert 'class="large-text"' in response.text(), path
        measured = phone.evaluate(MEASURE)
        measured["overflow"] = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        if problems := {k: v for k, v in measured.items() if v}:
            found[path] = problems
    assert found == {}
    assert phone.get_attribute("#large-text-toggle", "aria-pressed") == "true"
    with phone.expect_navigation():
        phone.click("#large-text-toggle")
    assert phone.evaluate("document.documentElement.classList.contains('large-text')") is False
    phone.goto(f"{base}/track/")
    assert phone.evaluate("document.documentElement.classList.contains('large-text')") is False


def test_the_toggle_returns_only_to_this_site(district, client):
    response = client.post("/large-text", {"large": "1", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["lx_large_text"].value == "1"
    assert response.cookies["lx_large_text"]["httponly"]
    response = client.post("/large-text", {"large": "0", "next": "/track/"})
    assert response["Location"] == "/track/"
    assert response.cookies["lx_large_text"].value == ""  # deleted
    assert client.get("/large-text").status_code == 405
