"""Thin tasks: ids in, re-fetch, deliver. The same code runs inline in tests (django-q2 sync mode)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.module_loading import import_string

from lianxin import privacy
from lianxin.notifications.caps import SmsSuppressed
from lianxin.notifications.channels import CHANNELS
from lianxin.notifications.models import Notification
from lianxin.rows import insert_rows

MAX_ATTEMPTS = 5


def _address(notification: Notification) -> str:
    if notification.address_enc:
        return privacy.decrypt(notification.address_enc)
    user = notification.recipient_user
    return (user.email or user.username) if user else ""


def deliver_notifications(ids: list[int]) -> int:
    sent = 0
    for notification in Notification.objects.filter(pk__in=ids, state=Notification.State.PENDING).select_related(
        "recipient_user"
    ):
        notification.attempts += 1
        try:
            CHANNELS[notification.channel].send(notification, _address(notification))
        except SmsSuppressed as exc:  # over the SMS cap: recorded, not sent, not retried
            notification.last_error = str(exc)[:500]
            notification.reason = exc.reason
            notification.state = Notification.State.SUPPRESSED
        except Exception as exc:
            notification.last_error = str(exc)[:500]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.state = Notification.State.FAILED
        else:
            notification.state = Notification.State.SENT
            notification.sent_at = timezone.now()
            sent += 1
        if notification.state != Notification.State.PENDING:
            notification.address_enc = ""  # a citizen's address is kept only while it may still be needed
        notification.save(update_fields=["attempts", "last_error", "reason", "state", "sent_at", "address_enc"])
    return sent


def retry_pending_notifications() -> int:
    """Periodic sweep: anything still pending after a minute (a lost task, a failed channel) is tried again."""
    cutoff = timezone.now() - dt.timedelta(minutes=1)
    ids = list(
        Notification.objects.filter(state=Notification.State.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:500]
    )
    return deliver_notifications(ids) if ids else 0


def deliver(ids: list[int], steps: list[list] = ()) -> int:
    """The one task of an `enqueue`: run the fan-out steps (each an @fan_out function of the app that
    enqueued, returning unsaved messages), write their messages in one INSERT, deliver everything."""
    ids = list(ids)
    added = []
    for name, *args in steps:
        func = import_string(name) if name.startswith("lianxin.") else None
        if not getattr(func, "notification_fan_out", False):
            raise ValueError(f"{name} is not a fan-out step")
        added += func(*args)
    ids += [row.pk for row in insert_rows(added) if row.pk]
    return deliver_notifications(ids) if ids else 0


# Tasks queued before `deliver` existed (their rows and names are in queues being drained): each is the
# same as `deliver` with the case app's fan-out step, named as a task is, by its path.
CASE_FAN_OUT = "lianxin.cases.notices.audience_messages"


def deliver_case_event(case_id: int, event: str, audiences: list[str], ids: list[int]) -> int:
    return deliver(ids, [[CASE_FAN_OUT, case_id, event, audiences]] if audiences else [])


def deliver_case_events(events: list[list]) -> int:
    return sum(deliver_case_event(case_id, event, audiences, ids) for case_id, event, audiences, ids in events)


def fan_out_case_event(case_id: int, event: str, audiences: list[str]) -> int:
    return deliver_case_event(case_id, event, audiences, [])
