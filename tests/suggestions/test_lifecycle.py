"""The whole suggestion lifecycle through the services, by the right personas (domain.md §6)."""

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.cases.enums import Status as CaseStatus
from lianxin.cases.models import Case
from lianxin.suggestions.enums import AssignmentState, State
from lianxin.suggestions.rules import allowed_actions
from lianxin.suggestions.services import suggestion_create
from tests.suggestions.factories import acknowledged_case, act, fields, pdf_upload, suggestion_at

pytestmark = pytest.mark.django_db


def timeline(s):
    return list(AuditEntry.objects.filter(subject_type="suggestion", subject_id=s.pk).values_list("action", flat=True))


def test_joint_suggestion_from_cases_to_satisfied_close_tells_every_citizen(world):
    cases = [acknowledged_case(world, title="春晖路路灯不亮"), acknowledged_case(world, title="春晖小区门口太暗")]
    s = suggestion_create(actor=world.deputy, data={**fields(world), "case_ids": [c.pk for c in cases]})
    assert s.state == State.DRAFT
    for case in cases:
        case.refresh_from_db()
        assert case.status == CaseStatus.CONVERTED
        assert case.suggestion_id == s.pk

    s = act(world.deputy, s, "add_cosigner", deputy_id=world.cosigner_deputy.pk)
    assert allowed_actions(world.cosigner, s) == ["confirm_cosign", "decline_cosign"]
    s = act(world.cosigner, s, "confirm_cosign")
    s = act(world.deputy, s, "submit")
    assert s.state == State.REVIEWING and s.review_stage == 0 and s.number
    s = act(world.office, s, "accept")
    s = act(world.office, s, "accept")
    assert s.state == State.REVIEWING and s.review_stage == 2
    s = act(world.office, s, "accept")
    assert s.state == State.ACCEPTED

    s = act(world.office, s, "assign", mode="lead", lead_unit_id=world.d.unit.pk, co_unit_ids=[world.d.other_unit.pk])
    assert s.state == State.ASSIGNED
    assert allowed_actions(world.lead_unit, s) == ["sign", "return_assignment"]
    assert allowed_actions(world.co_unit, s) == ["sign", "return_assignment"]
    s = act(world.lead_unit, s, "sign")
    assert s.state == State.HANDLING  # the lead signed; the co-unit signs on its own
    s = act(world.co_unit, s, "sign")
    s = act(world.co_unit, s, "send_opinion", message="教育局配合做好学校周边照明。")
    s = act(world.lead_unit, s, "record_contact", kind="phone", happened_on=str(s.created_at.date()), note="电话沟通。")
    s = act(
        world.lead_unit,
        s,
        "answer",
        category="A",
        text="已完成32盏路灯改造。",
        signed_by="李局长",
        document=pdf_upload(),
    )
    assert s.state == State.ANSWERED and s.answer_category == "A" and s.solved and s.answered_on_time
    assert s.answers.get().document.name.endswith(".pdf")
    for case in cases:
        entry = AuditEntry.objects.get(subject_type="case", subject_id=case.pk, action="case.suggestion_answered")
        assert entry.public and "A类" in entry.message and "32盏路灯" in entry.message

    s = act(world.deputy, s, "rate", rating="satisfied")
    assert s.state == State.CLOSED and s.rating == "satisfied"
    for case in cases:
        case.refresh_from_db()
        assert case.status == CaseStatus.FED_BACK
        assert "32盏路灯" in case.public_answer
    assert timeline(s) == [
        "suggestion.drafted",
        "suggestion.cases_linked",
        "suggestion.cosigner_invited",
        "suggestion.cosign_confirmed",
        "suggestion.submitted",
        "suggestion.review_passed",
        "suggestion.review_passed",
        "suggestion.accepted",
        "suggestion.assigned",
        "suggestion.signed",
        "suggestion.signed",
        "suggestion.opinion_sent",
        "suggestion.contact_recorded",
        "suggestion.answered",
        "suggestion.rated",
        "suggestion.closed",
    ]


def test_unsatisfied_goes_to_recheck_then_second_assignment_with_one_month(world):
    s = suggestion_at(world, "second_assigned", with_cases=1)
    assert s.state == State.ASSIGNED and s.round == 2
    assert s.first_rating == "unsatisfied" and s.rating == ""
    old = s.assignments.filter(round=1)
    assert set(old.values_list("state", flat=True)) == {AssignmentState.CLOSED}
    new = s.assignments.get(round=2)
    assert (new.answer_due_at - new.assigned_at).days in range(27, 32)
    s = act(world.lead_unit, s, "sign")
    s = act(world.lead_unit, s, "record_contact", kind="visit", happened_on=str(s.created_at.date()), note="上门。")
    s = act(world.lead_unit, s, "answer", category="A", text="已扩大改造范围。", signed_by="李局长")
    s = act(world.deputy, s, "rate", rating="basically_satisfied")
    assert s.state == State.CLOSED
    case = Case.objects.get(suggestion=s)
    assert case.status == CaseStatus.FED_BACK


def test_b_answer_stays_open_until_a_follow_up_solves_it(world):
    s = suggestion_at(world, "following", category="B")
    assert s.state == State.FOLLOWING and not s.solved
    s = act(world.lead_unit, s, "follow_up", category="B", text="已列入明年计划。", signed_by="李局长")
    assert s.state == State.FOLLOWING
    s = act(world.lead_unit, s, "follow_up", category="A", text="已全部完成。", signed_by="李局长")
    assert s.state == State.CLOSED and s.solved and s.answer_category == "A"


def test_merge_moves_cases_and_deputies_to_the_target(world):
    target = suggestion_at(world, "reviewing")
    source = suggestion_at(world, "reviewing", with_cases=2, title="关于春晖路照明的建议")
    source = act(world.office, source, "merge", target_id=target.pk)
    assert source.state == State.MERGED and source.merged_into_id == target.pk
    assert Case.objects.filter(suggestion=target).count() == 2


def test_not_accepted_becomes_reference_and_cases_learn_why(world):
    s = suggestion_at(world, "not_accepted", with_cases=1)
    assert s.state == State.NOT_ACCEPTED and s.reference_only
    case = Case.objects.get(suggestion=s)
    assert case.status == CaseStatus.FED_BACK and "信访渠道" in case.public_answer


def test_returned_for_revision_is_edited_and_resubmitted_at_once(world, settings):
    s = suggestion_at(world, "returned")
    settings.SUGGESTION_WINDOW_MONTHDAYS = []  # no window needed to resubmit a revision
    s = act(world.deputy, s, "edit", situation="补充：共有32盏路灯损坏。")
    s = act(world.deputy, s, "submit")
    assert s.state == State.REVIEWING and s.review_stage == 0
