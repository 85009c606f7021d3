"""Issue 14 item 2: the dispatch form and the API offer the unit the routing rules suggest, the office sees how often
the suggestion was taken, and the instruction to the unit (交办意见) stays internal unless marked public."""

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from lianxin.cases.models import Dispatch
from lianxin.cases.selectors import suggestion_uptake
from lianxin.organisation.models import Category, HandlingUnit
from lianxin.organisation.routing import RuleChange, ruleset_create_version
from tests.api.helpers import BASE, bearer, post_json
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_chosen_categories(monkeypatch):
    """These tests route by the category staff or the citizen chose: the triage's guess for a matter without one
    (lianxin.triage, tests/triage/test_routing.py) is switched off here."""
    monkeypatch.setattr(services, "_category_guesser", None)


def new_case(district, **fields):
    """A case acknowledged by the deputy: the state a dispatch starts from."""
    case = submit_case(**fields)
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到。")
    return case


@pytest.fixture
def routed(district):
    """A rule 城乡建设 × 示范区 → 区教育局 (not the first unit by code), and a case of that category."""
    urban = Category.objects.get(name="城乡建设", level=1)
    HandlingUnit.objects.create(code="dh-jd", name="东湖街道办", level="street", division=district.street)
    ruleset_create_version(actor=district.office, rules=[RuleChange(urban, district.district, district.other_unit)])
    case = new_case(district, category_id=urban.pk)
    return case


def test_dispatch_form_preselects_the_suggested_unit_and_names_the_rule(client, district, routed):
    client.force_login(district.station_staff)
    body = client.get(reverse("cases:detail", args=[routed.pk])).content.decode()
    form = body[body.index('id="action-dispatch"') :]
    form = form[: form.index("</form>")]
    assert f'<option value="{district.other_unit.pk}" selected>区教育局（建议）</option>' in form
    assert form.count(" selected>") == 2  # the unit and the request type, nothing else
    assert 'id="routing-suggestion"' in form and "城乡建设 · 示范区" in form and "第 1 版" in form
    # grouped by level, with a filter input wired by data attribute (no inline script)
    assert '<optgroup label="区级">' in form and '<optgroup label="街道/乡镇级">' in form
    assert 'data-filter-select="dispatch-unit_id"' in form
    assert 'name="instruction_public"' in form and "checked" not in form


def test_no_rule_no_preselection(client, district):
    case = new_case(district)
    client.force_login(district.station_staff)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    form = body[body.index('id="action-dispatch"') : body.index('id="action-decline"')]
    assert 'id="routing-suggestion"' not in form and "（建议）" not in form
    assert '<option value="" >' not in form and 'value="" selected' not in form


def test_api_detail_offers_the_suggested_unit_with_its_rule(client, district, routed):
    response = client.get(f"{BASE}/cases/{routed.pk}", **bearer(district.office))
    assert response.status_code == 200
    suggested = response.json()["suggested_unit"]
    assert suggested["id"] == district.other_unit.pk and suggested["name"] == "区教育局"
    assert suggested["rule"]["category"] == "城乡建设" and suggested["rule"]["division"] == "示范区"
    assert suggested["rule"]["version"] == 1
    # a unit cannot dispatch: no suggestion for it
    services.case_dispatch(actor=district.office, case_id=routed.pk, unit_id=district.unit.pk)
    response = client.get(f"{BASE}/cases/{routed.pk}", **bearer(district.unit_user))
    body = response.json()
    assert body["suggested_unit"] is None
    assert body["dispatches"][0]["suggested_unit"] == {"id": district.other_unit.pk, "name": "区教育局"}
    assert body["dispatches"][0]["suggestion_taken"] is False


def test_dispatch_records_whether_the_suggestion_was_taken(district, routed):
    services.case_dispatch(actor=district.station_staff, case_id=routed.pk, unit_id=district.other_unit.pk)
    dispatch = Dispatch.objects.get(case=routed)
    assert dispatch.suggested_unit_id == district.other_unit.pk and dispatch.suggestion_taken is True
    assert dispatch.routing_rule is not None
    entry = AuditEntry.objects.get(action="case.dispatched", subject_id=routed.pk)
    assert entry.data["suggestion_taken"] is True and entry.data["suggested_unit_id"] == district.other_unit.pk
    plain = new_case(district)
    services.case_dispatch(actor=district.station_staff, case_id=plain.pk, unit_id=district.unit.pk)
    assert Dispatch.objects.get(case=plain).suggestion_taken is None  # no rule: not counted either way


def test_uptake_share_is_computed_and_shown_on_the_cockpit(client, district):
    urban = Category.objects.get(name="城乡建设", level=1)
    ruleset_create_version(actor=district.office, rules=[RuleChange(urban, district.district, district.other_unit)])
    units = [district.other_unit, district.other_unit, district.other_unit, district.unit]
    for unit in units:
        case = new_case(district, category_id=urban.pk)
        services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=unit.pk)
    services.case_dispatch(actor=district.station_staff, case_id=new_case(district).pk, unit_id=district.unit.pk)
    uptake = suggestion_uptake(days=30)
    assert (uptake.dispatches, uptake.taken, uptake.percent) == (4, 3, 75)
    assert suggestion_uptake(days=30, division=district.other_street).dispatches == 0
    client.force_login(district.office)
    body = client.get(reverse("cockpit:overview")).content.decode()
    assert "建议采纳率 75%（最近 30 天 4 次分派）" in body


def _public_messages(client, case):
    token = follow_up_token(case.tracking_code)
    body = client.get(f"{BASE}/cases/track/{case.tracking_code}", {"token": token}).json()
    page = client.get(reverse("cases:track", args=[case.tracking_code]), {"token": token}).content.decode()
    return " ".join(entry["message"] for entry in body["timeline"]), page


def test_instruction_is_internal_unless_marked_public(client, district):
    case = new_case(district)
    client.force_login(district.station_staff)
    data = {"unit_id": district.unit.pk, "request_type": "help", "message": "请联系物业核实三栋灯具"}
    assert client.post(reverse("cases:act", args=[case.pk, "dispatch"]), data).status_code == 302
    api_text, page = _public_messages(client, case)
    assert "已交办区住建局办理" in api_text and "核实三栋灯具" not in api_text and "核实三栋灯具" not in page
    dispatch = Dispatch.objects.get(case=case)
    assert dispatch.instruction == "请联系物业核实三栋灯具" and dispatch.instruction_public is False
    staff = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "核实三栋灯具" in staff  # staff still see it, as an internal timeline entry
    assert AuditEntry.objects.get(action="case.instructed", subject_id=case.pk).public is False

    other = new_case(district)
    data = {**data, "message": "请三日内答复群众", "instruction_public": "1"}
    assert client.post(reverse("cases:act", args=[other.pk, "dispatch"]), data).status_code == 302
    api_text, page = _public_messages(client, other)
    assert "请三日内答复群众" in api_text and "请三日内答复群众" in page
    assert Dispatch.objects.get(case=other).instruction_public is True


def test_api_dispatch_instruction_public_flag(client, district):
    case = new_case(district)
    url = f"{BASE}/cases/{case.pk}/transitions"
    payload = {"action": "dispatch", "unit_id": district.unit.pk, "message": "内部意见甲", "instruction_public": False}
    assert post_json(client, url, payload, **bearer(district.station_staff)).status_code == 200
    api_text, _page = _public_messages(client, case)
    assert "内部意见甲" not in api_text


def test_uptake_share_per_unit_is_shown_on_the_routing_rules_page(client, district):
    """The registry page's routing rules show the uptake overall and per suggested unit (registered read)."""
    urban = Category.objects.get(name="城乡建设", level=1)
    env = Category.objects.get(name="环境保护", level=1)
    ruleset_create_version(
        actor=district.office,
        rules=[
            RuleChange(urban, district.district, district.other_unit),
            RuleChange(env, district.district, district.unit),
        ],
    )
    dispatched = [
        (urban, district.other_unit),
        (urban, district.other_unit),
        (urban, district.unit),
        (env, district.unit),
    ]
    for category, unit in dispatched:
        case = new_case(district, category_id=category.pk)
        services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=unit.pk)
    services.case_dispatch(actor=district.station_staff, case_id=new_case(district).pk, unit_id=district.unit.pk)
    client.force_login(district.office)
    response = client.get(reverse("organisation:registry"))
    assert response.status_code == 200
    uptake = response.context["uptake"]
    assert (uptake["overall"].dispatches, uptake["overall"].taken) == (4, 3)
    assert uptake["units"] == [
        {"unit": "区教育局", "dispatches": 3, "taken": 2, "percent": 67},
        {"unit": district.unit.name, "dispatches": 1, "taken": 1, "percent": 100},
    ]
    body = response.content.decode()
    assert "总体 75%：4 次按规则建议的分派中 3 次交给了建议单位。" in body
    assert "<td>区教育局</td><td>3</td><td>2</td><td>67%</td>" in body
