"""Suggestion endpoints: list, draft, detail with timeline, and one transitions endpoint for every step.

Views only parse input, call the services and selectors in lianxin.suggestions, and render.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja import Status as HttpStatus
from pydantic import BaseModel

from lianxin.api.auth import token_auth
from lianxin.api.errors import errors_documented
from lianxin.api.schemas import page_of
from lianxin.errors import InvalidInput
from lianxin.privacy import mask_personal_data
from lianxin.suggestions import conf, selectors
from lianxin.suggestions.enums import Action
from lianxin.suggestions.rules import allowed_actions, suggestion_for_actor
from lianxin.suggestions.services import (
    admissibility_problems,
    suggestion_create,
    suggestion_reveal_text,
    suggestion_transition,
)

router = Router(tags=["suggestions"])
MAX_ID = 2**63 - 1
TEXT_MAX = 20_000


class Input(BaseModel):
    """Request bodies are plain pydantic models: a JSON array or string is rejected, never read as an object."""


class SuggestionIn(Input):
    title: str = Field(..., max_length=TEXT_MAX, description="案由")
    situation: str = Field("", max_length=TEXT_MAX, description="情况与理由")
    proposals: str = Field("", max_length=TEXT_MAX, description="具体建议")
    category_id: int | None = Field(None, ge=1, le=MAX_ID)
    urgency: str = Field("", max_length=TEXT_MAX, description="紧迫性说明")
    breadth: str = Field("", max_length=TEXT_MAX, description="广泛性说明")
    importance: str = Field("", max_length=TEXT_MAX, description="重要性说明")
    case_ids: list[int] = Field(default_factory=list, max_length=200, description="由这些民意件转成（须可转）")


class SuggestionTransitionIn(Input):
    action: str = Field(..., max_length=40, description=", ".join(Action.values))
    message: str | None = Field(None, max_length=TEXT_MAX)
    reason: str | None = Field(None, max_length=TEXT_MAX)
    comment: str | None = Field(None, max_length=TEXT_MAX)
    note: str | None = Field(None, max_length=TEXT_MAX)
    text: str | None = Field(None, max_length=TEXT_MAX, description="答复内容")
    title: str | None = Field(None, max_length=TEXT_MAX)
    situation: str | None = Field(None, max_length=TEXT_MAX)
    proposals: str | None = Field(None, max_length=TEXT_MAX)
    urgency: str | None = Field(None, max_length=TEXT_MAX)
    breadth: str | None = Field(None, max_length=TEXT_MAX)
    importance: str | None = Field(None, max_length=TEXT_MAX)
    category_id: int | None = Field(None, ge=1, le=MAX_ID)
    deputy_id: int | None = Field(None, ge=1, le=MAX_ID, description="附议代表")
    case_ids: list[int] | None = Field(None, max_length=200)
    target_id: int | None = Field(None, ge=1, le=MAX_ID, description="并入的建议")
    mode: str | None = Field(None, max_length=10, description="lead 主办+协办 / split 分办")
    lead_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    co_unit_ids: list[int] | None = Field(None, max_length=50)
    split_unit_ids: list[int] | None = Field(None, max_length=50)
    assignment_id: int | None = Field(None, ge=1, le=MAX_ID)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    leader_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str | None = Field(None, max_length=20, description="phone/visit/face_to_face 或 inquiry/onsite")
    happened_on: date | None = None
    months: int | None = Field(None, description="申请延期的月数")
    category: str | None = Field(None, max_length=10, description="答复类别，如 A/B/C/D")
    signed_by: str | None = Field(None, max_length=200, description="签发人（单位负责人）")
    document_base64: str | None = Field(None, max_length=15_000_000, description="答复文件 PDF（base64）")
    rating: str | None = Field(None, max_length=30, description="satisfied/basically_satisfied/unsatisfied")
    public: bool | None = Field(None, description="代表是否同意公开")
    through: str | None = Field(
        None, max_length=40, description="accept：一次记录至该审查阶段（阶段代码，如 chair），同一人记录多个机构的决定"
    )


class SuggestionFilters(Schema):
    tab: str | None = Field(None, max_length=20, description="我的建议 mine / 待审查 review / 待签收 to_sign …")
    q: str | None = Field(None, max_length=100)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(25, ge=1, le=100)


class SuggestionItemOut(Schema):
    id: int
    number: str
    title: str
    state: str
    state_label: str
    light: str
    lead_deputy: str | None
    category: str | None
    created_at: datetime
    due_at: datetime | None
    answer_category: str
    key: bool
    round: int = Field(description="交办轮次；2 及以上为复核后二次交办")
    second_round: bool = Field(description="二次交办（复核后再次交办）")
    answer_due_at: datetime | None = Field(description="本轮答复时限")
    recheck_due_at: datetime | None = Field(description="复核时限（复核中时）")


class SuggestionListOut(Schema):
    items: list[SuggestionItemOut]
    total: int
    page: int
    page_size: int
    tabs: list[str]


class SuggestionTimelineEntryOut(Schema):
    time: datetime
    action: str
    label: str
    message: str
    actor: str | None
    actor_role: str


class SuggestionAssignmentOut(Schema):
    id: int
    unit: str
    unit_id: int
    role: str
    round: int
    state: str
    sign_due_at: datetime
    return_due_at: datetime
    answer_due_at: datetime
    signed_at: datetime | None
    opinion: str
    return_reason: str


class SuggestionAnswerOut(Schema):
    id: int
    unit: str
    category: str
    text: str
    signed_by: str
    follow_up: bool
    has_document: bool
    created_at: datetime


class SuggestionDetailOut(SuggestionItemOut):
    situation: str
    proposals: str
    urgency: str
    breadth: str
    importance: str
    review_stage: str | None
    review_comment: str
    not_accepted_reason: str
    reference_only: bool
    mode: str
    rating: str
    rating_comment: str
    rating_due_at: datetime | None
    publish_consent: bool
    queued_for: date | None
    cosigners: list[dict]
    assignments: list[SuggestionAssignmentOut]
    answers: list[SuggestionAnswerOut]
    case_ids: list[int]
    problems: dict[str, list[str]]
    timeline: list[SuggestionTimelineEntryOut]
    allowed_actions: list[str]


def _item(s, *, revealed: bool = False) -> dict:
    return {
        "id": s.pk,
        "number": s.number,
        "title": s.title if revealed else mask_personal_data(s.title),
        "state": s.state,
        "state_label": s.get_state_display(),
        "light": s.light,
        "lead_deputy": s.lead_deputy.name if s.lead_deputy_id else None,
        "category": s.category.name if s.category_id else None,
        "created_at": s.created_at,
        "due_at": s.due_at,
        "answer_category": s.answer_category,
        "key": s.key,
        "round": s.round,
        "second_round": s.round >= 2,
        "answer_due_at": s.answer_due_at,
        "recheck_due_at": s.recheck_due_at,
    }


def _detail(user, suggestion_id, *, revealed: bool = False) -> dict:
    """The texts are masked (phone, ID and card numbers, e-mail addresses) unless `revealed` by the audited
    reveal (services.suggestion_reveal_text)."""
    s = suggestion_for_actor(user, suggestion_id)
    parts = selectors.detail_parts(s)
    stages = conf.review_stages()
    shown = (lambda text: text) if revealed else mask_personal_data
    return {
        **_item(s, revealed=revealed),
        "situation": shown(s.situation),
        "proposals": shown(s.proposals),
        "urgency": shown(s.urgency),
        "breadth": shown(s.breadth),
        "importance": shown(s.importance),
        "review_stage": stages[s.review_stage][1] if s.state == "reviewing" and s.review_stage < len(stages) else None,
        "review_comment": shown(s.review_comment),
        "not_accepted_reason": shown(s.not_accepted_reason),
        "reference_only": s.reference_only,
        "mode": s.mode,
        "rating": s.rating,
        "rating_comment": shown(s.rating_comment),
        "rating_due_at": s.rating_due_at,
        "publish_consent": s.publish_consent,
        "queued_for": s.queued_for,
        "cosigners": [
            {
                "deputy_id": c.deputy_id,
                "name": c.deputy.name,
                "confirmed": c.confirmed_at is not None,
                "declined": c.declined_at is not None,
            }
            for c in parts["cosigners"]
        ],
        "assignments": [
            {
                "id": a.pk,
                "unit": a.unit.name,
                "unit_id": a.unit_id,
                "role": a.role,
                "round": a.round,
                "state": a.state,
                "sign_due_at": a.sign_due_at,
                "return_due_at": a.return_due_at,
                "answer_due_at": a.answer_due_at,
                "signed_at": a.signed_at,
                "opinion": shown(a.opinion),
                "return_reason": shown(a.return_reason),
            }
            for a in parts["assignments"]
        ],
        "answers": [
            {
                "id": a.pk,
                "unit": a.assignment.unit.name,
                "category": a.category,
                "text": shown(a.text),
                "signed_by": a.signed_by,
                "follow_up": a.follow_up,
                "has_document": bool(a.document),
                "created_at": a.created_at,
            }
            for a in parts["answers"]
        ],
        "case_ids": [c.pk for c in parts["cases"]],
        "problems": admissibility_problems(s) if s.state in ("draft", "returned") else {},
        "timeline": [
            {
                "time": e.created_at,
                "action": e.action,
                "label": str(e.label),
                "message": shown(e.text),
                "actor": e.actor_name or None,
                "actor_role": e.actor_role,
            }
            for e in selectors.timeline(s)
        ],
        "allowed_actions": allowed_actions(user, s),
    }


@router.get(
    "/suggestions",
    auth=token_auth,
    response={200: SuggestionListOut, **errors_documented(401, 422)},
    summary="我可见的代表建议",
    description="按角色分栏（tab）：代表 mine/drafts/cosign，"
    "代表工作机构 review/queued/to_assign/attention/with_units/all，"
    "承办单位 to_sign/handling/unit_all，领导 key/all。不带 tab 时取第一个栏目。无关人员得到空列表。",
)
def suggestion_list(request: HttpRequest, filters: Query[SuggestionFilters]):
    tabs = [t.key for t in selectors.tabs_for(request.auth)]
    if filters.tab and filters.tab not in tabs:
        raise InvalidInput(
            _("栏目无效。"), fields={"tab": [_("可选：%(value)s") % {"value": ", ".join(tabs) or _("无")}]}
        )
    if not tabs:
        return {"items": [], "total": 0, "page": filters.page, "page_size": filters.page_size, "tabs": []}
    rows = selectors.suggestion_list(request.auth, filters.tab or tabs[0], (filters.q or "").strip())
    return {**page_of(rows, page=filters.page, page_size=filters.page_size, item=_item), "tabs": tabs}


@router.post(
    "/suggestions",
    auth=token_auth,
    response={201: SuggestionDetailOut, **errors_documented(400, 401, 409, 422)},
    summary="代表起草建议",
    description="只有代表可以起草；带 case_ids 时由这些民意件转成（它们变为“已转代表建议”）。"
    "提交用 transitions 的 submit。",
)
def suggestion_draft(request: HttpRequest, payload: SuggestionIn):
    s = suggestion_create(actor=request.auth, data=payload.model_dump())
    return HttpStatus(201, _detail(request.auth, s.pk))


SuggestionId = Path(..., ge=1, le=MAX_ID, description="代表建议 id")


@router.get(
    "/suggestions/{suggestion_id}",
    auth=token_auth,
    response={200: SuggestionDetailOut, **errors_documented(401, 403, 404, 422)},
    summary="代表建议详情（含办理过程和可执行操作）",
    description="文字中的电话、身份证号、银行卡号和邮箱已隐藏；`reveal=true` 显示完整内容（人大办和代表，记入审计日志；"
    "承办单位和领导 403，同样记入审计日志）。",
)
def suggestion_detail(
    request: HttpRequest,
    suggestion_id: int = SuggestionId,
    reveal: bool = Query(False, description="显示文字中的个人信息（留痕）"),
):
    if reveal:
        suggestion_reveal_text(actor=request.auth, suggestion_id=suggestion_id)
    return _detail(request.auth, suggestion_id, revealed=reveal)


def _document(payload: SuggestionTransitionIn):
    if not payload.document_base64:
        return None
    try:
        data = base64.b64decode(payload.document_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(
            _("答复文件不是有效的 base64。"), fields={"document_base64": [_("不是有效的 base64。")]}
        ) from None
    return SimpleUploadedFile("answer.pdf", data, content_type="application/pdf")


@router.post(
    "/suggestions/{suggestion_id}/transitions",
    auth=token_auth,
    response={200: SuggestionDetailOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="执行代表建议的办理步骤",
    description="`action` 取 suggestions.enums.Action 的值，其余字段按步骤而定，例如 "
    '`{"action": "assign", "mode": "lead", "lead_unit_id": 3, "co_unit_ids": [4]}`、'
    '`{"action": "answer", "category": "A", "text": "…", "signed_by": "张局长"}`、'
    '`{"action": "rate", "rating": "unsatisfied", "comment": "…"}`。当前状态或角色不允许时返回 409。',
)
def suggestion_step(request: HttpRequest, payload: SuggestionTransitionIn, suggestion_id: int = SuggestionId):
    data = payload.model_dump(exclude_unset=True, exclude={"action", "document_base64"})
    document = _document(payload)
    suggestion_transition(
        actor=request.auth, suggestion_id=suggestion_id, action=payload.action, data=data, document=document
    )
    return _detail(request.auth, suggestion_id)
