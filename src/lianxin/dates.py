"""Dates and periods as the reader's language writes them: "2026年12月23日" / "23 Dec 2026", "2026年第4季度" /
"Q4 2026", "2026年12月" / "December 2026", "2026-01-01 至 2026-12-04" / "2026-01-01 to 2026-12-04".

The day formats are Django's named formats (lianxin/formats/<language>/formats.py), so templates use
`|date:"DATE_FORMAT"` and code calls these helpers; no page writes 年/月/日 itself."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date_label(value) -> str:
    """A day: 2026年12月23日 / 23 Dec 2026."""
    return formats.date_format(_local(value), "DATE_FORMAT") if value else ""


def datetime_label(value) -> str:
    """A moment: 2026年12月23日 19:00 / 23 Dec 2026 19:00."""
    return formats.date_format(_local(value), "DATETIME_FORMAT") if value else ""


def month_day_label(value) -> str:
    """A day of this year: 12月23日 / 23 Dec."""
    return formats.date_format(_local(value), "MONTH_DAY_FORMAT") if value else ""


def month_label(value) -> str:
    """A calendar month: 2026年12月 / December 2026."""
    return formats.date_format(_local(value), "YEAR_MONTH_FORMAT") if value else ""


def year_label(year: int) -> str:
    """A year: 2026年 / 2026."""
    return _("%(year)s年") % {"year": year}


def quarter_label(year: int, quarter: int) -> str:
    """A quarter: 2026年第4季度 / Q4 2026."""
    return _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter}


def range_label(start, end) -> str:
    """A span of days, ISO dates: 2026-01-01 至 2026-12-04 / 2026-01-01 to 2026-12-04."""
    return _("%(start)s 至 %(end)s") % {
        "start": formats.date_format(_local(start), "SHORT_DATE_FORMAT"),
        "end": formats.date_format(_local(end), "SHORT_DATE_FORMAT"),
    }
