"""Thin tasks: ids in, re-fetch, deliver. The same code runs inline in tests (django-q2 sync mode)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lianxin import privacy
from lianxin.notifications.channels import CHANNELS
from lianxin.notifications.models import Notification

MAX_ATTEMPTS = 5


def _address(notification: Notification) -> str:
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
        except Exception as exc:  # noqa: BLE001 - a failed channel is recorded and retried
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


def fan_out_case_event(case_id: int, event: str, audiences: list[str]) -> int:
    """Notify the staff, deputy or unit accounts behind a case event (resolved here, off the request)."""
    from lianxin.cases.models import Case
    from lianxin.notifications.services import audience_users, notify_case_event

    case = Case.objects.select_related("deputy__user").filter(pk=case_id).first()
    if case is None:
        return 0
    users = audience_users(case, audiences)
    # The citizen's message was queued by the service itself; only the actors' rows are written here.
    return len(notify_case_event(case, event, users=users, citizen=False))
