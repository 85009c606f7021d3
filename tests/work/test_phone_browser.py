"""A deputy between visits with only a phone (390×844): the inbox, a case, the visit record with a photo, the voter
contacts, the duty shifts and the points ledger are laid out as cards, with no text squeezed to a character a line."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.cases.models import Case, CasePhoto
from lianxin.points.services import points_scan
from tests.factories import jpeg_bytes, submit_case
from tests.points.helpers import ensure_defaults, shift
from tests.voters.helpers import add_contacts, pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every visible text of the page's main part that the layout breaks into lines of fewer than 2.5 characters on
# average (a title wrapped every 2 characters, a station name one character per line), and a page wider than
# the screen.
SQUEEZED = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (text.length < 2 || !node.parentElement || !node.parentElement.getClientRects().length) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))).size;
    if (lines >= 2 && text.length / lines < 2.5) out.push(`${node.parentElement.tagName}: ${text.slice(0, 24)} (${lines} lines)`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page ${document.documentElement.scrollWidth}px wide`);
  return out;
}"""


def _squeezed(page):
    return page.evaluate(SQUEEZED)


def test_a_deputy_works_from_a_phone(district, live_server, phone, login):
    ensure_defaults()
    for n in range(25):
        submit_case(title=f"春晖小区{n + 1}号楼道灯和单元门禁长期损坏需要维修")
    households = pair(district, 2)
    add_contacts(district.deputy, [timezone.localdate() - dt.timedelta(days=3)], household=households[0])
    today = timezone.localdate()
    shift(district, today - dt.timedelta(days=1), "absent")
    shift(district, today + dt.timedelta(days=5), "scheduled")
    points_scan()
    page = login(phone, "deputy")
    base = live_server.url

    page.goto(f"{base}/work/cases/")
    page.wait_for_selector("#queue-table")
    assert page.locator("#queue-table thead").is_hidden()  # cards, not columns
    assert page.locator("#queue-table td[data-label]").count() > 0
    assert _squeezed(page) == []
    height = page.evaluate("() => document.documentElement.scrollHeight")
    # 25 compact cards with the filters: about 3,460 px (full cards took 6,530, squeezed rows 8,800)
    assert height < 4000, height

    page.locator("#queue-table a").first.click()
    page.wait_for_selector("#case-panel")
    assert _squeezed(page) == []

    # The visit record: a photo as on the citizen's report; recording it is the deputy's answer (我应).
    page.goto(f"{base}/work/visit/")
    assert _squeezed(page) == []
    page.fill("#id_title", "村口排水沟堵塞")
    page.fill("#id_details", "走访时村民反映村口排水沟堵塞，下雨积水。")
    page.check("#id_consent")
    page.set_input_files("#id_photos", files=[{"name": "ditch.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    page.click("#visit-form button.btn-primary")
    page.wait_for_selector("#case-panel")
    case = Case.objects.get(channel="visit")
    assert (case.status, CasePhoto.objects.filter(case=case).count()) == ("acknowledged", 1)
    assert page.locator("#action-acknowledge").count() == 0
    assert _squeezed(page) == []

    page.goto(f"{base}/work/voters/deputies/{district.deputy.pk}/")
    page.wait_for_selector("#contact-table")
    page.click("#contact-form >> xpath=.. >> summary")
    assert page.input_value("#id_contacted_on") == f"{today:%Y-%m-%d}"  # the date box opens filled
    assert _squeezed(page) == []

    page.goto(f"{base}/work/duty/mine/")
    page.wait_for_selector("#my-shifts")
    assert _squeezed(page) == []

    page.goto(f"{base}/work/performance/deputies/{district.deputy.pk}/")
    page.wait_for_selector("#entries")
    summary = page.locator("#entries summary").first
    assert summary.inner_text() == "提出异议"
    box = summary.bounding_box()
    assert box["height"] < 40, box  # one line, not one character per line
    assert _squeezed(page) == []
