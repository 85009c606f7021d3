"""Thin tasks: ids in, re-fetch, deliver. Run inline in tests (django-q2 sync mode)."""

from __future__ import annotations

from lianxin.notifications.tasks import deliver_notifications


def deliver_signup_notice(notification_id: int, signup_id: int) -> bool:
    """Kept for tasks queued before sign-up notices went through the outbox's own delivery: the row carries
    the sign-up's phone, so it is delivered like any other. True when sent."""
    return deliver_notifications([notification_id]) == 1
