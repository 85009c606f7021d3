"""API input and output schemas of the duty area."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

MAX_ID = 2**31 - 1


class ShiftFilters(Schema):
    station: int | None = Field(None, ge=1, le=MAX_ID, description="联络站 id")
    deputy: int | None = Field(None, ge=1, le=MAX_ID, description="代表 id")
    date_from: dt.date | None = Field(None, description="默认今天")
    date_to: dt.date | None = Field(None, description="默认开始后 31 天；最长 366 天")
    state: str | None = Field(None, max_length=20, description="planned / present / late / absent")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(100, ge=1, le=500)


class ShiftOut(Schema):
    id: int
    station: int
    station_name: str
    deputy: int
    deputy_name: str
    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str
    state_label: str
    source: str
    checked_in_at: dt.datetime | None
    check_in_method: str
    late_minutes: int
    note: str


class ShiftListOut(Schema):
    items: list[ShiftOut]
    total: int
    page: int
    page_size: int


class GenerateIn(Schema):
    station: int = Field(..., ge=1, le=MAX_ID)
    start: dt.date
    end: dt.date
    per_shift: int | None = Field(None, ge=1, le=10, description="每次值班人数，默认 DUTY_DEPUTIES_PER_SHIFT")
    minimum: int | None = Field(None, ge=0, le=60, description="每位代表最少值班次数，默认 DUTY_MIN_SHIFTS_PER_DEPUTY")
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    replace: bool = Field(False, description="替换这段时间内尚未开始的排班")


class GenerateOut(Schema):
    created: int
    days: int
    removed: int
    understaffed: list[dt.date]
    short: dict[str, int] = Field(..., description="未达到最少次数的代表：姓名 → 差几次")


class ShiftIn(Schema):
    station: int = Field(..., ge=1, le=MAX_ID)
    deputy: int = Field(..., ge=1, le=MAX_ID)
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    note: str = Field("", max_length=200)


class ShiftChangeIn(Schema):
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    deputy: int | None = Field(None, ge=1, le=MAX_ID)
    note: str | None = Field(None, max_length=200)


class ConfirmIn(Schema):
    late_minutes: int = Field(0, ge=0, le=1440)


class CheckInIn(Schema):
    station: str = Field(..., min_length=1, max_length=40, description="联络站编码")
    token: str = Field(..., min_length=1, max_length=64, description="签到码中的 t 参数（当日有效）")


class SwapIn(Schema):
    to_deputy: int = Field(..., ge=1, le=MAX_ID)
    counter_shift: int | None = Field(None, ge=1, le=MAX_ID)
    reason: str = Field("", max_length=200)


class SwapDecisionIn(Schema):
    approve: bool


class SwapOut(Schema):
    id: int
    shift: int
    to_deputy: int
    counter_shift: int | None
    state: str
    reason: str
