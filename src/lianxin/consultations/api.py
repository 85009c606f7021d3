"""Consultation endpoints: the public list and page (approved comments only) and commenting; staff create,
publish, close, read the comments (masked) and the summary, and moderate.

Views only parse input, call the services and selectors in lianxin.consultations, and render."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja import Status as HttpStatus

from lianxin.api.auth import token_auth
from lianxin.api.errors import errors_documented
from lianxin.api.schemas import MAX_ID
from lianxin.consultations import selectors, services
from lianxin.consultations.models import Comment, Consultation
from lianxin.consultations.rules import comment_for_actor, consultation_for_actor
from lianxin.consultations.schemas import (
    CommentIn,
    CommentReceiptOut,
    ConsultationDetailOut,
    ConsultationListOut,
    ModerationIn,
    StaffCommentListOut,
    StaffCommentOut,
    StaffConsultationIn,
    SummaryOut,
)
from lianxin.errors import NotFound
from lianxin.privacy import mask_personal_data, normalise_phone
from lianxin.throttle import limits

router = Router(tags=["consultations"])

ConsultationId = Path(..., ge=1, le=MAX_ID, description="意见征求 id")
CommentId = Path(..., ge=1, le=MAX_ID, description="意见 id")


def _out(c: Consultation, *, article_count: int, approved_count: int) -> dict:
    return {
        "id": c.pk,
        "kind": c.kind,
        "title": c.title,
        "summary": c.summary,
        "station": c.station.name if c.station_id else None,
        "status": c.status,
        "deadline": c.deadline,
        "open": services.is_open(c),
        "article_count": article_count,
        "approved_count": approved_count,
    }


def _detail(c: Consultation) -> dict:
    articles = list(c.articles.all())
    approved = sum(len(a.approved_comments) for a in articles)
    return {
        **_out(c, article_count=len(articles), approved_count=approved),
        "articles": [
            {
                "id": a.pk,
                "number": a.number,
                "heading": a.heading,
                "text": a.text,
                "comments": [
                    {
                        "author_kind": m.author_kind,
                        "name": m.name_masked,
                        "body": mask_personal_data(m.body),
                        "created_at": m.created_at,
                    }
                    for m in a.approved_comments
                ],
            }
            for a in articles
        ],
    }


def _staff_comment(m: Comment, *, revealed: bool = False) -> dict:
    return {
        "id": m.pk,
        "article_id": m.article_id,
        "article": m.article.heading,
        "author_kind": m.author_kind,
        "name": m.name_masked,
        "phone": m.phone_masked,
        "body": m.body if revealed else mask_personal_data(m.body),
        "status": m.status,
        "moderation_reason": m.moderation_reason,
        "created_at": m.created_at,
    }


# --- public ----------------------------------------------------------------------------------------


@router.get("/consultations", auth=None, response={200: ConsultationListOut}, summary="意见征求列表（公开）")
def consultation_list(request: HttpRequest):
    return {
        "items": [
            _out(c, article_count=c.article_count, approved_count=c.approved_count)
            for c in selectors.public_consultations()
        ]
    }


@router.get(
    "/consultations/{consultation_id}",
    auth=None,
    response={200: ConsultationDetailOut, **errors_documented(404, 422)},
    summary="意见征求的条文和已公开意见（公开）",
)
def consultation_detail(request: HttpRequest, consultation_id: int = ConsultationId):
    found = selectors.public_consultation(consultation_id)
    if found is None:
        raise NotFound(_("找不到该意见征求。"))
    return _detail(found)


@router.post(
    "/consultations/{consultation_id}/comments",
    auth=None,
    response={201: CommentReceiptOut, **errors_documented(400, 404, 409, 415, 422, 429)},
    summary="对某一条提意见（公开，审核后公开）",
    description="征求已截止时 409 closed；条文不属于该征求时 404。"
    "意见中的电话、身份证号、银行卡号和邮箱会在公开页面、导出和无权查看的人员面前自动隐藏。",
)
def comment_create(request: HttpRequest, payload: CommentIn, consultation_id: int = ConsultationId):
    limits.check(request, "comment", phone=normalise_phone(payload.phone or ""), target=consultation_id)
    comment = services.comment_submit(consultation_id=consultation_id, **payload.model_dump())
    return HttpStatus(201, {"id": comment.pk, "status": comment.status, "message": "感谢您的意见，审核通过后公开。"})


# --- staff -----------------------------------------------------------------------------------------


@router.get(
    "/staff/consultations",
    auth=token_auth,
    response={200: ConsultationListOut, **errors_documented(401)},
    summary="我管理的意见征求（含草稿）",
)
def staff_consultation_list(request: HttpRequest):
    rows = selectors.staff_consultations(request.auth)[:200]
    return {"items": [_out(c, article_count=c.article_count, approved_count=c.approved_count) for c in rows]}


@router.post(
    "/staff/consultations",
    auth=token_auth,
    response={201: SummaryOut, **errors_documented(400, 401, 415, 422)},
    summary="新建意见征求（条文之间空一行）",
)
def staff_consultation_create(request: HttpRequest, payload: StaffConsultationIn):
    data = services.ConsultationInput(**payload.model_dump(exclude={"publish"}))
    consultation = services.consultation_create(actor=request.auth, data=data, publish=payload.publish)
    return HttpStatus(201, _summary(consultation))


def _summary(consultation: Consultation) -> dict:
    return {
        "consultation_id": consultation.pk,
        "articles": [
            {
                "article_id": row.article.pk,
                "heading": row.article.heading,
                "total": row.total,
                "approved": row.approved,
                "pending": row.pending,
                "rejected": row.rejected,
                "citizens": row.citizens,
                "deputies": row.deputies,
            }
            for row in selectors.summary(consultation)
        ],
    }


@router.get(
    "/staff/consultations/{consultation_id}/summary",
    auth=token_auth,
    response={200: SummaryOut, **errors_documented(401, 404, 422)},
    summary="按条汇总意见数",
)
def staff_consultation_summary(request: HttpRequest, consultation_id: int = ConsultationId):
    return _summary(consultation_for_actor(request.auth, consultation_id))


@router.post(
    "/staff/consultations/{consultation_id}/publish",
    auth=token_auth,
    response={200: SummaryOut, **errors_documented(401, 404, 409, 422)},
    summary="发布意见征求",
)
def staff_consultation_publish(request: HttpRequest, consultation_id: int = ConsultationId):
    return _summary(services.consultation_publish(actor=request.auth, consultation_id=consultation_id))


@router.post(
    "/staff/consultations/{consultation_id}/close",
    auth=token_auth,
    response={200: SummaryOut, **errors_documented(401, 404, 409, 422)},
    summary="结束意见征求",
)
def staff_consultation_close(request: HttpRequest, consultation_id: int = ConsultationId):
    return _summary(services.consultation_close(actor=request.auth, consultation_id=consultation_id))


@router.get(
    "/staff/consultations/{consultation_id}/comments",
    auth=token_auth,
    response={200: StaffCommentListOut, **errors_documented(401, 403, 404, 422)},
    summary="意见列表（姓名、电话已脱敏）",
    description="意见中的电话、身份证号、银行卡号和邮箱已隐藏；`reveal=true` 显示完整内容（仅人大办、联络站和代表，"
    "记入审计日志；其他角色 403，同样记入审计日志）。",
)
def staff_comment_list(
    request: HttpRequest,
    consultation_id: int = ConsultationId,
    status: str = Query("", pattern="^(|pending|approved|rejected)$"),
    reveal: bool = Query(False, description="显示意见中的个人信息（留痕）"),
):
    consultation = consultation_for_actor(request.auth, consultation_id)
    if reveal:
        services.consultation_reveal_comments(
            actor=request.auth, consultation_id=consultation.pk, status=status or None
        )
    comments = selectors.comments_of(consultation, status=status or None)[:1000]
    return {"items": [_staff_comment(m, revealed=reveal) for m in comments]}


@router.post(
    "/staff/comments/{comment_id}/moderation",
    auth=token_auth,
    response={200: StaffCommentOut, **errors_documented(400, 401, 404, 409, 415, 422)},
    summary="审核意见：approve 公开 / reject 不予公开（须写理由）",
)
def staff_comment_moderate(request: HttpRequest, payload: ModerationIn, comment_id: int = CommentId):
    services.comment_moderate(
        actor=request.auth, comment_id=comment_id, decision=payload.decision, reason=payload.reason
    )
    return _staff_comment(comment_for_actor(request.auth, comment_id))
