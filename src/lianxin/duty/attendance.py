"""Attendance: a deputy checks in by scanning the station's daily code, staff confirm, no-shows are marked.

Attendance, lateness and absences are recorded on the shift (they feed performance points later).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.selectors import user_deputy
from lianxin.audit.services import log_action
from lianxin.duty import conf, rules
from lianxin.duty.codes import check_in_token_valid
from lianxin.duty.enums import CheckInMethod, ShiftState
from lianxin.duty.models import DutyShift
from lianxin.duty.validation import as_int
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.organisation.models import Station


def _late_minutes(shift: DutyShift, at: dt.datetime) -> int:
    late = (at - shift.starts_at).total_seconds() / 60
    return math.ceil(late) if late > conf.late_grace_minutes() else 0


def _log(actor, action: str, shift: DutyShift, **data) -> None:
    log_action(
        actor=actor,
        action=f"duty.{action}",
        subject_type="duty_shift",
        subject_id=shift.pk,
        data={"station": shift.station_id, "deputy": shift.deputy_id, "date": shift.date.isoformat(), **data},
    )


def todays_shift(deputy, station: Station, now: dt.datetime | None = None) -> DutyShift | None:
    now = now or timezone.now()
    return (
        DutyShift.objects.filter(deputy=deputy, station=station, date=timezone.localtime(now).date())
        .select_related("station")
        .first()
    )


@transaction.atomic
def shift_check_in(*, actor, station_code: Any, token: Any, now: dt.datetime | None = None) -> DutyShift:
    """The deputy on duty checks in with today's code of the station (a photo of yesterday's code fails)."""
    now = now or timezone.now()
    deputy = user_deputy(actor)
    if deputy is None:
        raise NotAllowed(_("只有值班代表本人可以扫码签到。"), code="not_a_deputy")
    if not isinstance(station_code, str) or len(station_code) > 40:
        raise NotFound(_("找不到该联络站。"))
    station = Station.objects.filter(code=station_code, active=True).first()
    if station is None:
        raise NotFound(_("找不到该联络站。"))
    if not check_in_token_valid(station.code, token, timezone.localtime(now).date()):
        raise InvalidInput(
            _("签到码无效或已过期，请扫描联络站今天的签到码。"), code="bad_token", fields={"token": [_("签到码无效")]}
        )
    shift = todays_shift(deputy, station, now)
    if shift is None:
        raise NotAllowed(_("您今天在本站没有值班安排。如需补登，请联系工作人员。"), code="no_shift")
    shift = DutyShift.objects.select_for_update().select_related("station").get(pk=shift.pk)
    if shift.state in (ShiftState.PRESENT, ShiftState.LATE):
        raise NotAllowed(_("您已签到，无需重复签到。"), code="already_checked_in")
    opens = shift.starts_at - dt.timedelta(minutes=conf.check_in_opens_minutes())
    if now < opens:
        at = timezone.localtime(opens).strftime("%H:%M")
        raise NotAllowed(_("签到将于 %(at)s 开始。") % {"at": at}, code="too_early")
    if now > shift.ends_at or shift.state == ShiftState.ABSENT:
        raise NotAllowed(_("本次值班已结束，请联系工作人员补登。"), code="too_late")
    late = _late_minutes(shift, now)
    shift.state = ShiftState.LATE if late else ShiftState.PRESENT
    shift.late_minutes = late
    shift.checked_in_at = now
    shift.check_in_method = CheckInMethod.SCAN
    shift.checked_in_by = actor
    shift.save(update_fields=["state", "late_minutes", "checked_in_at", "check_in_method", "checked_in_by"])
    _log(actor, "checked_in", shift, method="scan", late_minutes=late)
    return shift


@transaction.atomic
def shift_confirm(*, actor, shift_id: Any, late_minutes: Any = 0, now: dt.datetime | None = None) -> DutyShift:
    """Staff confirm that the deputy was there (also to correct a no-show), with the minutes late if any."""
    now = now or timezone.now()
    shift = rules.shift_for_actor(actor, shift_id, manage=True)
    shift = DutyShift.objects.select_for_update().select_related("station").get(pk=shift.pk)
    late = as_int(late_minutes or 0, field="late_minutes", label=_("迟到分钟"), minimum=0, maximum=24 * 60)
    if shift.state in (ShiftState.PRESENT, ShiftState.LATE):
        raise NotAllowed(_("该值班已签到。"))
    if now < shift.starts_at - dt.timedelta(minutes=conf.check_in_opens_minutes()):
        raise NotAllowed(_("值班尚未开始，不能确认到岗。"))
    before = shift.state
    shift.state = ShiftState.LATE if late else ShiftState.PRESENT
    shift.late_minutes = late
    shift.checked_in_at = now
    shift.check_in_method = CheckInMethod.STAFF
    shift.checked_in_by = actor
    shift.save(update_fields=["state", "late_minutes", "checked_in_at", "check_in_method", "checked_in_by"])
    _log(actor, "attendance_confirmed", shift, method="staff", late_minutes=late, before=before)
    return shift


@transaction.atomic
def shift_mark_absent(*, shift_id: int, now: dt.datetime | None = None) -> DutyShift | None:
    """System: a shift past its end without a check-in is a no-show. Safe to run twice."""
    now = now or timezone.now()
    shift = DutyShift.objects.select_for_update().filter(pk=shift_id, state=ShiftState.PLANNED, ends_at__lt=now).first()
    if shift is None:
        return None
    shift.state = ShiftState.ABSENT
    shift.save(update_fields=["state"])
    _log(None, "marked_absent", shift)
    return shift
