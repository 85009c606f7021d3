"""The outbox: every app writes its messages here with `enqueue` (one) or `enqueue_many` (several, one INSERT).

A message is an outbox row written in the same transaction as the change it reports, and ONE delivery
task per call sends them once that change is committed. The outbox is generic: each app renders its own
texts and picks its own recipients next to its code (cases/notices.py, events/notices.py, …); this module
imports no app but accounts' users (through the rows' foreign key).

Recipients an app can only find off the request (the station's staff of a case, say) are added by
*fan-out steps*: functions of that app, marked with `@fan_out`, named in the task and run by it before
delivering; each returns more unsaved messages."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.tasks import async_task

from lianxin import privacy
from lianxin.notifications.channels import CHANNELS
from lianxin.notifications.models import Notification
from lianxin.rows import build, insert_row, insert_rows

CITIZEN_CHANNELS = ("sms", "console", "log", "webhook")
DELIVER = "lianxin.notifications.tasks.deliver"


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message goes: a channel and a recipient (an account, or an encrypted phone/e-mail)."""

    channel: str
    kind: str  # "user" or "citizen"
    user: object = None
    address_enc: str = ""


def citizen_channel() -> str:
    """The first configured channel that can reach a citizen's phone (console by default)."""
    for channel in settings.NOTIFY_CHANNELS:
        if channel in CITIZEN_CHANNELS:
            return channel
    return "console"


def to_user(user) -> Address:
    """An account: e-mail if it has one, otherwise the console (the log)."""
    return Address("email" if getattr(user, "email", "") else "console", "user", user=user)


def to_citizen(address_enc: str) -> Address:
    """A citizen's phone, encrypted as the app holding it stores it (privacy.encrypt)."""
    return Address(citizen_channel(), "citizen", address_enc=address_enc)


def message(
    address: Address, *, event: str, subject: str, body: str, subject_type: str = "", subject_id: int | None = None
) -> Notification:
    """An unsaved outbox row; `event` is the template key, `subject`/`body` the rendered text."""
    return build(  # Notification(...) without the keyword __init__'s cost (lianxin/rows.py)
        Notification,
        channel=address.channel,
        recipient_kind=address.kind,
        recipient_user=address.user,
        address_enc=address.address_enc,
        subject_type=subject_type,
        subject_id=subject_id,
        event=event,
        subject=subject,
        body=body,
    )


def enqueue(address: Address, *, event: str, subject: str, body: str, subject_type: str = "", subject_id=None):
    """Write one message in the current transaction and deliver it once committed."""
    rows = enqueue_many(
        [message(address, event=event, subject=subject, body=body, subject_type=subject_type, subject_id=subject_id)]
    )
    return rows[0]


def enqueue_many(rows: list[Notification], *, steps: Iterable[list] = ()) -> list[Notification]:
    """Write the messages `rows` (from `message`) in ONE INSERT and queue ONE task that runs the fan-out
    `steps` ([dotted name of an @fan_out function, its arguments…]) and delivers everything.
    No task when there is nothing to send."""
    steps = [list(step) for step in steps]
    insert_rows(rows)
    ids = [row.pk for row in rows]
    if ids or steps:
        queue_task(DELIVER, ids, steps)
    return rows


def fan_out(func: Callable) -> Callable:
    """Mark a function as a fan-out step the delivery task may run (its dotted name travels in the task)."""
    func.notification_fan_out = True
    return func


def send_now(address: Address, *, event: str, body: str) -> None:
    """Send at once, without an outbox row, and raise if the channel fails: only for what must never be
    stored, such as a one-time code (the person asks again if it does not arrive)."""
    plain = privacy.decrypt(address.address_enc) if address.address_enc else ""
    CHANNELS[address.channel].send(build(Notification, event=event, subject=event, body=body), plain)


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
