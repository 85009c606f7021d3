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


def notify_case_event(
    case, event: str, *, users=(), audiences: tuple[str, ...] = (), citizen: bool = True
) -> list[Notification]:
    """Queue notifications for `event` on `case`: the citizen (if they left a phone), the given users,
    and the actors of the given audiences ("station", "deputy", "unit"), resolved later by a task so
    the request that made the change does no extra queries."""
    if audiences:
        case_id, event_name, names = case.pk, event, tuple(audiences)
        transaction.on_commit(lambda: _enqueue_fan_out(case_id, event_name, names))
    rows: list[Notification] = []
    template = CITIZEN_MESSAGES.get(event)
    if citizen and template and case.contact_phone_enc:
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


def _enqueue_fan_out(case_id: int, event: str, audiences: tuple[str, ...]) -> None:
    from django_q.tasks import async_task

    async_task("lianxin.notifications.tasks.fan_out_case_event", case_id, event, list(audiences))


def audience_users(case, audiences) -> list:
    """The active accounts behind each audience of a case."""
    from lianxin.accounts.enums import Role
    from lianxin.accounts.models import User

    users: dict[int, object] = {}
    if "station" in audiences and case.station_id:
        for user in User.objects.filter(
            memberships__role=Role.STATION, memberships__station_id=case.station_id, memberships__active=True,
            is_active=True,
        ):
            users[user.pk] = user
    if "deputy" in audiences and case.deputy_id and case.deputy.user_id:
        users[case.deputy.user_id] = case.deputy.user
    if "unit" in audiences and case.current_unit_id:
        for user in User.objects.filter(
            memberships__role=Role.UNIT, memberships__unit_id=case.current_unit_id, memberships__active=True,
            is_active=True,
        ):
            users[user.pk] = user
    return list(users.values())


def _enqueue(ids: list[int]) -> None:
    from django_q.tasks import async_task

    async_task("lianxin.notifications.tasks.deliver_notifications", ids)
