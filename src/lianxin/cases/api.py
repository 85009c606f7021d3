"""Case endpoints: public intake, tracking and rating; the staff list, detail and transitions.

Views only parse input, call the services and selectors in lianxin.cases, and render.
"""

from __future__ import annotations

import pydantic
from django.db.models import Q
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Path, Query, Router
from ninja import Status as HttpStatus
from ninja.errors import ValidationError

from lianxin.api.auth import token_auth
from lianxin.api.base import api
from lianxin.api.errors import BadRequest, UnsupportedMediaType, errors_documented
from lianxin.api.schemas import MAX_ID, page_of
from lianxin.audit.models import AuditEntry
from lianxin.cases import recovery, selectors, services, spam
from lianxin.cases.codes import follow_up_token, token_generation
from lianxin.cases.duplicates import duplicate_key
from lianxin.cases.enums import Action, Channel, Rating, RequestType, Status
from lianxin.cases.intake import Submission, case_register
from lianxin.cases.labels import ACTOR_ROLE_LABELS, event_label, event_message, public_event_label, public_event_message
from lianxin.cases.models import Case, CasePhoto
from lianxin.cases.photos import prepare_photos, read_photo_uploads
from lianxin.cases.rules import allowed_actions, case_for_actor, visible_cases
from lianxin.cases.schemas import (
    CaseDetailOut,
    CaseFilters,
    CaseListOut,
    CaseReceiptOut,
    CaseSubmissionForm,
    CaseSubmissionIn,
    PublicCaseOut,
    RatingIn,
    RecoverCodeIn,
    RecoverCodeOut,
    RecoverIn,
    TransitionIn,
)
from lianxin.cases.services import merged_handling, merged_ratable
from lianxin.errors import NotFound
from lianxin.privacy import mask_personal_data, normalise_phone
from lianxin.throttle import limits

router = Router(tags=["cases"])

TRACK_NOT_FOUND = gettext_lazy("查询码或凭证不正确。")
FORM_FIELDS = (
    "title",
    "details",
    "category",
    "request_type",
    "station_code",
    "deputy_code",
    "grid_code",
    "address",
    "contact_name",
    "contact_phone",
    "anonymous",
    "consent",
)
# Optional form fields where an empty string means "not given".
FORM_OPTIONAL = {"category", "request_type", "anonymous", "consent"}

api.document_models(CaseSubmissionIn, CaseSubmissionForm)

INTAKE_OPENAPI = {
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string", "maxLength": 100},
            "description": "重试时带同一个键：同样的内容返回同一件（200），不同的内容返回 422 idempotency_key_reused。",
        },
        {
            "in": "header",
            "name": "X-Altcha",
            "required": False,
            "schema": {"type": "string", "maxLength": 4000},
            "description": "超过软限额（429 challenge_required）后必带：GET /challenge 的题的解答"
            "（base64 的 ALTCHA 载荷）。",
        },
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/CaseSubmissionIn"}},
            "multipart/form-data": {"schema": {"$ref": "#/components/schemas/CaseSubmissionForm"}},
        },
    },
}


# --- public: intake --------------------------------------------------------------------------------


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def _raise_invalid(exc: pydantic.ValidationError) -> None:
    errors = exc.errors(include_url=False)
    if any(error["type"] == "json_invalid" for error in errors):
        raise BadRequest(_("请求内容不是有效的 JSON。"), code="malformed_json")
    raise ValidationError([{**error, "loc": ("body", *error["loc"])} for error in errors])


def _form_data(post) -> dict:
    data = {}
    for name in FORM_FIELDS:
        value = post.get(name)
        if value is None or (value == "" and name in FORM_OPTIONAL):
            continue
        data[name] = value
    lat, lng = post.get("lat", ""), post.get("lng", "")
    if lat or lng:
        data["location"] = {"lat": lat or None, "lng": lng or None}
    return data


def _read_submission(request: HttpRequest) -> tuple[CaseSubmissionIn, list[bytes]]:
    content_type = request.content_type or ""
    if _is_json(content_type) or (not content_type and not request.body):
        try:
            return CaseSubmissionIn.model_validate_json(request.body or b"{}"), []
        except pydantic.ValidationError as exc:
            _raise_invalid(exc)
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        try:
            payload = CaseSubmissionIn.model_validate(_form_data(request.POST))
        except pydantic.ValidationError as exc:
            _raise_invalid(exc)
        return payload, read_photo_uploads(request.FILES.getlist("photos"))
    raise UnsupportedMediaType(_("请以 application/json 或 multipart/form-data 提交。"))


@router.post(
    "/cases",
    auth=None,
    response={201: CaseReceiptOut, 200: CaseReceiptOut, **errors_documented(400, 411, 413, 415, 422, 429)},
    summary="群众提交诉求（公开）",
    description=(
        "新建时返回 201；带同一 Idempotency-Key 和同样内容的重试返回 200 和同一件的查询码与凭证；"
        "同一来源（电话，否则地址）短时间内对同一处提交同样内容也返回 200 和同一件。"
        "超过限额答 429 `throttled`（带 Retry-After）；同一地址超过软限额答 429 `challenge_required`："
        "取 GET /challenge 的题，解答后放在请求头 X-Altcha 重新提交。"
        "标题和内容中的电话、身份证号、银行卡号和邮箱在公开查询、导出和无权查看联系方式的角色面前自动隐藏。"
    ),
    openapi_extra=INTAKE_OPENAPI,
)
def case_submit(request: HttpRequest):
    payload, files = _read_submission(request)
    phone = "" if payload.anonymous else normalise_phone(payload.contact_phone or "")
    limits.check(request, "intake", phone=phone, target=payload.station_code or payload.deputy_code)
    photos = prepare_photos(files) if files else []
    if payload.station_code:
        channel = Channel.QR_STATION
    elif payload.deputy_code:
        channel = Channel.QR_DEPUTY
    else:
        channel = Channel.WEB
    location = payload.location
    submission = Submission(
        title=payload.title,
        details=payload.details,
        channel=channel,
        category_id=payload.category,
        request_type=payload.request_type or RequestType.HELP,
        station_code=payload.station_code,
        deputy_code=payload.deputy_code,
        grid_code=payload.grid_code,
        lat=location.lat if location else None,
        lng=location.lng if location else None,
        address=payload.address,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        anonymous=payload.anonymous,
        consent=payload.consent,
    )
    duplicate = duplicate_key(
        phone=phone,
        address=limits.client_address(request),
        station_code=payload.station_code,
        deputy_code=payload.deputy_code,
        grid_code=payload.grid_code,
        title=payload.title,
        details=payload.details,
    )
    case, created = case_register(
        submission=submission,
        photos=photos,
        idempotency_key=request.headers.get("Idempotency-Key"),
        duplicate_key=duplicate,
    )
    receipt = {
        "tracking_code": case.tracking_code,
        "follow_up_token": follow_up_token(case.tracking_code, case.follow_up_generation),
        "status": str(case.status),
    }
    # Rendered as ninja renders CaseReceiptOut (three strings), without validating our own dict on the
    # hottest endpoint; tests/api/test_public.py checks the body against the schema.
    return api.create_response(request, receipt, status=201 if created else 200)


# --- public: track and rate ------------------------------------------------------------------------


def _rating(case: Case, *, revealed: bool = False) -> dict | None:
    if not case.rating:
        return None
    return {
        "rating": case.rating,
        "label": str(Rating(case.rating).label),
        "comment": case.rating_comment if revealed else mask_personal_data(case.rating_comment),
        "rated_at": case.rated_at,
    }


def _public_view(case: Case) -> dict:
    handling = merged_handling(case)
    entries = AuditEntry.objects.filter(subject_type="case", subject_id=case.pk, public=True).only(
        "created_at", "action", "data", "message"
    )
    return {
        "tracking_code": case.tracking_code,
        "title": mask_personal_data(case.title),
        "details": mask_personal_data(case.details),
        "status": case.status,
        "status_label": case.get_status_display(),
        "created_at": case.created_at,
        "category": case.category.name if case.category_id else None,
        "station": case.station.name if case.station_id else None,
        "timeline": [
            {
                "time": e.created_at,
                "action": e.action,
                "label": public_event_label(e.action),
                "message": mask_personal_data(
                    public_event_message(e.action, e.data, e.message, tracking_code=case.tracking_code)
                ),
            }
            for e in entries
        ],
        "rating": _rating(case),
        "can_rate": case.status == Status.FED_BACK or merged_ratable(case, handling),
        "merged_into": _merged_view(handling),
    }


def _merged_view(handling: Case | None) -> dict | None:
    if handling is None:
        return None
    return {
        "tracking_code": handling.tracking_code,
        "status": handling.status,
        "status_label": handling.get_status_display(),
        "answer": mask_personal_data(handling.public_answer) if handling.fed_back_at else "",
    }


def _tracked_case(tracking_code: str, token: str) -> Case:
    """The case for a code and its follow-up token; a wrong token and an unknown code look the same."""
    generation = token_generation(tracking_code, token) if len(tracking_code) <= 40 else None
    if generation is None:
        raise NotFound(TRACK_NOT_FOUND)
    case = (
        Case.objects.select_related("category", "station")
        .filter(tracking_code=tracking_code, follow_up_generation=generation)
        .first()
    )
    if case is None:
        raise NotFound(TRACK_NOT_FOUND)
    return case


@router.get(
    "/cases/track/{tracking_code}",
    auth=None,
    response={200: PublicCaseOut, **errors_documented(404, 422, 429)},
    summary="凭查询码和凭证查询进度（公开）",
    description="不显示任何姓名和电话；只显示公开的办理记录。查询码或凭证不对一律 404。",
)
def case_track(request: HttpRequest, tracking_code: str, token: str = Query("", max_length=100)):
    limits.check(request, "track", code=tracking_code[:40])
    return _public_view(_tracked_case(tracking_code, token))


@router.post(
    "/cases/track/{tracking_code}/rating",
    auth=None,
    response={200: PublicCaseOut, **errors_documented(400, 404, 409, 422, 429)},
    summary="群众评价（公开）",
    description="满意 / 基本满意 / 不满意；不满意必须写意见，并启动重办。"
    "意见中的电话、身份证号、银行卡号和邮箱会在公开页面、导出和无权查看的人员面前自动隐藏。",
)
def case_rate(request: HttpRequest, tracking_code: str, payload: RatingIn):
    limits.check(request, "rate", code=tracking_code[:40])
    services.case_rate(tracking_code=tracking_code, token=payload.token, rating=payload.rating, comment=payload.comment)
    return _public_view(_tracked_case(tracking_code, payload.token))


def _recover_throttle(request: HttpRequest, tracking_code: str, phone: str) -> None:
    limits.check(request, "recover", code=tracking_code.strip().upper()[:20], phone=normalise_phone(phone.strip())[:20])


@router.post(
    "/cases/recover/code",
    auth=None,
    response={202: RecoverCodeOut, **errors_documented(400, 422, 429)},
    summary="找回查询链接：发送短信验证码（公开）",
    description="填写查询码和登记时留的手机号码。两者一致时向该号码发送 6 位验证码（默认 10 分钟内有效）；"
    "不一致时也返回同样的 202，不透露号码是否正确。按地址、查询码和号码限流，短信受每号码上限约束。",
)
def case_recover_code(request: HttpRequest, payload: RecoverCodeIn):
    _recover_throttle(request, payload.tracking_code, payload.phone)
    recovery.follow_up_code_send(tracking_code=payload.tracking_code, phone=payload.phone)
    return HttpStatus(202, {"detail": _("如果查询码和手机号码与登记时一致，验证码短信已发送到该号码。")})


@router.post(
    "/cases/recover",
    auth=None,
    response={200: CaseReceiptOut, **errors_documented(400, 409, 422, 429)},
    summary="找回查询链接：凭短信验证码换取新凭证（公开）",
    description="验证码正确时生成新的 follow_up_token，原来的链接随即失效。验证码错误、过期、已使用、"
    "输错超过次数或号码不符一律返回同一个 422（code: bad_code）。",
)
def case_recover(request: HttpRequest, payload: RecoverIn):
    _recover_throttle(request, payload.tracking_code, payload.phone)
    case, token = recovery.follow_up_recover(
        tracking_code=payload.tracking_code, phone=payload.phone, code=payload.code
    )
    return {"tracking_code": case.tracking_code, "follow_up_token": token, "status": str(case.status)}


# --- staff: list, detail, transitions --------------------------------------------------------------


def _list_item(case: Case, *, revealed: bool = False) -> dict:
    return {
        "id": case.pk,
        "tracking_code": case.tracking_code,
        "title": case.title if revealed else mask_personal_data(case.title),
        "status": case.status,
        "status_label": case.get_status_display(),
        "light": case.light,
        "channel": case.channel,
        "station": case.station.name if case.station_id else None,
        "current_unit": case.current_unit.name if case.current_unit_id else None,
        "created_at": case.created_at,
        "due_at": case.due_at,
        "contact_phone": case.contact_phone_masked,
    }


@router.get(
    "/cases",
    auth=token_auth,
    response={200: CaseListOut, **errors_documented(401, 422)},
    summary="我可见的民意件",
    description="只列出当前用户按角色和范围可见的民意件；审计员和无关人员得到空列表。",
)
def case_list(request: HttpRequest, filters: Query[CaseFilters]):
    cases = visible_cases(request.auth)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.light:
        cases = cases.filter(light=filters.light)
    if filters.station:
        cases = cases.filter(station_id=filters.station)
    if filters.unit:
        cases = cases.filter(current_unit_id=filters.unit)
    if filters.q and filters.q.strip():
        q = filters.q.strip()
        cases = cases.filter(Q(title__icontains=q) | Q(tracking_code=q.upper()))
    if filters.spam == "only":
        cases = cases.filter(spam=True)
    elif filters.spam != "all":
        cases = cases.filter(spam=False)
    rows = cases.select_related("station", "current_unit").order_by("-created_at", "-id")
    return page_of(rows, page=filters.page, page_size=filters.page_size, item=_list_item)


def _actor_name(entry: AuditEntry) -> str | None:
    if entry.actor is None:  # no account, or a deleted one: the username kept with the entry
        return entry.actor_username or None
    return entry.actor.display_name or entry.actor.username


def _converted_into(user, case: Case) -> dict | None:
    link = selectors.case_suggestion_link(user=user, case=case)
    return None if link is None else {key: link[key] for key in ("id", "number", "title", "state", "state_label")}


def _case_detail(user, case_id: int, *, revealed: bool = False) -> dict:
    """Free text is masked (phone, ID and card numbers, e-mail addresses) unless `revealed` by the audited reveal
    (services.case_reveal_text)."""
    case = case_for_actor(user, case_id)
    entries = AuditEntry.objects.filter(subject_type="case", subject_id=case.pk).select_related("actor")
    dispatches = case.dispatches.select_related("unit", "suggested_unit")
    actions = allowed_actions(user, case)
    suggested, rule = services.case_suggestion(case) if Action.DISPATCH in actions else (None, None)
    shown = (lambda text: text) if revealed else mask_personal_data
    return {
        **_list_item(case, revealed=revealed),
        "details": shown(case.details),
        "request_type": case.request_type,
        "category": case.category.name if case.category_id else None,
        "deputy": case.deputy.name if case.deputy_id else None,
        "division": case.division.name if case.division_id else None,
        "handling_division": case.handling_division.name if case.handling_division_id else None,
        "address": case.address,
        "lat": case.lat,
        "lng": case.lng,
        "anonymous": case.anonymous,
        "contact_name": case.contact_name_masked,
        "ack_due_at": case.ack_due_at,
        "handle_due_at": case.handle_due_at,
        "rating": _rating(case, revealed=revealed),
        "public_answer": shown(case.public_answer),
        "decline_reason": shown(case.decline_reason),
        "timeline": [
            {
                "time": e.created_at,
                "action": e.action,
                "label": event_label(e.action),
                "message": shown(event_message(e.action, e.data, e.message, tracking_code=case.tracking_code)),
                "public": e.public,
                "actor": _actor_name(e),
                "actor_role": e.actor_role,
                "actor_role_label": str(ACTOR_ROLE_LABELS.get(e.actor_role, e.actor_role)),
            }
            for e in entries
        ],
        "photos": [
            {"id": p.pk, "url": f"/api/v1/cases/{case.pk}/photos/{p.pk}", "width": p.width, "height": p.height}
            for p in case.photos.all()
        ],
        "dispatches": [
            {
                "id": d.pk,
                "unit": {"id": d.unit_id, "name": d.unit.name},
                "state": d.state,
                "state_label": d.get_state_display(),
                "request_type": d.request_type,
                "dispatched_at": d.dispatched_at,
                "claim_due_at": d.claim_due_at,
                "handle_due_at": d.handle_due_at,
                "claimed_at": d.claimed_at,
                "returned_at": d.returned_at,
                "return_reason": shown(d.return_reason),
                "replied_at": d.replied_at,
                "reply": shown(d.reply),
                "instruction": shown(d.instruction),
                "instruction_public": d.instruction_public,
                "suggested_unit": {"id": d.suggested_unit_id, "name": d.suggested_unit.name}
                if d.suggested_unit_id
                else None,
                "suggestion_taken": d.suggestion_taken,
            }
            for d in dispatches
        ],
        "allowed_actions": actions,
        "converted_into": _converted_into(user, case),
        "suggested_unit": {
            "id": suggested.pk,
            "name": suggested.name,
            "rule": {
                "id": rule.pk,
                "version": rule.ruleset.version,
                "category": rule.category.name,
                "division": rule.division.name,
            },
        }
        if suggested is not None
        else None,
    }


CaseId = Path(..., ge=1, le=MAX_ID, description="民意件 id")


@router.get(
    "/cases/{case_id}",
    auth=token_auth,
    response={200: CaseDetailOut, **errors_documented(401, 403, 404, 422)},
    summary="民意件详情（含全部办理记录和可执行操作）",
    description="标题、内容、答复、理由、评价和办理记录中的电话、身份证号、银行卡号和邮箱已隐藏；`reveal=true` "
    "显示完整内容（人大办、联络站和代表，记入审计日志 case.text_revealed；其他角色 403，同样记入审计日志）。",
)
def case_detail(
    request: HttpRequest,
    case_id: int = CaseId,
    reveal: bool = Query(False, description="显示文字中的个人信息（留痕）"),
):
    if reveal:
        services.case_reveal_text(actor=request.auth, case_id=case_id)
    return _case_detail(request.auth, case_id, revealed=reveal)


class ContactRevealIn(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    reason: str | None = pydantic.Field(
        None, max_length=10_000, description="查看原因（承办单位必填，最多 200 字；记入审计日志）"
    )


class CaseContactOut(pydantic.BaseModel):
    name: str
    phone: str


@router.post(
    "/cases/{case_id}/contact",
    auth=token_auth,
    response={200: CaseContactOut, **errors_documented(400, 401, 403, 404, 422)},
    summary="查看群众完整联系方式（留痕）",
    description="人大办、联络站和代表可查看；开启 LIANXIN_UNIT_CONTACT_REVEAL 时，正在办理该件的承办单位（已交办、"
    "已签收或已答复待反馈）也可查看，但须填写原因（reason）。每次查看都记入审计日志 case.contact_revealed"
    "（含原因）；无权查看时 403，同样记入审计日志（结果 denied）。",
)
def case_contact_reveal(request: HttpRequest, payload: ContactRevealIn, case_id: int = CaseId):
    contact = services.case_reveal_contact(actor=request.auth, case_id=case_id, reason=payload.reason or "")
    response = api.create_response(request, contact, status=200)
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


@router.get(
    "/cases/{case_id}/photos/{photo_id}",
    auth=token_auth,
    response={200: None, **errors_documented(401, 404, 422)},
    summary="民意件照片（JPEG；仅限可查看该民意件的用户）",
)
def case_photo(request: HttpRequest, case_id: int = CaseId, photo_id: int = Path(..., ge=1, le=MAX_ID)):

    case = case_for_actor(request.auth, case_id)
    photo = CasePhoto.objects.filter(pk=photo_id, case=case).first()
    if photo is None:
        raise NotFound(_("找不到该照片。"))
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise NotFound(_("找不到该照片。")) from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"  # a case photo or file is personal data
    return response


@router.post(
    "/cases/{case_id}/transitions",
    auth=token_auth,
    response={200: CaseDetailOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="执行办理操作",
    description="`action` 取 cases.enums.Action 的值，其余字段按操作而定，例如 "
    '`{"action": "dispatch", "unit_id": 3, "request_type": "help"}`、`{"action": "reply", "message": "…"}`。'
    "返回新的详情（含新的 status 和 allowed_actions）。当前状态或角色不允许时返回 409。",
)
def case_transition(request: HttpRequest, payload: TransitionIn, case_id: int = CaseId):
    data = payload.model_dump(exclude_unset=True, exclude={"action"})
    services.case_transition(actor=request.auth, case_id=case_id, action=payload.action, data=data)
    return _case_detail(request.auth, case_id)


# --- staff: spam ------------------------------------------------------------------------------------


class SpamMarkIn(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    spam: bool = True


class SpamDeclineIn(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    case_ids: list[int] = pydantic.Field(..., min_length=1, max_length=spam.BULK_MAX)
    reason: str = pydantic.Field(..., max_length=10_000)


class SpamDeclineOut(pydantic.BaseModel):
    declined: list[str]


@router.post(
    "/cases/{case_id}/spam",
    auth=token_auth,
    response={200: CaseDetailOut, **errors_documented(401, 404, 409, 422)},
    summary="标记或取消标记垃圾信息",
    description="标记后默认不在列表中显示（列表 spam=only 只看垃圾信息，spam=all 全部）。权限同“不予受理”。",
)
def case_spam_mark(request: HttpRequest, payload: SpamMarkIn, case_id: int = CaseId):
    spam.case_mark_spam(actor=request.auth, case_id=case_id, spam=payload.spam)
    return _case_detail(request.auth, case_id)


@router.post(
    "/cases/spam/decline",
    auth=token_auth,
    response={200: SpamDeclineOut, **errors_documented(401, 404, 409, 422)},
    summary="批量不予受理垃圾信息",
    description="逐件按“不予受理”办理（同一理由，群众收到通知），并标记为垃圾信息；任何一件不可见为 404、"
    "不可办理为 409，整批都不改。",
)
def cases_spam_decline(request: HttpRequest, payload: SpamDeclineIn):
    declined = spam.cases_decline_spam(actor=request.auth, case_ids=payload.case_ids, reason=payload.reason)
    return {"declined": [case.tracking_code for case in declined]}
