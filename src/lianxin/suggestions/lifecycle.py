"""The lifecycle steps several suggestion services share: moving the state after a signature or reassignment,
starting a round of assignments, closing and feeding the outcome back to the linked cases.

They live below `review`, `handling` and `outcome` (each imports from here, this imports none of them), so the
three services no longer import one another.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.models import User
from lianxin.cases.services import cases_feed_back_suggestion
from lianxin.errors import InvalidInput
from lianxin.organisation.models import HandlingUnit
from lianxin.suggestions import conf, deadlines
from lianxin.suggestions.common import id_list, integer, log, notify_users, now, save
from lianxin.suggestions.enums import AssignmentState, Mode, State, UnitRole
from lianxin.suggestions.models import Assignment, Suggestion
from lianxin.suggestions.rules import LEAD_ROLES

SUMMARY_CHARS = 200


def refresh_state(suggestion: Suggestion) -> None:
    """ASSIGNED while a lead or split part awaits signing (or reassignment), HANDLING once they all signed."""
    if suggestion.state not in (State.ASSIGNED, State.HANDLING):
        return
    rows = list(suggestion.assignments.filter(round=suggestion.round, role__in=LEAD_ROLES))
    waiting = [
        a
        for a in rows
        if a.state == AssignmentState.PENDING or (a.state == AssignmentState.RETURNED and not a.replaced)
    ]
    suggestion.state = State.ASSIGNED if waiting or not rows else State.HANDLING
    save(suggestion)


def summary_of(body: str, name: str) -> str:
    if body:
        return body[:SUMMARY_CHARS] + ("…" if len(body) > SUMMARY_CHARS else "")
    return f"答复文件：{name}"


def feed_back_cases(actor, suggestion: Suggestion, message: str) -> int:
    """Move every linked case still `converted` to `fed_back` (the case service's step): its citizen reads
    the outcome and can rate."""
    return cases_feed_back_suggestion(actor=actor, suggestion_id=suggestion.pk, message=message)


def _outcome_message(suggestion: Suggestion) -> str:
    category = conf.answer_category(suggestion.answer_category)
    label = category.label if category else suggestion.answer_category
    latest = suggestion.answers.order_by("-id").first()
    summary = ""
    if latest is not None:
        summary = summary_of(latest.text, latest.document_name)
    return f"您反映的事项已通过代表建议办理完毕（{label}）。{summary}"


def finish(actor, suggestion: Suggestion, note: str, *, unrated: bool = False) -> None:
    """Close the suggestion and feed the outcome back to every linked case."""
    suggestion.state = State.CLOSED
    suggestion.closed_at = now()
    suggestion.closed_unrated = unrated
    suggestion.assignments.filter(round=suggestion.round).exclude(state=AssignmentState.RETURNED).update(
        state=AssignmentState.CLOSED
    )
    save(suggestion)
    log(actor, suggestion, "closed", public=True, message=note, role="" if actor else "system", unrated=unrated)
    feed_back_cases(actor, suggestion, _outcome_message(suggestion))


def active_units(ids: list[int], field: str) -> list[HandlingUnit]:
    units = {u.pk: u for u in HandlingUnit.objects.filter(pk__in=ids, active=True)}
    missing = [i for i in ids if i not in units]
    if missing:
        raise InvalidInput(
            _("请选择有效的承办单位。"), fields={field: [_("承办单位无效：%(value)s") % {"value": missing[0]}]}
        )
    return [units[i] for i in ids]


def parse_units(data: dict[str, Any]) -> tuple[str, list[tuple[HandlingUnit, str]]]:
    """(mode, [(unit, role)]) from the assignment form: lead + co-units, or split among ≥ 2 units."""
    mode = data.get("mode") or Mode.LEAD
    if mode not in Mode.values:
        raise InvalidInput(_("交办方式无效。"), fields={"mode": [_("请选择主办+协办或分办。")]})
    if mode == Mode.LEAD:
        if data.get("lead_unit_id") in (None, ""):
            raise InvalidInput(_("请选择主办单位。"), fields={"lead_unit_id": [_("请选择主办单位。")]})
        lead = active_units([integer(data.get("lead_unit_id"), "lead_unit_id", label=_("主办单位"))], "lead_unit_id")[0]
        co = active_units(id_list(data.get("co_unit_ids"), "co_unit_ids", label=_("协办单位")), "co_unit_ids")
        if any(u.pk == lead.pk for u in co):
            raise InvalidInput(_("主办单位不能同时是协办单位。"), fields={"co_unit_ids": [_("主办单位不能同时协办。")]})
        return mode, [(lead, UnitRole.LEAD)] + [(u, UnitRole.CO) for u in co]
    split = active_units(id_list(data.get("split_unit_ids"), "split_unit_ids", label=_("分办单位")), "split_unit_ids")
    if len(split) < 2:
        raise InvalidInput(_("分办至少选择两个单位。"), fields={"split_unit_ids": [_("分办至少选择两个单位。")]})
    return mode, [(u, UnitRole.SPLIT) for u in split]


def unit_users(unit_ids) -> list[User]:
    return list(
        User.objects.filter(
            memberships__role=Role.UNIT,
            memberships__unit_id__in=list(unit_ids),
            memberships__active=True,
            is_active=True,
        ).distinct()
    )


def new_assignment(suggestion: Suggestion, unit: HandlingUnit, role: str, start, answer_due) -> Assignment:
    opinion_due = None
    if role == UnitRole.CO:
        opinion_due = min(deadlines.add_months(start, conf.co_opinion_months()), answer_due)
    return Assignment.objects.create(
        suggestion=suggestion,
        unit=unit,
        role=role,
        round=suggestion.round,
        assigned_at=start,
        sign_due_at=deadlines.add_days(start, conf.sign_days()),
        return_due_at=deadlines.add_days(start, conf.return_days()),
        answer_due_at=answer_due,
        opinion_due_at=opinion_due,
    )


def start_round(actor, suggestion: Suggestion, data: dict[str, Any], *, months: int, event: str, note: str = ""):
    """Create one round of assignments (first assignment, or 二次交办 after re-examination)."""
    mode, units = parse_units(data)
    start = now()
    suggestion.round += 1
    suggestion.mode = mode
    suggestion.state = State.ASSIGNED
    suggestion.assigned_at = start
    suggestion.answer_due_at = deadlines.add_months(start, months)
    suggestion.answered_at = None
    suggestion.answered_on_time = None
    for unit, role in units:
        new_assignment(suggestion, unit, role, start, suggestion.answer_due_at)
    save(suggestion, start)
    log(
        actor,
        suggestion,
        event,
        message=note,
        round=suggestion.round,
        mode=mode,
        units=[{"unit_id": u.pk, "role": role, "name": u.name} for u, role in units],
        answer_due=suggestion.answer_due_at.isoformat(),
        words_only=True,
    )
    notify_users(
        unit_users(u.pk for u, _role in units),
        suggestion=suggestion,
        event=f"suggestion.{event}",
        body=f"请于 {conf.sign_days()} 日内签收。",
    )
