"""API schemas of the points. Types are strict here; the services check meaning and answer in Chinese."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from lianxin.api.schemas import MAX_ID, PAGE_SIZE_MAX, Input


class PeriodQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(0, ge=0, le=4, description="1–4 为季度，0 为全年")


class LedgerQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(50, ge=1, le=PAGE_SIZE_MAX)


class AssessmentQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)
    short: bool = Field(False, description="只列未达标的代表")


class TableRowOut(Schema):
    rank: int
    deputy_id: int
    deputy_code: str
    deputy_name: str
    total: float
    by_activity: dict[str, float]


class TableOut(Schema):
    year: int
    quarter: int
    published: bool
    items: list[TableRowOut]


class ContestOut(Schema):
    id: int
    entry_id: int
    reason: str
    state: str
    decision_note: str
    raised_at: dt.datetime
    decided_at: dt.datetime | None


class EntryOut(Schema):
    id: int
    deputy_id: int
    activity: str
    activity_label: str
    points: float
    occurred_on: dt.date
    state: str
    rule_version: int | None
    evidence_type: str
    evidence_id: int | None
    evidence_label: str
    evidence_url: str = Field(..., description="工作台上查看依据的地址，无则为空")
    reason: str
    contests: list[ContestOut]


class LedgerOut(Schema):
    deputy_id: int
    year: int
    total: float
    quarters: list[float]
    items: list[EntryOut]
    total_entries: int
    page: int
    page_size: int


class ManualEntryIn(Input):
    deputy_id: int = Field(..., ge=1, le=MAX_ID)
    points: float = Field(..., description="正数加分，负数减分，最多一位小数")
    occurred_on: dt.date
    reason: str = Field(..., max_length=2000)


class ContestIn(Input):
    reason: str = Field(..., max_length=2000)


class DecisionIn(Input):
    uphold: bool = Field(..., description="true：异议成立，撤销该记录；false：异议不成立")
    note: str = Field(..., max_length=2000)


class ApprovalIn(Input):
    approve: bool
    note: str = Field("", max_length=2000)


class PublicationIn(Input):
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=0, le=4)
    published: bool


class PublicationOut(Schema):
    year: int
    quarter: int
    published: bool
    published_at: dt.datetime | None


class ShortfallOut(Schema):
    metric: str
    actual: int
    minimum: int


class AssessmentRowOut(Schema):
    deputy_id: int
    deputy_code: str
    deputy_name: str
    total: float
    grade: str
    grade_label: str
    below_pass_points: bool
    shortfalls: list[ShortfallOut]


class AssessmentOut(Schema):
    year: int
    items: list[AssessmentRowOut]
