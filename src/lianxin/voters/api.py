"""Voter contacts and reports to voters over the API. Endpoints parse input, call services/selectors, render."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja import Status as HttpStatus

from lianxin import privacy
from lianxin.api.auth import token_auth
from lianxin.api.errors import errors_documented
from lianxin.api.schemas import MAX_ID, page_of
from lianxin.errors import InvalidInput, NotFound
from lianxin.voters import conf, report_services, rules, selectors, services
from lianxin.voters.models import Household, VoterContact, VoterReport
from lianxin.voters.schemas import (
    CheckIn,
    CheckOut,
    CodeIn,
    CodeOut,
    ContactFilters,
    ContactIn,
    ContactListOut,
    ContactOut,
    ContactStatsOut,
    DrawIn,
    DrawOut,
    HouseholdIn,
    HouseholdListOut,
    HouseholdOut,
    PublishIn,
    RatedOut,
    ReportIn,
    ReportOut,
    ReportStaffOut,
    VoterRatingIn,
)

router = Router(tags=["voters"])

Id = Path(..., ge=1, le=MAX_ID)


def _household(h: Household) -> dict:
    return {
        "id": h.pk,
        "deputy_id": h.deputy_id,
        "grid_id": h.grid_id,
        "grid": h.grid.name,
        "address": h.address_masked,
        "head_name": h.head_name_masked,
        "head_phone": h.head_phone_masked,
        "paired_on": h.paired_on,
        "active": h.active,
    }


def _contact(c: VoterContact, *, revealed: bool = False) -> dict:
    shown = (lambda text: text) if revealed else privacy.mask_personal_data
    check = getattr(c, "sample_check", None) if hasattr(c, "sample_check") else None
    return {
        "id": c.pk,
        "deputy_id": c.deputy_id,
        "household_id": c.household_id,
        "contacted_on": c.contacted_on,
        "way": c.way,
        "summary": shown(c.summary),
        "raised": shown(c.raised),
        "case_tracking_code": c.case.tracking_code if c.case_id else None,
        "check_result": check.result if check else None,
    }


# --- Pairing and contacts ---------------------------------------------------------------------------------------


@router.get(
    "/voters/deputies/{deputy_id}/households",
    auth=token_auth,
    response={200: HouseholdListOut, **errors_documented(401, 404, 422)},
    summary="代表的结对户（脱敏）",
)
def household_list(request: HttpRequest, deputy_id: int = Id):
    deputy = rules.deputy_for_actor(request.auth, deputy_id)
    items = [_household(h) for h in selectors.households_of(deputy)]
    minimum = conf.pairing_minimum()
    return {"items": items, "pairing_minimum": minimum, "below_minimum": len(items) < minimum}


@router.post(
    "/voters/households",
    auth=token_auth,
    response={201: HouseholdOut, **errors_documented(400, 401, 404, 422)},
    summary="新增结对户",
    description="代表本人或其上级人大办。户主姓名、电话加密保存，返回值已脱敏。",
)
def household_create(request: HttpRequest, payload: HouseholdIn):
    household = services.household_pair(actor=request.auth, **payload.model_dump())
    household = Household.objects.select_related("grid").get(pk=household.pk)
    return HttpStatus(201, _household(household))


@router.get(
    "/voters/contacts",
    auth=token_auth,
    response={200: ContactListOut, **errors_documented(401, 403, 404, 422)},
    summary="代表的联系选民记录",
    description="联系情况和反映的问题中的电话、身份证号等已隐藏；`reveal=true` 显示完整内容（人大办、联络站和代表，"
    "记入审计日志；其他角色 403，同样记入审计日志）。",
)
def contact_list(request: HttpRequest, filters: Query[ContactFilters]):
    deputy = rules.deputy_for_actor(request.auth, filters.deputy_id)
    if filters.reveal:
        services.contacts_reveal_texts(actor=request.auth, deputy_id=deputy.pk)
    contacts = selectors.contacts_of(deputy)
    return page_of(
        contacts, page=filters.page, page_size=filters.page_size, item=lambda c: _contact(c, revealed=filters.reveal)
    )


@router.post(
    "/voters/contacts",
    auth=token_auth,
    response={201: ContactOut, **errors_documented(400, 401, 404, 422)},
    summary="记录一次联系选民",
    description="`create_case: true` 时把 `raised` 登记为民意件（渠道 visit），并与记录关联。",
)
def contact_create(request: HttpRequest, payload: ContactIn):
    contact = services.contact_record(actor=request.auth, **payload.model_dump())
    return HttpStatus(201, _contact(VoterContact.objects.select_related("case").get(pk=contact.pk)))


# --- Sampling (office) --------------------------------------------------------------------------------------------


def _check(check) -> dict:
    return {
        "id": check.pk,
        "contact_id": check.contact_id,
        "deputy_id": check.contact.deputy_id,
        "contacted_on": check.contact.contacted_on,
        "result": check.result,
        "note": check.note,
    }


@router.post(
    "/voters/samples",
    auth=token_auth,
    response={201: DrawOut, **errors_documented(400, 401, 409, 422)},
    summary="抽查某月的联系记录",
    description="同样的记录和种子得到同样的抽样；已被抽中的记录不会再被抽中。没有可抽的记录时 409 empty_pool。",
)
def sample_draw(request: HttpRequest, payload: DrawIn):
    year, month = (int(part) for part in payload.month.split("-"))
    try:
        first = dt.date(year, month, 1)
    except ValueError:
        raise InvalidInput(_("请选择月份。"), fields={"month": [_("请选择月份。")]}) from None
    draw = services.contact_sample_draw(actor=request.auth, month=first, seed=payload.seed)
    checks = draw.checks.select_related("contact").order_by("id")
    body = {
        "id": draw.pk,
        "month": f"{draw.month:%Y-%m}",
        "seed": draw.seed,
        "pool_size": draw.pool_size,
        "checks": [_check(c) for c in checks],
    }
    return HttpStatus(201, body)


@router.post(
    "/voters/checks/{check_id}",
    auth=token_auth,
    response={200: CheckOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="登记回访结果",
)
def check_record(request: HttpRequest, payload: CheckIn, check_id: int = Id):
    check = services.contact_check_record(actor=request.auth, check_id=check_id, **payload.model_dump())
    return _check(check)


# --- Public statistics ---------------------------------------------------------------------------------------------


@router.get(
    "/voters/deputies/{code}/contact-stats",
    response={200: ContactStatsOut, **errors_documented(404, 422)},
    summary="代表联系选民情况（公开，无选民个人信息）",
)
def contact_stats(request: HttpRequest, code: str = Path(..., max_length=40)):
    deputy = selectors.public_deputy(code)
    if deputy is None:
        raise NotFound(_("找不到该代表。"))
    quarters = selectors.public_contact_stats(deputy, timezone.localdate())
    return {
        "deputy_code": deputy.code,
        "deputy_name": deputy.name,
        "households": deputy.households.filter(active=True).count(),
        "pairing_minimum": conf.pairing_minimum(),
        "quarters": [
            {
                "quarter": q.label,
                "start": q.start,
                "contacts": q.contacts,
                "sampled": q.sampled,
                "checked": q.checked,
                "confirmed": q.confirmed,
                "verified_share": q.verified_share,
            }
            for q in quarters
        ],
    }


# --- Reports to voters --------------------------------------------------------------------------------------------


def _result(result) -> dict | None:
    if result is None:
        return None
    return {
        "satisfied": result.satisfied,
        "basically_satisfied": result.basically_satisfied,
        "unsatisfied": result.unsatisfied,
        "rated": result.rated,
        "satisfaction": result.satisfaction,
        "satisfaction_incl_basic": result.satisfaction_incl_basic,
    }


def _report(report: VoterReport, *, revealed: bool = False) -> dict:
    return {
        "id": report.pk,
        "deputy_code": report.deputy.code,
        "deputy_name": report.deputy.name,
        "title": report.title,
        "held_on": report.held_on,
        "place": report.place,
        "text": report.text if revealed else privacy.mask_personal_data(report.text),
        "status": report.status,
        "rating_closes_at": report.rating_closes_at,
        "rating_open": report_services.rating_open(report),
        "result": _result(selectors.published_result(report)),
    }


def _staff_report(report: VoterReport, *, revealed: bool = False) -> dict:
    shown = (lambda text: text) if revealed else privacy.mask_personal_data
    return {
        **_report(report, revealed=revealed),
        "live_result": _result(selectors.live_result(report)),
        "comments": [
            {"rating": c.rating, "comment": shown(c.comment), "name": c.name_masked, "created_at": c.created_at}
            for c in selectors.report_comments(report)
        ],
    }


@router.post(
    "/voters/reports",
    auth=token_auth,
    response={201: ReportStaffOut, **errors_documented(400, 401, 404, 422)},
    summary="安排代表述职（人大办）",
)
def report_create(request: HttpRequest, payload: ReportIn):
    report = report_services.report_schedule(actor=request.auth, **payload.model_dump())
    return HttpStatus(201, _staff_report(report))


@router.get(
    "/voters/reports/{report_id}/staff",
    auth=token_auth,
    response={200: ReportStaffOut, **errors_documented(401, 403, 404, 422)},
    summary="述职详情（含实时评议和群众意见，代表本人和人大办）",
    description="报告和群众意见中的电话、身份证号等已隐藏；`reveal=true` 显示完整内容（人大办和代表，记入审计日志；"
    "其他角色 403，同样记入审计日志）。",
)
def report_staff(
    request: HttpRequest, report_id: int = Id, reveal: bool = Query(False, description="显示文字中的个人信息（留痕）")
):
    if reveal:
        report = report_services.report_reveal_texts(actor=request.auth, report_id=report_id)
        return _staff_report(report, revealed=True)
    return _staff_report(report_services.report_for_actor(request.auth, report_id))


@router.post(
    "/voters/reports/{report_id}/publish",
    auth=token_auth,
    response={200: ReportStaffOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="公开述职报告并开始评议",
)
def report_publish(request: HttpRequest, payload: PublishIn, report_id: int = Id):
    return _staff_report(report_services.report_publish(actor=request.auth, report_id=report_id, text=payload.text))


@router.post(
    "/voters/reports/{report_id}/result",
    auth=token_auth,
    response={200: ReportStaffOut, **errors_documented(401, 404, 409, 422)},
    summary="公布评议结果（截止后，人大办）",
)
def report_result(request: HttpRequest, report_id: int = Id):
    return _staff_report(report_services.report_result_publish(actor=request.auth, report_id=report_id))


@router.get(
    "/voters/reports/{report_id}",
    response={200: ReportOut, **errors_documented(404, 422)},
    summary="公开的述职报告（结果公布后含评议结果）",
)
def report_public(request: HttpRequest, report_id: int = Id):
    return _report(report_services.public_report(report_id))


@router.post(
    "/voters/reports/{report_id}/codes",
    response={201: CodeOut, **errors_documented(400, 404, 409, 422)},
    summary="获取评议短信验证码",
    description="每个手机号对每次述职只能评议一次；已评议过的号码 422 already_rated，发送过于频繁 422 too_soon。",
)
def rating_code(request: HttpRequest, payload: CodeIn, report_id: int = Id):
    record = report_services.rating_code_send(report_id=report_id, phone=payload.phone)
    phone = privacy.normalise_phone(payload.phone)
    return HttpStatus(201, {"sent_to": privacy.mask_phone(phone), "expires_at": record.expires_at})


@router.post(
    "/voters/reports/{report_id}/ratings",
    response={201: RatedOut, **errors_documented(400, 404, 409, 422)},
    summary="评议述职（满意 / 基本满意 / 不满意）",
    description="凭短信验证码评议；同一手机号重复评议返回 422 already_rated（数据库唯一约束，并发也只记一次）。"
    "意见中的电话、身份证号、银行卡号和邮箱会在公开页面、导出和无权查看的人员面前自动隐藏。",
)
def rating_create(request: HttpRequest, payload: VoterRatingIn, report_id: int = Id):
    row = report_services.rating_submit(report_id=report_id, **payload.model_dump())
    return HttpStatus(201, {"report_id": row.report_id, "rating": row.rating})
