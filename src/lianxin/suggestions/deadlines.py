"""Submission windows, deadlines and traffic lights of suggestions; every number comes from conf."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

from lianxin.cases.enums import Light
from lianxin.suggestions import conf
from lianxin.suggestions.enums import AssignmentState, State

WINDOW_LOOKAHEAD_DAYS = 800


def add_months(start: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` later (the month's last day when it is shorter), end of that day, local time."""
    local = timezone.localtime(start)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    end = dt.datetime.combine(dt.date(year, month, day), dt.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


def add_days(start: dt.datetime, days: int) -> dt.datetime:
    local = timezone.localtime(start)
    end = dt.datetime.combine(local.date() + dt.timedelta(days=days), dt.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


def window_open(day: dt.date) -> bool:
    """Suggestions are submitted on the monthly window day(s) between sessions, or any day of a session window."""
    if any(start <= day <= end for start, end in conf.session_windows()):
        return True
    return day.day in conf.window_monthdays()


def next_window(day: dt.date) -> dt.date | None:
    """The first day on or after `day` with an open window (None when no window is configured)."""
    for offset in range(WINDOW_LOOKAHEAD_DAYS):
        candidate = day + dt.timedelta(days=offset)
        if window_open(candidate):
            return candidate
    return None


def today() -> dt.date:
    return timezone.localdate()


def current_phase(suggestion, assignments=None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(start, due) of the clock that runs now: signing, answering, the deputy's rating or the office's 复核."""
    if suggestion.state == State.ASSIGNED:
        rows = assignments if assignments is not None else list(suggestion.assignments.filter(round=suggestion.round))
        pending = [a for a in rows if a.round == suggestion.round and a.state == AssignmentState.PENDING]
        if pending:
            first = min(pending, key=lambda a: a.sign_due_at)
            return first.assigned_at, first.sign_due_at
        return suggestion.assigned_at, suggestion.answer_due_at
    if suggestion.state == State.HANDLING:
        return suggestion.assigned_at, suggestion.answer_due_at
    if suggestion.state == State.ANSWERED:
        return suggestion.answered_at, suggestion.rating_due_at
    if suggestion.state == State.RECHECKING:
        return suggestion.rated_at, suggestion.recheck_due_at
    return None, None


def light_for(start, due, now=None) -> str:
    if start is None or due is None:
        return Light.NONE
    now = now or timezone.now()
    if now > due:
        return Light.RED
    span = (due - start).total_seconds()
    if span <= 0 or (now - start).total_seconds() / span >= conf.yellow_at():
        return Light.YELLOW
    return Light.GREEN


def set_phase(suggestion, now=None) -> None:
    start, due = current_phase(suggestion)
    suggestion.phase_started_at = start
    suggestion.due_at = due
    suggestion.light = light_for(start, due, now)
