"""The case loop 民呼 → 我应 → 办理 → 反馈 → 民享. One function owns each transition.

Every function: checks the actor may take the action on this case now (rules.allowed_actions),
changes the case in one transaction, writes the audit entry (which is the timeline) and queues
notifications on commit. HTML views, the API, tasks and commands all call these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import privacy, validation
from lianxin.accounts.scopes import scope_of
from lianxin.accounts.selectors import user_deputy, user_roles
from lianxin.audit import texts
from lianxin.audit.reveal import text_reveal
from lianxin.audit.services import log_action
from lianxin.cases import deadlines
from lianxin.cases.attachments import store_attachments
from lianxin.cases.codes import token_matches
from lianxin.cases.enums import Action, Channel, DispatchState, ExtensionState, Rating, RequestType, Status
from lianxin.cases.models import Case, Dispatch, ExtensionRequest
from lianxin.cases.notices import notify
from lianxin.cases.rules import allowed_actions, case_for_actor
from lianxin.cases.support import reply_flags
from lianxin.errors import InvalidInput, NotAllowed, NotFound, RevealRefused
from lianxin.organisation.models import HandlingUnit
from lianxin.organisation.routing import routing_suggest
from lianxin.workdays.services import add_working_days

MESSAGE_MAX = 5000


def _locked(actor, case_id: int) -> Case:
    """Re-read the case inside the transaction, visible to the actor, locked for update where the DB can."""
    case_for_actor(actor, case_id)  # 404 when not visible
    # of=("self",): lock the case row only (PostgreSQL cannot lock the nullable side of an outer join)
    return (
        Case.objects.select_for_update(of=("self",)).select_related("handling_division", "current_unit").get(pk=case_id)
    )


def _require(actor, case: Case, action: str) -> None:
    if action not in allowed_actions(actor, case):
        raise NotAllowed(
            _("当前状态（%(status)s）下不能执行“%(label)s”。")
            % {"status": case.get_status_display(), "label": Action(action).label}
        )


def _text(value: Any, field: str, *, required: bool, label: str, maximum: int = MESSAGE_MAX) -> str:
    """A staff or citizen message: multi-line text (lianxin/validation.py)."""
    return validation.text(value, field=field, label=label, required=required, max_length=maximum, multiline=True)


def _role_label(actor, case: Case) -> str:
    roles = user_roles(actor)
    for role in ("unit", "deputy", "station", "office"):
        if role in roles:
            return role
    return ""


def _log(actor, case: Case, action: str, *, public: bool, message: str = "", **data) -> None:
    log_action(
        actor=actor,
        actor_role=_role_label(actor, case),
        action=f"case.{action}",
        subject_type="case",
        subject_id=case.pk,
        public=public,
        message=message,
        data={"status": case.status, **data},
    )


def _save(case: Case, now=None) -> None:
    deadlines.set_phase(case, now)
    case.save()


# --- 我应: acknowledge ---------------------------------------------------------------------------


@transaction.atomic
def case_acknowledge(*, actor, case_id: int, message: str) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.ACKNOWLEDGE)
    message = _text(message, "message", required=True, label=_("回应内容"))
    now = timezone.now()
    case.status = Status.ACKNOWLEDGED
    case.acknowledged_at = now
    _save(case, now)
    _log(actor, case, "acknowledged", public=True, message=message, on_time=now <= case.ack_due_at)
    notify(case, "case.acknowledged")
    return case


@transaction.atomic
def case_acknowledge_own_visit(*, actor, case_id: int) -> Case:
    """A deputy's own visit record (走访) is answered by being recorded: the deputy heard the voter face to face,
    so the case is acknowledged (我应) at once instead of asking the deputy to answer his own record within 24 h.
    Only for a visit case the actor registered as its deputy; anything else is refused."""
    case = _locked(actor, case_id)
    deputy = user_deputy(actor)
    if case.channel != Channel.VISIT or case.created_by_id != actor.pk or deputy is None or case.deputy_id != deputy.pk:
        raise NotAllowed(_("只有代表本人登记的走访记录才能在登记时视为已回应。"))
    _require(actor, case, Action.ACKNOWLEDGE)
    now = timezone.now()
    message = _("代表在走访中当面听取了您反映的问题，将跟进办理。")
    case.status = Status.ACKNOWLEDGED
    case.acknowledged_at = now
    _save(case, now)
    _log(actor, case, "acknowledged", public=True, message=message, on_time=True, on_record=True)
    notify(case, "case.acknowledged")
    return case


def _acknowledge_implicitly(case: Case, now) -> None:
    if case.acknowledged_at is None:
        case.acknowledged_at = now


@transaction.atomic
def case_resolve_on_spot(*, actor, case_id: int, message: str) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.RESOLVE_ON_SPOT)
    message = _text(message, "message", required=True, label=_("解决情况"))
    now = timezone.now()
    _acknowledge_implicitly(case, now)
    case.status = Status.RESOLVED
    case.resolved_at = now
    case.public_answer = message
    _save(case, now)
    _log(actor, case, "resolved", public=True, message=message)
    notify(case, "case.resolved")
    return case


# --- 办理: dispatch, claim, return, reply, extensions --------------------------------------------


_category_guesser: Callable[[Case], Any] | None = None


def register_category_guesser(guesser: Callable[[Case], Any]) -> None:
    """Set the function that proposes a category for a case none was chosen for (the triage app's classifier):
    `guesser(case)` returns a Category or None."""
    global _category_guesser
    _category_guesser = guesser


def case_routing_category(case: Case):
    """(category, guessed): the chosen category, else the classifier's suggestion (guessed=True), else None."""
    if case.category_id is not None:
        return case.category, False
    guessed = _category_guesser(case) if _category_guesser is not None else None
    return guessed, guessed is not None


def case_suggestion(case: Case):
    """(unit, rule) the active routing rules suggest for the case's category (chosen, else suggested by the
    classifier) and division, or (None, None)."""
    category, _guessed = case_routing_category(case)
    return routing_suggest(category, case.division)


@transaction.atomic
def case_dispatch(
    *,
    actor,
    case_id: int,
    unit_id: Any,
    request_type: Any = None,
    message: str = "",
    instruction_public: Any = False,
) -> Case:
    """Hand the case to a unit. The instruction (交办意见) is internal unless `instruction_public`; the dispatch keeps
    the unit the routing rules suggested and whether it was taken (the office's 建议采纳率)."""
    case = _locked(actor, case_id)
    _require(actor, case, Action.DISPATCH)
    try:
        unit = HandlingUnit.objects.get(pk=int(unit_id), active=True)
    except (TypeError, ValueError, HandlingUnit.DoesNotExist):
        raise InvalidInput(_("请选择有效的承办单位。"), fields={"unit_id": [_("承办单位无效。")]}) from None
    request_type = request_type or case.request_type
    if request_type not in RequestType.values:
        raise InvalidInput(_("诉求类型无效。"), fields={"request_type": [_("诉求类型无效。")]})
    message = _text(message, "message", required=False, label=_("交办意见"))
    instruction_public = bool(message) and instruction_public in (True, "1", "on", "true", "True", 1)
    suggested, rule = case_suggestion(case)
    _dispatch_to(
        actor,
        case,
        unit,
        request_type=request_type,
        message=message,
        instruction_public=instruction_public,
        suggested=suggested,
        rule=rule,
    )
    return case


def _dispatch_to(actor, case: Case, unit, *, request_type, message, instruction_public, suggested, rule, auto=None):
    """The dispatch itself (by staff, or automatically when `auto` holds the category suggestion's figures)."""
    now = timezone.now()
    rehandle = case.status == Status.REOPENED
    arbitrated = case.needs_arbitration
    _acknowledge_implicitly(case, now)
    Dispatch.objects.filter(case=case, state__in=[DispatchState.PENDING, DispatchState.CLAIMED]).update(
        state=DispatchState.WITHDRAWN
    )
    dispatch = Dispatch.objects.create(
        case=case,
        unit=unit,
        request_type=request_type,
        dispatched_by=actor,
        dispatched_at=now,
        claim_due_at=deadlines.claim_deadline(now),
        handle_due_at=deadlines.handle_deadline(now, request_type, rehandle=rehandle),
        arbitrated=arbitrated,
        rehandle=rehandle,
        routing_rule=rule,
        suggested_unit=suggested,
        suggestion_taken=None if suggested is None else suggested.pk == unit.pk,
        instruction=message,
        instruction_public=instruction_public,
    )
    case.status = Status.DISPATCHED
    case.request_type = request_type
    case.current_unit = unit
    case.dispatched_at = now
    case.claim_due_at = dispatch.claim_due_at
    case.handle_due_at = dispatch.handle_due_at
    case.claimed_at = None
    case.replied_at = None
    if arbitrated:
        case.needs_arbitration = False
        case.arbitrated = True
    _save(case, now)
    _log(
        actor,
        case,
        "dispatched",
        public=True,
        message=message if message and instruction_public else "",
        words_only=True,
        unit=unit.name,
        unit_id=unit.pk,
        request_type=request_type,
        arbitrated=arbitrated,
        rehandle=rehandle,
        handle_due_at=dispatch.handle_due_at.isoformat(),
        suggested_unit_id=suggested.pk if suggested else None,
        routing_rule_id=rule.pk if rule else None,
        suggestion_taken=dispatch.suggestion_taken,
        instruction_public=instruction_public,
        **({"automatic": True, **auto} if auto is not None else {}),
    )
    if message and not instruction_public:
        _log(actor, case, "instructed", public=False, message=message, unit_id=unit.pk)
    notify(case, "case.dispatched", audiences=("unit",))


AUTO_DISPATCH_STATES = frozenset({Status.REGISTERED, Status.ACKNOWLEDGED})


@transaction.atomic
def case_dispatch_automatically(*, case_id: int, unit_id: int, category: str, confidence: float, model: str) -> Case:
    """Dispatch a new matter without a person (the triage app's auto-dispatch, off by default): only while it is
    new (registered or acknowledged) and to the unit the routing rules propose now. The timeline says it was
    automatic and why; the dispatch has no dispatcher (`dispatched_by` empty)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("handling_division").get(pk=case_id)
    if case.status not in AUTO_DISPATCH_STATES:
        raise NotAllowed(_("该民意件已不是新受理状态，不能自动交办。"))
    suggested, rule = case_suggestion(case)
    if suggested is None or suggested.pk != unit_id:
        raise NotAllowed(_("派单规则已不再建议该单位，不能自动交办。"))
    _dispatch_to(
        None,
        case,
        suggested,
        request_type=case.request_type,
        message="",
        instruction_public=False,
        suggested=suggested,
        rule=rule,
        auto={"category": category, "confidence": round(confidence, 4), "model": model},
    )
    return case


def _current_dispatch(case: Case) -> Dispatch:
    return (
        Dispatch.objects.filter(
            case=case, unit=case.current_unit, state__in=[DispatchState.PENDING, DispatchState.CLAIMED]
        )
        .order_by("-id")
        .first()
    )


@transaction.atomic
def case_claim(*, actor, case_id: int) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.CLAIM)
    now = timezone.now()
    dispatch = _current_dispatch(case)
    dispatch.state = DispatchState.CLAIMED
    dispatch.claimed_at = now
    dispatch.save(update_fields=["state", "claimed_at"])
    case.status = Status.CLAIMED
    case.claimed_at = now
    _save(case, now)
    _log(
        actor,
        case,
        "claimed",
        public=True,
        words_only=True,
        unit=case.current_unit.name,
        on_time=now <= dispatch.claim_due_at,
    )
    return case


@transaction.atomic
def case_return(*, actor, case_id: int, reason: str) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.RETURN)
    reason = _text(reason, "reason", required=True, label=_("退回理由"))
    now = timezone.now()
    dispatch = _current_dispatch(case)
    dispatch.state = DispatchState.RETURNED
    dispatch.returned_at = now
    dispatch.return_reason = reason
    dispatch.save(update_fields=["state", "returned_at", "return_reason"])
    unit = case.current_unit
    case.return_count += 1
    case.status = Status.RETURNED
    case.current_unit = None
    if case.return_count >= settings.CASE_MAX_RETURNS:
        case.needs_arbitration = True
    _save(case, now)
    _log(
        actor,
        case,
        "returned",
        public=False,
        message=reason,
        unit_id=unit.pk,
        return_count=case.return_count,
        needs_arbitration=case.needs_arbitration,
    )
    notify(case, "case.returned", audiences=("station",))
    return case


def _save_attachments(case: Case, actor, files, *, public: bool) -> int:

    return store_attachments(case=case, actor=actor, files=files or [], public=public)


@transaction.atomic
def case_reply(*, actor, case_id: int, message: str, attachments=None) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.REPLY)
    message = _text(message, "message", required=True, label=_("答复内容"))
    now = timezone.now()
    dispatch = _current_dispatch(case)
    dispatch.state = DispatchState.REPLIED
    dispatch.replied_at = now
    dispatch.reply = message
    dispatch.save(update_fields=["state", "replied_at", "reply"])
    count = _save_attachments(case, actor, attachments, public=False)
    case.status = Status.REPLIED
    case.replied_at = now
    case.public_answer = message
    case.reply_flags = reply_flags(case, message)  # a weak reply is flagged for the station, never held back
    _save(case, now)
    flags = {"reply_flags": case.reply_flags} if case.reply_flags else {}
    _log(
        actor,
        case,
        "replied",
        public=False,
        message=message,
        attachments=count,
        on_time=now <= dispatch.handle_due_at,
        **flags,
    )
    notify(case, "case.replied", audiences=("station", "deputy"))
    return case


@transaction.atomic
def case_request_extension(*, actor, case_id: int, workdays: Any, reason: str) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.REQUEST_EXTENSION)
    reason = _text(reason, "reason", required=True, label=_("延期理由"))
    try:
        workdays = int(workdays)
    except (TypeError, ValueError):
        raise InvalidInput(_("延期天数须为整数。"), fields={"workdays": [_("须为整数。")]}) from None
    if not 1 <= workdays <= settings.CASE_MAX_EXTENSION_WORKDAYS:
        limit = settings.CASE_MAX_EXTENSION_WORKDAYS
        raise InvalidInput(
            _("延期天数须在 1 到 %(limit)s 个工作日之间。") % {"limit": limit}, fields={"workdays": [f"1–{limit}"]}
        )
    now = timezone.now()
    if case.handle_due_at and now > case.handle_due_at:
        raise NotAllowed(_("已超过办理时限，不能再申请延期。"), code="extension_too_late")
    ExtensionRequest.objects.create(
        case=case, dispatch=_current_dispatch(case), workdays=workdays, reason=reason, requested_by=actor
    )
    _log(actor, case, "extension_requested", public=False, message=reason, workdays=workdays)
    notify(case, "case.extension_requested", audiences=("station",))
    return case


def _pending_extension(case: Case) -> ExtensionRequest:
    return case.extension_requests.filter(state=ExtensionState.PENDING).order_by("id").first()


@transaction.atomic
def case_decide_extension(*, actor, case_id: int, approve: bool, message: str = "") -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.APPROVE_EXTENSION if approve else Action.REJECT_EXTENSION)
    message = _text(message, "message", required=not approve, label=_("驳回理由"))
    now = timezone.now()
    request = _pending_extension(case)
    request.state = ExtensionState.APPROVED if approve else ExtensionState.REJECTED
    request.decided_by = actor
    request.decided_at = now
    request.save(update_fields=["state", "decided_by", "decided_at"])
    if approve:
        new_due = add_working_days(case.handle_due_at or now, request.workdays)
        Dispatch.objects.filter(pk=request.dispatch_id).update(handle_due_at=new_due)
        case.handle_due_at = new_due
        _save(case, now)
        _log(
            actor,
            case,
            "extension_approved",
            public=True,
            message=f"办理时限延长 {request.workdays} 个工作日。",
            workdays=request.workdays,
            handle_due_at=new_due.isoformat(),
        )
    else:
        _log(actor, case, "extension_rejected", public=False, message=message)
    return case


# --- Other ways out of triage: escalate, decline, convert ----------------------------------------


@transaction.atomic
def case_escalate(*, actor, case_id: int, message: str) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.ESCALATE)
    message = _text(message, "message", required=True, label=_("提级理由"))
    now = timezone.now()
    _acknowledge_implicitly(case, now)
    below = case.handling_division
    case.handling_division = below.parent
    case.status = Status.ESCALATED
    _save(case, now)
    _log(
        actor,
        case,
        "escalated",
        public=True,
        words_only=True,
        division=case.handling_division.name,
        reason=message,
        from_division=below.pk,
        to_division=case.handling_division_id,
    )
    notify(case, "case.escalated")
    return case


@transaction.atomic
def case_decline(*, actor, case_id: int, reason: str) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.DECLINE)
    reason = _text(reason, "reason", required=True, label=_("不予受理理由"))
    now = timezone.now()
    _acknowledge_implicitly(case, now)
    case.status = Status.DECLINED
    case.decline_reason = reason
    case.closed_at = now
    _save(case, now)
    _log(actor, case, "declined", public=True, message=reason)
    notify(case, "case.declined")
    return case


# Converting a case is started from above: the suggestions app drafts the suggestion (its rows, its
# `suggestion.drafted` entry) in `suggestions.drafting.suggestion_draft_from_case`, which runs the case's side
# through `case_convert` below, and registers itself here when Django starts (SuggestionsConfig.ready) so that
# the case's own doors (the action form, the API transition) offer the action without cases importing it.
_case_converter: Callable[..., Any] | None = None


def register_case_converter(converter: Callable[..., Any]) -> None:
    """Set the service the case's "convert" action calls: `converter(actor=, case_id=, message=)`."""
    global _case_converter
    _case_converter = converter


def _convert_through_hook(*, actor, case_id: int, message: str) -> Case:
    if _case_converter is None:  # fails closed: no app to draft the suggestion
        case_for_actor(actor, case_id)
        raise NotAllowed(_("暂不能转为代表建议。"), code="action_not_allowed")
    _case_converter(actor=actor, case_id=case_id, message=message)
    return Case.objects.get(pk=case_id)


@transaction.atomic
def case_convert(*, actor, case_id: int, message: str = "", draft: Callable[[Case], int]) -> Case:
    """The case's side of converting it into a new draft deputy suggestion: checks the actor may convert it now,
    then `draft(case)` (the suggestions service's, in this transaction) makes the draft and returns its id, and
    the case becomes `converted`, linked to it; its citizen hears when the suggestion is answered."""
    case = _locked(actor, case_id)
    _require(actor, case, Action.CONVERT)
    message = _text(message, "message", required=False, label=_("说明"))
    return _convert(actor, case, draft(case), note=message)


@transaction.atomic
def case_link_suggestion(*, actor, case_id: int, suggestion_id: int) -> Case:
    """The convert transition for a suggestion the deputy drafts from cases (suggestions/drafting.py):
    the case becomes `converted`, linked to the suggestion; its citizen hears when it is answered."""
    case = _locked(actor, case_id)
    _require(actor, case, Action.CONVERT)
    return _convert(actor, case, suggestion_id, note="")


def _convert(actor, case: Case, suggestion_id: int, *, note: str) -> Case:
    now = timezone.now()
    _acknowledge_implicitly(case, now)
    case.suggestion_id = suggestion_id
    case.status = Status.CONVERTED
    _save(case, now)
    _log(
        actor,
        case,
        "converted",
        public=True,
        message="已转为代表建议，建议答复后将告知您。",
        suggestion_id=suggestion_id,
        note=note,
    )
    notify(case, "case.converted")
    return case


def cases_feed_back_suggestion(*, actor, suggestion_id: int, message: str) -> int:
    """The suggestion the cases were converted into is closed (suggestions/outcome.py): every linked case
    still `converted` is fed back with its outcome, so its citizen reads it and can rate. The suggestion
    service has checked the actor (None for the periodic job). Returns how many cases moved."""
    now = timezone.now()
    moved = 0
    for case in Case.objects.select_for_update().filter(suggestion_id=suggestion_id, status=Status.CONVERTED):
        case.status = Status.FED_BACK
        case.fed_back_at = now
        case.public_answer = message
        case.rating_due_at = now + timezone.timedelta(days=settings.CASE_RATING_WINDOW_DAYS)
        _save(case, now)
        log_action(
            actor=actor,
            actor_role="office" if actor else "system",
            action="case.fed_back",
            subject_type="case",
            subject_id=case.pk,
            public=True,
            message=message,
            data={"status": case.status, "suggestion_id": suggestion_id},
        )
        notify(case, "case.fed_back")
        moved += 1
    return moved


# --- 反馈 → 民享: feedback, rating, close ----------------------------------------------------------


@transaction.atomic
def case_feedback(*, actor, case_id: int, message: str) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.FEEDBACK)
    message = _text(message, "message", required=True, label=_("反馈内容"))
    now = timezone.now()
    case.status = Status.FED_BACK
    case.fed_back_at = now
    case.public_answer = message
    case.rating_due_at = now + timezone.timedelta(days=settings.CASE_RATING_WINDOW_DAYS)
    _save(case, now)
    _log(actor, case, "fed_back", public=True, message=message)
    notify(case, "case.fed_back")
    return case


@transaction.atomic
def case_rate(*, tracking_code: str, token: str, rating: Any, comment: Any = "") -> Case:
    """The citizen rates with the follow-up token; 不满意 reopens the case for re-handling."""

    case = Case.objects.select_for_update().filter(tracking_code=str(tracking_code)).first()
    if case is None or not token_matches(case.tracking_code, token, case.follow_up_generation):
        raise NotFound(_("查询码或凭证不正确。"))
    if rating not in Rating.values:
        raise InvalidInput(_("请选择满意、基本满意或不满意。"), fields={"rating": [_("评价无效。")]})
    comment = _text(comment, "comment", required=rating == Rating.UNSATISFIED, label=_("评价意见"), maximum=1000)
    if case.merged_into_id:
        return _rate_merged(case, rating, comment)
    if case.status != Status.FED_BACK:
        raise NotAllowed(_("该民意件当前不能评价。"), code="not_ratable")
    if rating == Rating.UNSATISFIED:
        case.status = Status.REOPENED
        case.reopen_count += 1
    else:
        case.status = Status.RATED
    _record_rating(case, rating, comment)
    if case.status == Status.REOPENED:
        log_action(
            actor=None,
            actor_role="system",
            action="case.reopened",
            subject_type="case",
            subject_id=case.pk,
            public=True,
            message="因群众不满意，已启动重办。",
            data={"status": case.status},
        )
        notify(case, "case.reopened", audiences=("station", "deputy"))
    return case


def _record_rating(case: Case, rating: str, comment: str) -> None:
    """Store the citizen's rating on `case` (its status already set) with its public audit entry."""
    now = timezone.now()
    case.rating = rating
    case.rating_comment = comment
    case.rated_at = now
    _save(case, now)
    log_action(
        actor=None,
        actor_role="citizen",
        action="case.rated",
        subject_type="case",
        subject_id=case.pk,
        public=True,
        message=comment,
        data=texts.words_only(rating=rating, status=case.status),
    )


def merged_handling(case: Case) -> Case | None:
    """The case that handles a merged case's matter (None for a case that was not merged)."""
    if not case.merged_into_id:
        return None
    return Case.objects.filter(pk=case.merged_into_id).first()


def merged_ratable(case: Case, handling: Case | None) -> bool:
    """A merged case's citizen rates the one handling once it was fed back, within its rating window, once."""
    return bool(
        handling is not None
        and case.rated_at is None
        and handling.fed_back_at is not None
        and handling.rating_due_at is not None
        and timezone.now() <= handling.rating_due_at
        and handling.status in (Status.FED_BACK, Status.RATED, Status.CLOSED)
    )


def _rate_merged(case: Case, rating: str, comment: str) -> Case:
    """The citizen of a case merged into another rates that case's handling with his own follow-up link: the
    rating is his case's (it counts as his), the handling case keeps its own state and its citizen's rating; an
    unsatisfied rating is put before the station and the deputy of the handling case."""
    handling = merged_handling(case)
    if not merged_ratable(case, handling):
        raise NotAllowed(_("合并办理的问题还没有办理结果，或已评价、已过评价期限。"), code="not_ratable")
    _record_rating(case, rating, comment)
    log_action(
        actor=None,
        actor_role="citizen",
        action="case.merged_rated",
        subject_type="case",
        subject_id=handling.pk,
        public=False,
        message=comment,
        data={"from": case.pk, "rating": rating},
    )
    if rating == Rating.UNSATISFIED:
        notify(handling, "case.merged_unsatisfied", audiences=("station", "deputy"), citizen=False)
    return case


@transaction.atomic
def case_close(*, actor, case_id: int, message: str = "") -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.CLOSE)
    message = _text(message, "message", required=False, label=_("说明"))
    now = timezone.now()
    case.status = Status.CLOSED
    case.closed_at = now
    _save(case, now)
    _log(actor, case, "closed", public=True, message=message, words_only=True)
    return case


@transaction.atomic
def case_close_unrated(*, case_id: int) -> Case | None:
    """Periodic: a fed-back case not rated in time closes as 'not rated' (never counted as satisfied)."""
    case = Case.objects.select_for_update().get(pk=case_id)
    now = timezone.now()
    if case.status != Status.FED_BACK or case.rating_due_at is None or case.rating_due_at > now:
        return None
    case.status = Status.CLOSED
    case.closed_at = now
    case.closed_unrated = True
    _save(case, now)
    log_action(
        actor=None,
        actor_role="system",
        action="case.closed_unrated",
        subject_type="case",
        subject_id=case.pk,
        public=True,
        message="评价期满未评价，自动办结。",
        data={"status": case.status},
    )
    return case


# --- Supervision: urge, notes, phone reveal ------------------------------------------------------


@transaction.atomic
def case_urge(*, actor, case_id: int, message: str) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.URGE)
    message = _text(message, "message", required=True, label=_("催办意见"))
    case.urge_count += 1
    _save(case)
    _log(actor, case, "urged", public=False, message=message, urge_count=case.urge_count)
    notify(case, "case.urged", audiences=("unit",))
    return case


@transaction.atomic
def case_add_note(*, actor, case_id: int, message: str) -> Case:
    case = _locked(actor, case_id)
    _require(actor, case, Action.NOTE)
    message = _text(message, "message", required=True, label=_("备注"))
    _log(actor, case, "noted", public=False, message=message)
    return case


REVEAL_ROLES = {"office", "station", "deputy"}
# The unit holds the case while it handles it: dispatched to it, claimed, or answered and awaiting feedback.
UNIT_HOLDING_STATES = frozenset({Status.DISPATCHED, Status.CLAIMED, Status.REPLIED})
REVEAL_REASON_MAX = 200


def unit_holds_case(actor, case: Case) -> bool:
    """Whether one of the actor's units currently holds the case (the unit's reveal and call-back)."""
    if "unit" not in user_roles(actor) or case.current_unit_id is None or case.status not in UNIT_HOLDING_STATES:
        return False
    return case.current_unit_id in set(scope_of(actor, "unit").unit_ids)


def may_reveal_contact(actor, case: Case) -> bool:
    if user_roles(actor) & REVEAL_ROLES:
        return True
    return settings.UNIT_CONTACT_REVEAL and unit_holds_case(actor, case)


def case_reveal_contact(*, actor, case_id: int, reason: Any = "") -> dict[str, str]:
    """The full name and phone, for roles that must call the citizen back: the office, stations and deputies, and
    (LIANXIN_UNIT_CONTACT_REVEAL) the unit currently holding the case, which must state why. Every reveal is
    audited with its reason, and so is a refused one (result "denied"; written before the refusal is raised, so
    not atomic: one read, one entry)."""
    case = case_for_actor(actor, case_id)
    staff = bool(user_roles(actor) & REVEAL_ROLES)
    allowed = may_reveal_contact(actor, case)
    reason = validation.text(
        reason, field="reason", label=_("查看原因"), required=allowed and not staff, max_length=REVEAL_REASON_MAX
    )
    data = {"phone": case.contact_phone_masked}
    if reason:
        data["reason"] = reason
    if not allowed:
        log_action(
            actor=actor,
            actor_role=_role_label(actor, case),
            action="case.contact_revealed",
            subject_type="case",
            subject_id=case.pk,
            data=data,
            result="denied",
        )
        raise RevealRefused(_("您无权查看完整联系方式。"))
    log_action(
        actor=actor,
        actor_role=_role_label(actor, case),
        action="case.contact_revealed",
        subject_type="case",
        subject_id=case.pk,
        public=False,
        message=reason,
        data=data,
    )
    return {"name": privacy.decrypt(case.contact_name_enc), "phone": privacy.decrypt(case.contact_phone_enc)}


@transaction.atomic
def case_call_back(*, actor, case_id: int, message: str) -> Case:
    """回访: the holding unit (or staff) records that it called the citizen and what came of it; internal."""
    case = _locked(actor, case_id)
    _require(actor, case, Action.CALL_BACK)
    message = _text(message, "message", required=True, label=_("回访情况"), maximum=2000)
    _log(actor, case, "called_back", public=False, message=message, words_only=True)
    return case


def case_texts(case: Case) -> dict[str, str]:
    """Every free text of a case that a screen or the API shows: the citizen's title, details and rating comment,
    the answers and reasons written back (a reply often repeats the citizen's number), the units' replies."""
    texts = {
        "title": case.title,
        "details": case.details,
        "public_answer": case.public_answer,
        "decline_reason": case.decline_reason,
        "rating_comment": case.rating_comment,
    }
    for number, (reply, return_reason) in enumerate(
        case.dispatches.order_by("id").values_list("reply", "return_reason")
    ):
        texts[f"dispatch_{number}_reply"] = reply
        texts[f"dispatch_{number}_return_reason"] = return_reason
    return texts


def case_reveal_text(*, actor, case_id: int) -> dict[str, str]:
    """The case's texts (case_texts) with the phone, ID card and bank card numbers and e-mail addresses in them,
    which every screen, export and API answer shows masked. Same roles as the contact reveal; audited as
    `case.text_revealed` with the kinds found; a refused reveal (other roles) is a 403 and audited too."""
    case = case_for_actor(actor, case_id)
    texts = case_texts(case)
    text_reveal(
        actor=actor,
        actor_role=_role_label(actor, case),
        action="case.text_revealed",
        subject_type="case",
        subject_id=case.pk,
        texts=texts.values(),
    )
    return texts


# --- One entry point for the API and the action forms --------------------------------------------


def case_transition(*, actor, case_id: int, action: Any, data: dict[str, Any], files=None) -> Case:
    """Run `action` with its fields from `data`; unknown actions and fields of the wrong type are 422."""
    handlers = {
        Action.ACKNOWLEDGE: lambda: case_acknowledge(actor=actor, case_id=case_id, message=data.get("message")),
        Action.RESOLVE_ON_SPOT: lambda: case_resolve_on_spot(actor=actor, case_id=case_id, message=data.get("message")),
        Action.DISPATCH: lambda: case_dispatch(
            actor=actor,
            case_id=case_id,
            unit_id=data.get("unit_id"),
            request_type=data.get("request_type"),
            message=data.get("message", ""),
            instruction_public=data.get("instruction_public", False),
        ),
        Action.CLAIM: lambda: case_claim(actor=actor, case_id=case_id),
        Action.RETURN: lambda: case_return(actor=actor, case_id=case_id, reason=data.get("reason")),
        Action.REPLY: lambda: case_reply(actor=actor, case_id=case_id, message=data.get("message"), attachments=files),
        Action.REQUEST_EXTENSION: lambda: case_request_extension(
            actor=actor, case_id=case_id, workdays=data.get("workdays"), reason=data.get("reason")
        ),
        Action.APPROVE_EXTENSION: lambda: case_decide_extension(
            actor=actor, case_id=case_id, approve=True, message=data.get("message", "")
        ),
        Action.REJECT_EXTENSION: lambda: case_decide_extension(
            actor=actor, case_id=case_id, approve=False, message=data.get("message")
        ),
        Action.ESCALATE: lambda: case_escalate(actor=actor, case_id=case_id, message=data.get("message")),
        Action.DECLINE: lambda: case_decline(actor=actor, case_id=case_id, reason=data.get("reason")),
        Action.CONVERT: lambda: _convert_through_hook(actor=actor, case_id=case_id, message=data.get("message", "")),
        Action.FEEDBACK: lambda: case_feedback(actor=actor, case_id=case_id, message=data.get("message")),
        Action.CLOSE: lambda: case_close(actor=actor, case_id=case_id, message=data.get("message", "")),
        Action.URGE: lambda: case_urge(actor=actor, case_id=case_id, message=data.get("message")),
        Action.NOTE: lambda: case_add_note(actor=actor, case_id=case_id, message=data.get("message")),
        Action.CALL_BACK: lambda: case_call_back(actor=actor, case_id=case_id, message=data.get("message")),
    }
    if action not in Action.values:
        case_for_actor(actor, case_id)  # an unknown action on a foreign case is still a 404
        raise InvalidInput(
            _("未知的操作。"),
            code="unknown_action",
            fields={"action": [_("可选：%(items)s") % {"items": ", ".join(Action.values)}]},
        )
    return handlers[Action(action)]()
