"""Deadlines and traffic lights of the case loop; every limit comes from settings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from lianxin.cases.enums import Light, Status
from lianxin.workdays.services import add_working_days


def ack_deadline(start: dt.datetime) -> dt.datetime:
    return start + dt.timedelta(hours=settings.CASE_ACK_HOURS)


def claim_deadline(start: dt.datetime) -> dt.datetime:
    return add_working_days(start, settings.CASE_CLAIM_WORKDAYS)


def handle_deadline(start: dt.datetime, request_type: str, *, rehandle: bool = False) -> dt.datetime:
    days = settings.CASE_REHANDLE_WORKDAYS if rehandle else settings.CASE_HANDLE_WORKDAYS[request_type]
    return add_working_days(start, days)


def light_for(start: dt.datetime | None, due: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if start is None or due is None:
        return Light.NONE
    now = now or timezone.now()
    if now > due:
        return Light.RED
    span = (due - start).total_seconds()
    if span <= 0 or (now - start).total_seconds() / span >= settings.CASE_YELLOW_AT:
        return Light.YELLOW
    return Light.GREEN


def current_phase(case) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(start, due) of the clock that runs now, or (None, None) when no clock runs."""
    if case.status == Status.REGISTERED:
        return case.created_at, case.ack_due_at
    if case.status == Status.DISPATCHED:
        return case.dispatched_at, case.claim_due_at
    if case.status == Status.CLAIMED:
        # The handling clock runs from dispatch, not from claim.
        return case.dispatched_at, case.handle_due_at
    return None, None


def set_phase(case, now: dt.datetime | None = None) -> None:
    """Update due_at, phase_started_at and light on the (unsaved) case from its status."""
    start, due = current_phase(case)
    case.phase_started_at = start
    case.due_at = due
    case.light = light_for(start, due, now)
