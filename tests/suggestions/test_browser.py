"""The main path in a real browser (Debian's chromium through Playwright): a deputy drafts a suggestion from a
citizen's case and submits it, the office reviews and assigns it, the units sign, consult and answer, the deputy
rates it, and the citizen's case moves on. The browser runs in a worker thread (see tests/work/test_browser.py);
the database is checked from the main thread afterwards."""

import datetime as dt
import os
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.suggestions.models import Suggestion
from tests.factories import PASSWORD
from tests.suggestions.factories import acknowledged_case, make_world, suggestion_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("LIANXIN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-dev-shm-usage"]


@pytest.fixture
def drive():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"chromium not found at {CHROMIUM}: install Debian's chromium package to run the browser tests"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)

    def _drive(steps):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
                page = context.new_page()
                page.set_default_timeout(15000)
                return steps(page)
            finally:
                browser.close()

    def run(steps):
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(_drive, steps).result(timeout=180)

    return run


def test_main_path_from_draft_to_satisfied(drive, live_server, district):
    world = make_world(district)
    case = acknowledged_case(world)
    base = live_server.url

    def steps(page):
        seen = {}

        def login(username):
            page.context.clear_cookies()
            page.goto(f"{base}/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()

        def act(action, **values):
            for name, value in values.items():
                selector = f"#f-{action}-{name}"
                if page.eval_on_selector(selector, "el => el.tagName") == "SELECT":
                    page.select_option(selector, value)
                else:
                    page.fill(selector, value)
            page.click(f"#action-{action} button")
            page.wait_for_load_state()

        login("deputy")
        page.goto(f"{base}/work/suggestions/")
        page.click("#new-suggestion")
        page.fill("#title", "关于春晖小区周边路灯改造的建议")
        page.select_option("#category_id", index=1)
        page.fill("#situation", "春晖小区周边多条道路路灯老化，夜间照明不足。")
        page.fill("#proposals", "建议对春晖小区周边道路路灯进行统一改造，并建立定期巡检制度。")
        page.fill("#urgency", "冬季天黑早。")
        page.fill("#breadth", "涉及约五千居民。")
        page.fill("#importance", "关系夜间出行安全。")
        page.select_option("#case_ids", [str(case.pk)])
        page.click("#save-draft")
        page.wait_for_selector("#suggestion-state[data-state=draft]")
        detail = page.url
        act("submit")
        seen["submitted"] = page.get_attribute("#suggestion-state", "data-state")

        login("office")
        page.goto(f"{base}/work/suggestions/?tab=review")
        page.click("#suggestion-list a")
        for _ in range(3):
            act("accept")
        act("assign", mode="lead", lead_unit_id=str(district.unit.pk), co_unit_ids=[str(district.other_unit.pk)])
        seen["assigned"] = page.get_attribute("#suggestion-state", "data-state")

        login("other_unit")
        page.goto(detail)
        act("sign")
        act("send_opinion", message="教育局配合做好学校周边照明。")

        login("unit")
        page.goto(f"{base}/work/suggestions/?tab=to_sign")
        page.click("#suggestion-list a")
        act("sign")
        act("record_contact", kind="face_to_face", note="与王代表面商改造方案。")
        act("answer", category="A", text="已完成32盏路灯改造。", signed_by="李局长")
        seen["answered"] = page.get_attribute("#suggestion-state", "data-state")

        login("deputy")
        page.goto(detail)
        act("rate", rating="unsatisfied")  # a comment is required for 不满意
        seen["error"] = page.inner_text("#action-rate .action-error")
        act("rate", rating="satisfied")
        seen["closed"] = page.get_attribute("#suggestion-state", "data-state")
        seen["timeline"] = page.inner_text("#suggestion-timeline")
        return seen

    seen = drive(steps)
    assert (seen["submitted"], seen["assigned"], seen["answered"], seen["closed"]) == (
        "reviewing",
        "assigned",
        "answered",
        "closed",
    )
    assert "请填写评价意见" in seen["error"]
    assert "二次" not in seen["timeline"] and "答复" in seen["timeline"]
    s = Suggestion.objects.get()
    assert s.state == "closed" and s.rating == "satisfied"
    assert Case.objects.get(pk=case.pk).status == "fed_back"


def _session(page, base):
    page.set_default_timeout(60000)  # the shared machine is slow; expect() and clicks wait up to a minute

    def login(username):
        page.context.clear_cookies()
        page.goto(f"{base}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    def act(action, **values):
        for name, value in values.items():
            selector = f"#f-{action}-{name}"
            if page.eval_on_selector(selector, "el => el.tagName") == "SELECT":
                page.select_option(selector, value)
            else:
                page.fill(selector, value)
        page.click(f"#action-{action} button")
        page.wait_for_load_state()

    return login, act


def test_deputy_converts_a_case_and_the_office_admits_it_early_in_one_review_step(
    drive, live_server, district, settings
):
    """The deputy, on the web, turns a citizen's case into a draft from the case screen and follows the link to it;
    it is in 我的建议. Submitted outside the window it waits; the office, at its desk, finds it under 待提交窗口,
    admits it early with a reason and records the three review bodies' decisions in one step."""
    from playwright.sync_api import expect

    settings.SUGGESTION_WINDOW_MONTHDAYS = [(timezone.localdate() + dt.timedelta(days=1)).day]
    world = make_world(district)
    case = acknowledged_case(world, channel="qr_deputy", deputy_code="d-wang")
    base = live_server.url

    def steps(page):
        login, act = _session(page, base)
        seen = {}
        login("deputy")
        page.goto(f"{base}/work/cases/{case.pk}/")
        page.locator("#action-convert button").click()
        expect(page.locator("#converted-into a")).to_be_visible()
        page.click("#converted-into a")
        page.wait_for_selector("#suggestion-state[data-state=draft]")
        seen["back_to_case"] = page.locator(f"#linked-cases a[href='/work/cases/{case.pk}/']").count()
        detail = page.url
        page.goto(f"{base}/work/suggestions/?tab=mine")
        seen["mine"] = page.locator("#suggestion-list tbody tr[data-state=draft]").count()
        page.goto(detail)
        act(
            "edit",
            category_id=str(world.category.pk),
            proposals="建议对春晖小区周边道路路灯进行统一改造，并建立定期巡检制度。",
            urgency="冬季天黑早。",
            breadth="涉及约五千居民。",
            importance="关系夜间出行安全。",
        )
        act("submit")
        seen["submitted"] = page.get_attribute("#suggestion-state", "data-state")

        login("office")
        page.goto(f"{base}/work/suggestions/?tab=queued")
        page.click("#suggestion-list a")
        act("admit_early")  # no reason: refused next to the form
        seen["error"] = page.inner_text("#action-admit_early .action-error")
        act("admit_early", reason="涉及冬季夜间出行安全，提前受理。")
        seen["admitted"] = page.get_attribute("#suggestion-state", "data-state")
        act("accept", through="chair", message="初审、联审、主任会议一致同意。")
        seen["accepted"] = page.get_attribute("#suggestion-state", "data-state")
        seen["timeline"] = page.inner_text("#suggestion-timeline")
        return seen

    seen = drive(steps)
    assert (seen["back_to_case"], seen["mine"], seen["submitted"]) == (1, 1, "queued")
    assert "请填写提前受理理由" in seen["error"]
    assert (seen["admitted"], seen["accepted"]) == ("reviewing", "accepted")
    assert "窗口外提前受理" in seen["timeline"] and "主任会议审查通过" in seen["timeline"]
    s = Suggestion.objects.get()
    assert (s.state, list(s.cases.values_list("pk", flat=True))) == ("accepted", [case.pk])


def test_office_rechecks_before_the_deadline_and_the_second_round_is_marked(drive, live_server, district):
    """The office, at its desk, sees the 复核 deadline and its light in 待处理, assigns the suggestion again; the unit's
    list marks the second round and its deadline."""
    world = make_world(district)
    s = suggestion_at(world, "rechecking")
    base = live_server.url

    def steps(page):
        login, act = _session(page, base)
        seen = {}
        login("office")
        page.goto(f"{base}/work/suggestions/?tab=attention")
        seen["due"] = page.inner_text("#suggestion-list tbody tr td.due")
        seen["light"] = page.locator("#suggestion-list tbody tr td").first.inner_html()
        page.click("#suggestion-list a")
        seen["recheck_due"] = page.inner_text("#recheck-due")
        act("second_assign", message="请扩大改造范围。", mode="lead", lead_unit_id=str(district.unit.pk))
        seen["state"] = page.get_attribute("#suggestion-state", "data-state")
        login("unit")
        page.goto(f"{base}/work/suggestions/?tab=to_sign")
        seen["unit_row"] = page.inner_text("#suggestion-list tbody tr")
        return seen

    seen = drive(steps)
    s.refresh_from_db()
    due = f"{timezone.localtime(s.answer_due_at):%Y-%m-%d}"
    assert "复核" in seen["due"] and "green" in seen["light"]
    assert seen["state"] == "assigned"
    assert "二次交办（第 2 轮）" in seen["unit_row"] and f"二次交办答复时限 {due}" in seen["unit_row"]
