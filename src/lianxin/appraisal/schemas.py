"""API schemas of the department appraisal. Types are strict here; the services check meaning and answer in
Chinese."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from lianxin.api.schemas import MAX_ID, Input


class ItemScoreOut(Schema):
    item_id: int
    name: str
    weight: float
    score: float | None
    sample: int
    enough: bool
    details_url: str


class AppraisalResultOut(Schema):
    unit_code: str
    unit_name: str
    rank: int | None
    ranked: bool
    total: float | None
    note: str
    items: list[ItemScoreOut]


class MethodOut(Schema):
    item_id: int
    name: str
    weight: float
    source: str
    method: str


class LeaderboardOut(Schema):
    year: int
    title: str
    period_start: dt.date
    period_end: dt.date
    published_at: dt.datetime | None
    min_sample: int
    methods: list[MethodOut]
    results: list[AppraisalResultOut]


class ItemDetailOut(Schema):
    year: int
    unit_code: str
    unit_name: str
    item_id: int
    name: str
    score: float | None
    sample: int
    enough: bool
    method: str
    details: dict


class ScoreIn(Input):
    item_id: int = Field(..., ge=1, le=MAX_ID)
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    score: float = Field(..., description="0–100，最多一位小数")
    note: str = Field("", max_length=2000)


class ScoreOut(Schema):
    item_id: int
    unit_id: int
    score: float
    note: str


class OpinionIn(Input):
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    rating: str = Field(..., max_length=30, description="satisfied / basically_satisfied / unsatisfied / unknown")
    comment: str = Field("", max_length=2000)


class OpinionOut(Schema):
    id: int
    unit_id: int
    rating: str
