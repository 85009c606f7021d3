"""The wall screen in a real browser at 1920×1080 (Debian's chromium through Playwright), as a leader sees it: no
panel, card or list overflows its box, the hot list is never cut whatever its length, no two text labels overlap
(the HTML ones and every <text> the charts draw with the SVG renderer), and no text is smaller than 16 px. And the
overview: every figure is a link, or says on hover why it has none."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.organisation.models import Division
from lianxin.topics.models import HotTopic, Period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_FONT_PX = 16

# Everything measured in the page: boxes that overflow, labels that overlap, text below the minimum size.
MEASURE = (
    """() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" && s.opacity !== "0"; };
  const name = (el) => (el.id ? "#" + el.id : el.className && el.className.baseVal === undefined ? "." + el.className : el.tagName)
    + " «" + (el.textContent || "").trim().slice(0, 30) + "»";
  const overflow = [];
  document.querySelectorAll(".wall-title, .wall-title h1, .wall-kpi, .wall-panel, .wall-list, .wall-list li, .wall-list li span")
    .forEach((el) => { if (!visible(el)) return;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) overflow.push(name(el)); });
  const page = {width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight};
  const labels = [];
  document.querySelectorAll(".wall-title h1, .wall-title .meta div, .wall-kpi .label, .wall-kpi .value, .wall-panel h2, "
    + ".wall-list li:not([hidden]) span, .wall-list li.more, .wall-panel svg text").forEach((el) => {
    if (!visible(el) || !(el.textContent || "").trim()) return;
    const r = el.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(el).fontSize);
    const box = el.closest(".wall-panel, .wall-kpi, .wall-title").getBoundingClientRect();
    labels.push({text: name(el), size, x1: r.left, y1: r.top, x2: r.right, y2: r.bottom,
      inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1});
  });
  const overlaps = [];
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
    const a = labels[i], b = labels[j];
    const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
    if (w > 1 && h > 1) overlaps.push(a.text + " × " + b.text);
  }
  return {overflow, page, overlaps,
    small: labels.filter((l) => l.size < %d).map((l) => l.text + " " + l.size + "px"),
    outside: labels.filter((l) => !l.inside).map((l) => l.text),
    chartTexts: document.querySelectorAll(".wall-panel svg text").length,
    mapLabels: Array.from(document.querySelectorAll("#chart-map svg text")).map((t) => t.textContent),
    hot: {shown: document.querySelectorAll("#wall-hot li:not([hidden]):not(.more)").length,
          more: (document.querySelector("#wall-hot li.more") || {}).textContent || ""}};
}"""
    % MIN_FONT_PX
)


def _grids_with_polygons(world):
    for i, grid in enumerate([world.district.grid, world.district.other_grid]):
        ring = [[120 + i, 30], [120.5 + i, 30], [120.5 + i, 30.5], [120 + i, 30.5], [120 + i, 30]]
        Division.objects.filter(pk=grid.pk).update(polygon={"type": "Polygon", "coordinates": [ring]})


def _many_hot_issues(world, count=14):
    """More hot issues than the panel holds, some with long names (the list must show whole items only): the
    topics' groups (lianxin.topics, the cockpit's hot-issue hook)."""
    now = timezone.now()
    district = world.district.district
    HotTopic.objects.filter(scope_id=district.pk).delete()
    for rank in range(1, count + 1):
        HotTopic.objects.create(
            computed_at=now,
            scope_id=district.pk,
            period=Period.RECENT,
            place="东湖街道春晖社区第三网格南片" if rank % 3 == 0 else "西山镇",
            what="老旧小区加装电梯与停车位改造" if rank % 4 == 0 else f"路灯{rank}",
            cases=30 - rank,
            citizens=20 - rank,
            first_at=now - dt.timedelta(days=3),
            last_at=now - dt.timedelta(hours=rank),
            heat=40.0 - rank,
            rank=rank,
        )


def _page(chromium_browser, live_server, username, width, height):
    from tests.factories import PASSWORD

    context = chromium_browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page, errors


def test_the_wall_screen_fits_1920x1080_without_overflow_or_overlap(live_server, world, chromium_browser):
    _grids_with_polygons(world)
    _many_hot_issues(world)
    context, page, errors = _page(chromium_browser, live_server, "leader", 1920, 1080)
    try:
        page.goto(f"{live_server.url}/work/cockpit/wall/?period=year")
        for chart in ("trend", "map", "children", "categories"):
            page.wait_for_selector(f"#chart-{chart} svg text")
        page.wait_for_load_state("networkidle")
        found = page.evaluate(MEASURE)
    finally:
        context.close()
    assert errors == []
    assert found["page"] == {"width": 1920, "height": 1080}
    assert found["overflow"] == []
    assert found["overlaps"] == []
    assert found["small"] == []
    assert found["outside"] == []
    assert found["chartTexts"] >= 15  # axis labels, legend and map labels were measured, not an empty screen
    # two grids only: each grid is named on the map
    assert {world.district.grid.name, world.district.other_grid.name} <= set(found["mapLabels"])
    # the hot list shows what fits, whole, and says how many more there are
    assert 3 <= found["hot"]["shown"] < 14
    assert found["hot"]["more"] == f"另有 {14 - found['hot']['shown']} 项热点（见驾驶舱）"


# Every text with a digit in the figure areas of the overview: inside a link, or inside an element with a hover
# note (title) that says why it is not one. Ranks (the first column) and labels are not figures.
FIGURES = """() => {
  const regions = document.querySelectorAll("#headline, #rates, #children tbody, #units tbody, #deputies tbody, "
    + "#hot .ms-auto, .card-body ul");
  const bare = [], notes = [];
  regions.forEach((region) => {
    const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const el = node.parentElement;
      if (!/\\d/.test(node.textContent) || el.closest(".kpi-label, td:first-child, .visually-hidden")) continue;
      const link = el.closest("a[href]"), note = el.closest("[data-no-link]");
      if (link) continue;
      if (note && note.title.trim()) { notes.push(note.title); continue; }
      bare.push(node.textContent.trim() + " in " + (el.closest("[id]") || {}).id);
    }
  });
  return {bare, notes, links: document.querySelectorAll(".cockpit a.fig[href]").length};
}"""


@pytest.mark.parametrize("username", ["leader", "office"])
def test_every_overview_figure_is_a_link_or_says_why_not(live_server, activity, chromium_browser, username):
    _many_hot_issues(activity, count=3)
    context, page, errors = _page(chromium_browser, live_server, username, 1920, 1080)
    try:
        page.goto(f"{live_server.url}/work/cockpit/?period=year")
        page.wait_for_selector("#chart-trend canvas")
        found = page.evaluate(FIGURES)
        page.click("#fig-today")
        page.wait_for_selector("#case-count")
        listed = page.inner_text("#case-count")
    finally:
        context.close()
    assert errors == []
    assert found["bare"] == []
    assert found["links"] >= 20
    assert "热点由近期民意件按内容和地点聚类算出，没有对应的筛选清单（悬停标签可见其中的标题）" in found["notes"]
    leader_note = "这份清单只对管理这些联络站或记录的工作人员开放，您的账号打不开，所以这里不链接"
    assert (leader_note in found["notes"]) == (username == "leader")
    assert int(listed) >= 1
