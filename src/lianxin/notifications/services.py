"""Notifications: an outbox row per recipient, written with the change; delivery runs as a task on commit."""

from __future__ import annotations

from django.db import transaction

from lianxin.notifications.models import Notification

# Events the citizen hears about (only public steps) and the text they get.
CITIZEN_MESSAGES = {
    "case.registered": "【连心】您反映的“{title}”已受理，查询码 {code}。",
    "case.acknowledged": "【连心】代表已回应您反映的“{title}”（{code}）。",
    "case.dispatched": "【连心】您反映的“{title}”已交办相关部门办理（{code}）。",
    "case.resolved": "【连心】您反映的“{title}”已就地解决（{code}）。",
    "case.declined": "【连心】您反映的“{title}”不予受理，原因见查询页（{code}）。",
    "case.fed_back": "【连心】您反映的“{title}”已有办理结果，请查看并评价（{code}）。",
    "case.escalated": "【连心】您反映的“{title}”已提交上一级办理（{code}）。",
    "case.converted": "【连心】您反映的“{title}”已转为代表建议（{code}）。",
}


def _citizen_channel() -> str:
    from django.conf import settings

    for channel in settings.NOTIFY_CHANNELS:
        if channel in ("sms", "console", "log", "webhook"):
            return channel
    return "console"


def notify_case_event(case, event: str, *, users=()) -> list[Notification]:
    """Queue notifications for `event` on `case`: the citizen (if they left a phone) and the given users."""
    rows: list[Notification] = []
    template = CITIZEN_MESSAGES.get(event)
    if template and case.contact_phone_enc:
        rows.append(
            Notification(
                channel=_citizen_channel(),
                recipient_kind="citizen",
                case=case,
                event=event,
                subject=event,
                body=template.format(title=case.title[:20], code=case.tracking_code),
            )
        )
    for user in users:
        rows.append(
            Notification(
                channel="email" if getattr(user, "email", "") else "console",
                recipient_kind="user",
                recipient_user=user,
                case=case,
                event=event,
                subject=f"[连心] {case.tracking_code} {event}",
                body=f"{case.tracking_code} {case.title}：{event}",
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[int]) -> None:
    from django_q.tasks import async_task

    async_task("lianxin.notifications.tasks.deliver_notifications", ids)
