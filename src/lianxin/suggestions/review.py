"""Review in stages (初审 → 联审 → 主任会议), merging (并案), and assignment (交办) to handling units."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.models import User
from lianxin.audit.services import log_action
from lianxin.errors import InvalidInput, NotFound
from lianxin.suggestions import conf
from lianxin.suggestions.common import (
    deputy_user,
    integer,
    locked,
    log,
    notify_users,
    now,
    require,
    save,
    text,
)
from lianxin.suggestions.enums import Action, AssignmentState, State
from lianxin.suggestions.lifecycle import (
    active_units,
    feed_back_cases,
    new_assignment,
    refresh_state,
    start_round,
    unit_users,
)
from lianxin.suggestions.models import Cosigner, Suggestion
from lianxin.suggestions.rules import suggestion_for_actor


def stage_label(index: int) -> str:
    stages = conf.review_stages()
    return stages[index][1] if 0 <= index < len(stages) else ""


def _through_stage(suggestion: Suggestion, through: Any) -> int:
    """The index of the last stage this one step records (the current stage when none is chosen): one person may
    record the decisions of several bodies (专门委员会、主任会议) at once, but only of stages still ahead."""
    stages = conf.review_stages()
    if through in (None, ""):
        return suggestion.review_stage
    ahead = {key: index for index, (key, _label) in enumerate(stages) if index >= suggestion.review_stage}
    if str(through) not in ahead:
        labels = "、".join(label for index, (_key, label) in enumerate(stages) if index >= suggestion.review_stage)
        raise InvalidInput(
            _("请选择尚未通过的审查阶段。"),
            fields={"through": [_("可选：%(choices)s") % {"choices": labels}]},
        )
    return ahead[str(through)]


@transaction.atomic
def suggestion_accept(*, actor, suggestion_id, message: Any = "", through: Any = "") -> Suggestion:
    """Pass the current review stage — or, with `through`, every stage up to that one, each with its own entry
    (the same person records the decisions of several bodies in one step); after the last stage the suggestion is
    accepted (立案) and awaits assignment."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.ACCEPT)
    message = text(message, "message", label=_("审查意见"), required=False)
    last = _through_stage(suggestion, through)
    several = last > suggestion.review_stage
    while True:
        passed = stage_label(suggestion.review_stage)
        final = suggestion.review_stage == last
        if suggestion.review_stage + 1 < len(conf.review_stages()):
            suggestion.review_stage += 1
            save(suggestion)
            log(
                actor,
                suggestion,
                "review_passed",
                message=message if final else "",  # the reviewer's words once, with the last stage recorded
                stage=passed,
                stage_index=suggestion.review_stage - 1,
                recorded_together=several,
                words_only=True,
            )
            if final:
                return suggestion
            continue
        suggestion.state = State.ACCEPTED
        suggestion.accepted_at = now()
        save(suggestion)
        log(
            actor,
            suggestion,
            "accepted",
            message=message,
            stage=passed,
            stage_index=suggestion.review_stage,
            recorded_together=several,
            words_only=True,
        )
        notify_users([deputy_user(suggestion)], suggestion=suggestion, event="suggestion.accepted", body="已立案。")
        return suggestion


@transaction.atomic
def suggestion_return_for_revision(*, actor, suggestion_id, message: Any) -> Suggestion:
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.RETURN_FOR_REVISION)
    message = text(message, "message", label=_("修改意见"), required=True)
    stage = stage_label(suggestion.review_stage)
    suggestion.state = State.RETURNED
    suggestion.review_comment = message
    save(suggestion)
    log(
        actor,
        suggestion,
        "returned_for_revision",
        message=message,
        stage=stage,
        stage_index=suggestion.review_stage,
        words_only=True,
    )
    notify_users(
        [deputy_user(suggestion)],
        suggestion=suggestion,
        event="suggestion.returned_for_revision",
        body=f"退回修改：{message[:60]}",
    )
    return suggestion


@transaction.atomic
def suggestion_merge(*, actor, suggestion_id, target_id: Any, message: Any = "") -> Suggestion:
    """并案: this suggestion joins another on the same matter; its cases and deputies go with it."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.MERGE)
    message = text(message, "message", label=_("并案说明"), required=False)
    target_pk = integer(target_id, "target_id", label=_("并入的建议"))
    if target_pk == suggestion.pk:
        raise InvalidInput(_("不能与自身并案。"), fields={"target_id": [_("不能与自身并案。")]})
    try:
        target = suggestion_for_actor(actor, target_pk)
    except NotFound:  # a foreign or missing target is bad input here
        raise InvalidInput(_("请选择有效的并入建议。"), fields={"target_id": [_("建议无效。")]}) from None
    if target.state not in (State.REVIEWING, State.ACCEPTED):
        raise InvalidInput(_("只能并入审查中或待交办的建议。"), fields={"target_id": [_("该建议当前不能并入。")]})
    target = Suggestion.objects.select_for_update().get(pk=target.pk)
    deputies = {
        suggestion.lead_deputy_id,
        *suggestion.cosigners.filter(confirmed_at__isnull=False).values_list("deputy_id", flat=True),
    }
    existing = set(target.cosigners.values_list("deputy_id", flat=True)) | {target.lead_deputy_id}
    for deputy_id in sorted(d for d in deputies - existing if d):
        Cosigner.objects.create(suggestion=target, deputy_id=deputy_id, confirmed_at=now())
    cases = list(suggestion.cases.all())
    for case in cases:
        case.suggestion = target
        case.save(update_fields=["suggestion", "updated_at"])
        log_action(
            actor=actor,
            actor_role="office",
            action="case.suggestion_merged",
            subject_type="case",
            subject_id=case.pk,
            public=True,
            message="您反映的事项所在的代表建议已与同类建议并案办理。",
            data={"status": case.status, "suggestion_id": target.pk},
        )
    suggestion.state = State.MERGED
    suggestion.merged_into = target
    save(suggestion)
    log(
        actor,
        suggestion,
        "merged",
        message=f"并入 {target.number}《{target.title}》。" + (f"\n{message}" if message else ""),
        target_id=target.pk,
    )
    log(
        actor,
        target,
        "merged_in",
        message=f"{suggestion.number}《{suggestion.title}》并入本件。",
        source_id=suggestion.pk,
        case_ids=[c.pk for c in cases],
    )
    notify_users(
        [deputy_user(suggestion)],
        suggestion=suggestion,
        event="suggestion.merged",
        body=f"已并入《{target.title[:30]}》。",
    )
    return suggestion


@transaction.atomic
def suggestion_not_accept(*, actor, suggestion_id, reason: Any) -> Suggestion:
    """Not accepted as a suggestion (with reason); becomes a 参阅件 when configured. Its citizens are told."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.NOT_ACCEPT)
    reason = text(reason, "reason", label=_("不予立案理由"), required=True)
    suggestion.state = State.NOT_ACCEPTED
    suggestion.not_accepted_reason = reason
    suggestion.reference_only = conf.not_accepted_as_reference()
    suggestion.closed_at = now()
    save(suggestion)
    note = "，转为参阅件" if suggestion.reference_only else ""
    log(
        actor,
        suggestion,
        "not_accepted",
        message=f"{stage_label(suggestion.review_stage)}：不予立案{note}。{reason}",
        reference_only=suggestion.reference_only,
    )
    feed_back_cases(actor, suggestion, f"代表建议未予立案{note}：{reason}")
    notify_users(
        [deputy_user(suggestion)],
        suggestion=suggestion,
        event="suggestion.not_accepted",
        body=f"不予立案：{reason[:60]}",
    )
    return suggestion


@transaction.atomic
def suggestion_assign(*, actor, suggestion_id, data: dict[str, Any]) -> Suggestion:
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.ASSIGN)
    message = text(data.get("message"), "message", label=_("交办意见"), required=False)
    start_round(actor, suggestion, data, months=conf.answer_months(), event="assigned", note=message)
    return suggestion


@transaction.atomic
def suggestion_reassign(*, actor, suggestion_id, assignment_id: Any, unit_id: Any) -> Suggestion:
    """The office assigns a part a unit returned to another unit (units cannot pass it on themselves)."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.REASSIGN)
    pk = integer(assignment_id, "assignment_id", label=_("被退回的交办"))
    old = suggestion.assignments.filter(
        pk=pk, round=suggestion.round, state=AssignmentState.RETURNED, replaced=False
    ).first()
    if old is None:
        raise InvalidInput(_("请选择被退回的交办记录。"), fields={"assignment_id": [_("交办记录无效。")]})
    unit = active_units([integer(unit_id, "unit_id", label=_("承办单位"))], "unit_id")[0]
    taken = suggestion.assignments.filter(round=suggestion.round, unit=unit).exclude(state=AssignmentState.RETURNED)
    if unit.pk == old.unit_id or taken.exists():
        raise InvalidInput(_("该单位已承办或刚退回本件，请选择其他单位。"), fields={"unit_id": [_("请选择其他单位。")]})
    old.replaced = True
    old.save(update_fields=["replaced"])
    new_assignment(suggestion, unit, old.role, now(), suggestion.answer_due_at)
    refresh_state(suggestion)
    role = old.get_role_display()
    log(
        actor,
        suggestion,
        "reassigned",
        message=f"{old.unit.name} 退回后改交 {unit.name}（{role}）。",
        from_unit=old.unit_id,
        unit_id=unit.pk,
    )
    notify_users(unit_users([unit.pk]), suggestion=suggestion, event="suggestion.assigned", body="请签收。")
    return suggestion


@transaction.atomic
def suggestion_mark_key(*, actor, suggestion_id, leader_id: Any, message: Any = "") -> Suggestion:
    """重点督办 with a standing-committee member in charge (包抓)."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.MARK_KEY)
    message = text(message, "message", label=_("督办说明"), required=False)
    leader = User.objects.filter(
        pk=integer(leader_id, "leader_id", label=_("包抓领导")),
        is_active=True,
        memberships__role=Role.LEADER,
        memberships__active=True,
    ).first()
    if leader is None:
        raise InvalidInput(_("请选择有效的包抓领导。"), fields={"leader_id": [_("包抓领导无效。")]})
    suggestion.key = True
    suggestion.leader = leader
    save(suggestion)
    log(
        actor,
        suggestion,
        "marked_key",
        message=f"列为重点督办建议，包抓领导：{leader}。" + (f"\n{message}" if message else ""),
        leader_id=leader.pk,
    )
    notify_users([leader], suggestion=suggestion, event="suggestion.marked_key", body="请您包抓督办。")
    return suggestion
