"""Reads of the outbox (the metrics count it at every scrape)."""

from __future__ import annotations

from django.db.models import Count

from lianxin.notifications.models import Notification


def outbox_counts_by_state() -> dict[str, int]:
    """Rows of the outbox by state (pending, sent, failed): failed ones were given up after their attempts."""
    counts = dict(
        Notification.objects.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in Notification.State.values}
