"""Each rule and deadline of domain.md §6, and the permission matrix as data."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases.codes import follow_up_token
from lianxin.cases.models import Case
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.notifications.models import Notification
from lianxin.suggestions import deadlines, tasks
from lianxin.suggestions.enums import State
from lianxin.suggestions.models import Suggestion
from lianxin.suggestions.rules import allowed_actions, visible_suggestions
from lianxin.suggestions.services import suggestion_create
from tests.suggestions.factories import act, fields, suggestion_at

pytestmark = pytest.mark.django_db
TODAY = lambda: str(timezone.localdate())  # noqa: E731


# --- drafting and admissibility --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "field", "words"),
    [
        ({"proposals": ""}, "proposals", "请填写具体建议"),
        ({"proposals": "加强管理。"}, "proposals", "具体建议内容过少"),
        ({"urgency": " "}, "urgency", "请填写紧迫性"),
        ({"category_id": None}, "category_id", "请选择分类"),
        ({"title": "关于路灯改造；以及学校扩建的建议"}, "title", "只提一个事项"),
        ({"situation": "我家门口的路灯坏了，影响我本人出行。"}, "situation", "个人事项"),
        ({"situation": "此事目前正在法院审理中，双方已起诉。"}, "situation", "诉讼或仲裁"),
        ({"situation": "推荐采用我公司的产品推介方案。"}, "situation", "推介产品"),
    ],
)
def test_inadmissible_drafts_cannot_be_submitted_with_a_clear_message(world, override, field, words):
    s = suggestion_create(actor=world.deputy, data=fields(world, **override))
    with pytest.raises(InvalidInput) as exc:
        act(world.deputy, s, "submit")
    assert exc.value.code == "not_admissible"
    assert any(words in m for m in exc.value.fields[field])
    s.refresh_from_db()
    assert s.state == State.DRAFT and not s.number


def test_only_deputies_draft_and_bad_fields_store_nothing(world):
    with pytest.raises(NotAllowed):
        suggestion_create(actor=world.office, data=fields(world))
    for bad in (
        {"title": ""},
        {"title": "长" * 201},
        {"title": 123},
        {"category_id": "abc"},
        {"category_id": 999999},
        {"case_ids": "x"},
        {"case_ids": [999999]},
    ):
        with pytest.raises(InvalidInput):
            suggestion_create(actor=world.deputy, data=fields(world, **bad))
    assert not Suggestion.objects.exists()


def test_cases_of_another_station_or_not_triaged_cannot_be_linked(world):
    from tests.factories import submit_case

    foreign = submit_case(station_code="xishan")
    registered = submit_case()
    for case in (foreign, registered):
        with pytest.raises(InvalidInput):
            suggestion_create(actor=world.deputy, data={**fields(world), "case_ids": [case.pk]})
    assert not Suggestion.objects.exists()
    assert Case.objects.get(pk=registered.pk).status == "registered"


def test_joint_suggestion_waits_for_every_cosigner(world):
    s = suggestion_at(world, "draft")
    s = act(world.deputy, s, "add_cosigner", deputy_id=world.cosigner_deputy.pk)
    with pytest.raises(InvalidInput) as exc:
        act(world.deputy, s, "submit")
    assert exc.value.code == "cosigners_pending" and "赵代表" in exc.value.message
    with pytest.raises(InvalidInput):
        act(world.deputy, s, "add_cosigner", deputy_id=world.cosigner_deputy.pk)
    with pytest.raises(InvalidInput):
        act(world.deputy, s, "add_cosigner", deputy_id=world.d.deputy.pk)
    s = act(world.cosigner, s, "decline_cosign")
    s = act(world.deputy, s, "submit")  # a declined co-signer does not block
    assert s.state == State.REVIEWING
    with pytest.raises(NotAllowed):
        act(world.cosigner, s, "confirm_cosign")


# --- submission windows ------------------------------------------------------------------------------------


def test_outside_the_window_a_draft_waits_for_the_next_one(world, settings):
    today = timezone.localdate()
    other = 1 if today.day != 1 else 2
    settings.SUGGESTION_WINDOW_MONTHDAYS = [other]
    s = act(world.deputy, suggestion_at(world, "draft"), "submit")
    expected = deadlines.next_window(today)
    assert s.state == State.QUEUED and s.queued_for == expected and expected.day == other
    assert tasks.release_queued() == 0
    settings.SUGGESTION_SESSION_WINDOWS = [(today - dt.timedelta(days=1), today + dt.timedelta(days=3))]
    assert tasks.release_queued() == 1
    s.refresh_from_db()
    assert s.state == State.REVIEWING and s.number


def test_a_queued_draft_can_be_withdrawn_and_no_window_is_an_error(world, settings):
    today = timezone.localdate()
    settings.SUGGESTION_WINDOW_MONTHDAYS = [1 if today.day != 1 else 2]
    s = act(world.deputy, suggestion_at(world, "draft"), "submit")
    s = act(world.deputy, s, "withdraw")
    assert s.state == State.DRAFT and s.queued_for is None
    settings.SUGGESTION_WINDOW_MONTHDAYS = []
    with pytest.raises(NotAllowed) as exc:
        act(world.deputy, s, "submit")
    assert exc.value.code == "no_window"


def test_next_window_is_the_20th_by_default(settings):
    del settings.SUGGESTION_WINDOW_MONTHDAYS
    assert deadlines.next_window(dt.date(2026, 11, 21)) == dt.date(2026, 12, 20)
    assert deadlines.next_window(dt.date(2026, 12, 20)) == dt.date(2026, 12, 20)
    assert deadlines.add_months(timezone.make_aware(dt.datetime(2026, 11, 30, 9)), 3).date() == dt.date(2027, 2, 28)


# --- review -----------------------------------------------------------------------------------------------


def test_review_stages_are_configurable(world, settings):
    settings.SUGGESTION_REVIEW_STAGES = [("office", "初审")]
    s = suggestion_at(world, "reviewing")
    s = act(world.office, s, "accept")
    assert s.state == State.ACCEPTED


def test_merge_rejects_itself_foreign_and_closed_targets(world):
    s = suggestion_at(world, "reviewing")
    closed = suggestion_at(world, "not_accepted", title="关于另一事项的建议")
    for target in (s.pk, closed.pk, 999999, "abc"):
        with pytest.raises(InvalidInput):
            act(world.office, s, "merge", target_id=target)
    assert Suggestion.objects.get(pk=s.pk).state == State.REVIEWING


# --- assignment and handling ------------------------------------------------------------------------------


def test_wrong_assignment_is_returned_within_the_limit_and_the_office_reassigns(world):
    s = suggestion_at(world, "assigned")
    with pytest.raises(InvalidInput):
        act(world.lead_unit, s, "return_assignment", reason="")
    s = act(world.lead_unit, s, "return_assignment", reason="不属于本单位职责，应由交通局办理。")
    assert s.state == State.ASSIGNED
    assert "reassign" not in allowed_actions(world.lead_unit, s)  # a unit cannot pass it on
    assert "reassign" in allowed_actions(world.office, s)
    returned = s.assignments.get(unit=world.d.unit)
    with pytest.raises(InvalidInput):
        act(world.office, s, "reassign", assignment_id=returned.pk, unit_id=world.d.unit.pk)
    s = act(world.office, s, "reassign", assignment_id=returned.pk, unit_id=world.third_unit.pk)
    assert "sign" in allowed_actions(world.third_unit_user, s)
    s = act(world.third_unit_user, s, "sign")
    assert s.state == State.HANDLING


def test_return_after_the_limit_is_not_allowed(world):
    s = suggestion_at(world, "handling")
    s.assignments.update(return_due_at=timezone.now() - dt.timedelta(minutes=1))
    assert "return_assignment" not in allowed_actions(world.lead_unit, s)
    with pytest.raises(NotAllowed):
        act(world.lead_unit, s, "return_assignment", reason="太晚了")


def test_lead_answers_only_after_contact_and_co_unit_opinion(world):
    s = suggestion_at(world, "handling")
    answer = {"category": "A", "text": "已完成。", "signed_by": "李局长"}
    with pytest.raises(NotAllowed) as exc:
        act(world.lead_unit, s, "answer", **answer)
    assert exc.value.code == "contact_required"
    s = act(world.lead_unit, s, "record_contact", kind="phone", happened_on=TODAY(), note="电话沟通。")
    with pytest.raises(NotAllowed) as exc:
        act(world.lead_unit, s, "answer", **answer)
    assert exc.value.code == "co_opinions_pending" and "区教育局" in exc.value.message
    s.assignments.filter(role="co").update(opinion_due_at=timezone.now() - dt.timedelta(minutes=1))
    s = act(world.lead_unit, s, "answer", **answer)  # the co-unit's month has passed
    assert s.state == State.ANSWERED


def test_key_suggestions_need_a_face_to_face_meeting(world):
    s = suggestion_at(world, "handling", key=True)
    s = act(world.co_unit, s, "send_opinion", message="同意。")
    s = act(world.lead_unit, s, "record_contact", kind="phone", happened_on=TODAY(), note="电话。")
    with pytest.raises(NotAllowed) as exc:
        act(world.lead_unit, s, "answer", category="A", text="已完成。", signed_by="李局长")
    assert exc.value.code == "face_to_face_required"
    s = act(world.leader, s, "record_supervision", kind="onsite", happened_on=TODAY(), note="现场察看。")
    assert s.records.filter(kind="onsite").exists()


def test_answer_input_is_checked(world):
    s = suggestion_at(world, "handling")
    s = act(world.co_unit, s, "send_opinion", message="同意。")
    s = act(world.lead_unit, s, "record_contact", kind="visit", happened_on=TODAY(), note="走访。")
    for bad in (
        {"category": "Z", "text": "x", "signed_by": "李"},
        {"category": "A", "text": "", "signed_by": "李"},
        {"category": "A", "text": "x", "signed_by": ""},
    ):
        with pytest.raises(InvalidInput):
            act(world.lead_unit, s, "answer", **bad)
    for bad in (
        {"kind": "email", "happened_on": TODAY(), "note": "x"},
        {"kind": "phone", "happened_on": "2099-01-01", "note": "x"},
        {"kind": "phone", "happened_on": "昨天", "note": "x"},
    ):
        with pytest.raises(InvalidInput):
            act(world.lead_unit, s, "record_contact", **bad)
    assert not s.answers.exists()


def test_split_assignment_is_answered_when_every_part_is(world):
    s = suggestion_at(world, "accepted")
    with pytest.raises(InvalidInput):
        act(world.office, s, "assign", mode="split", split_unit_ids=[world.d.unit.pk])
    s = act(world.office, s, "assign", mode="split", split_unit_ids=[world.d.unit.pk, world.d.other_unit.pk])
    for unit_user in (world.lead_unit, world.co_unit):
        s = act(unit_user, s, "sign")
        s = act(unit_user, s, "record_contact", kind="phone", happened_on=TODAY(), note="电话。")
    s = act(world.lead_unit, s, "answer", category="A", text="本单位部分已完成。", signed_by="李局长")
    assert s.state == State.HANDLING
    s = act(world.co_unit, s, "answer", category="B", text="本单位部分列入计划。", signed_by="张局长")
    assert s.state == State.ANSWERED and s.answer_category == "B" and not s.solved


def test_extension_is_approved_by_the_office_capped_and_the_deputy_is_told(world):
    s = suggestion_at(world, "handling")
    due = s.answer_due_at
    with pytest.raises(InvalidInput):
        act(world.lead_unit, s, "request_extension", months=4, reason="需要立项")  # past 6 months
    s = act(world.lead_unit, s, "request_extension", months=3, reason="需要立项")
    assert "request_extension" not in allowed_actions(world.lead_unit, s)
    with pytest.raises(InvalidInput):
        act(world.office, s, "reject_extension", message="")
    s = act(world.office, s, "approve_extension")
    assert s.answer_due_at.date() == deadlines.add_months(due, 3).date()
    assert Notification.objects.filter(recipient_user=world.deputy, event="suggestion.extension_approved").exists()
    with pytest.raises(InvalidInput):
        act(world.lead_unit, s, "request_extension", months=1, reason="再延")  # the cap is reached


def test_no_extension_after_the_deadline(world):
    s = suggestion_at(world, "handling")
    Suggestion.objects.filter(pk=s.pk).update(answer_due_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(NotAllowed):
        act(world.lead_unit, s, "request_extension", months=1, reason="来不及")


# --- rating ---------------------------------------------------------------------------------------------------


def test_rating_rules(world):
    s = suggestion_at(world, "answered")
    with pytest.raises(InvalidInput):
        act(world.deputy, s, "rate", rating="unsatisfied", comment="")
    with pytest.raises(InvalidInput):
        act(world.deputy, s, "rate", rating="great")
    with pytest.raises(NotAllowed):
        act(world.office, s, "rate", rating="satisfied")  # only the lead deputy rates
    Suggestion.objects.filter(pk=s.pk).update(rating_due_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(NotAllowed) as exc:
        act(world.deputy, s, "rate", rating="satisfied")
    assert exc.value.code == "rating_too_late"
    assert tasks.close_unrated() == 1
    s.refresh_from_db()
    assert s.state == State.CLOSED and s.closed_unrated and s.rating == ""


def test_rating_deadline_is_20_working_days(world):
    from lianxin.workdays.services import add_working_days

    s = suggestion_at(world, "answered")
    assert s.rating_due_at == add_working_days(s.answered_at, 20)


# --- lights and citizens --------------------------------------------------------------------------------------


def test_lights_follow_the_running_clock(world):
    s = suggestion_at(world, "assigned")
    assert s.light == "green"
    s.assignments.update(sign_due_at=timezone.now() - dt.timedelta(hours=1))
    assert tasks.recompute_lights() == {"red": [s.pk]}
    s.refresh_from_db()
    assert s.light == "red"
    s = act(world.office, s, "urge", message="请尽快签收。")
    assert s.urge_count == 1
    assert Notification.objects.filter(recipient_user=world.lead_unit, event="suggestion.urged").exists()


def test_citizen_reads_the_answer_on_the_tracking_page(client, world):
    s = suggestion_at(world, "answered", with_cases=1)
    case = Case.objects.get(suggestion=s)
    url = reverse("cases:track", args=[case.tracking_code]) + f"?token={follow_up_token(case.tracking_code)}"
    body = client.get(url).content.decode()
    assert "代表建议已答复" in body and "32盏路灯" in body
    act(world.deputy, s, "rate", rating="satisfied")
    case.refresh_from_db()
    assert case.status == "fed_back"
    assert client.get(url).context["ratable"] is True
    entries = AuditEntry.objects.filter(subject_type="case", subject_id=case.pk, public=True)
    assert list(entries.values_list("action", flat=True)) == [
        "case.registered",
        "case.acknowledged",
        "case.converted",
        "case.suggestion_answered",
        "case.fed_back",
    ]


# --- visibility and the permission matrix --------------------------------------------------------------------

PERSONAS = ("deputy", "cosigner", "office", "lead_unit", "co_unit", "leader", "outsider", "auditor")
MATRIX = {
    "draft": {
        "deputy": ["edit", "add_cosigner", "link_cases", "submit"],
    },
    "reviewing": {
        "deputy": ["set_publication"],
        "office": ["accept", "return_for_revision", "merge", "not_accept"],
    },
    "accepted": {
        "deputy": ["set_publication"],
        "office": ["assign", "mark_key"],
    },
    "assigned": {
        "deputy": ["set_publication"],
        "office": ["mark_key", "urge"],
        "lead_unit": ["sign", "return_assignment"],
        "co_unit": ["sign", "return_assignment"],
    },
    "handling": {
        "deputy": ["set_publication"],
        "office": ["mark_key", "urge"],
        "lead_unit": ["return_assignment", "record_contact", "request_extension", "answer"],
        "co_unit": ["return_assignment", "send_opinion", "record_contact"],
    },
    "answered": {
        "deputy": ["rate", "set_publication"],
        "office": ["mark_key"],
    },
    "rechecking": {
        "deputy": ["set_publication"],
        "office": ["second_assign", "close", "mark_key"],
    },
    "following": {
        "deputy": ["set_publication"],
        "office": ["close", "mark_key", "urge"],
        "lead_unit": ["record_contact", "follow_up"],
        "co_unit": ["record_contact"],
    },
}
SEES = {
    "draft": {"deputy"},
    "reviewing": {"deputy", "office", "leader"},
    "accepted": {"deputy", "office", "leader"},
}


@pytest.mark.parametrize("state", list(MATRIX))
def test_permission_matrix(world, state):
    s = suggestion_at(world, state, category="B" if state == "following" else "A")
    assert s.state == state
    seeing = SEES.get(state, {"deputy", "office", "leader", "lead_unit", "co_unit"})
    for persona in PERSONAS:
        user = getattr(world, persona)
        assert visible_suggestions(user).filter(pk=s.pk).exists() == (persona in seeing), persona
        assert allowed_actions(user, s) == MATRIX[state].get(persona, []), persona
        if persona not in seeing:
            with pytest.raises(NotFound):
                act(user, s, "accept")


def test_an_unknown_action_is_bad_input_but_a_foreign_suggestion_is_404(world):
    s = suggestion_at(world, "reviewing")
    with pytest.raises(InvalidInput):
        act(world.office, s, "fly")
    with pytest.raises(NotFound):
        act(world.outsider, s, "fly")
