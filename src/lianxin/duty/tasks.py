"""Periodic jobs of the duty area (django-q schedules in migration 0002_schedules). Thin: ids in, re-read,
call the domain; each is safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from lianxin.duty import conf
from lianxin.duty.attendance import shift_mark_absent
from lianxin.duty.enums import ShiftState
from lianxin.duty.models import DutyShift
from lianxin.notifications.models import Notification


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
            user = shift.deputy.user
            start = timezone.localtime(shift.starts_at)
            end = timezone.localtime(shift.ends_at)
            body = (
                f"【连心】{shift.deputy.name}代表您好：您 {start:%m月%d日} {start:%H:%M}–{end:%H:%M} "
                f"在{shift.station.name}值班接待（{shift.station.address or '地址见联络站页面'}）。"
                "到站后请扫描站内签到码签到。"
            )
            row = Notification.objects.create(
                channel="email" if user.email else "console",
                recipient_kind="user",
                recipient_user=user,
                event="duty.reminder",
                subject=f"[连心] 值班提醒 {start:%m-%d} {shift.station.name}",
                body=body,
            )
            transaction.on_commit(lambda pk=row.pk: _deliver([pk]))
            count += 1
    return count


def _deliver(ids: list[int]) -> None:

    async_task("lianxin.notifications.tasks.deliver_notifications", ids)
