"""Thin tasks: ids in, re-fetch, deliver. The same code runs inline in tests (django-q2 sync mode)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lianxin import privacy
from lianxin.cases.models import Case
from lianxin.notifications.caps import SUPPRESSED, SmsSuppressed
from lianxin.notifications.channels import CHANNELS
from lianxin.notifications.models import Notification
from lianxin.notifications.services import audience_users, write_notifications

MAX_ATTEMPTS = 5


def _address(notification: Notification) -> str:
    if notification.address_enc:
        return privacy.decrypt(notification.address_enc)
    if notification.recipient_kind == "citizen":
        return privacy.decrypt(notification.case.contact_phone_enc) if notification.case_id else ""
    user = notification.recipient_user
    return (user.email or user.username) if user else ""


def deliver_notifications(ids: list[int]) -> int:
    sent = 0
    for notification in Notification.objects.filter(pk__in=ids, state=Notification.State.PENDING).select_related(
        "case", "recipient_user"
    ):
        notification.attempts += 1
        try:
            CHANNELS[notification.channel].send(notification, _address(notification))
        except SmsSuppressed as exc:  # over the SMS cap: recorded, not sent, not retried
            notification.last_error = str(exc)[:500]
            notification.state = SUPPRESSED
        except Exception as exc:
            notification.last_error = str(exc)[:500]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.state = Notification.State.FAILED
        else:
            notification.state = Notification.State.SENT
            notification.sent_at = timezone.now()
            sent += 1
        notification.save(update_fields=["attempts", "last_error", "state", "sent_at"])
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


def deliver_case_event(case_id: int, event: str, audiences: list[str], ids: list[int]) -> int:
    """The one task of a case event: write the rows of the staff, deputy or unit accounts behind the
    audiences (resolved here, off the request), then deliver them with the rows the change wrote (ids)."""
    ids = list(ids)
    if audiences:
        ids += _fan_out(case_id, event, audiences)
    return deliver_notifications(ids) if ids else 0


def deliver_case_events(events: list[list]) -> int:
    """The one task of one or several case events (several: intakes committed together), each delivered as
    deliver_case_event does."""
    return sum(deliver_case_event(case_id, event, audiences, ids) for case_id, event, audiences, ids in events)


def fan_out_case_event(case_id: int, event: str, audiences: list[str]) -> int:
    """Kept for tasks queued before deliver_case_event existed: fan out and deliver those rows."""
    ids = _fan_out(case_id, event, audiences)
    return deliver_notifications(ids) if ids else 0


def _fan_out(case_id: int, event: str, audiences: list[str]) -> list[int]:

    case = Case.objects.select_related("deputy__user").filter(pk=case_id).first()
    if case is None:
        return []
    users = audience_users(case, audiences)
    # The citizen's row was written with the change itself; only the actors' rows are written here.
    return [row.pk for row in write_notifications(case, event, users=users, citizen=False) if row.pk]
