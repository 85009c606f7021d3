"""The outcome: the deputy's rating, re-examination (复核) and second assignment (二次交办), closing — which
moves the linked cases on so their citizens can rate — and supervision (重点督办, 催办, 专题询问, 现场督办)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases.enums import Rating
from lianxin.errors import InvalidInput, NotAllowed
from lianxin.suggestions import conf
from lianxin.suggestions.common import boolean, date, locked, log, notify_users, now, require, save, text
from lianxin.suggestions.enums import SUPERVISION_KINDS, Action, AssignmentState, RecordKind, State
from lianxin.suggestions.lifecycle import finish, start_round, unit_users
from lianxin.suggestions.models import Record, Suggestion
from lianxin.workdays.services import add_working_days


@transaction.atomic
def suggestion_rate(*, actor, suggestion_id, rating: Any, comment: Any = "") -> Suggestion:
    """The lead deputy rates within the limit; 不满意 goes to the office for re-examination (复核)."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.RATE)
    if rating not in Rating.values:
        raise InvalidInput(_("请选择满意、基本满意或不满意。"), fields={"rating": [_("评价无效。")]})
    comment = text(comment, "comment", label=_("评价意见"), required=rating == Rating.UNSATISFIED, maximum=2000)
    moment = now()
    if suggestion.rating_due_at and moment > suggestion.rating_due_at:
        raise NotAllowed(
            _("评价期限（%(rating_due_at)s）已过。") % {"rating_due_at": f"{suggestion.rating_due_at:%Y-%m-%d}"},
            code="rating_too_late",
        )
    suggestion.rating = rating
    suggestion.rating_comment = comment
    suggestion.rated_at = moment
    if not suggestion.first_rating:
        suggestion.first_rating = rating
    label = Rating(rating).label
    log(
        actor,
        suggestion,
        "rated",
        public=True,
        message=comment,
        rating=rating,
        words_only=True,
        round=suggestion.round,
    )
    category = conf.answer_category(suggestion.answer_category)
    if rating == Rating.UNSATISFIED:
        suggestion.state = State.RECHECKING
        suggestion.recheck_due_at = add_working_days(moment, conf.recheck_workdays())
        save(suggestion, moment)
        log(
            actor,
            suggestion,
            "recheck_started",
            recheck_due_at=suggestion.recheck_due_at.isoformat(),
            words_only=True,
        )
    elif category is not None and category.stays_open and not suggestion.solved:
        suggestion.state = State.FOLLOWING
        save(suggestion, moment)
        log(actor, suggestion, "following", category=category.code, words_only=True)
    else:
        finish(actor, suggestion, f"代表评价{label}，办结。")
    return suggestion


@transaction.atomic
def suggestion_second_assign(*, actor, suggestion_id, data: dict[str, Any]) -> Suggestion:
    """复核 → 二次交办 with its own (shorter) deadline; the previous round's parts are closed."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.SECOND_ASSIGN)
    note = text(data.get("message"), "message", label=_("复核意见"), required=True)
    suggestion.assignments.filter(round=suggestion.round).exclude(state=AssignmentState.RETURNED).update(
        state=AssignmentState.CLOSED
    )
    suggestion.rating = ""
    suggestion.rated_at = None
    suggestion.rating_due_at = None
    start_round(
        actor, suggestion, data, months=conf.second_round_months(), event="second_assigned", note=f"复核意见：{note}"
    )
    return suggestion


@transaction.atomic
def suggestion_close(*, actor, suggestion_id, message: Any) -> Suggestion:
    """The office closes after re-examination (maintaining the answer) or a followed item; a reason is required."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.CLOSE)
    message = text(message, "message", label=_("办结说明"), required=True)
    finish(actor, suggestion, message)
    return suggestion


@transaction.atomic
def suggestion_close_unrated(*, suggestion_id: int) -> Suggestion | None:
    """Periodic: an answer not rated in time closes as 'not rated' (or stays followed when B/C)."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion_id)
    moment = now()
    if suggestion.state != State.ANSWERED or not suggestion.rating_due_at or suggestion.rating_due_at >= moment:
        return None
    category = conf.answer_category(suggestion.answer_category)
    if category is not None and category.stays_open and not suggestion.solved:
        suggestion.state = State.FOLLOWING
        save(suggestion, moment)
        log(None, suggestion, "following", role="system", unrated=True, words_only=True)
        return suggestion
    finish(None, suggestion, "评价期满未评价，自动办结（不计入满意）。", unrated=True)
    return suggestion


@transaction.atomic
def suggestion_set_publication(*, actor, suggestion_id, public: Any) -> Suggestion:
    """The deputy objects to (or allows) publishing the suggestion and its answer on the public board."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.SET_PUBLICATION)
    suggestion.publish_consent = boolean(public, "public", label=_("是否公开"))
    save(suggestion)
    log(
        actor,
        suggestion,
        "publication_set",
        public_consent=suggestion.publish_consent,
        words_only=True,
    )
    return suggestion


@transaction.atomic
def suggestion_record_supervision(*, actor, suggestion_id, kind: Any, happened_on: Any, note: Any) -> Suggestion:
    """专题询问 or 现场督办 of a key suggestion, by the office or the leader in charge."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.RECORD_SUPERVISION)
    if kind not in SUPERVISION_KINDS:
        raise InvalidInput(_("请选择督办方式。"), fields={"kind": [_("请选择专题询问或现场督办。")]})
    day = date(happened_on, "happened_on", label=_("督办日期"))
    note = text(note, "note", label=_("督办情况"), required=True)
    Record.objects.create(suggestion=suggestion, kind=kind, happened_on=day, note=note, created_by=actor)
    log(
        actor,
        suggestion,
        "supervision_recorded",
        message=f"{RecordKind(kind).label}（{day:%Y-%m-%d}）：{note}",
        kind=kind,
    )
    return suggestion


@transaction.atomic
def suggestion_urge(*, actor, suggestion_id, message: Any) -> Suggestion:
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.URGE)
    message = text(message, "message", label=_("催办意见"), required=True)
    suggestion.urge_count += 1
    save(suggestion)
    log(actor, suggestion, "urged", message=message, urge_count=suggestion.urge_count)
    units = (
        suggestion.assignments.filter(round=suggestion.round)
        .exclude(state__in=[AssignmentState.RETURNED, AssignmentState.CLOSED])
        .values_list("unit_id", flat=True)
    )
    notify_users(unit_users(list(units)), suggestion=suggestion, event="suggestion.urged", body=f"催办：{message[:60]}")
    return suggestion
