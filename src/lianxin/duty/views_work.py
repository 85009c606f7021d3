"""Work screens of the duty area: the month roster (staff manage, deputies read), a shift's page, swaps,
a deputy's own duty page with unavailability, and the station's check-in code. Parse, call, render."""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.selectors import user_deputy
from lianxin.duty import attendance, conf, rules, selectors, services
from lianxin.duty.codes import check_in_path, feed_token
from lianxin.duty.enums import ShiftState
from lianxin.errors import REFUSALS, DomainError
from lianxin.organisation.labels import weekday_label
from lianxin.organisation.models import Deputy


def _month(value: str | None) -> tuple[int, int, str]:
    """(year, month, error) from ?month=YYYY-MM; this month and a message when it is malformed."""
    today = timezone.localdate()
    if not value:
        return today.year, today.month, ""
    try:
        parsed = dt.datetime.strptime(value, "%Y-%m")
        if not 2000 <= parsed.year <= 2100:
            raise ValueError
        return parsed.year, parsed.month, ""
    except ValueError:
        return today.year, today.month, "月份格式不正确，已显示本月。"


def _roster_url(station_id: int, year: int, month: int) -> str:
    return f"{reverse('duty:roster')}?station={station_id}&month={year:04d}-{month:02d}"


def _roster_context(request, *, station_id=None, month=None, error=None, values=None):
    stations = rules.visible_stations(request.user).order_by("code")
    station_list = list(stations.select_related("division"))
    if not station_list:
        raise Http404
    wanted = station_id or request.GET.get("station")
    station = next((s for s in station_list if str(s.pk) == str(wanted)), station_list[0])
    year, mon, month_error = _month(month or request.GET.get("month"))
    manage = rules.can_manage_station(request.user, station)
    first = dt.date(year, mon, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    prev_month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (last + dt.timedelta(days=1)).strftime("%Y-%m")
    today = timezone.localdate()
    return {
        "weekday_labels": [weekday_label(i) for i in range(7)],
        "stations": station_list,
        "station": station,
        "manage": manage,
        "year": year,
        "month_start": first,
        "month": mon,
        "month_value": f"{year:04d}-{mon:02d}",
        "prev_month": prev_month,
        "next_month": next_month,
        "weeks": selectors.month_calendar(station, year, mon),
        "summary": selectors.attendance_summary(station, first, last) if manage else [],
        "swaps": selectors.pending_swaps(rules.managed_stations(request.user).filter(pk=station.pk)) if manage else [],
        "deputies": list(Deputy.objects.filter(stations=station, active=True).order_by("code")) if manage else [],
        "reception": selectors.reception_rule_text(station),
        "holiday_policy": selectors.holiday_policy_text(station),
        "defaults": {
            "start": max(today, first).isoformat(),
            "end": (max(today, first) + dt.timedelta(days=364)).isoformat(),
            "per_shift": conf.deputies_per_shift(),
            "minimum": conf.min_shifts_per_deputy(),
            "start_time": conf.shift_start().strftime("%H:%M"),
            "end_time": conf.shift_end().strftime("%H:%M"),
        }
        | (values or {}),
        "error": error,
        "month_error": month_error,
        "is_deputy": user_deputy(request.user) is not None,
        "today": today,
    }


@login_required
def roster(request):
    return render(request, "duty/work/roster.html", _roster_context(request))


@login_required
def roster_year(request):
    """The whole year's roster of a station at a glance (?station=&year=), each month's reception days and deputies."""
    stations = list(rules.visible_stations(request.user).order_by("code").select_related("division"))
    if not stations:
        raise Http404
    wanted = request.GET.get("station")
    station = next((s for s in stations if str(s.pk) == str(wanted)), stations[0])
    today = timezone.localdate()
    year_error = ""
    try:
        year = int(request.GET.get("year") or today.year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year, year_error = today.year, _("年份格式不正确，已显示今年。")
    context = {
        "stations": stations,
        "station": station,
        "year": year,
        "year_error": year_error,
        "months": selectors.year_roster(station, year),
        "reception": selectors.reception_rule_text(station),
        "minimum": conf.deputies_per_shift(),
        "today": today,
    }
    return render(request, "duty/work/roster_year.html", context, status=422 if year_error else 200)


def _fail(request, exc: DomainError, *, station_id, month):
    values = {
        key: request.POST.get(key, "") for key in ("start", "end", "per_shift", "minimum", "start_time", "end_time")
    }
    context = _roster_context(request, station_id=station_id, month=month, error=exc, values=values)
    return render(request, "duty/work/roster.html", context, status=422)


@login_required
@require_POST
def generate(request):
    station_id, month = request.POST.get("station"), request.POST.get("month")
    try:
        result = services.roster_generate(
            actor=request.user,
            station_id=station_id,
            start=request.POST.get("start"),
            end=request.POST.get("end"),
            per_shift=request.POST.get("per_shift"),
            minimum=request.POST.get("minimum"),
            start_time=request.POST.get("start_time"),
            end_time=request.POST.get("end_time"),
            replace=request.POST.get("replace") == "on",
        )
    except REFUSALS as exc:
        return _fail(request, exc, station_id=station_id, month=month)
    messages.success(request, f"已生成 {result.days} 个接待日的 {result.created} 个值班。")
    if result.understaffed:
        messages.warning(request, f"有 {len(result.understaffed)} 个接待日可值班代表不足，请手工补充。")
    if result.short:
        names = "、".join(f"{name}（差 {n} 次）" for name, n in result.short.items())
        messages.warning(request, f"因申报不能值班，以下代表未达到最少值班次数：{names}")
    return redirect(f"{reverse('duty:roster')}?station={int(station_id)}&month={month or ''}")


@login_required
@require_POST
def shift_add(request):
    station_id, month = request.POST.get("station"), request.POST.get("month")
    try:
        shift = services.shift_create(
            actor=request.user,
            station_id=station_id,
            deputy_id=request.POST.get("deputy"),
            date=request.POST.get("date"),
            start_time=request.POST.get("start_time"),
            end_time=request.POST.get("end_time"),
            note=request.POST.get("note", ""),
        )
    except REFUSALS as exc:
        return _fail(request, exc, station_id=station_id, month=month)
    messages.success(request, f"已安排 {shift.deputy.name} {shift.date:%m月%d日} 值班。")
    return redirect(_roster_url(shift.station_id, shift.date.year, shift.date.month))


# --- One shift ------------------------------------------------------------------------------------------------


def _shift_page(request, shift_id, *, error=None, status=200):
    shift = rules.shift_for_actor(request.user, shift_id, manage=False)
    manage = rules.can_manage_station(request.user, shift.station)
    own = user_deputy(request.user)
    mine = own is not None and own.pk == shift.deputy_id
    now = timezone.now()
    colleagues = list(
        Deputy.objects.filter(stations=shift.station, active=True).exclude(pk=shift.deputy_id).order_by("code")
    )
    context = {
        "shift": shift,
        "manage": manage,
        "mine": mine,
        "editable": manage and shift.state == ShiftState.PLANNED and shift.starts_at > now,
        "confirmable": manage
        and shift.state in (ShiftState.PLANNED, ShiftState.ABSENT)
        and now >= shift.starts_at - dt.timedelta(minutes=conf.check_in_opens_minutes()),
        "swappable": (mine or manage) and shift.state == ShiftState.PLANNED and shift.starts_at > now,
        "colleagues": colleagues,
        "swaps": list(shift.swaps.select_related("to_deputy", "counter_shift").all()),
        "error": error,
        "values": request.POST if error else {},
    }
    return render(request, "duty/work/shift.html", context, status=status)


@login_required
def shift_detail(request, shift_id):
    return _shift_page(request, shift_id)


def _shift_action(request, shift_id, call, done: str, then):
    """Run a service; on success flash `done` and return then(result), else re-render the shift page (422)."""
    try:
        result = call()
    except REFUSALS as exc:
        return _shift_page(request, shift_id, error=exc, status=422)
    messages.success(request, done)
    return then(result)


@login_required
@require_POST
def shift_edit(request, shift_id):
    return _shift_action(
        request,
        shift_id,
        lambda: services.shift_update(
            actor=request.user,
            shift_id=shift_id,
            date=request.POST.get("date"),
            start_time=request.POST.get("start_time"),
            end_time=request.POST.get("end_time"),
            deputy_id=request.POST.get("deputy"),
            note=request.POST.get("note"),
        ),
        "已修改值班。",
        lambda shift: redirect("duty:shift", shift_id=shift.pk),
    )


@login_required
@require_POST
def shift_delete(request, shift_id):
    shift = rules.shift_for_actor(request.user, shift_id, manage=True)
    station_id, day = shift.station_id, shift.date
    return _shift_action(
        request,
        shift_id,
        lambda: services.shift_delete(actor=request.user, shift_id=shift_id),
        "已删除值班。",
        lambda _none: redirect(_roster_url(station_id, day.year, day.month)),
    )


@login_required
@require_POST
def shift_confirm(request, shift_id):
    return _shift_action(
        request,
        shift_id,
        lambda: attendance.shift_confirm(
            actor=request.user, shift_id=shift_id, late_minutes=request.POST.get("late_minutes") or 0
        ),
        "已确认到岗。",
        lambda shift: redirect("duty:shift", shift_id=shift.pk),
    )


@login_required
@require_POST
def swap_request(request, shift_id):
    return _shift_action(
        request,
        shift_id,
        lambda: services.swap_request(
            actor=request.user,
            shift_id=shift_id,
            to_deputy_id=request.POST.get("to_deputy"),
            counter_shift_id=request.POST.get("counter_shift") or None,
            reason=request.POST.get("reason", ""),
        ),
        "已提交换班申请，待工作人员审批。",
        lambda _swap: redirect("duty:shift", shift_id=shift_id),
    )


@login_required
@require_POST
def swap_decide(request, swap_id):
    approve = request.POST.get("decision") == "approve"
    try:
        swap = services.swap_decide(actor=request.user, swap_id=swap_id, approve=approve)
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("duty:roster")
    messages.success(request, "已批准换班。" if approve else "已驳回换班申请。")
    shift = swap.shift
    return redirect(_roster_url(shift.station_id, shift.date.year, shift.date.month))


@login_required
@require_POST
def swap_withdraw(request, swap_id):
    try:
        services.swap_withdraw(actor=request.user, swap_id=swap_id)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤回换班申请。")
    return redirect("duty:mine")


# --- A deputy's own duty page -----------------------------------------------------------------------------------


def _mine_context(request, deputy, *, error=None):
    today = timezone.localdate()
    feed = f"{reverse('duty:deputy_ics', args=[deputy.code])}?t={feed_token(deputy.code)}"
    return {
        "deputy": deputy,
        "shifts": selectors.deputy_shifts(deputy, start=today - dt.timedelta(days=30)),
        "unavailability": selectors.deputy_unavailability(deputy, today=today),
        "feed_url": request.build_absolute_uri(feed),
        "error": error,
        "values": request.POST if error else {},
        "now": timezone.now(),
    }


@login_required
def mine(request):
    deputy = user_deputy(request.user)
    if deputy is None:
        raise Http404
    return render(request, "duty/work/mine.html", _mine_context(request, deputy))


@login_required
@require_POST
def unavailability_add(request):
    deputy = user_deputy(request.user)
    if deputy is None:
        raise Http404
    try:
        _item, conflicts = services.unavailability_declare(
            actor=request.user,
            deputy_id=deputy.pk,
            start=request.POST.get("start"),
            end=request.POST.get("end"),
            reason=request.POST.get("reason", ""),
        )
    except REFUSALS as exc:
        return render(request, "duty/work/mine.html", _mine_context(request, deputy, error=exc), status=422)
    messages.success(request, "已申报。")
    if conflicts:
        days = "、".join(f"{s.date:%m月%d日}（{s.station.name}）" for s in conflicts)
        messages.warning(request, f"您在这段时间已有值班：{days}。请申请换班。")
    return redirect("duty:mine")


@login_required
@require_POST
def unavailability_withdraw(request, item_id):
    services.unavailability_withdraw(actor=request.user, unavailability_id=item_id)
    messages.success(request, "已撤销申报。")
    return redirect("duty:mine")


# --- Check-in code -----------------------------------------------------------------------------------------------


@login_required
def check_in_code(request, station_id):
    """Today's check-in QR code of a station, to show on the station's screen or print each morning."""
    station = rules.station_for_actor(request.user, station_id, manage=True)
    url = request.build_absolute_uri(check_in_path(station.code))
    svg = segno.make(url, error="m").svg_inline(scale=8, dark="#000", light="#fff")
    context = {"station": station, "url": url, "svg": svg, "today": timezone.localdate()}
    return render(request, "duty/work/check_in_code.html", context)
