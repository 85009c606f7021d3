"""Reads of the outbox: the office's list of what was sent, failed or withheld."""

from __future__ import annotations

from django.db.models import QuerySet

from lianxin.notifications.models import Notification

LIST_LIMIT = 200


def outbox_rows(*, state: str = "") -> QuerySet[Notification]:
    rows = Notification.objects.select_related("recipient_user").order_by("-id")
    if state in Notification.State.values:
        rows = rows.filter(state=state)
    return rows.defer("body", "address_enc")
