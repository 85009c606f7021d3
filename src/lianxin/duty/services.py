"""Duty rosters: generate a year of shifts, edit them, declare unavailability, swap with approval.

Every function takes the actor explicitly, checks they may act (rules.py), runs in one transaction and
writes an audit entry. Attendance lives in attendance.py, the reception register in reception.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.selectors import user_deputy
from lianxin.audit.services import log_action
from lianxin.duty import conf, rules
from lianxin.duty.enums import ShiftSource, ShiftState, SwapState
from lianxin.duty.models import DutyShift, ShiftSwap, Unavailability
from lianxin.duty.schedule import Slot, plan_roster, reception_days
from lianxin.duty.validation import as_date, as_id, as_int, as_text, hours, local_datetime
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.organisation.enums import ReceptionRule
from lianxin.organisation.models import Deputy, Station
from lianxin.workdays.services import is_working_day


def _log(actor, action: str, subject_type: str, subject_id: int, message: str = "", **data) -> None:
    log_action(
        actor=actor,
        action=f"duty.{action}",
        subject_type=subject_type,
        subject_id=subject_id,
        message=message,
        data=data,
    )


def _shift_data(shift: DutyShift) -> dict[str, Any]:
    return {
        "station": shift.station_id,
        "deputy": shift.deputy_id,
        "date": shift.date.isoformat(),
        "starts_at": timezone.localtime(shift.starts_at).strftime("%H:%M"),
        "ends_at": timezone.localtime(shift.ends_at).strftime("%H:%M"),
    }


# --- Generation ------------------------------------------------------------------------------------------


@dataclass
class GenerateResult:
    created: int
    days: int
    removed: int
    understaffed: list[dt.date] = field(default_factory=list)
    short: dict[str, int] = field(default_factory=dict)  # deputy name -> shifts below the minimum


def _station_deputies(station: Station) -> list[Deputy]:
    return list(Deputy.objects.filter(stations=station, active=True).order_by("code"))


@transaction.atomic
def roster_generate(
    *,
    actor,
    station_id: Any,
    start: Any,
    end: Any,
    per_shift: Any = None,
    minimum: Any = None,
    start_time: Any = None,
    end_time: Any = None,
    replace: bool = False,
    allow_past: bool = False,
) -> GenerateResult:
    """Plan the station's reception days from start to end (at most a year) with a fair rotation of its
    deputies. Existing shifts in the range stay unless `replace`, which removes the planned ones not yet begun."""
    station = rules.station_for_actor(actor, station_id, manage=True)
    start = as_date(start, field="start", label=_("开始日期"))
    end = as_date(end, field="end", label=_("结束日期"))
    per_shift = as_int(
        conf.deputies_per_shift() if per_shift in (None, "") else per_shift,
        field="per_shift",
        label=_("每次值班人数"),
        minimum=1,
        maximum=10,
    )
    minimum = as_int(
        conf.min_shifts_per_deputy() if minimum in (None, "") else minimum,
        field="minimum",
        label=_("每位代表最少值班次数"),
        minimum=0,
        maximum=60,
    )
    start_time, end_time = hours(start_time or conf.shift_start(), end_time or conf.shift_end())
    today = timezone.localdate()
    if end < start:
        raise InvalidInput(_("结束日期须不早于开始日期。"), fields={"end": [_("结束日期须不早于开始日期。")]})
    if (end - start).days + 1 > conf.max_generate_days():
        message = _("一次最多生成 %(max_generate_days)s 天的排班。") % {"max_generate_days": conf.max_generate_days()}
        raise InvalidInput(message, fields={"end": [message]})
    if start < today and not allow_past:
        raise InvalidInput(_("不能为已过去的日期排班。"), fields={"start": [_("不能早于今天。")]})
    if station.reception_rule == ReceptionRule.NONE:
        raise InvalidInput(_("该联络站没有固定接待日，请手工安排值班。"), code="no_reception_rule")
    deputies = _station_deputies(station)
    if not deputies:
        raise InvalidInput(_("该联络站还没有进站代表。"), code="no_deputies")

    existing = DutyShift.objects.filter(station=station, date__range=(start, end))
    removed = 0
    if existing.exists():
        if not replace:
            raise InvalidInput(
                _("该时段已有排班。如需重新生成，请选择替换尚未开始的排班。"),
                code="roster_exists",
                fields={"replace": [_("请确认替换")]},
            )
        removed, _detail = existing.filter(state=ShiftState.PLANNED, starts_at__gt=timezone.now()).delete()
    kept_days = set(DutyShift.objects.filter(station=station, date__range=(start, end)).values_list("date", flat=True))
    days = [
        day
        for day in reception_days(
            rule=station.reception_rule,
            weekday=station.reception_weekday,
            monthday=station.reception_monthday,
            start=start,
            end=end,
            is_working_day=is_working_day,
        )
        if day not in kept_days
    ]
    if len(days) * per_shift < len(deputies) * minimum:
        message = _(
            "这段时间共 %(days)s 个接待日、每次 %(per_shift)s 人，"
            "不足以让 %(deputies)s 位代表每人至少值班 %(minimum)s 次。请增加每次值班人数或降低最少次数。"
        ) % {"days": len(days), "per_shift": per_shift, "deputies": len(deputies), "minimum": minimum}
        raise InvalidInput(message, code="not_enough_days", fields={"minimum": [message]})
    ids = [d.pk for d in deputies]
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for deputy_id, starts_at, ends_at in DutyShift.objects.filter(
        deputy_id__in=ids, date__range=(start, end)
    ).values_list("deputy_id", "starts_at", "ends_at"):
        busy.setdefault(deputy_id, []).append((starts_at, ends_at))
    unavailable: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for deputy_id, a, b in Unavailability.objects.filter(deputy_id__in=ids, start__lte=end, end__gte=start).values_list(
        "deputy_id", "start", "end"
    ):
        unavailable.setdefault(deputy_id, []).append((a, b))
    slots = [Slot(day, local_datetime(day, start_time), local_datetime(day, end_time)) for day in days]
    plan = plan_roster(
        slots=slots, deputies=ids, per_shift=per_shift, minimum=minimum, unavailable=unavailable, busy=busy
    )
    DutyShift.objects.bulk_create(
        [
            DutyShift(
                station=station,
                deputy_id=deputy_id,
                date=slot.date,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                source=ShiftSource.GENERATED,
            )
            for slot, deputy_id in plan.assignments
        ]
    )
    names = {d.pk: d.name for d in deputies}
    result = GenerateResult(
        created=len(plan.assignments),
        days=len(days),
        removed=removed,
        understaffed=[slot.date for slot in plan.understaffed],
        short={names[d]: n for d, n in plan.short.items()},
    )
    _log(
        actor,
        "roster_generated",
        "station",
        station.pk,
        message=f"{start.isoformat()}—{end.isoformat()} 生成 {result.created} 个值班",
        start=start.isoformat(),
        end=end.isoformat(),
        created=result.created,
        removed=removed,
        days=len(days),
        per_shift=per_shift,
        minimum=minimum,
        understaffed=len(result.understaffed),
    )
    return result


# --- Editing one shift -------------------------------------------------------------------------------------


def _check_deputy_free(deputy: Deputy, starts_at: dt.datetime, ends_at: dt.datetime, *, exclude: list[int]) -> None:
    """A deputy is never in two places at once and never on a day they declared unavailable."""
    clash = (
        DutyShift.objects.filter(deputy=deputy, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(pk__in=exclude)
        .select_related("station")
        .first()
    )
    if clash is not None:
        message = _("%(name)s在该时段已在%(station)s值班。") % {"name": deputy.name, "station": clash.station.name}
        raise InvalidInput(message, code="clash", fields={"deputy": [message]})
    day = timezone.localtime(starts_at).date()
    if Unavailability.objects.filter(deputy=deputy, start__lte=day, end__gte=day).exists():
        message = _("%(name)s已申报该日不能值班。") % {"name": deputy.name}
        raise InvalidInput(message, code="unavailable", fields={"deputy": [message]})


def _station_deputy(station: Station, deputy_id: Any) -> Deputy:
    deputy_id = as_id(deputy_id, field="deputy", label=_("代表"))
    deputy = Deputy.objects.filter(pk=deputy_id, active=True, stations=station).first()
    if deputy is None:
        raise InvalidInput(_("请选择该联络站的进站代表。"), fields={"deputy": [_("请选择该联络站的进站代表。")]})
    return deputy


def _future_day(day: dt.date) -> dt.date:
    if day < timezone.localdate():
        raise InvalidInput(_("不能安排到已过去的日期。"), fields={"date": [_("不能早于今天。")]})
    return day


@transaction.atomic
def shift_create(
    *, actor, station_id: Any, deputy_id: Any, date: Any, start_time: Any = None, end_time: Any = None, note: Any = ""
) -> DutyShift:
    station = rules.station_for_actor(actor, station_id, manage=True)
    deputy = _station_deputy(station, deputy_id)
    day = _future_day(as_date(date, field="date", label=_("日期")))
    start_time, end_time = hours(start_time or conf.shift_start(), end_time or conf.shift_end())
    note = as_text(note, field="note", label=_("备注"), maximum=200)
    starts_at, ends_at = local_datetime(day, start_time), local_datetime(day, end_time)
    if DutyShift.objects.filter(station=station, date=day, deputy=deputy).exists():
        raise InvalidInput(_("该代表当天已在本站值班。"), code="duplicate", fields={"deputy": [_("当天已有值班。")]})
    _check_deputy_free(deputy, starts_at, ends_at, exclude=[])
    shift = DutyShift.objects.create(
        station=station,
        deputy=deputy,
        date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
        source=ShiftSource.MANUAL,
    )
    _log(actor, "shift_created", "duty_shift", shift.pk, **_shift_data(shift))
    return shift


def _planned(shift: DutyShift) -> None:
    if shift.state != ShiftState.PLANNED or shift.starts_at <= timezone.now():
        raise NotAllowed(_("只能修改尚未开始的值班。"))


@transaction.atomic
def shift_update(
    *, actor, shift_id: Any, date: Any, start_time: Any, end_time: Any, deputy_id: Any = None, note: Any = None
) -> DutyShift:
    """Move a shift (e.g. off a holiday) or give it to another deputy of the station."""
    shift = rules.shift_for_actor(actor, shift_id, manage=True)
    shift = DutyShift.objects.select_for_update().select_related("station", "deputy").get(pk=shift.pk)
    _planned(shift)
    before = _shift_data(shift)
    day = _future_day(as_date(date, field="date", label=_("日期")))
    start_time, end_time = hours(start_time, end_time)
    deputy = shift.deputy if deputy_id in (None, "") else _station_deputy(shift.station, deputy_id)
    starts_at, ends_at = local_datetime(day, start_time), local_datetime(day, end_time)
    if starts_at <= timezone.now():
        raise InvalidInput(_("不能安排到已过去的时间。"), fields={"start_time": [_("不能早于现在。")]})
    if DutyShift.objects.filter(station=shift.station, date=day, deputy=deputy).exclude(pk=shift.pk).exists():
        raise InvalidInput(_("该代表当天已在本站值班。"), code="duplicate", fields={"deputy": [_("当天已有值班。")]})
    _check_deputy_free(deputy, starts_at, ends_at, exclude=[shift.pk])
    shift.date, shift.starts_at, shift.ends_at, shift.deputy = day, starts_at, ends_at, deputy
    if note is not None:
        shift.note = as_text(note, field="note", label=_("备注"), maximum=200)
    shift.reminded_at = None
    shift.save()
    _log(actor, "shift_updated", "duty_shift", shift.pk, before=before, after=_shift_data(shift))
    return shift


@transaction.atomic
def shift_delete(*, actor, shift_id: Any) -> None:
    shift = rules.shift_for_actor(actor, shift_id, manage=True)
    _planned(shift)
    data = _shift_data(shift)
    pk = shift.pk
    shift.delete()
    _log(actor, "shift_deleted", "duty_shift", pk, **data)


# --- Unavailability ----------------------------------------------------------------------------------------


@transaction.atomic
def unavailability_declare(
    *, actor, deputy_id: Any, start: Any, end: Any, reason: Any = ""
) -> tuple[Unavailability, list[DutyShift]]:
    """A deputy (or staff for them) declares days they cannot serve. Returns the declaration and the shifts
    already planned in those days, which need a swap or a change by staff."""
    deputy = rules.deputies_for_actor(actor, deputy_id)
    start = as_date(start, field="start", label=_("开始日期"))
    end = as_date(end, field="end", label=_("结束日期"))
    reason = as_text(reason, field="reason", label=_("原因"), maximum=200)
    if end < start:
        raise InvalidInput(_("结束日期须不早于开始日期。"), fields={"end": [_("结束日期须不早于开始日期。")]})
    if end < timezone.localdate():
        raise InvalidInput(_("不能申报已过去的日期。"), fields={"end": [_("不能早于今天。")]})
    if (end - start).days >= 366:
        raise InvalidInput(_("一次最多申报一年。"), fields={"end": [_("一次最多申报一年。")]})
    item = Unavailability.objects.create(deputy=deputy, start=start, end=end, reason=reason, created_by=actor)
    conflicts = list(
        DutyShift.objects.filter(deputy=deputy, date__range=(start, end), state=ShiftState.PLANNED).select_related(
            "station"
        )
    )
    _log(
        actor,
        "unavailability_declared",
        "deputy",
        deputy.pk,
        start=start.isoformat(),
        end=end.isoformat(),
        conflicts=len(conflicts),
    )
    return item, conflicts


@transaction.atomic
def unavailability_withdraw(*, actor, unavailability_id: Any) -> None:
    pk = as_id(unavailability_id, field="unavailability", label=_("申报"))
    item = Unavailability.objects.filter(pk=pk).first()
    if item is None:
        raise NotFound(_("找不到该申报。"))
    rules.deputies_for_actor(actor, item.deputy_id)  # 404 if not theirs to manage
    item.delete()
    _log(actor, "unavailability_withdrawn", "deputy", item.deputy_id, start=item.start.isoformat())


# --- Swaps -------------------------------------------------------------------------------------------------


def _check_swap(shift: DutyShift, to_deputy: Deputy, counter: DutyShift | None) -> None:
    exclude = [shift.pk] + ([counter.pk] if counter else [])
    _check_deputy_free(to_deputy, shift.starts_at, shift.ends_at, exclude=exclude)
    if (
        DutyShift.objects.filter(station=shift.station, date=shift.date, deputy=to_deputy)
        .exclude(pk__in=exclude)
        .exists()
    ):
        raise InvalidInput(_("接替代表当天已在本站值班。"), fields={"to_deputy": [_("当天已有值班。")]})
    if counter is not None:
        _check_deputy_free(shift.deputy, counter.starts_at, counter.ends_at, exclude=exclude)


@transaction.atomic
def swap_request(
    *, actor, shift_id: Any, to_deputy_id: Any, counter_shift_id: Any = None, reason: Any = ""
) -> ShiftSwap:
    """The deputy on duty (or staff) asks to hand the shift to another deputy of the station, or to exchange
    it for one of theirs. Staff approve it with swap_decide."""
    shift = rules.shift_for_actor(actor, shift_id, manage=False)
    own = user_deputy(actor)
    if not (own is not None and own.pk == shift.deputy_id) and not rules.can_manage_station(actor, shift.station):
        raise NotAllowed(_("只能为自己的值班申请换班。"))
    _planned(shift)
    reason = as_text(reason, field="reason", label=_("理由"), maximum=200)
    to_deputy = _station_deputy(shift.station, to_deputy_id)
    if to_deputy.pk == shift.deputy_id:
        raise InvalidInput(_("请选择另一位代表。"), fields={"to_deputy": [_("请选择另一位代表。")]})
    counter = None
    if counter_shift_id not in (None, ""):
        counter_id = as_id(counter_shift_id, field="counter_shift", label=_("对调的值班"))
        counter = DutyShift.objects.filter(
            pk=counter_id,
            deputy=to_deputy,
            station=shift.station,
            state=ShiftState.PLANNED,
            starts_at__gt=timezone.now(),
        ).first()
        if counter is None:
            raise InvalidInput(_("对调的值班须是接替代表在本站尚未开始的值班。"), fields={"counter_shift": [_("无效")]})
    if shift.swaps.filter(state=SwapState.PENDING).exists():
        raise NotAllowed(_("该值班已有待审批的换班申请。"))
    _check_swap(shift, to_deputy, counter)
    swap = ShiftSwap.objects.create(
        shift=shift, to_deputy=to_deputy, counter_shift=counter, reason=reason, requested_by=actor
    )
    _log(
        actor,
        "swap_requested",
        "duty_shift",
        shift.pk,
        to_deputy=to_deputy.pk,
        counter_shift=counter.pk if counter else None,
    )
    return swap


def swap_for_actor(actor, swap_id: Any, *, manage: bool) -> ShiftSwap:
    pk = as_id(swap_id, field="swap", label=_("换班申请")) if not isinstance(swap_id, int) else swap_id
    swap = ShiftSwap.objects.filter(pk=pk).select_related("shift__station", "shift__deputy", "to_deputy").first()
    if swap is None:
        raise NotFound(_("找不到该换班申请。"))
    if manage and not rules.can_manage_station(actor, swap.shift.station):
        raise NotFound(_("找不到该换班申请。"))
    if not manage and swap.requested_by_id != getattr(actor, "pk", None):
        raise NotFound(_("找不到该换班申请。"))
    return swap


@transaction.atomic
def swap_decide(*, actor, swap_id: Any, approve: bool) -> ShiftSwap:
    swap = swap_for_actor(actor, swap_id, manage=True)
    if swap.state != SwapState.PENDING:
        raise NotAllowed(_("该换班申请已处理。"))
    shift = DutyShift.objects.select_for_update().select_related("station", "deputy").get(pk=swap.shift_id)
    counter = DutyShift.objects.select_for_update().get(pk=swap.counter_shift_id) if swap.counter_shift_id else None
    if approve:
        _planned(shift)
        if counter is not None:
            _planned(counter)
        _check_swap(shift, swap.to_deputy, counter)
        original = shift.deputy
        shift.deputy, shift.reminded_at = swap.to_deputy, None
        shift.save(update_fields=["deputy", "reminded_at"])
        if counter is not None:
            counter.deputy, counter.reminded_at = original, None
            counter.save(update_fields=["deputy", "reminded_at"])
    swap.state = SwapState.APPROVED if approve else SwapState.REJECTED
    swap.decided_by, swap.decided_at = actor, timezone.now()
    swap.save(update_fields=["state", "decided_by", "decided_at"])
    _log(actor, "swap_approved" if approve else "swap_rejected", "duty_shift", shift.pk, swap=swap.pk)
    return swap


@transaction.atomic
def swap_withdraw(*, actor, swap_id: Any) -> ShiftSwap:
    swap = swap_for_actor(actor, swap_id, manage=False)
    if swap.state != SwapState.PENDING:
        raise NotAllowed(_("该换班申请已处理。"))
    swap.state = SwapState.WITHDRAWN
    swap.save(update_fields=["state"])
    _log(actor, "swap_withdrawn", "duty_shift", swap.shift_id, swap=swap.pk)
    return swap
