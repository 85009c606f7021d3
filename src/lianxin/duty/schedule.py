"""Pure roster arithmetic: which days are reception days, and who is on duty on each (no database here).

Non-working days: a monthly reception day is kept even on a weekend or holiday (the articles' stations
are there "every 20th, rain or shine", 每月20日不见不散); a weekly reception day that falls on an official
holiday is skipped (there is another next week). The office can move or add any shift by hand.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lianxin.organisation.enums import ReceptionRule


def reception_days(
    *,
    rule: str,
    weekday: int | None,
    monthday: int | None,
    start: dt.date,
    end: dt.date,
    is_working_day: Callable[[dt.date], bool],
) -> list[dt.date]:
    """The station's reception days from start to end (inclusive), by its rule."""
    days: list[dt.date] = []
    if rule == ReceptionRule.WEEKLY and weekday in range(1, 8):
        day = start + dt.timedelta(days=(weekday - start.isoweekday()) % 7)
        while day <= end:
            if day.isoweekday() >= 6 or is_working_day(day):
                # A weekly day on a weekend is the station's choice; only official holidays on weekdays are skipped.
                days.append(day)
            day += dt.timedelta(days=7)
    elif rule == ReceptionRule.MONTHLY and monthday and 1 <= monthday <= 31:
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            last = calendar.monthrange(year, month)[1]
            day = dt.date(year, month, min(monthday, last))
            if start <= day <= end:
                days.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


@dataclass(frozen=True)
class Slot:
    """One reception day to staff: its date and hours."""

    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass
class Plan:
    assignments: list[tuple[Slot, int]] = field(default_factory=list)  # (slot, deputy id)
    counts: dict[int, int] = field(default_factory=dict)
    understaffed: list[Slot] = field(default_factory=list)  # days with fewer than `per_shift` deputies
    short: dict[int, int] = field(default_factory=dict)  # deputy id -> shifts below the minimum


def _overlaps(start: dt.datetime, end: dt.datetime, busy: Iterable[tuple[dt.datetime, dt.datetime]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in busy)


def plan_roster(
    *,
    slots: list[Slot],
    deputies: list[int],
    per_shift: int,
    minimum: int,
    unavailable: dict[int, list[tuple[dt.date, dt.date]]] | None = None,
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] | None = None,
) -> Plan:
    """Fair rotation: on each day take the deputies with the fewest shifts so far; among equals the one with
    the fewest remaining days they can do (so scarce availability is used), then the one who served longest
    ago, then roster order. Never on a declared unavailable day, never overlapping another shift (`busy`),
    never twice on one day. Counts of two always-available deputies never differ by more than one."""
    unavailable = unavailable or {}
    busy = {d: list(busy.get(d, [])) for d in deputies} if busy else {d: [] for d in deputies}
    slots = sorted(slots, key=lambda s: s.starts_at)

    def free(deputy: int, slot: Slot) -> bool:
        if any(a <= slot.date <= b for a, b in unavailable.get(deputy, [])):
            return False
        return not _overlaps(slot.starts_at, slot.ends_at, busy[deputy])

    available = {d: [free(d, s) for s in slots] for d in deputies}
    remaining = {d: sum(flags) for d, flags in available.items()}
    plan = Plan(counts=dict.fromkeys(deputies, 0))
    last: dict[int, int] = dict.fromkeys(deputies, -1)
    order = {d: i for i, d in enumerate(deputies)}
    for index, slot in enumerate(slots):
        candidates = [
            d for d in deputies if available[d][index] and not _overlaps(slot.starts_at, slot.ends_at, busy[d])
        ]
        candidates.sort(key=lambda d: (plan.counts[d], remaining[d], last[d], order[d]))
        chosen = candidates[:per_shift]
        for deputy in chosen:
            plan.assignments.append((slot, deputy))
            plan.counts[deputy] += 1
            last[deputy] = index
            busy[deputy].append((slot.starts_at, slot.ends_at))
        for deputy in deputies:
            if available[deputy][index]:
                remaining[deputy] -= 1
        if len(chosen) < per_shift:
            plan.understaffed.append(slot)
    plan.short = {d: minimum - n for d, n in plan.counts.items() if n < minimum}
    return plan
