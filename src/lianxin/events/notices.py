"""Messages to citizens who signed up (moved up from the waitlist, event cancelled).

The outbox row (notifications.Notification) is written in the same transaction as the change; the phone
is not copied into it: the delivery task reads it from the encrypted sign-up and sends on commit.
"""

from __future__ import annotations

from django.db import transaction
from django_q.tasks import async_task

from lianxin.notifications.models import Notification
from lianxin.notifications.services import citizen_channel


def queue_signup_notice(signup, event_name: str, body: str) -> Notification:
    row = Notification.objects.create(
        channel=citizen_channel(),
        recipient_kind="citizen",
        address_enc=signup.phone_enc,  # lets the shared retry sweep reach the citizen if this send fails
        event=event_name,
        subject=f"{event_name} {signup.code}",
        body=body,
    )
    pair = [row.pk, signup.pk]
    transaction.on_commit(lambda: _enqueue(pair))
    return row


def _enqueue(pair: list[int]) -> None:

    async_task("lianxin.events.tasks.deliver_signup_notice", pair[0], pair[1])
