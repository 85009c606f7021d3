"""Helpers shared by the suggestion services: locking, permission checks, input parsing, the audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import validation
from lianxin.accounts.selectors import user_deputy, user_roles
from lianxin.audit.services import log_action
from lianxin.errors import NotAllowed
from lianxin.notifications.services import enqueue_many, message, to_user
from lianxin.suggestions import conf, deadlines
from lianxin.suggestions.enums import Action
from lianxin.suggestions.models import Suggestion
from lianxin.suggestions.rules import allowed_actions, suggestion_for_actor

SUBJECT = "suggestion"


def locked(actor, suggestion_id) -> Suggestion:
    """Re-read the suggestion inside the transaction, visible to the actor (404 otherwise), locked where possible."""
    visible = suggestion_for_actor(actor, suggestion_id)
    return Suggestion.objects.select_for_update(of=("self",)).select_related("lead_deputy").get(pk=visible.pk)


def require(actor, suggestion: Suggestion, action: str) -> None:
    if action not in allowed_actions(actor, suggestion):
        raise NotAllowed(
            _("当前状态（%(state)s）下您不能执行“%(label)s”。")
            % {"state": suggestion.get_state_display(), "label": Action(action).label},
            code="action_not_allowed",
        )


def text(
    value: Any, field: str, *, label: str, required: bool, maximum: int | None = None, multiline: bool = True
) -> str:
    return validation.text(
        value,
        field=field,
        label=label,
        required=required,
        max_length=maximum or conf.text_max(),
        multiline=multiline,
    )


def integer(value: Any, field: str, *, label: str, minimum: int = 1, maximum: int = validation.ID_MAX) -> int:
    """An id or a count picked from a list: any problem is "please choose a valid …"."""
    number = validation.integer(
        value, field=field, label=label, minimum=minimum, maximum=maximum, errors=validation.Errors()
    )
    if number is None:
        validation.fail(field, _("请选择有效的%(label)s。") % {"label": label})
    return number


def id_list(value: Any, field: str, *, label: str) -> list[int]:
    """A list of ids from a JSON list, a QueryDict list or a comma-separated string; duplicates removed."""
    return validation.id_list(value, field=field, label=label)


def boolean(value: Any, field: str, *, label: str) -> bool:
    return validation.boolean(value, field=field, label=label)


def date(value: Any, field: str, *, label: str) -> dt.date:
    return validation.date(value, field=field, label=label, not_after=deadlines.today())


def role_label(actor) -> str:
    roles = user_roles(actor)
    for role in ("office", "unit", "leader", "deputy"):
        if role in roles:
            return role
    return ""


def log(actor, suggestion: Suggestion, event: str, *, message: str = "", public: bool = False, role="", **data):
    """The audit entry of one change; it is also the suggestion's timeline."""
    return log_action(
        actor=actor,
        actor_role=role or role_label(actor),
        action=f"suggestion.{event}",
        subject_type=SUBJECT,
        subject_id=suggestion.pk,
        public=public,
        message=message,
        data={"state": suggestion.state, **data},
    )


def save(suggestion: Suggestion, now=None) -> None:
    deadlines.set_phase(suggestion, now)
    suggestion.save()


def notify_users(users, *, suggestion: Suggestion, event: str, body: str) -> None:
    """Tell each active user (e-mail or console) through the outbox: one INSERT, delivered on commit."""
    rows = [
        message(
            to_user(user),
            subject_type=SUBJECT,
            subject_id=suggestion.pk,
            event=event,
            subject=f"[连心] 代表建议 {suggestion.number or suggestion.pk}",
            body=f"《{suggestion.title[:40]}》：{body}",
        )
        for user in users
        if user is not None and getattr(user, "is_active", False)
    ]
    if rows:
        enqueue_many(rows)


def deputy_user(suggestion: Suggestion):
    deputy = suggestion.lead_deputy
    return deputy.user if deputy is not None and deputy.user_id else None


def actor_deputy(actor):
    return user_deputy(actor)


def now() -> dt.datetime:
    return timezone.now()
