"""The suggestion process, one function per step (in drafting, review, handling and outcome), and the one entry
point the API and the action forms use. Every function checks the actor may take the step on this suggestion
now (rules.allowed_actions), changes it in one transaction and writes the audit entry (its timeline)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lianxin.audit.reveal import text_reveal
from lianxin.errors import InvalidInput
from lianxin.suggestions import drafting, handling, outcome, review
from lianxin.suggestions.drafting import admissibility_problems, suggestion_create
from lianxin.suggestions.enums import Action
from lianxin.suggestions.models import Suggestion
from lianxin.suggestions.rules import suggestion_for_actor

__all__ = ["admissibility_problems", "suggestion_create", "suggestion_transition"]


def suggestion_transition(*, actor, suggestion_id, action: Any, data: dict[str, Any], document=None) -> Suggestion:
    """Run `action` with its fields from `data`; an unknown action is 422 (404 first when the suggestion is foreign)."""
    sid = suggestion_id
    get = data.get
    handlers = {
        Action.EDIT: lambda: drafting.suggestion_edit(actor=actor, suggestion_id=sid, data=data),
        Action.ADD_COSIGNER: lambda: drafting.suggestion_add_cosigner(
            actor=actor, suggestion_id=sid, deputy_id=get("deputy_id")
        ),
        Action.REMOVE_COSIGNER: lambda: drafting.suggestion_remove_cosigner(
            actor=actor, suggestion_id=sid, deputy_id=get("deputy_id")
        ),
        Action.CONFIRM_COSIGN: lambda: drafting.suggestion_cosign(actor=actor, suggestion_id=sid, confirm=True),
        Action.DECLINE_COSIGN: lambda: drafting.suggestion_cosign(actor=actor, suggestion_id=sid, confirm=False),
        Action.LINK_CASES: lambda: drafting.suggestion_link_cases(
            actor=actor, suggestion_id=sid, case_ids=get("case_ids")
        ),
        Action.SUBMIT: lambda: drafting.suggestion_submit(actor=actor, suggestion_id=sid),
        Action.WITHDRAW: lambda: drafting.suggestion_withdraw(actor=actor, suggestion_id=sid),
        Action.ADMIT_EARLY: lambda: drafting.suggestion_admit_early(
            actor=actor, suggestion_id=sid, reason=get("reason")
        ),
        Action.ACCEPT: lambda: review.suggestion_accept(
            actor=actor, suggestion_id=sid, message=get("message", ""), through=get("through", "")
        ),
        Action.RETURN_FOR_REVISION: lambda: review.suggestion_return_for_revision(
            actor=actor, suggestion_id=sid, message=get("message")
        ),
        Action.MERGE: lambda: review.suggestion_merge(
            actor=actor, suggestion_id=sid, target_id=get("target_id"), message=get("message", "")
        ),
        Action.NOT_ACCEPT: lambda: review.suggestion_not_accept(actor=actor, suggestion_id=sid, reason=get("reason")),
        Action.ASSIGN: lambda: review.suggestion_assign(actor=actor, suggestion_id=sid, data=data),
        Action.REASSIGN: lambda: review.suggestion_reassign(
            actor=actor, suggestion_id=sid, assignment_id=get("assignment_id"), unit_id=get("unit_id")
        ),
        Action.MARK_KEY: lambda: review.suggestion_mark_key(
            actor=actor, suggestion_id=sid, leader_id=get("leader_id"), message=get("message", "")
        ),
        Action.SIGN: lambda: handling.suggestion_sign(actor=actor, suggestion_id=sid),
        Action.RETURN_ASSIGNMENT: lambda: handling.suggestion_return_assignment(
            actor=actor, suggestion_id=sid, reason=get("reason")
        ),
        Action.SEND_OPINION: lambda: handling.suggestion_send_opinion(
            actor=actor, suggestion_id=sid, message=get("message")
        ),
        Action.RECORD_CONTACT: lambda: handling.suggestion_record_contact(
            actor=actor, suggestion_id=sid, kind=get("kind"), happened_on=get("happened_on"), note=get("note")
        ),
        Action.REQUEST_EXTENSION: lambda: handling.suggestion_request_extension(
            actor=actor, suggestion_id=sid, months=get("months"), reason=get("reason")
        ),
        Action.APPROVE_EXTENSION: lambda: handling.suggestion_decide_extension(
            actor=actor, suggestion_id=sid, approve=True, message=get("message", "")
        ),
        Action.REJECT_EXTENSION: lambda: handling.suggestion_decide_extension(
            actor=actor, suggestion_id=sid, approve=False, message=get("message")
        ),
        Action.ANSWER: lambda: handling.suggestion_answer(actor=actor, suggestion_id=sid, data=data, document=document),
        Action.FOLLOW_UP: lambda: handling.suggestion_follow_up(
            actor=actor, suggestion_id=sid, data=data, document=document
        ),
        Action.RATE: lambda: outcome.suggestion_rate(
            actor=actor, suggestion_id=sid, rating=get("rating"), comment=get("comment", "")
        ),
        Action.SECOND_ASSIGN: lambda: outcome.suggestion_second_assign(actor=actor, suggestion_id=sid, data=data),
        Action.CLOSE: lambda: outcome.suggestion_close(actor=actor, suggestion_id=sid, message=get("message")),
        Action.SET_PUBLICATION: lambda: outcome.suggestion_set_publication(
            actor=actor, suggestion_id=sid, public=get("public")
        ),
        Action.RECORD_SUPERVISION: lambda: outcome.suggestion_record_supervision(
            actor=actor, suggestion_id=sid, kind=get("kind"), happened_on=get("happened_on"), note=get("note")
        ),
        Action.URGE: lambda: outcome.suggestion_urge(actor=actor, suggestion_id=sid, message=get("message")),
    }
    if action not in Action.values:
        suggestion_for_actor(actor, suggestion_id)
        choices = ", ".join(Action.values)
        raise InvalidInput(
            _("未知的操作。"), code="unknown_action", fields={"action": [_("可选：%(choices)s") % {"choices": choices}]}
        )
    return handlers[Action(action)]()


def suggestion_text_fields(s: Suggestion) -> list[str]:
    """Every free text of a suggestion and of what is shown with it (the source cases' titles, the answers)."""
    texts = [
        s.title,
        s.situation,
        s.proposals,
        s.urgency,
        s.breadth,
        s.importance,
        s.not_accepted_reason,
        s.rating_comment,
    ]
    texts += list(s.answers.values_list("text", flat=True))
    texts += list(s.cases.values_list("title", flat=True))
    return texts


def suggestion_reveal_text(*, actor, suggestion_id: int) -> Suggestion:
    """A suggestion's texts with the phone and ID numbers in them (a draft made from a case carries the citizen's
    own words), which every screen and API answer masks: for the reveal roles who see the suggestion, audited as
    `suggestion.text_revealed`; units and leaders get a 403 (audited)."""
    s = suggestion_for_actor(actor, suggestion_id)
    text_reveal(
        actor=actor,
        action="suggestion.text_revealed",
        subject_type="suggestion",
        subject_id=s.pk,
        texts=suggestion_text_fields(s),
    )
    return s
