"""The whole loop 民呼 → 我应 → 办理 → 反馈 → 民享 in a real browser, each step by its own persona:
the citizen on a phone, the deputy, station staff and the handling unit on desktops."""

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.cases.enums import Status
from lianxin.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _act(page, base, case, action, **fields):
    page.goto(f"{base}/work/cases/{case.pk}/")
    form = page.locator(f"#action-{action}")
    for name, value in fields.items():
        field = form.locator(f"#{action}-{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))
    with page.expect_response(lambda r: f"/action/{action}" in r.url):
        form.locator("button").click()
    page.wait_for_load_state()


def test_the_whole_loop_by_the_right_personas(district, live_server, phone, chromium_browser, login):
    base = live_server.url

    # 民呼: a citizen scans the station's QR code and reports on a phone.
    phone.goto(f"{base}/s/donghu")
    phone.fill("#id_title", "春晖小区路灯不亮")
    phone.fill("#id_details", "春晖小区3栋门口的路灯坏了两周，晚上老人出门不方便。")
    phone.fill("#id_contact_name", "张三")
    phone.fill("#id_contact_phone", "13812341234")
    phone.check("#id_consent")
    phone.click("#report-submit")
    phone.wait_for_selector("#tracking-code")
    case = Case.objects.get()
    assert phone.inner_text("#tracking-code") == case.tracking_code
    phone.click("a:text-is('查看办理进度')")
    phone.wait_for_selector(".timeline")
    tracking_url = phone.url

    def desktop_for(username):
        context = chromium_browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15000)
        login(page, username)
        return context, page

    # 我应: the station's deputy sees it in the inbox with a countdown and acknowledges it.
    context, deputy = desktop_for("deputy")
    deputy.goto(f"{base}/work/cases/")
    assert case.tracking_code in deputy.inner_text("body")
    _act(deputy, base, case, "acknowledge", message="您好，已收到，我会尽快联系社区处理。")
    case.refresh_from_db()
    assert case.status == Status.ACKNOWLEDGED

    # 办理: station staff dispatch it; the unit claims and replies.
    context2, staff = desktop_for("station")
    _act(staff, base, case, "dispatch", unit_id=district.unit.pk, request_type="help")
    case.refresh_from_db()
    assert (case.status, case.current_unit) == (Status.DISPATCHED, district.unit)

    context3, unit = desktop_for("unit")
    unit.goto(f"{base}/work/cases/")
    assert case.tracking_code in unit.inner_text("body")
    _act(unit, base, case, "claim")
    _act(unit, base, case, "reply", message="已安排维修人员更换路灯，现已恢复照明。")
    case.refresh_from_db()
    assert case.status == Status.REPLIED

    # 反馈: the deputy tells the citizen.
    _act(deputy, base, case, "feedback", message="路灯已修好，请您查看并评价。")
    case.refresh_from_db()
    assert case.status == Status.FED_BACK

    # 民享: the citizen follows the private link, sees only public steps, and rates.
    phone.goto(tracking_url)
    timeline = phone.inner_text(".timeline")
    for label in ("已受理", "已交办"):
        assert label in timeline
    body = phone.inner_text("body")
    for secret in ("张三", "13812341234", "138****1234", "deputy", "station"):
        assert secret not in body
    phone.check("#rating-satisfied")
    phone.fill("#id_comment", "修得很快，谢谢！")
    phone.click("#rating-form button[type=submit]")
    phone.wait_for_load_state()
    case.refresh_from_db()
    assert (case.status, case.rating) == (Status.RATED, "satisfied")

    # The station closes it; every step is on the timeline.
    _act(staff, base, case, "close")
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    actions = list(AuditEntry.objects.filter(subject_type="case", subject_id=case.pk).values_list("action", flat=True))
    assert actions == [
        "case.registered",
        "case.acknowledged",
        "case.dispatched",
        "case.claimed",
        "case.replied",
        "case.fed_back",
        "case.rated",
        "case.closed",
    ]
    for ctx in (context, context2, context3):
        ctx.close()


def test_a_foreign_case_is_404_in_the_browser(district, live_server, chromium_browser, login):
    from tests.factories import submit_case

    case = submit_case()
    context = chromium_browser.new_context(locale="zh-CN")
    page = context.new_page()
    login(page, "outsider")
    response = page.goto(f"{live_server.url}/work/cases/{case.pk}/")
    assert response.status == 404
    context.close()
