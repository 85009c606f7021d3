"""Suggestions without friction (issue "Every citizen can follow their matter", item 5): a case and the draft it
became link to each other and the draft is in the deputy's 我的建议; the office accepts an urgent suggestion outside
the window with a reason (audited); one review step records the decisions of several bodies; second-round
assignments (二次交办) and their deadlines are marked in every list; 复核 has a deadline (setting) and a light."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.audit.texts import entry_text
from lianxin.cases import services as case_services
from lianxin.cases.models import Case
from lianxin.cases.selectors import case_suggestion_link
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.suggestions import metrics, selectors, tasks
from lianxin.suggestions.enums import State
from lianxin.suggestions.models import Suggestion
from lianxin.workdays.services import add_working_days
from tests.api.helpers import BASE, assert_error, bearer, post_json
from tests.factories import make_user
from tests.suggestions.factories import acknowledged_case, act, suggestion_at

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def entries(s, action):
    return AuditEntry.objects.filter(subject_type="suggestion", subject_id=s.pk, action=action).order_by("id")


# --- a case and its draft ----------------------------------------------------------------------------------


def test_a_case_converted_by_its_deputy_lands_in_my_suggestions_and_links_both_ways(client, world):
    case = acknowledged_case(world)
    case_services.case_transition(actor=world.deputy, case_id=case.pk, action="convert", data={"message": ""})
    draft = Suggestion.objects.get(cases=case)
    assert (draft.state, draft.lead_deputy.user, draft.division) == ("draft", world.deputy, world.d.district)

    mine = [s.pk for s in selectors.suggestion_list(world.deputy, "mine")]
    assert mine == [draft.pk]

    page = login(client, world.deputy).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert page.context["converted_into"]["id"] == draft.pk
    assert reverse("suggestions:detail", args=[draft.pk]) in page.content.decode()

    api = client.get(f"{BASE}/cases/{case.pk}", **bearer(world.deputy)).json()["converted_into"]
    assert (api["id"], api["number"], api["state"]) == (draft.pk, "", "draft")
    detail = client.get(reverse("suggestions:detail", args=[draft.pk]))
    assert detail.context["openable_cases"] == {case.pk}
    assert reverse("cases:detail", args=[case.pk]) in detail.content.decode()


def test_the_case_links_to_the_draft_only_for_those_who_may_open_it(client, world):
    case = acknowledged_case(world, channel="qr_deputy", deputy_code="d-wang")  # raised with the deputy's code
    # the office converts: the draft is the case's deputy's, which the office does not see before submission
    case_services.case_transition(actor=world.office, case_id=case.pk, action="convert", data={"message": ""})
    draft = Suggestion.objects.get(cases=case)
    assert case_suggestion_link(user=world.office, case=Case.objects.get(pk=case.pk)) is None
    page = login(client, world.office).get(reverse("cases:detail", args=[case.pk]))
    assert page.context["converted_into"] is None
    assert reverse("suggestions:detail", args=[draft.pk]) not in page.content.decode()
    assert "无权查看" in page.content.decode()
    assert client.get(f"{BASE}/cases/{case.pk}", **bearer(world.office)).json()["converted_into"] is None
    link = case_suggestion_link(user=world.deputy, case=Case.objects.get(pk=case.pk))
    assert (link["id"], link["number"], link["state"]) == (draft.pk, "", "draft")


def test_a_suggestion_does_not_link_cases_the_viewer_cannot_open(client, world):
    s = suggestion_at(world, "assigned", with_cases=1)
    page = login(client, world.lead_unit).get(reverse("suggestions:detail", args=[s.pk]))
    assert page.status_code == 200
    assert page.context["openable_cases"] == set()
    assert reverse("cases:detail", args=[s.cases.get().pk]) not in page.content.decode()


# --- accepting an urgent suggestion outside the window ----------------------------------------------------


@pytest.fixture
def queued(world, settings):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    settings.SUGGESTION_WINDOW_MONTHDAYS = [tomorrow.day]
    s = act(world.deputy, suggestion_at(world, "draft"), "submit")
    assert s.state == State.QUEUED
    return s


def test_the_office_sees_queued_suggestions_and_admits_one_early_with_a_reason(client, world, queued):
    assert [s.pk for s in selectors.suggestion_list(world.office, "queued")] == [queued.pk]
    assert (
        "admit_early"
        in login(client, world.office).get(reverse("suggestions:detail", args=[queued.pk])).content.decode()
    )

    s = act(world.office, queued, "admit_early", reason="冬季供暖事关群众安全，需立即办理。")
    assert (s.state, s.review_stage, s.queued_for, bool(s.number)) == (State.REVIEWING, 0, None, True)
    entry = entries(s, "suggestion.admitted_early").get()
    assert (entry.actor, entry.data["reason"]) == (world.office, "冬季供暖事关群众安全，需立即办理。")
    assert "窗口外提前受理" in entry.message
    assert entries(s, "suggestion.submitted").count() == 1


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_admitting_early_needs_a_reason_and_stores_nothing_without_one(world, queued, reason):
    with pytest.raises(InvalidInput) as error:
        act(world.office, queued, "admit_early", reason=reason)
    assert "reason" in error.value.fields
    queued.refresh_from_db()
    assert queued.state == State.QUEUED and not entries(queued, "suggestion.admitted_early").exists()


def test_only_the_office_admits_early(world, queued):
    with pytest.raises(NotAllowed):
        act(world.deputy, queued, "admit_early", reason="急")
    with pytest.raises(NotFound):
        act(world.lead_unit, queued, "admit_early", reason="急")
    queued.refresh_from_db()
    assert queued.state == State.QUEUED


def test_admitting_early_and_several_stages_through_the_api(client, world, queued):
    url = f"{BASE}/suggestions/{queued.pk}/transitions"
    response = post_json(client, url, {"action": "admit_early"}, **bearer(world.office))
    assert "reason" in assert_error(response, 422)["fields"]
    response = post_json(
        client, url, {"action": "admit_early", "reason": "汛期将至，需立即办理。"}, **bearer(world.office)
    )
    assert response.status_code == 200 and response.json()["state"] == "reviewing"
    response = post_json(client, url, {"action": "accept", "through": "chair"}, **bearer(world.office))
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    response = client.get(f"{BASE}/suggestions?tab=to_assign", **bearer(world.office))
    item = response.json()["items"][0]
    assert (item["round"], item["second_round"], item["recheck_due_at"]) == (0, False, None)


# --- one step, several bodies ------------------------------------------------------------------------------


def test_one_step_records_every_stage_up_to_the_chosen_one(world):
    s = suggestion_at(world, "reviewing")
    s = act(world.office, s, "accept", through="chair", message="三个机构一致同意。")
    assert s.state == State.ACCEPTED
    passed = list(entries(s, "suggestion.review_passed")) + list(entries(s, "suggestion.accepted"))
    assert [e.data["stage"] for e in passed] == ["代表工作机构初审", "专门委员会联审", "主任会议审查"]
    assert all(e.actor == world.office and e.data["recorded_together"] for e in passed)


def test_one_step_may_stop_at_a_middle_stage(world):
    s = suggestion_at(world, "reviewing")
    s = act(world.office, s, "accept", through="committees")
    assert (s.state, s.review_stage) == (State.REVIEWING, 2)
    s = act(world.office, s, "accept")  # the default is the current stage only
    assert s.state == State.ACCEPTED
    assert not entries(s, "suggestion.accepted").get().data["recorded_together"]


@pytest.mark.parametrize("through", ["nope", "office"])
def test_a_stage_passed_or_unknown_is_refused_and_nothing_moves(world, through):
    s = act(world.office, suggestion_at(world, "reviewing"), "accept")
    with pytest.raises(InvalidInput) as error:
        act(world.office, s, "accept", through=through)
    assert "through" in error.value.fields
    s.refresh_from_db()
    assert (s.state, s.review_stage) == (State.REVIEWING, 1)


# --- second round marked in every list ---------------------------------------------------------------------


def test_second_round_and_its_deadline_are_marked_in_every_list(client, world):
    second = suggestion_at(world, "second_assigned")
    api = client.get(f"{BASE}/suggestions?tab=with_units", **bearer(world.office)).json()["items"]
    assert [(i["second_round"], i["round"]) for i in api] == [(True, 2)]
    first = suggestion_at(world, "assigned", title="关于春晖路照明的建议")
    due = f"{timezone.localtime(second.answer_due_at):%Y-%m-%d}"
    for user, tab in ((world.office, "with_units"), (world.lead_unit, "to_sign"), (world.deputy, "mine")):
        body = login(client, user).get(reverse("suggestions:list") + f"?tab={tab}").content.decode()
        assert body.count('class="badge text-bg-warning second-round"') == 1, (user, tab)
        assert f"二次交办答复时限 {due}" in body
    rows = {s.pk: s for s in selectors.suggestion_list(world.office, "all")}
    assert (rows[second.pk].round, rows[first.pk].round) == (2, 1)
    today = timezone.localdate()
    cockpit = selectors.cockpit_suggestion_items(division=world.d.district, start=today, end=today)
    items = {i["number"]: i["state"] for i in cockpit}
    assert f"二次交办，答复时限 {due}" in items[second.number]
    assert "二次交办" not in items[first.number]
    bulletin = metrics.bulletin(Suggestion.objects.all(), today, today)
    assert {r["unit"]: r["second_round"] for r in bulletin}[world.d.unit.name] == 1


# --- 复核 deadline and light -------------------------------------------------------------------------------


def test_recheck_has_a_deadline_from_the_setting_and_a_light(client, world, settings):
    settings.SUGGESTION_RECHECK_WORKDAYS = 5
    s = suggestion_at(world, "rechecking")
    assert s.state == State.RECHECKING
    assert s.recheck_due_at == add_working_days(s.rated_at, 5)
    assert (s.due_at, s.light) == (s.recheck_due_at, "green")
    item = client.get(f"{BASE}/suggestions?tab=attention", **bearer(world.office)).json()["items"][0]
    assert (item["light"], item["due_at"] is not None, item["recheck_due_at"] is not None) == ("green", True, True)
    entry = entries(s, "suggestion.recheck_started").get()
    assert "复核时限" in entry_text(entry.action, entry.data, entry.message)  # rendered from its data

    tasks.recompute_lights(now=s.recheck_due_at - dt.timedelta(hours=1))
    assert Suggestion.objects.get(pk=s.pk).light == "yellow"
    tasks.recompute_lights(now=s.recheck_due_at + dt.timedelta(minutes=1))
    assert Suggestion.objects.get(pk=s.pk).light == "red"

    s = act(world.office, s, "second_assign", message="请扩大改造范围。", mode="lead", lead_unit_id=world.d.unit.pk)
    assert (s.state, s.due_at) == (State.ASSIGNED, s.assignments.filter(round=2).get().sign_due_at)


def test_recheck_deadline_shows_on_the_detail_and_the_office_list(client, world):
    s = suggestion_at(world, "rechecking")
    page = login(client, world.office).get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert 'id="recheck-due"' in page and f"{timezone.localtime(s.recheck_due_at):%Y-%m-%d}" in page
    body = client.get(reverse("suggestions:list") + "?tab=attention").content.decode()
    assert f"{timezone.localtime(s.recheck_due_at):%Y-%m-%d}" in body


def test_a_fresh_outsider_sees_no_queued_suggestion(world, queued):
    assert not selectors.suggestion_list(make_user("nobody"), "queued").exists()
