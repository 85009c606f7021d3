"""What the duty area tells whom: the deputy's reminder of a shift, through the outbox."""

from __future__ import annotations

from django.utils import timezone

from lianxin.notifications.services import enqueue, to_user

SUBJECT = "duty_shift"


def remind_deputy(shift) -> None:
    """Remind the shift's deputy (who has an account) of when and where; delivered once committed."""
    start = timezone.localtime(shift.starts_at)
    end = timezone.localtime(shift.ends_at)
    body = (
        f"【连心】{shift.deputy.name}代表您好：您 {start:%m月%d日} {start:%H:%M}–{end:%H:%M} "
        f"在{shift.station.name}值班接待（{shift.station.address or '地址见联络站页面'}）。"
        "到站后请扫描站内签到码签到。"
    )
    enqueue(
        to_user(shift.deputy.user),
        subject_type=SUBJECT,
        subject_id=shift.pk,
        event="duty.reminder",
        subject=f"[连心] 值班提醒 {start:%m-%d} {shift.station.name}",
        body=body,
    )
