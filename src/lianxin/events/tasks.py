"""Thin tasks: ids in, re-fetch, deliver. Run inline in tests (django-q2 sync mode)."""

from __future__ import annotations

from django.utils import timezone

from lianxin import privacy
from lianxin.events.models import SignUp
from lianxin.notifications.caps import SUPPRESSED, SmsSuppressed
from lianxin.notifications.channels import CHANNELS
from lianxin.notifications.models import Notification

MAX_ATTEMPTS = 5


def deliver_signup_notice(notification_id: int, signup_id: int) -> bool:
    """Send one sign-up message to the phone the citizen left; True when sent."""
    notification = Notification.objects.filter(pk=notification_id, state=Notification.State.PENDING).first()
    signup = SignUp.objects.filter(pk=signup_id).only("phone_enc").first()
    if notification is None or signup is None:
        return False
    notification.attempts += 1
    try:
        CHANNELS[notification.channel].send(notification, privacy.decrypt(signup.phone_enc))
    except SmsSuppressed as exc:  # over the SMS cap: recorded, not sent, not retried
        notification.last_error = str(exc)[:500]
        notification.state = SUPPRESSED
        sent = False
    except Exception as exc:  # a failed channel is recorded, like notifications.tasks
        notification.last_error = str(exc)[:500]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.state = Notification.State.FAILED
        sent = False
    else:
        notification.state = Notification.State.SENT
        notification.sent_at = timezone.now()
        sent = True
    notification.save(update_fields=["attempts", "last_error", "state", "sent_at"])
    return sent
