"""Erasing sign-ups' names and phones once EVENT_SIGNUP_RETENTION_DAYS have passed since the event ended (PIPL).
The sign-ups stay (status, times, attendance: every figure), without the person."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from lianxin.audit.retention import erase_personal_data
from lianxin.events.models import SignUp


def erase_expired_signups(now: dt.datetime | None = None) -> int:
    """The daily job; audited with the count on every run."""
    now = now or timezone.now()
    days = settings.EVENT_SIGNUP_RETENTION_DAYS
    cutoff = now - dt.timedelta(days=days)
    return erase_personal_data(
        rows=SignUp.objects.filter(event__ends_at__lt=cutoff).filter(
            Q(name_enc__gt="") | Q(phone_enc__gt="") | Q(phone_masked__gt="") | Q(name_masked__gt="")
        ),
        fields={
            "name_enc": "",
            "name_masked": "",
            "phone_enc": "",
            "phone_masked": "",
            # the keyed hash would still link the phone; a value unique per row keeps the one-per-phone constraint
            "phone_hash": Concat(Value("erased-"), F("pk")),
        },
        days=days,
        cutoff=cutoff,
        action="events.signups_erased",
        subject_type="event",
        message="活动结束满 {days} 天，删除报名人姓名和手机号 {count} 条。",
    )
