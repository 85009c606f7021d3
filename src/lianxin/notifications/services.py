"""Notifications: an outbox row per recipient, written with the change; one task per event fans out and delivers."""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.tasks import async_task

from lianxin.accounts.enums import Role
from lianxin.accounts.models import User
from lianxin.notifications.models import Notification
from lianxin.rows import build, insert_row, insert_rows

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


CITIZEN_CHANNELS = ("sms", "console", "log", "webhook")


def citizen_channel() -> str:
    """The first configured channel that can reach a citizen's phone (console by default)."""

    for channel in settings.NOTIFY_CHANNELS:
        if channel in CITIZEN_CHANNELS:
            return channel
    return "console"


def notify_case_event(
    case, event: str, *, users=(), audiences: tuple[str, ...] = (), citizen: bool = True
) -> list[Notification]:
    """Queue notifications for `event` on `case`: the citizen (if they left a phone), the given users,
    and the actors of the given audiences ("station", "deputy", "unit"), resolved later by a task so
    the request that made the change does no extra queries.

    The rows are written with the change (the outbox); ONE task then fans out to the audiences and
    delivers every row (see `queue_task` for when it is queued)."""
    return notify_case_events([(case, event, audiences)], users=users, citizen=citizen)


def notify_case_events(
    events: list[tuple[object, str, tuple[str, ...]]], *, users=(), citizen: bool = True
) -> list[Notification]:
    """notify_case_event for one or several (case, event, audiences) — several for a batch of intakes
    committed together: every row in one INSERT, and ONE task that delivers them all."""
    rows = [
        row
        for case, event, _audiences in events
        for row in notification_rows(case, event, users=users, citizen=citizen)
    ]
    insert_rows(rows)
    ids: dict[tuple[int, str], list[int]] = {}
    for row in rows:
        ids.setdefault((row.case_id, row.event), []).append(row.pk)
    work = [[case.pk, event, list(audiences), ids.get((case.pk, event), [])] for case, event, audiences in events]
    work = [item for item in work if item[2] or item[3]]
    if work:
        queue_task("lianxin.notifications.tasks.deliver_case_events", work)
    return rows


def write_notifications(case, event: str, *, users=(), citizen: bool = True) -> list[Notification]:
    """Write the outbox rows of `event`: the citizen's (if they left a phone) and one per user, in one
    INSERT (lianxin/rows.py)."""
    return insert_rows(notification_rows(case, event, users=users, citizen=citizen))


def notification_rows(case, event: str, *, users=(), citizen: bool = True) -> list[Notification]:
    """The unsaved outbox rows of `event`: the citizen's (if they left a phone) and one per user."""
    rows: list[Notification] = []
    template = CITIZEN_MESSAGES.get(event)
    if citizen and template and case.contact_phone_enc:
        rows.append(
            build(  # Notification(...) without the keyword __init__'s cost (lianxin/rows.py)
                Notification,
                channel=citizen_channel(),
                recipient_kind="citizen",
                case=case,
                event=event,
                subject=event,
                body=template.format(title=case.title[:20], code=case.tracking_code),
            )
        )
    for user in users:
        rows.append(
            build(
                Notification,
                channel="email" if getattr(user, "email", "") else "console",
                recipient_kind="user",
                recipient_user=user,
                case=case,
                event=event,
                subject=f"[连心] {case.tracking_code} {event}",
                body=f"{case.tracking_code} {case.title}：{event}",
            )
        )
    return rows


def queue_task(func: str, *args) -> None:
    """Queue a task that must only run once the current change is committed.

    With django-q's ORM broker on the default database (the embedded set-up) the queue row is
    written inside the current transaction by one prepared INSERT: it commits, or rolls back, with
    the change, and costs no write transaction of its own (on SQLite each one is an fsync). With any
    other broker (Redis), sync tasks (tests), or outside a transaction, it is queued on commit."""

    broker = _transaction_broker()
    if broker is not None and transaction.get_connection().in_atomic_block:
        async_task(func, *args, broker=broker)
    else:
        transaction.on_commit(lambda: async_task(func, *args))


@functools.cache
def _transaction_broker():
    """django-q's own ORM broker, enqueuing through lianxin.rows; None when tasks do not go to the
    default database as rows (Redis or another broker, or sync tasks)."""

    if Conf.SYNC or Conf.ORM != DEFAULT_DB_ALIAS or type(get_broker()) is not ORM:
        return None

    class TransactionOrmBroker(ORM):
        def enqueue(self, task):
            # what ORM.enqueue does (OrmQ.objects.create), without compiling the INSERT each time
            row = OrmQ(key=self.list_key or Conf.CLUSTER_NAME, payload=task, lock=timezone.now())
            return insert_row(row, using=Conf.ORM).pk

    return TransactionOrmBroker()


def audience_users(case, audiences) -> list:
    """The active accounts behind each audience of a case."""

    users: dict[int, object] = {}
    if "station" in audiences and case.station_id:
        for user in User.objects.filter(
            memberships__role=Role.STATION,
            memberships__station_id=case.station_id,
            memberships__active=True,
            is_active=True,
        ):
            users[user.pk] = user
    if "deputy" in audiences and case.deputy_id and case.deputy.user_id:
        users[case.deputy.user_id] = case.deputy.user
    if "unit" in audiences and case.current_unit_id:
        for user in User.objects.filter(
            memberships__role=Role.UNIT,
            memberships__unit_id=case.current_unit_id,
            memberships__active=True,
            is_active=True,
        ):
            users[user.pk] = user
    return list(users.values())
