"""Helpers shared by the suggestion services: locking, permission checks, input parsing, the audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.selectors import user_deputy, user_roles
from lianxin.audit.services import log_action
from lianxin.errors import InvalidInput, NotAllowed
from lianxin.notifications.models import Notification
from lianxin.notifications.services import queue_task
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


def text(value: Any, field: str, *, label: str, required: bool, maximum: int | None = None) -> str:
    maximum = maximum or conf.text_max()
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(
            _("%(label)s格式不正确。") % {"label": label}, fields={field: [_("%(label)s须为文字。") % {"label": label}]}
        )
    value = value.strip()
    if required and not value:
        raise InvalidInput(
            _("请填写%(label)s。") % {"label": label}, fields={field: [_("请填写%(label)s。") % {"label": label}]}
        )
    if len(value) > maximum:
        raise InvalidInput(
            _("%(label)s不能超过 %(maximum)s 个字。") % {"label": label, "maximum": maximum},
            fields={field: [_("不能超过 %(maximum)s 个字。") % {"maximum": maximum}]},
        )
    return value


def integer(value: Any, field: str, *, label: str, minimum: int = 1, maximum: int = 2**63 - 1) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(
            _("请选择有效的%(label)s。") % {"label": label}, fields={field: [_("%(label)s无效。") % {"label": label}]}
        ) from None
    if not minimum <= number <= maximum:
        raise InvalidInput(
            _("请选择有效的%(label)s。") % {"label": label}, fields={field: [_("%(label)s无效。") % {"label": label}]}
        )
    return number


def id_list(value: Any, field: str, *, label: str) -> list[int]:
    """A list of ids from a JSON list, a QueryDict list or a comma-separated string; duplicates removed."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [part for part in value.replace("，", ",").split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        raise InvalidInput(
            _("%(label)s格式不正确。") % {"label": label},
            fields={field: [_("%(label)s格式不正确。") % {"label": label}]},
        )
    if len(value) > 200:
        raise InvalidInput(
            _("%(label)s太多。") % {"label": label}, fields={field: [_("%(label)s太多。") % {"label": label}]}
        )
    ids = []
    for item in value:
        number = integer(item, field, label=label)
        if number not in ids:
            ids.append(number)
    return ids


def boolean(value: Any, field: str, *, label: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "1", "on", "yes"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"false", "0", "off", "no"}:
        return False
    raise InvalidInput(
        _("%(label)s格式不正确。") % {"label": label}, fields={field: [_("%(label)s须为是或否。") % {"label": label}]}
    )


def date(value: Any, field: str, *, label: str) -> dt.date:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except (TypeError, ValueError):
            message = _("%(label)s须为日期，如 2026-05-20。") % {"label": label}
            raise InvalidInput(_("请填写有效的%(label)s。") % {"label": label}, fields={field: [message]}) from None
    if day > deadlines.today():
        raise InvalidInput(
            _("%(label)s不能晚于今天。") % {"label": label},
            fields={field: [_("%(label)s不能晚于今天。") % {"label": label}]},
        )
    return day


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
    """Queue an outbox row per user (console or e-mail); delivery runs on commit like the case notifications."""
    rows = [
        Notification(
            channel="email" if getattr(user, "email", "") else "console",
            recipient_kind="user",
            recipient_user=user,
            event=event,
            subject=f"[连心] 代表建议 {suggestion.number or suggestion.pk}",
            body=f"《{suggestion.title[:40]}》：{body}",
        )
        for user in users
        if user is not None and getattr(user, "is_active", False)
    ]
    if not rows:
        return
    ids = [row.pk for row in Notification.objects.bulk_create(rows) if row.pk]
    if ids:
        queue_task("lianxin.notifications.tasks.deliver_notifications", ids)


def deputy_user(suggestion: Suggestion):
    deputy = suggestion.lead_deputy
    return deputy.user if deputy is not None and deputy.user_id else None


def actor_deputy(actor):
    return user_deputy(actor)


def now() -> dt.datetime:
    return timezone.now()
