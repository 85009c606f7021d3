"""Strict parsing of service input (from forms, the API or tasks): each problem is a clear Chinese InvalidInput."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lianxin.errors import InvalidInput


def _fail(field: str, message: str):
    raise InvalidInput(message, fields={field: [message]})


def as_date(value: Any, *, field: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        _fail(field, f"{label}格式不正确（应为 年-月-日）。")
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        _fail(field, f"请填写{label}。")
    if not isinstance(value, str) or len(value) > 10:
        _fail(field, f"{label}格式不正确（应为 年-月-日）。")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        _fail(field, f"{label}格式不正确（应为 年-月-日）。")


def as_time(value: Any, *, field: str, label: str) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if value in (None, ""):
        _fail(field, f"请填写{label}。")
    if not isinstance(value, str) or len(value) > 8:
        _fail(field, f"{label}格式不正确（应为 时:分）。")
    try:
        return dt.time.fromisoformat(value.strip()).replace(second=0, microsecond=0)
    except ValueError:
        _fail(field, f"{label}格式不正确（应为 时:分）。")


def as_int(value: Any, *, field: str, label: str, minimum: int, maximum: int) -> int:
    if isinstance(value, bool):
        _fail(field, f"{label}须为整数。")
    if isinstance(value, str):
        value = value.strip()
        if not value.lstrip("-").isdigit() or len(value) > 9:
            _fail(field, f"{label}须为整数。")
        value = int(value)
    if not isinstance(value, int):
        _fail(field, f"{label}须为整数。")
    if not minimum <= value <= maximum:
        _fail(field, f"{label}须在 {minimum} 到 {maximum} 之间。")
    return value


def as_id(value: Any, *, field: str, label: str) -> int:
    return as_int(value, field=field, label=label, minimum=1, maximum=2**31 - 1)


def as_text(value: Any, *, field: str, label: str, maximum: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        _fail(field, f"{label}须为文字。")
    value = value.strip()
    if required and not value:
        _fail(field, f"请填写{label}。")
    if len(value) > maximum:
        _fail(field, f"{label}不能超过 {maximum} 个字。")
    return value


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """An aware datetime at `time` on `day` in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, time))


def hours(start: Any, end: Any) -> tuple[dt.time, dt.time]:
    start = as_time(start, field="start_time", label="开始时间")
    end = as_time(end, field="end_time", label="结束时间")
    if end <= start:
        _fail("end_time", "结束时间须晚于开始时间。")
    return start, end
