"""The seam between suggestions and cases: each app changes only its own rows, through its own services.

A case converted by staff is drafted by the suggestions service (with the suggestion's audit entry), which runs
the case's side through the case service; the case's own doors reach it through the hook the suggestions app
registers;
a deputy's draft made from cases converts them through the case service (the case's entry and its citizen's
message); a closed suggestion feeds its cases back through the case service."""

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.cases import services as case_services
from lianxin.cases.models import Case
from lianxin.errors import NotAllowed
from lianxin.notifications.models import Notification
from lianxin.suggestions.drafting import suggestion_draft_from_case
from lianxin.suggestions.models import Suggestion
from lianxin.suggestions.services import suggestion_create
from tests.suggestions.factories import acknowledged_case, fields, suggestion_at
from tests.work.helpers import case_at

pytestmark = pytest.mark.django_db


def entries(subject_type, subject_id, action):
    return AuditEntry.objects.filter(subject_type=subject_type, subject_id=subject_id, action=action)


def citizen_messages(case, event):
    return Notification.objects.filter(subject_type="case", subject_id=case.pk, recipient_kind="citizen", event=event)


def test_converting_a_case_drafts_the_suggestion_with_its_audit_entry(world):
    case = acknowledged_case(world)
    suggestion = suggestion_draft_from_case(actor=world.office, case_id=case.pk, message="多处同类问题")
    assert Suggestion.objects.get(cases=case) == suggestion
    drafted = entries("suggestion", suggestion.pk, "suggestion.drafted").get()
    assert (drafted.actor, drafted.data["case_ids"], drafted.message) == (world.office, [case.pk], case.title)
    assert (suggestion.state, suggestion.title, suggestion.lead_deputy) == ("draft", case.title, case.deputy)
    converted = entries("case", case.pk, "case.converted").get()
    assert converted.data["suggestion_id"] == suggestion.pk
    assert citizen_messages(case, "case.converted").count() == 1


def test_the_case_transition_converts_through_the_registered_suggestions_service(world):
    case = acknowledged_case(world)
    assert case_services._case_converter is suggestion_draft_from_case  # SuggestionsConfig.ready
    case_services.case_transition(actor=world.office, case_id=case.pk, action="convert", data={"message": "同类"})
    suggestion = Suggestion.objects.get(cases=case)
    assert entries("suggestion", suggestion.pk, "suggestion.drafted").count() == 1
    assert entries("case", case.pk, "case.converted").get().data["note"] == "同类"


def test_a_refused_conversion_drafts_nothing(world):
    case = case_at(world.d, "dispatched")
    with pytest.raises(NotAllowed):  # no longer in triage: the case service refuses before anything is drafted
        suggestion_draft_from_case(actor=world.office, case_id=case.pk)
    assert (Suggestion.objects.count(), Case.objects.get(pk=case.pk).status) == (0, "dispatched")
    assert not AuditEntry.objects.filter(action__in=["suggestion.drafted", "case.converted"]).exists()


def test_without_a_registered_converter_the_action_is_refused(world, monkeypatch):
    case = acknowledged_case(world)
    monkeypatch.setattr(case_services, "_case_converter", None)
    with pytest.raises(NotAllowed):
        case_services.case_transition(actor=world.office, case_id=case.pk, action="convert", data={})
    assert (Suggestion.objects.count(), Case.objects.get(pk=case.pk).status) == (0, "acknowledged")


def test_a_draft_from_cases_converts_them_through_the_case_service(world):
    cases = [acknowledged_case(world, title=f"路灯不亮{i}") for i in range(2)]
    suggestion = suggestion_create(actor=world.deputy, data={**fields(world), "case_ids": [c.pk for c in cases]})
    for case in cases:
        case.refresh_from_db()
        assert (case.status, case.suggestion_id) == ("converted", suggestion.pk)
        entry = entries("case", case.pk, "case.converted").get()
        assert (entry.actor, entry.actor_role, entry.data["suggestion_id"]) == (world.deputy, "deputy", suggestion.pk)
        assert citizen_messages(case, "case.converted").count() == 1  # the case service tells its citizen
    assert entries("suggestion", suggestion.pk, "suggestion.cases_linked").count() == 1


def test_closing_the_suggestion_feeds_its_cases_back_through_the_case_service(world):
    suggestion = suggestion_at(world, "closed", with_cases=2)
    cases = list(Case.objects.filter(suggestion=suggestion))
    assert len(cases) == 2
    for case in cases:
        assert case.status == "fed_back" and case.rating_due_at is not None
        entry = entries("case", case.pk, "case.fed_back").get()
        assert entry.data["suggestion_id"] == suggestion.pk and entry.message == case.public_answer
        assert citizen_messages(case, "case.fed_back").count() == 1
