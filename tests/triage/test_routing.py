"""The suggestion feeds the routing rules; it is stored apart from the chosen category; auto-dispatch."""

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.audit.texts import entry_text
from lianxin.cases import services as case_services
from lianxin.cases.enums import Status
from lianxin.cases.models import Dispatch
from lianxin.organisation.models import Category
from lianxin.organisation.routing import ruleset_create_version
from lianxin.triage import selectors, services
from lianxin.triage.models import CategorySuggestion
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

LAMP = {"title": "小区路灯不亮", "details": "春晖小区的路灯坏了一个月，晚上很黑，请尽快修理。"}
SCHOOL = {"title": "孩子上学难", "details": "学校学位不够，孩子无法就近入学，希望教育局解决。"}


@pytest.fixture
def rules(district):
    urban = Category.objects.get(level=1, name="城乡建设")
    education = Category.objects.get(level=1, name="教育文体")
    ruleset_create_version(
        actor=district.office,
        rules=[(urban, district.district, district.unit), (education, district.district, district.other_unit)],
    )
    return urban, education


def test_a_case_without_category_gets_the_unit_of_its_suggested_category(district, rules, triage_model):
    lamp, school = submit_case(**LAMP), submit_case(**SCHOOL)
    assert case_services.case_suggestion(lamp)[0] == district.unit
    assert case_services.case_suggestion(school)[0] == district.other_unit
    assert case_services.case_routing_category(lamp) == (rules[0], True)


def test_the_chosen_category_wins_and_the_suggestion_is_kept_apart(district, rules, triage_model):
    urban, education = rules
    chosen = submit_case(**LAMP, category_id=education.pk)  # the citizen chose otherwise
    plain = submit_case(**LAMP)
    assert services.classify_new_cases() == {"classified": 2, "dispatched": 0}
    suggestion = CategorySuggestion.objects.get(case=chosen)
    assert (suggestion.category, suggestion.label) == (urban, "城乡建设")
    assert 0 < suggestion.confidence <= 1 and len(suggestion.alternatives) == 2
    chosen.refresh_from_db()
    plain.refresh_from_db()
    assert (chosen.category, plain.category) == (education, None)  # never written from the suggestion
    assert case_services.case_suggestion(chosen)[0] == district.other_unit
    assert services.classify_new_cases() == {"classified": 0, "dispatched": 0}  # once per case
    rate = selectors.suggestion_hit_rate()
    assert (rate.compared, rate.right, rate.unchosen) == (1, 0, 1)


def test_dispatch_records_whether_the_proposal_was_taken_per_unit(district, rules, triage_model):
    taken, overridden = submit_case(**LAMP), submit_case(**LAMP)
    for case, unit in ((taken, district.unit), (overridden, district.other_unit)):
        case_services.case_acknowledge(actor=district.station_staff, case_id=case.pk, message="收到")
        case_services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=unit.pk)
    assert list(Dispatch.objects.order_by("id").values_list("suggested_unit", "suggestion_taken")) == [
        (district.unit.pk, True),
        (district.unit.pk, False),
    ]
    [row] = selectors.uptake_by_unit()
    assert (row.unit_id, row.proposed, row.taken, row.overridden, row.automatic) == (district.unit.pk, 2, 1, 1, 0)
    assert row.taken_percent == 50


def test_auto_dispatch_is_off_by_default(district, rules, triage_model, settings):
    assert settings.TRIAGE_AUTO_DISPATCH is False
    case = submit_case(**LAMP)
    services.classify_new_cases()
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and not Dispatch.objects.exists()


def test_auto_dispatch_when_confidence_and_rule_clear_their_thresholds(district, rules, triage_model, settings):
    settings.TRIAGE_AUTO_DISPATCH = True
    settings.TRIAGE_AUTO_RULE_MIN = 0
    settings.TRIAGE_AUTO_CONFIDENCE = 0.6
    case = submit_case(**LAMP)
    assert services.classify_new_cases() == {"classified": 1, "dispatched": 1}
    case.refresh_from_db()
    assert (case.status, case.current_unit) == (Status.DISPATCHED, district.unit)
    dispatch = Dispatch.objects.get(case=case)
    assert dispatch.dispatched_by is None and dispatch.suggestion_taken is True
    entry = AuditEntry.objects.get(subject_id=case.pk, action="case.dispatched")
    assert entry.public and entry.actor is None
    shown = entry_text(entry.action, entry.data, entry.message)  # the timeline's sentence, in the reader's language
    assert "自动交办" in shown and "城乡建设" in shown
    assert entry.data["automatic"] is True and entry.data["category"] == "城乡建设"
    [row] = selectors.uptake_by_unit()
    assert (row.automatic, row.taken, row.overridden) == (1, 0, 0)


def test_no_auto_dispatch_below_a_threshold(district, rules, triage_model, settings):
    settings.TRIAGE_AUTO_DISPATCH = True
    settings.TRIAGE_AUTO_RULE_MIN = 1  # the rule has no record yet
    settings.TRIAGE_AUTO_CONFIDENCE = 0.6
    submit_case(**LAMP)
    assert services.classify_new_cases()["dispatched"] == 0
    settings.TRIAGE_AUTO_RULE_MIN = 0
    settings.TRIAGE_AUTO_CONFIDENCE = 1.0  # no suggestion is that sure
    submit_case(**{**LAMP, "title": "路灯坏了"})
    assert services.classify_new_cases()["dispatched"] == 0
    assert not Dispatch.objects.exists()


def test_auto_dispatch_needs_a_rule_staff_usually_take(district, rules, triage_model, settings):
    earlier = submit_case(**LAMP)
    case_services.case_acknowledge(actor=district.station_staff, case_id=earlier.pk, message="收到")
    case_services.case_dispatch(actor=district.station_staff, case_id=earlier.pk, unit_id=district.other_unit.pk)
    settings.TRIAGE_AUTO_DISPATCH = True
    settings.TRIAGE_AUTO_RULE_MIN = 1
    settings.TRIAGE_AUTO_CONFIDENCE = 0.6
    submit_case(**{**LAMP, "title": "路灯又坏了"})
    assert services.classify_new_cases()["dispatched"] == 0  # its one proposal was overridden
