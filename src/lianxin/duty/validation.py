"""Duty's input parsing: the shared rules of `lianxin/validation.py` with duty's keyword style."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import validation
from lianxin.validation import fail as _fail


def as_date(value: Any, *, field: str, label: str) -> dt.date:
    return validation.date(value, field=field, label=label)


def as_time(value: Any, *, field: str, label: str) -> dt.time:
    return validation.time(value, field=field, label=label)


def as_int(value: Any, *, field: str, label: str, minimum: int, maximum: int) -> int:
    return validation.integer(value, field=field, label=label, minimum=minimum, maximum=maximum)


def as_id(value: Any, *, field: str, label: str) -> int:
    return as_int(value, field=field, label=label, minimum=1, maximum=2**31 - 1)


def as_text(value: Any, *, field: str, label: str, maximum: int, required: bool = False, multiline: bool = True) -> str:
    return validation.text(value, field=field, label=label, max_length=maximum, required=required, multiline=multiline)


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """An aware datetime at `time` on `day` in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, time))


def hours(start: Any, end: Any) -> tuple[dt.time, dt.time]:
    start = as_time(start, field="start_time", label=_("开始时间"))
    end = as_time(end, field="end_time", label=_("结束时间"))
    if end <= start:
        _fail("end_time", _("结束时间须晚于开始时间。"))
    return start, end
