"""Periods of the cockpit (today, this week, month, year, last N days, or from–to) and how a period is read
from the rollups: whole months from the month rows, the rest from the day rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianxin.cockpit.models import GRAIN_DAY, GRAIN_MONTH
from lianxin.dates import range_label
from lianxin.errors import InvalidInput

PRESETS = {
    "today": _("今日"),
    "week": _("本周"),
    "month": _("本月"),
    "year": _("本年"),
    "last30": _("近30天"),
    "custom": _("自定义"),
}
DEFAULT_PRESET = "year"
MAX_DAYS = 3660


@dataclass(frozen=True)
class Period:
    preset: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        if self.preset != "custom":
            return gettext("%(name)s（%(days)s）") % {
                "name": PRESETS[self.preset],
                "days": range_label(self.start, self.end),
            }
        return range_label(self.start, self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def query(self) -> dict[str, str]:
        if self.preset == "custom":
            return {"period": "custom", "from": self.start.isoformat(), "to": self.end.isoformat()}
        return {"period": self.preset}


def today() -> dt.date:
    return timezone.localdate()


def preset_period(preset: str, now_day: dt.date | None = None) -> Period:
    day = now_day or today()
    starts = {
        "today": day,
        "week": day - dt.timedelta(days=day.weekday()),
        "month": day.replace(day=1),
        "year": day.replace(month=1, day=1),
        "last30": day - dt.timedelta(days=29),
    }
    return Period(preset, starts[preset], day)


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            str(_("日期格式不正确，应为 YYYY-MM-DD。")), fields={field: [str(_("日期格式不正确"))]}
        ) from None


def parse_period(params) -> Period:
    """The period of a request's query; an unknown preset or a bad date raises InvalidInput (Chinese message)."""
    preset = (params.get("period") or DEFAULT_PRESET).strip()
    if preset not in PRESETS:
        raise InvalidInput(str(_("没有这个统计期间。")), fields={"period": [str(_("没有这个统计期间"))]})
    if preset != "custom":
        return preset_period(preset)
    start = _date(params.get("from") or "", "from")
    end = _date(params.get("to") or "", "to")
    if start > end:
        raise InvalidInput(str(_("结束日期不能早于开始日期。")), fields={"to": [str(_("早于开始日期"))]})
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(str(_("统计期间最长十年。")), fields={"from": [str(_("期间过长"))]})
    return Period("custom", start, end)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def split(period: Period, now_day: dt.date | None = None) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """(month starts read from month rows, [first, last] day ranges read from day rows) covering the period.

    Nothing is registered after today, so a month that runs past today counts as whole when the period ends today
    or later."""
    last_data_day = now_day or today()
    months: list[dt.date] = []
    ranges: list[tuple[dt.date, dt.date]] = []
    cursor = period.start
    while cursor <= period.end:
        following = next_month(cursor)
        month_last = following - dt.timedelta(days=1)
        covers_end = period.end >= month_last or (period.end >= last_data_day and month_last >= last_data_day)
        if cursor == month_start(cursor) and covers_end:
            months.append(cursor)
        else:
            last = min(month_last, period.end)
            if ranges and (cursor - ranges[-1][1]).days == 1:
                ranges[-1] = (ranges[-1][0], last)
            else:
                ranges.append((cursor, last))
        cursor = following
    return months, ranges


def rows_q(period: Period, now_day: dt.date | None = None) -> Q:
    """The rollup rows that together count exactly the cases registered in the period."""
    months, ranges = split(period, now_day)
    q = Q(pk__in=[])
    if months:
        q |= Q(grain=GRAIN_MONTH, day__in=months)
    for first, last in ranges:
        q |= Q(grain=GRAIN_DAY, day__gte=first, day__lte=last)
    return q


def created_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period's first moment and the moment after it (local days)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def created_q(period: Period) -> Q:
    """The same period over Case.created_at (local days)."""
    start, end = created_bounds(period)
    return Q(created_at__gte=start, created_at__lt=end)
