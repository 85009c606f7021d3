"""API schemas of the consultations area."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from lianxin.api.schemas import MAX_ID, Input


class PublicCommentOut(Schema):
    author_kind: str
    name: str = Field(..., description="已脱敏（只显示姓氏），可能为空")
    body: str
    created_at: datetime


class ArticleOut(Schema):
    id: int
    number: int
    heading: str
    text: str
    comments: list[PublicCommentOut] = Field(..., description="只有审核通过的意见")


class ConsultationOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    station: str | None
    status: str
    deadline: datetime
    open: bool
    article_count: int
    approved_count: int


class ConsultationListOut(Schema):
    items: list[ConsultationOut]


class ConsultationDetailOut(ConsultationOut):
    articles: list[ArticleOut]


class CommentIn(Input):
    article_id: int = Field(..., ge=1, le=MAX_ID)
    body: str = Field(..., max_length=20000)
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=30)
    consent: bool = False


class CommentReceiptOut(Schema):
    id: int
    status: str
    message: str


class StaffConsultationIn(Input):
    title: str = Field(..., max_length=400)
    summary: str = Field("", max_length=10000)
    kind: str = Field("draft_law", max_length=20)
    station_id: int | None = Field(None, ge=1, le=MAX_ID)
    deadline: datetime
    articles_text: str = Field(..., max_length=500000, description="每条之间空一行")
    publish: bool = False


class StaffCommentOut(Schema):
    id: int
    article_id: int
    article: str
    author_kind: str
    name: str = Field(..., description="已脱敏")
    phone: str = Field(..., description="已脱敏")
    body: str
    status: str
    moderation_reason: str
    created_at: datetime


class StaffCommentListOut(Schema):
    items: list[StaffCommentOut]


class ModerationIn(Input):
    decision: str = Field(..., max_length=20, description="approve / reject")
    reason: str = Field("", max_length=400)


class ArticleSummaryOut(Schema):
    article_id: int
    heading: str
    total: int
    approved: int
    pending: int
    rejected: int
    citizens: int
    deputies: int


class SummaryOut(Schema):
    consultation_id: int
    articles: list[ArticleSummaryOut]
