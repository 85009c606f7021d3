"""API schemas of the voters area. Types are strict here; the services check meaning and answer in Chinese."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from lianxin.api.schemas import MAX_ID, PAGE_SIZE_MAX, Input


class HouseholdIn(Input):
    deputy_id: int = Field(..., ge=1, le=MAX_ID)
    grid_id: int = Field(..., ge=1, le=MAX_ID, description="网格 (organisation.Division kind=grid) id")
    address: str = Field(..., max_length=200)
    head_name: str = Field(..., max_length=30)
    head_phone: str = Field(..., max_length=20)
    paired_on: dt.date | None = None


class HouseholdOut(Schema):
    id: int
    deputy_id: int
    grid_id: int
    grid: str
    address: str = Field(..., description="脱敏到街路，如 东湖街道春晖路****")
    head_name: str = Field(..., description="脱敏，如 张*")
    head_phone: str = Field(..., description="脱敏，如 138****1234")
    paired_on: dt.date
    active: bool


class HouseholdListOut(Schema):
    items: list[HouseholdOut]
    pairing_minimum: int
    below_minimum: bool


class ContactIn(Input):
    deputy_id: int = Field(..., ge=1, le=MAX_ID)
    contacted_on: dt.date
    way: str = Field(..., max_length=20, description="visit / phone / wechat / meeting")
    summary: str = Field(..., max_length=2000)
    household_id: int | None = Field(None, ge=1, le=MAX_ID)
    raised: str = Field("", max_length=2000)
    create_case: bool = Field(False, description="把反映的问题登记为民意件（渠道 visit）")
    case_title: str = Field("", max_length=100)


class ContactOut(Schema):
    id: int
    deputy_id: int
    household_id: int | None
    contacted_on: dt.date
    way: str
    summary: str
    raised: str
    case_tracking_code: str | None
    check_result: str | None


class ContactFilters(Schema):
    deputy_id: int = Field(..., ge=1, le=MAX_ID)
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(20, ge=1, le=PAGE_SIZE_MAX)
    reveal: bool = Field(False, description="显示文字中的个人信息（留痕）")


class ContactListOut(Schema):
    items: list[ContactOut]
    total: int
    page: int
    page_size: int


class DrawIn(Input):
    month: str = Field(..., pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")
    seed: int = Field(..., ge=0, le=2**62 - 1)


class CheckOut(Schema):
    id: int
    contact_id: int
    deputy_id: int
    contacted_on: dt.date
    result: str
    note: str


class DrawOut(Schema):
    id: int
    month: str
    seed: int
    pool_size: int
    checks: list[CheckOut]


class CheckIn(Input):
    result: str = Field(..., max_length=20, description="confirmed / not_confirmed / unreachable")
    note: str = Field("", max_length=500)


class QuarterOut(Schema):
    quarter: str
    start: dt.date
    contacts: int
    sampled: int
    checked: int
    confirmed: int
    verified_share: float | None = Field(..., description="回访属实 ÷ 已回访；无回访时为 null")


class ContactStatsOut(Schema):
    deputy_code: str
    deputy_name: str
    households: int
    pairing_minimum: int
    quarters: list[QuarterOut]


class ReportIn(Input):
    deputy_id: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., max_length=100)
    held_on: dt.date
    place: str = Field(..., max_length=100)
    rating_closes_at: dt.datetime | None = None


class PublishIn(Input):
    text: str = Field(..., max_length=20000)


class ReportResultOut(Schema):
    satisfied: int
    basically_satisfied: int
    unsatisfied: int
    rated: int
    satisfaction: float | None = Field(..., description="满意 ÷ 参评")
    satisfaction_incl_basic: float | None = Field(..., description="(满意 + 基本满意) ÷ 参评")


class ReportOut(Schema):
    id: int
    deputy_code: str
    deputy_name: str
    title: str
    held_on: dt.date
    place: str
    text: str
    status: str
    rating_closes_at: dt.datetime
    rating_open: bool
    result: ReportResultOut | None = Field(..., description="截止并公布后才有")


class CommentOut(Schema):
    rating: str
    comment: str
    name: str = Field(..., description="脱敏")
    created_at: dt.datetime


class ReportStaffOut(ReportOut):
    live_result: ReportResultOut
    comments: list[CommentOut]


class CodeIn(Input):
    phone: str = Field(..., max_length=20)


class CodeOut(Schema):
    sent_to: str = Field(..., description="脱敏的手机号")
    expires_at: dt.datetime


class VoterRatingIn(Input):
    phone: str = Field(..., max_length=20)
    code: str = Field(..., max_length=6, description="短信验证码")
    rating: str = Field(..., max_length=30, description="satisfied / basically_satisfied / unsatisfied")
    comment: str = Field("", max_length=1000)
    name: str = Field("", max_length=30)
    consent: bool = Field(..., description="已阅读并同意个人信息告知")


class RatedOut(Schema):
    report_id: int
    rating: str
