"""Periodic jobs of the duty area (django-q schedules in migration 0002_schedules). Thin: ids in, re-read,
call the domain; each is safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lianxin.duty import conf
from lianxin.duty.attendance import shift_mark_absent
from lianxin.duty.enums import ShiftState
from lianxin.duty.models import DutyShift
from lianxin.duty.notices import remind_deputy


def mark_no_shows(now: dt.datetime | None = None) -> int:
    """Shifts past their end without a check-in become absences."""
    now = now or timezone.now()
    ids = list(DutyShift.objects.filter(state=ShiftState.PLANNED, ends_at__lt=now).values_list("pk", flat=True))
    return sum(1 for pk in ids if shift_mark_absent(shift_id=pk, now=now) is not None)


def remind_shifts(now: dt.datetime | None = None) -> int:
    """Remind each deputy with an account, once, of the shifts `DUTY_REMINDER_DAYS` days ahead (the day before)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    until = today + dt.timedelta(days=conf.reminder_days())
    shifts = DutyShift.objects.filter(
        state=ShiftState.PLANNED,
        reminded_at__isnull=True,
        date__gt=today,
        date__lte=until,
        deputy__user__isnull=False,
        deputy__user__is_active=True,
    ).select_related("station", "deputy__user")
    count = 0
    for shift in shifts:
        with transaction.atomic():
            if not DutyShift.objects.filter(pk=shift.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            remind_deputy(shift)
            count += 1
    return count
