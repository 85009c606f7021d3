"""The dispatch form as office staff use it, in a real browser: the routing rules' unit is preselected, and typing
in the filter narrows the grouped unit picker (behaviour.js, no inline script under the CSP)."""

import pytest
from playwright.sync_api import expect

from lianxin.cases import services
from lianxin.cases.models import Case, Dispatch
from lianxin.organisation.models import Category, HandlingUnit
from lianxin.organisation.routing import RuleChange, ruleset_create_version
from tests.factories import PASSWORD, submit_case
from tests.work.test_browser import drive  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_dispatches_with_the_suggestion_and_filters_the_picker(drive, live_server, district):  # noqa: F811
    urban = Category.objects.get(name="城乡建设", level=1)
    street_office = HandlingUnit.objects.create(
        code="dh-jd", name="东湖街道办", level="street", division=district.street
    )
    ruleset_create_version(actor=district.office, rules=[RuleChange(urban, district.district, district.other_unit)])
    case = submit_case(category_id=urban.pk)
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到。")
    base = live_server.url

    def steps(page):
        seen = {}
        page.goto(f"{base}/login/")
        page.fill("#id_username", "office")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/work/cases/{case.pk}/")
        select = page.locator("#dispatch-unit_id")
        expect(select).to_have_value(str(district.other_unit.pk))  # the suggestion, preselected
        seen["suggestion"] = page.inner_text("#routing-suggestion")
        seen["groups"] = page.locator("#dispatch-unit_id optgroup").evaluate_all("gs => gs.map(g => g.label)")
        page.fill("#dispatch-unit_id-filter", "街道")
        expect(select).to_have_value(str(street_office.pk))  # the hidden choice gave way to the one shown
        seen["shown"] = select.locator("option:not([hidden])").evaluate_all("os => os.map(o => o.text)")
        page.fill("#dispatch-unit_id-filter", "")
        page.select_option("#dispatch-unit_id", str(district.other_unit.pk))
        page.fill("#dispatch-message", "请联系物业")
        page.click("#action-dispatch button")
        expect(page.locator("#case-status")).to_have_attribute("data-status", "dispatched")
        return seen

    seen = drive(steps)
    assert "区教育局" in seen["suggestion"] and "城乡建设 · 示范区" in seen["suggestion"]
    assert seen["groups"] == ["区级", "街道/乡镇级"]
    assert seen["shown"] == ["—", "东湖街道办"]
    assert Case.objects.get(pk=case.pk).current_unit_id == district.other_unit.pk
    dispatch = Dispatch.objects.get(case=case)
    assert dispatch.suggestion_taken is True and dispatch.instruction_public is False
