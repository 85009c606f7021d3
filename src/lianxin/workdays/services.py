"""Working-day arithmetic from the holiday table (data, not a library call; domain.md section 5)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lianxin.workdays.models import CalendarDay, CalendarYear

_CACHE_SECONDS = 60


@dataclass
class _Calendar:
    exceptions: dict[dt.date, bool]
    years: set[int]
    loaded: float


_calendar: _Calendar | None = None


def _load() -> _Calendar:
    global _calendar
    if _calendar is None or time.monotonic() - _calendar.loaded > _CACHE_SECONDS:
        _calendar = _Calendar(
            exceptions=dict(CalendarDay.objects.values_list("date", "is_workday")),
            years=set(CalendarYear.objects.values_list("year", flat=True)),
            loaded=time.monotonic(),
        )
    return _calendar


def calendar_clear_cache() -> None:
    global _calendar
    _calendar = None


def is_working_day(day: dt.date) -> bool:
    exceptions = _load().exceptions
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end (23:59:59 local time) of the `days`-th working day after `start`'s date.

    Never fails: a year without official data counts weekends only.
    """
    local = timezone.localtime(start)
    day = local.date()
    remaining = max(days, 0)
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    if days <= 0:
        return start
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


def missing_years(today: dt.date | None = None) -> list[int]:
    """Years in use (this one and the next once December comes) with no official schedule entered."""
    today = today or timezone.localdate()
    wanted = {today.year}
    if today.month >= 11:
        wanted.add(today.year + 1)
    return sorted(wanted - _load().years)


@transaction.atomic
def calendar_seed_from_package() -> int:
    """Copy the official holidays and make-up days known to `chinesecalendar` into the table."""
    import chinese_calendar

    from lianxin.workdays.names import HOLIDAY_NAMES

    created = 0
    years: set[int] = set()
    for day, name in chinese_calendar.holidays.items():
        years.add(day.year)
        if day.weekday() >= 5:
            continue  # a weekend inside a holiday is already a day off
        _, was_created = CalendarDay.objects.get_or_create(
            date=day, defaults={"is_workday": False, "name": HOLIDAY_NAMES.get(name, name)}
        )
        created += was_created
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() < 5:
            continue
        _, was_created = CalendarDay.objects.get_or_create(
            date=day, defaults={"is_workday": True, "name": f"{HOLIDAY_NAMES.get(name, name)}调休"}
        )
        created += was_created
    for year in years:
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "chinesecalendar"})
    calendar_clear_cache()
    return created
