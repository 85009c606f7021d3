"""Drafting and submission: a deputy writes a suggestion alone or jointly, from scratch or from cases,
checks it against the admissibility rules and submits it in a window (domain.md §6)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.accounts.selectors import user_deputy
from lianxin.cases.enums import Action as CaseAction
from lianxin.cases.models import Case
from lianxin.cases.rules import allowed_actions as case_allowed_actions
from lianxin.cases.rules import visible_cases
from lianxin.cases.services import case_convert, case_link_suggestion
from lianxin.errors import InvalidInput, NotAllowed
from lianxin.organisation.models import Category, Deputy, Division
from lianxin.suggestions import conf, deadlines
from lianxin.suggestions.common import (
    actor_deputy,
    deputy_user,
    id_list,
    integer,
    locked,
    log,
    notify_users,
    now,
    require,
    save,
    text,
)
from lianxin.suggestions.enums import Action, State
from lianxin.suggestions.models import Cosigner, Suggestion

TITLE_MAX = 200
CRITERIA = (("urgency", "紧迫性"), ("breadth", "广泛性"), ("importance", "重要性"))
LONG_FIELDS = (("situation", "情况与理由"), ("proposals", "具体建议"), *CRITERIA)
ONE_MATTER_MARKS = ("；", ";", "\n", "一是", "二是")


def _fields(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Parse the draft's fields; a draft needs only its title, the rest is checked on submission."""
    values: dict[str, Any] = {}
    if not partial or "title" in data:
        values["title"] = text(
            data.get("title"), "title", label=_("案由"), required=True, maximum=TITLE_MAX, multiline=False
        )
    for name, label in LONG_FIELDS:
        if not partial or name in data:
            values[name] = text(data.get(name), name, label=label, required=False)
    if not partial or "category_id" in data:
        raw = data.get("category_id")
        if raw in (None, ""):
            values["category"] = None
        else:
            category = Category.objects.filter(pk=integer(raw, "category_id", label=_("分类")), active=True).first()
            if category is None:
                raise InvalidInput(_("请选择有效的分类。"), fields={"category_id": [_("分类无效。")]})
            values["category"] = category
    return values


def admissibility_problems(suggestion: Suggestion) -> dict[str, list[str]]:
    """What keeps this draft from being submitted, field by field, in plain Chinese (empty when admissible)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if any(mark in suggestion.title for mark in ONE_MATTER_MARKS):
        add("title", _("一件建议只提一个事项：案由中不要列举多个事项，请分成几件建议。"))
    for name, label in LONG_FIELDS:
        if not getattr(suggestion, name).strip():
            add(name, _("请填写%(label)s。") % {"label": label})
    if suggestion.proposals.strip() and len(suggestion.proposals.strip()) < conf.proposals_min_chars():
        add(
            "proposals",
            _("具体建议内容过少（至少 %(proposals_min_chars)s 个字），请写明具体、可操作的建议。")
            % {"proposals_min_chars": conf.proposals_min_chars()},
        )
    if suggestion.category_id is None:
        add("category_id", _("请选择分类。"))
    body = "\n".join([suggestion.title, suggestion.situation, suggestion.proposals])
    for message, words in conf.inadmissible_screens():
        found = [w for w in words if w in body]
        if found:
            add("situation", _("%(message)s（含“%(value)s”）") % {"message": message, "value": found[0]})
    return problems


def _division_for(deputy: Deputy | None, cases: list[Case]) -> Division | None:
    """The congress (district) whose office handles it: the root of the deputy's station or of the first case."""
    source = None
    if deputy is not None:
        station = deputy.stations.select_related("division").order_by("pk").first()
        source = station.division if station else None
    if source is None and cases:
        source = cases[0].division or (cases[0].station.division if cases[0].station_id else None)
    if source is None:
        return None
    ids = source.ancestor_ids()
    return Division.objects.filter(pk=ids[0]).first() if ids else source


def _convertible_cases(actor, case_ids: list[int]) -> list[Case]:
    cases = list(visible_cases(actor).filter(pk__in=case_ids).select_related("station__division", "division"))
    found = {c.pk for c in cases}
    missing = [i for i in case_ids if i not in found]
    if missing:
        raise InvalidInput(
            _("所选民意件不存在或不在您的范围内。"), fields={"case_ids": [_("无效：%(value)s") % {"value": missing[0]}]}
        )
    for case in cases:
        if CaseAction.CONVERT not in case_allowed_actions(actor, case):
            raise InvalidInput(
                _("民意件 %(tracking_code)s（%(status)s）不能转为代表建议。")
                % {"tracking_code": case.tracking_code, "status": case.get_status_display()},
                fields={
                    "case_ids": [_("%(tracking_code)s 当前不能转为代表建议。") % {"tracking_code": case.tracking_code}]
                },
            )
    return cases


def _link(actor, suggestion: Suggestion, cases: list[Case]) -> None:
    """Each selected case becomes `converted` and linked (the case service's transition); its citizen sees
    it on the tracking page."""
    for case in cases:
        case_link_suggestion(actor=actor, case_id=case.pk, suggestion_id=suggestion.pk)
    if cases:
        log(
            actor,
            suggestion,
            "cases_linked",
            message="、".join(c.tracking_code for c in cases),
            case_ids=[c.pk for c in cases],
        )


@transaction.atomic
def suggestion_draft_from_case(*, actor, case_id: int, message: str = "") -> Suggestion:
    """A case's "convert" action (staff or a deputy, on the case screen or the API; registered with the case
    service in SuggestionsConfig.ready): a new draft titled and described after the case, led by the acting
    deputy or the case's (None until the office assigns one), with its `suggestion.drafted` entry; the case
    service checks the actor may convert the case first and then makes it `converted`, linked to the draft."""
    drafted: list[Suggestion] = []

    def draft(case: Case) -> int:
        deputy = user_deputy(actor) or case.deputy
        suggestion = Suggestion.objects.create(
            title=case.title[:TITLE_MAX],
            situation=case.details,
            lead_deputy=deputy,
            created_by=actor,
            division=_division_for(deputy, [case]),
        )
        log(actor, suggestion, "drafted", message=suggestion.title, case_ids=[case.pk])
        drafted.append(suggestion)
        return suggestion.pk

    case_convert(actor=actor, case_id=case_id, message=message, draft=draft)
    return drafted[0]


@transaction.atomic
def suggestion_create(*, actor, data: dict[str, Any]) -> Suggestion:
    """A deputy starts a draft, from scratch or from the cases in `case_ids` (they become `converted`)."""
    deputy = actor_deputy(actor)
    if deputy is None:
        raise NotAllowed(_("只有代表可以起草代表建议。"), code="not_a_deputy")
    values = _fields(data, partial=False)
    cases = _convertible_cases(actor, id_list(data.get("case_ids"), "case_ids", label=_("民意件")))
    suggestion = Suggestion.objects.create(
        **values, lead_deputy=deputy, created_by=actor, division=_division_for(deputy, cases)
    )
    log(actor, suggestion, "drafted", message=suggestion.title)
    _link(actor, suggestion, cases)
    return suggestion


@transaction.atomic
def suggestion_edit(*, actor, suggestion_id, data: dict[str, Any]) -> Suggestion:
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.EDIT)
    values = _fields(data, partial=True)
    changed = [name for name, value in values.items() if getattr(suggestion, name) != value]
    for name, value in values.items():
        setattr(suggestion, name, value)
    if suggestion.division_id is None:
        suggestion.division = _division_for(suggestion.lead_deputy, list(suggestion.cases.all()))
    save(suggestion)
    log(actor, suggestion, "edited", changed=changed)
    return suggestion


@transaction.atomic
def suggestion_link_cases(*, actor, suggestion_id, case_ids: Any) -> Suggestion:
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.LINK_CASES)
    ids = id_list(case_ids, "case_ids", label=_("民意件"))
    if not ids:
        raise InvalidInput(_("请选择民意件。"), fields={"case_ids": [_("请选择民意件。")]})
    _link(actor, suggestion, _convertible_cases(actor, ids))
    return suggestion


def _deputy(value: Any) -> Deputy:
    deputy = Deputy.objects.filter(pk=integer(value, "deputy_id", label=_("代表")), active=True).first()
    if deputy is None:
        raise InvalidInput(_("请选择有效的代表。"), fields={"deputy_id": [_("代表无效。")]})
    return deputy


@transaction.atomic
def suggestion_add_cosigner(*, actor, suggestion_id, deputy_id: Any) -> Suggestion:
    """The lead deputy (领衔) invites a co-signer (附议); it counts once the co-signer confirms."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.ADD_COSIGNER)
    deputy = _deputy(deputy_id)
    if deputy.pk == suggestion.lead_deputy_id:
        raise InvalidInput(_("领衔代表不能再附议。"), fields={"deputy_id": [_("领衔代表不能再附议。")]})
    if suggestion.cosigners.filter(deputy=deputy).exists():
        raise InvalidInput(_("该代表已在附议名单中。"), fields={"deputy_id": [_("已在附议名单中。")]})
    if suggestion.cosigners.count() >= conf.max_cosigners():
        raise InvalidInput(
            _("附议代表最多 %(max_cosigners)s 名。") % {"max_cosigners": conf.max_cosigners()},
            fields={"deputy_id": [_("附议代表太多。")]},
        )
    Cosigner.objects.create(suggestion=suggestion, deputy=deputy)
    log(actor, suggestion, "cosigner_invited", message=deputy.name, deputy_id=deputy.pk)
    notify_users([deputy.user], suggestion=suggestion, event="suggestion.cosigner_invited", body="邀请您附议，请确认。")
    return suggestion


@transaction.atomic
def suggestion_remove_cosigner(*, actor, suggestion_id, deputy_id: Any) -> Suggestion:
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.REMOVE_COSIGNER)
    deputy = _deputy(deputy_id)
    deleted, _rows = suggestion.cosigners.filter(deputy=deputy).delete()
    if not deleted:
        raise InvalidInput(_("该代表不在附议名单中。"), fields={"deputy_id": [_("不在附议名单中。")]})
    log(actor, suggestion, "cosigner_removed", message=deputy.name, deputy_id=deputy.pk)
    return suggestion


@transaction.atomic
def suggestion_cosign(*, actor, suggestion_id, confirm: bool) -> Suggestion:
    """A co-signer confirms (or declines) their co-signature."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.CONFIRM_COSIGN if confirm else Action.DECLINE_COSIGN)
    row = suggestion.cosigners.select_for_update().get(deputy=actor_deputy(actor))
    if confirm:
        row.confirmed_at, row.declined_at = now(), None
    else:
        row.declined_at, row.confirmed_at = now(), None
    row.save()
    log(
        actor,
        suggestion,
        "cosign_confirmed" if confirm else "cosign_declined",
        message=row.deputy.name,
        deputy_id=row.deputy_id,
    )
    return suggestion


def _number(suggestion: Suggestion) -> str:
    year = deadlines.today().year
    prefix = f"{year}-"
    count = Suggestion.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


def _enter_review(actor, suggestion: Suggestion, *, role: str = "") -> None:
    suggestion.state = State.REVIEWING
    suggestion.review_stage = 0
    suggestion.queued_for = None
    suggestion.submitted_at = now()
    if not suggestion.number:
        suggestion.number = _number(suggestion)
    save(suggestion)
    log(
        actor,
        suggestion,
        "submitted",
        role=role,
        number=suggestion.number,
        words_only=True,
    )


@transaction.atomic
def suggestion_submit(*, actor, suggestion_id) -> Suggestion:
    """Submit for review: in a window it goes to the first review stage; outside one it waits for the next window.

    A suggestion returned for revision is resubmitted at once (no window needed).
    """
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.SUBMIT)
    problems = admissibility_problems(suggestion)
    if problems:
        first = next(iter(problems.values()))[0]
        raise InvalidInput(_("建议暂不能提交：%(first)s") % {"first": first}, code="not_admissible", fields=problems)
    unconfirmed = [
        c.deputy.name
        for c in suggestion.cosigners.select_related("deputy")
        if c.confirmed_at is None and c.declined_at is None
    ]
    if unconfirmed:
        raise InvalidInput(
            _("附议代表尚未确认：%(items)s。") % {"items": _("、").join(unconfirmed)},
            code="cosigners_pending",
            fields={"cosigners": [_("%(name)s 尚未确认附议。") % {"name": name} for name in unconfirmed]},
        )
    if suggestion.state == State.RETURNED or deadlines.window_open(deadlines.today()):
        _enter_review(actor, suggestion)
        return suggestion
    upcoming = deadlines.next_window(deadlines.today())
    if upcoming is None:
        raise NotAllowed(_("当前没有设置建议提交窗口，请联系代表工作机构。"), code="no_window")
    suggestion.state = State.QUEUED
    suggestion.queued_for = upcoming
    save(suggestion)
    log(
        actor,
        suggestion,
        "queued",
        queued_for=upcoming.isoformat(),
        words_only=True,
    )
    return suggestion


@transaction.atomic
def suggestion_admit_early(*, actor, suggestion_id, reason: Any) -> Suggestion:
    """The office accepts a suggestion waiting for its window into review now (an urgent matter), with a reason that
    the audit log keeps (`suggestion.admitted_early`) and the deputy is told."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.ADMIT_EARLY)
    reason = text(reason, "reason", label=_("提前受理理由"), required=True)
    queued_for = suggestion.queued_for
    log(
        actor,
        suggestion,
        "admitted_early",
        message=f"窗口外提前受理（原定 {queued_for:%Y-%m-%d} 提交）：{reason}"
        if queued_for
        else f"窗口外提前受理：{reason}",
        reason=reason,
        queued_for=queued_for.isoformat() if queued_for else None,
    )
    _enter_review(actor, suggestion)
    notify_users(
        [deputy_user(suggestion)],
        suggestion=suggestion,
        event="suggestion.admitted_early",
        body=f"代表工作机构已提前受理，进入审查：{reason[:60]}",
    )
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, actor, suggestion_id) -> Suggestion:
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.WITHDRAW)
    suggestion.state = State.DRAFT
    suggestion.queued_for = None
    save(suggestion)
    log(actor, suggestion, "withdrawn", words_only=True)
    return suggestion


@transaction.atomic
def suggestion_release_queued(*, suggestion_id: int) -> Suggestion | None:
    """Periodic: a queued suggestion enters review once its window opens (safe to run twice)."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion_id)
    today = deadlines.today()
    if suggestion.state != State.QUEUED or not deadlines.window_open(today):
        return None
    _enter_review(None, suggestion, role="system")
    return suggestion
