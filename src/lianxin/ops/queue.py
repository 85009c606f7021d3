"""The task queue as the worker sees it: how many tasks wait and how long the oldest has waited.

Tasks that a worker holds (the ORM broker's lock is in the future) are not waiting. On the ORM broker a waiting
row's `lock` is when it became available (its enqueue, or the end of a failed attempt's hold); on Redis the oldest
is the head of the list and its package carries the time it was queued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage


@dataclass(frozen=True)
class QueueState:
    depth: int
    lag_seconds: float  # age of the oldest waiting task; 0 when none waits


_broker = []


def _get_broker():
    if not _broker:
        _broker.append(get_broker())
    return _broker[0]


def queue_state(now: dt.datetime | None = None) -> QueueState:
    now = now or timezone.now()
    broker = _get_broker()
    if isinstance(broker, ORM):
        waiting = OrmQ.objects.using(Conf.ORM).filter(key=broker.list_key, lock__lte=now)
        figures = waiting.aggregate(depth=Count("id"), oldest=Min("lock"))
        depth, oldest = figures["depth"], figures["oldest"]
    else:
        depth = broker.queue_size() or 0
        head = broker.connection.lindex(broker.list_key, 0) if depth else None
        oldest = SignedPackage.loads(head).get("started") if head else None
    lag = max(0.0, (now - oldest).total_seconds()) if oldest else 0.0
    return QueueState(depth=depth, lag_seconds=lag)
