"""Duty endpoints: rosters (list, generate, add, change, remove), attendance (check-in, staff confirmation)
and swaps. Views only parse input, call the services and selectors of lianxin.duty, and render."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja import Status as HttpStatus

from lianxin.api.auth import token_auth
from lianxin.api.errors import errors_documented
from lianxin.api.schemas import page_of
from lianxin.duty import attendance, rules, services
from lianxin.duty.enums import ShiftState
from lianxin.duty.models import DutyShift, ShiftSwap
from lianxin.duty.schemas import (
    MAX_ID,
    CheckInIn,
    ConfirmIn,
    GenerateIn,
    GenerateOut,
    ShiftChangeIn,
    ShiftFilters,
    ShiftIn,
    ShiftListOut,
    ShiftOut,
    SwapDecisionIn,
    SwapIn,
    SwapOut,
)
from lianxin.errors import InvalidInput

router = Router(tags=["duty"])
ShiftId = Path(..., ge=1, le=MAX_ID, description="值班 id")


def _shift(shift: DutyShift) -> dict:
    return {
        "id": shift.pk,
        "station": shift.station_id,
        "station_name": shift.station.name,
        "deputy": shift.deputy_id,
        "deputy_name": shift.deputy.name,
        "date": shift.date,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "state": shift.state,
        "state_label": str(ShiftState(shift.state).label),
        "source": shift.source,
        "checked_in_at": shift.checked_in_at,
        "check_in_method": shift.check_in_method,
        "late_minutes": shift.late_minutes,
        "note": shift.note,
    }


def _swap(swap: ShiftSwap) -> dict:
    return {
        "id": swap.pk,
        "shift": swap.shift_id,
        "to_deputy": swap.to_deputy_id,
        "counter_shift": swap.counter_shift_id,
        "state": swap.state,
        "reason": swap.reason,
    }


def _reloaded(shift_id: int) -> dict:
    return _shift(DutyShift.objects.select_related("station", "deputy").get(pk=shift_id))


@router.get(
    "/duty/shifts",
    auth=token_auth,
    response={200: ShiftListOut, **errors_documented(401, 422)},
    summary="值班表",
    description="当前用户可见的联络站（工作人员管理的站、代表进驻的站）的值班，按时间排序；最长查询 366 天。",
)
def shift_list(request: HttpRequest, filters: Query[ShiftFilters]):
    start = filters.date_from or timezone.localdate()
    end = filters.date_to or start + dt.timedelta(days=31)
    if end < start or (end - start).days > 366:
        raise InvalidInput(_("时间段无效（结束不早于开始，最长 366 天）。"), fields={"date_to": [_("时间段无效")]})
    if filters.state and filters.state not in ShiftState.values:
        raise InvalidInput(_("出勤状态无效。"), fields={"state": [_("无效")]})
    shifts = rules.visible_shifts(request.auth).filter(date__range=(start, end))
    if filters.station:
        shifts = shifts.filter(station_id=filters.station)
    if filters.deputy:
        shifts = shifts.filter(deputy_id=filters.deputy)
    if filters.state:
        shifts = shifts.filter(state=filters.state)
    rows = shifts.select_related("station", "deputy").order_by("starts_at", "id")
    return page_of(rows, page=filters.page, page_size=filters.page_size, item=_shift)


@router.post(
    "/duty/rosters/generate",
    auth=token_auth,
    response={200: GenerateOut, **errors_documented(400, 401, 404, 422)},
    summary="按接待日规则生成排班",
    description="公平轮换：每个接待日安排值班次数最少的代表，避开申报不能值班的日子和代表在其他站的值班。"
    "已有排班时须 `replace: true`（只替换尚未开始的排班）。",
)
def roster_generate(request: HttpRequest, payload: GenerateIn):
    result = services.roster_generate(
        actor=request.auth,
        station_id=payload.station,
        start=payload.start,
        end=payload.end,
        per_shift=payload.per_shift,
        minimum=payload.minimum,
        start_time=payload.start_time,
        end_time=payload.end_time,
        replace=payload.replace,
    )
    return {
        "created": result.created,
        "days": result.days,
        "removed": result.removed,
        "understaffed": result.understaffed,
        "short": result.short,
    }


@router.post(
    "/duty/shifts",
    auth=token_auth,
    response={201: ShiftOut, **errors_documented(400, 401, 404, 422)},
    summary="手工安排一个值班",
)
def shift_create(request: HttpRequest, payload: ShiftIn):
    shift = services.shift_create(
        actor=request.auth,
        station_id=payload.station,
        deputy_id=payload.deputy,
        date=payload.date,
        start_time=payload.start_time,
        end_time=payload.end_time,
        note=payload.note,
    )
    return HttpStatus(201, _reloaded(shift.pk))


@router.patch(
    "/duty/shifts/{shift_id}",
    auth=token_auth,
    response={200: ShiftOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="调整值班（改期、改时间、换人）",
)
def shift_update(request: HttpRequest, payload: ShiftChangeIn, shift_id: int = ShiftId):
    shift = services.shift_update(
        actor=request.auth,
        shift_id=shift_id,
        date=payload.date,
        start_time=payload.start_time,
        end_time=payload.end_time,
        deputy_id=payload.deputy,
        note=payload.note,
    )
    return _reloaded(shift.pk)


@router.delete(
    "/duty/shifts/{shift_id}",
    auth=token_auth,
    response={204: None, **errors_documented(401, 404, 409, 422)},
    summary="删除尚未开始的值班",
)
def shift_delete(request: HttpRequest, shift_id: int = ShiftId):
    services.shift_delete(actor=request.auth, shift_id=shift_id)
    return HttpStatus(204, None)


@router.post(
    "/duty/shifts/{shift_id}/confirm",
    auth=token_auth,
    response={200: ShiftOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="工作人员确认到岗（也用于更正缺勤）",
)
def shift_confirm(request: HttpRequest, payload: ConfirmIn, shift_id: int = ShiftId):
    shift = attendance.shift_confirm(actor=request.auth, shift_id=shift_id, late_minutes=payload.late_minutes)
    return _reloaded(shift.pk)


@router.post(
    "/duty/check-in",
    auth=token_auth,
    response={200: ShiftOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="代表扫码签到",
    description="`token` 是联络站当日签到码（/stations/<code>/check-in?t=…）中的 t，每天更换。"
    "迟到超过宽限时间记为迟到。",
)
def check_in(request: HttpRequest, payload: CheckInIn):
    shift = attendance.shift_check_in(actor=request.auth, station_code=payload.station, token=payload.token)
    return _reloaded(shift.pk)


@router.post(
    "/duty/shifts/{shift_id}/swaps",
    auth=token_auth,
    response={201: SwapOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="申请换班（交给另一位代表，或与其值班对调）",
)
def swap_request(request: HttpRequest, payload: SwapIn, shift_id: int = ShiftId):
    swap = services.swap_request(
        actor=request.auth,
        shift_id=shift_id,
        to_deputy_id=payload.to_deputy,
        counter_shift_id=payload.counter_shift,
        reason=payload.reason,
    )
    return HttpStatus(201, _swap(swap))


@router.post(
    "/duty/swaps/{swap_id}/decision",
    auth=token_auth,
    response={200: SwapOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="审批换班申请",
)
def swap_decide(request: HttpRequest, payload: SwapDecisionIn, swap_id: int = Path(..., ge=1, le=MAX_ID)):
    swap = services.swap_decide(actor=request.auth, swap_id=swap_id, approve=payload.approve)
    return _swap(swap)
