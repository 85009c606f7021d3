"""The API's case schemas, one per endpoint: the citizen's submission, tracking and rating; the staff's lists,
detail and transitions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from lianxin.api.schemas import MAX_ID, PAGE_SIZE_MAX, Input
from lianxin.cases.enums import Light, Status
from lianxin.cases.intake import DETAILS_MAX, NAME_MAX, TITLE_MAX

StatusValue = Literal[tuple(Status.values)]  # type: ignore[valid-type]
LightValue = Literal[tuple(Light.values)]  # type: ignore[valid-type]


# --- cases: public ----------------------------------------------------------------------------------


class LocationIn(Input):
    lat: float
    lng: float


class CaseSubmissionIn(Input):
    """A citizen's submission (JSON). Multipart sends the same fields, with `lat`/`lng` instead of `location`."""

    title: str = Field("", max_length=TITLE_MAX)
    details: str = Field("", max_length=DETAILS_MAX)
    category: int | None = Field(None, ge=1, le=MAX_ID, description="诉求分类 id")
    request_type: str | None = Field(None, max_length=20, description="consultation/help/complaint/report/suggestion")
    station_code: str = Field("", max_length=40, description="扫联络站二维码时的联络站编码")
    deputy_code: str = Field("", max_length=40, description="扫代表二维码时的代表编码")
    location: LocationIn | None = None
    grid_code: str = Field("", max_length=12)
    address: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=NAME_MAX)
    contact_phone: str = Field("", max_length=30)
    anonymous: bool = False
    consent: bool = Field(False, description="已阅读并同意个人信息告知；必须为 true")


class CaseSubmissionForm(Input):
    """The multipart/form-data variant of the submission."""

    title: str = Field("", max_length=TITLE_MAX)
    details: str = Field("", max_length=DETAILS_MAX)
    category: int | None = None
    request_type: str | None = None
    station_code: str = ""
    deputy_code: str = ""
    lat: float | None = None
    lng: float | None = None
    grid_code: str = ""
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    anonymous: bool = False
    consent: bool = False
    photos: list[bytes] = Field(default_factory=list, description="照片文件，最多 PHOTO_MAX_COUNT 张（默认 9）")


class CaseReceiptOut(Schema):
    tracking_code: str
    follow_up_token: str = Field(..., description="与查询码一起用于查询进度和评价")
    status: str


class PublicTimelineEntry(Schema):
    time: datetime
    action: str
    label: str
    message: str


class RatingOut(Schema):
    rating: str
    label: str
    comment: str
    rated_at: datetime | None


class MergedHandlingOut(Schema):
    """The case a merged case's matter is handled in: its public state and answer (the citizen rates it here)."""

    tracking_code: str
    status: str
    status_label: str
    answer: str


class PublicCaseOut(Schema):
    tracking_code: str
    title: str
    details: str
    status: str
    status_label: str
    created_at: datetime
    category: str | None
    station: str | None
    timeline: list[PublicTimelineEntry]
    rating: RatingOut | None
    can_rate: bool
    merged_into: MergedHandlingOut | None = None


class RatingIn(Input):
    token: str = Field(..., max_length=100)
    rating: str = Field(..., max_length=30, description="satisfied / basically_satisfied / unsatisfied")
    comment: str = Field("", max_length=1000)


class RecoverCodeIn(Input):
    tracking_code: str = Field(..., max_length=40, description="查询码，LX 开头")
    phone: str = Field(..., max_length=40, description="登记时留的手机号码")


class RecoverCodeOut(Schema):
    detail: str


class RecoverIn(RecoverCodeIn):
    code: str = Field(..., max_length=20, description="短信中的 6 位验证码")


# --- cases: staff -----------------------------------------------------------------------------------


class CaseFilters(Schema):
    status: StatusValue | None = None
    light: LightValue | None = None
    q: str | None = Field(None, max_length=100, description="标题或查询码")
    station: int | None = Field(None, ge=1, le=MAX_ID, description="联络站 id")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="当前承办单位 id")
    spam: Literal["hide", "only", "all"] = Field("hide", description="标记为垃圾信息的件：默认隐藏")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(20, ge=1, le=PAGE_SIZE_MAX)


class CaseListItem(Schema):
    id: int
    tracking_code: str
    title: str
    status: str
    status_label: str
    light: str
    channel: str
    station: str | None
    current_unit: str | None
    created_at: datetime
    due_at: datetime | None
    contact_phone: str = Field(..., description="已脱敏，如 138****1234")


class CaseListOut(Schema):
    items: list[CaseListItem]
    total: int
    page: int
    page_size: int


class TimelineEntry(Schema):
    time: datetime
    action: str
    label: str
    message: str
    public: bool
    actor: str | None = Field(..., description="操作人显示名称；群众和系统为空")
    actor_role: str
    actor_role_label: str


class PhotoOut(Schema):
    id: int
    url: str
    width: int
    height: int


class UnitRef(Schema):
    id: int
    name: str


class RoutingRuleRef(Schema):
    id: int
    version: int = Field(..., description="规则版本号")
    category: str = Field(..., description="规则的分类")
    division: str = Field(..., description="规则的区划")


class SuggestedUnitOut(Schema):
    id: int
    name: str
    rule: RoutingRuleRef = Field(..., description="命中的派单规则（最具体的一条）")


class DispatchOut(Schema):
    id: int
    unit: UnitRef
    state: str
    state_label: str
    request_type: str
    dispatched_at: datetime
    claim_due_at: datetime
    handle_due_at: datetime
    claimed_at: datetime | None
    returned_at: datetime | None
    return_reason: str
    replied_at: datetime | None
    reply: str
    instruction: str = Field(..., description="交办意见")
    instruction_public: bool = Field(..., description="交办意见是否公开给群众")
    suggested_unit: UnitRef | None = Field(..., description="交办时派单规则建议的单位")
    suggestion_taken: bool | None = Field(..., description="是否采纳了建议；无建议时为空")


class ConvertedIntoOut(Schema):
    id: int
    number: str = Field(..., description="编号；草稿为空")
    title: str = Field(..., description="案由（已脱敏）")
    state: str
    state_label: str


class CaseDetailOut(CaseListItem):
    details: str
    converted_into: ConvertedIntoOut | None = Field(
        None, description="转成的代表建议（仅当您可以查看该建议时；草稿只有领衔代表可见）"
    )
    request_type: str
    category: str | None
    deputy: str | None
    division: str | None
    handling_division: str | None
    address: str
    lat: float | None
    lng: float | None
    anonymous: bool
    contact_name: str = Field(..., description="已脱敏，如 张*")
    ack_due_at: datetime | None
    handle_due_at: datetime | None
    rating: RatingOut | None
    public_answer: str
    decline_reason: str
    timeline: list[TimelineEntry]
    photos: list[PhotoOut]
    dispatches: list[DispatchOut]
    allowed_actions: list[str]
    suggested_unit: SuggestedUnitOut | None = Field(
        ..., description="派单规则按分类和区划建议的承办单位（仅当可交办时给出；无规则时为空）"
    )


class TransitionIn(Input):
    action: str = Field(
        ...,
        max_length=40,
        description="acknowledge, resolve_on_spot, dispatch, claim, return, reply, request_extension, "
        "approve_extension, reject_extension, escalate, decline, convert, feedback, close, urge, note, call_back",
    )
    message: str | None = Field(None, max_length=10_000)
    reason: str | None = Field(None, max_length=10_000)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    request_type: str | None = Field(None, max_length=20)
    instruction_public: bool | None = Field(None, description="交办时：交办意见（message）公开给群众；默认仅内部可见")
    workdays: int | None = Field(None, description="申请延期的工作日数")
