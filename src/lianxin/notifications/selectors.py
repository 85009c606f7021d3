"""Reads of the outbox: the metrics count it at every scrape; the office's list of what was sent, failed or
withheld."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet

from lianxin.notifications.models import Notification

LIST_LIMIT = 200
CONSOLE_KEY = "lianxin:console_messages"  # the console channel's last messages (channels.console_remember)


def outbox_counts_by_state() -> dict[str, int]:
    """Rows of the outbox by state (pending, sent, failed, suppressed): failed ones were given up after their
    attempts; suppressed ones were withheld by the SMS caps."""
    counts = dict(
        Notification.objects.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in Notification.State.values}


def outbox_rows(*, state: str = "") -> QuerySet[Notification]:
    rows = Notification.objects.select_related("recipient_user").order_by("-id")
    if state in Notification.State.values:
        rows = rows.filter(state=state)
    return rows.defer("body", "address_enc")


def console_messages() -> list[dict]:
    """The console channel's last messages, newest first ({"at": datetime, "event", "to" (masked), "body"})."""
    rows = cache.get(CONSOLE_KEY) or []
    return [{**row, "at": dt.datetime.fromisoformat(row["at"])} for row in rows]


def console_channel_on() -> bool:
    return "console" in settings.NOTIFY_CHANNELS
