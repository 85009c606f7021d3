"""SMS to one number is capped per hour and per day, whatever sends it (case notices, sign-up notices,
voter-report codes): an SMS bomb through any public form stops at the cap.

Counted in the shared cache (every worker and node together). A message over the cap is not sent: the
channel raises SmsSuppressed and the delivery records the row as suppressed with the cap that withheld it
(Notification.State.SUPPRESSED, Notification.reason), never silently dropped.
"""

from __future__ import annotations

import time

from django.conf import settings

from lianxin import privacy
from lianxin.notifications.models import Notification
from lianxin.throttle import limits

SUPPRESSED = Notification.State.SUPPRESSED
HOUR, DAY = 3600, 86400


class SmsSuppressed(Exception):
    """The number has had its SMS for this hour or day; `reason` is a Notification.Reason."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason


def sms_claim(address: str) -> None:
    """Count one SMS to this number; raise SmsSuppressed past settings.SMS_PER_PHONE_HOUR or _DAY."""
    phone = privacy.normalise_phone(address or "")
    if not privacy.is_valid_phone(phone):
        return
    now = time.time()
    digest = privacy.keyed_hash(phone, "sms-cap")
    caps = [(n, window) for n, window in ((settings.SMS_PER_PHONE_HOUR, HOUR), (settings.SMS_PER_PHONE_DAY, DAY)) if n]
    keys = {f"sms:{window}:{int(now // window)}:{digest}": (n, window) for n, window in caps}
    counts = limits.hit({key: window for key, (_n, window) in keys.items()})
    for key, (n, window) in keys.items():
        if counts[key] > n:
            per = "hour" if window == HOUR else "day"
            reason = Notification.Reason.SMS_HOUR_CAP if window == HOUR else Notification.Reason.SMS_DAY_CAP
            raise SmsSuppressed(f"SMS cap reached for this number ({n} per {per})", reason=reason)
