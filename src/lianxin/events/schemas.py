"""API schemas of the events area: strict types in, the services check meaning and answer in Chinese."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from lianxin.api.schemas import MAX_ID, Input


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    location: str
    station_code: str
    station_name: str
    unit: str | None
    starts_at: datetime
    ends_at: datetime
    capacity: int
    confirmed: int
    waitlisted: int
    status: str
    open_for_signup: bool


class EventListOut(Schema):
    items: list[EventOut]


class SignUpIn(Input):
    name: str = Field(..., max_length=100)
    phone: str = Field(..., max_length=30)
    consent: bool = False


class SignUpOut(Schema):
    code: str
    token: str = Field(..., description="私人链接的凭证：查看签到码和取消报名时带上")
    status: str
    status_label: str
    checkin_code: str | None = Field(None, description="报名成功（非候补）时才有")
    event_id: int


class TokenIn(Input):
    token: str = Field(..., max_length=100)


class StaffEventIn(Input):
    station_id: int = Field(..., ge=1, le=MAX_ID)
    kind: str = Field("theme", max_length=20)
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=10000)
    location: str = Field("", max_length=400)
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(..., ge=0, le=1_000_000)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    publish: bool = False


class StaffEventOut(EventOut):
    attended: int
    cancelled_signups: int
    cases: list[str] = Field(..., description="活动中登记的民意件查询码")


class StaffSignUpOut(Schema):
    code: str
    name: str = Field(..., description="已脱敏")
    phone: str = Field(..., description="已脱敏")
    status: str
    created_at: datetime
    attended_at: datetime | None


class StaffSignUpListOut(Schema):
    items: list[StaffSignUpOut]


class CancelIn(Input):
    reason: str = Field(..., max_length=400)


class CheckInIn(Input):
    checkin_code: str = Field(..., max_length=20)


class EventCaseIn(Input):
    title: str = Field(..., max_length=200)
    details: str = Field(..., max_length=10000)
    category_id: int | None = Field(None, ge=1, le=MAX_ID)
    request_type: str = Field("help", max_length=20)
    contact_name: str = Field("", max_length=60)
    contact_phone: str = Field("", max_length=30)
    consent: bool = False


class EventCaseOut(Schema):
    tracking_code: str
    event_id: int


class DepartmentVisitOut(Schema):
    unit_id: int
    unit_name: str
    visits: int


class DepartmentVisitListOut(Schema):
    items: list[DepartmentVisitOut]
