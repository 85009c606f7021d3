"""Messages to citizens who signed up (moved up from the waitlist, event cancelled).

Written to the outbox (notifications.services.enqueue) in the same transaction as the change, addressed
to the phone the citizen left (copied encrypted from the sign-up), delivered once the change is committed.
"""

from __future__ import annotations

from lianxin.notifications.services import enqueue, to_citizen

SUBJECT = "signup"


def queue_signup_notice(signup, event_name: str, body: str):
    return enqueue(
        to_citizen(signup.phone_enc),
        subject_type=SUBJECT,
        subject_id=signup.pk,
        event=event_name,
        subject=f"{event_name} {signup.code}",
        body=body,
    )
