"""Events: every state change is one function here, in one transaction, with an audit entry.

Sign-ups never overbook: each sign-up, cancellation or capacity change locks the event row
(`select_for_update`, which PostgreSQL honours) and counts the confirmed sign-ups inside that
transaction. On SQLite the same code is serialised by the database itself: the connection opens every
transaction with BEGIN IMMEDIATE (settings.py), which takes the single write lock up front.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import privacy, validation
from lianxin.audit.services import log_action
from lianxin.cases.enums import RequestType
from lianxin.cases.intake import Submission, case_register
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.events import conf
from lianxin.events.codes import new_checkin_code, new_signup_code, signup_token_matches
from lianxin.events.enums import ACTIVE_SIGNUP_STATES, EventKind, EventStatus, SignUpStatus
from lianxin.events.models import Event, SignUp
from lianxin.events.notices import queue_signup_notice
from lianxin.events.rules import event_for_actor, manageable_stations
from lianxin.organisation.models import HandlingUnit

TITLE_MAX = 100
DESCRIPTION_MAX = 5000
LOCATION_MAX = 200
NAME_MAX = 30
REASON_MAX = 200


@dataclass
class EventInput:
    """What staff fill in for an event, before validation."""

    station_id: int | None = None
    kind: str = EventKind.THEME
    title: str = ""
    description: str = ""
    location: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    capacity: int | None = None
    unit_id: int | None = None


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)


def _validate_event(actor, data: EventInput, *, confirmed: int = 0):
    errors = validation.Errors()
    data.title = validation.text(
        data.title, field="title", label=_("活动标题"), max_length=TITLE_MAX, required=True, errors=errors
    )
    data.description = validation.text(
        data.description,
        field="description",
        label=_("活动介绍"),
        max_length=DESCRIPTION_MAX,
        multiline=True,
        errors=errors,
    )
    data.location = validation.text(
        data.location, field="location", label=_("地点"), max_length=LOCATION_MAX, errors=errors
    )
    if data.kind not in EventKind.values:
        _add(errors, "kind", _("活动类型无效。"))
    station = None
    try:
        station = manageable_stations(actor).filter(pk=int(data.station_id)).first() if data.station_id else None
    except (TypeError, ValueError):
        station = None
    if station is None:
        _add(errors, "station", _("请选择您管理的联络站。"))
    unit = None
    if data.unit_id:
        try:
            unit = HandlingUnit.objects.filter(pk=int(data.unit_id), active=True).first()
        except (TypeError, ValueError):
            unit = None
        if unit is None:
            _add(errors, "unit", _("进站部门无效。"))
    if data.kind == EventKind.STATION_VISIT and not data.unit_id:
        _add(errors, "unit", _("部门进站活动须选择进站的部门。"))
    if not isinstance(data.starts_at, dt.datetime):
        _add(errors, "starts_at", _("请填写开始时间。"))
    if not isinstance(data.ends_at, dt.datetime):
        _add(errors, "ends_at", _("请填写结束时间。"))
    elif isinstance(data.starts_at, dt.datetime) and data.ends_at <= data.starts_at:
        _add(errors, "ends_at", _("结束时间须晚于开始时间。"))
    capacity = data.capacity
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        _add(errors, "capacity", _("请填写名额（整数）。"))
    elif capacity < 1 or capacity > conf.capacity_max():
        _add(errors, "capacity", _("名额须在 1 到 %(capacity_max)s 之间。") % {"capacity_max": conf.capacity_max()})
    elif capacity < confirmed:
        _add(errors, "capacity", _("已有 %(confirmed)s 人报名，名额不能少于已报名人数。") % {"confirmed": confirmed})
    _raise(errors)
    return station, unit


@transaction.atomic
def event_create(*, actor, data: EventInput, publish: bool = False) -> Event:
    station, unit = _validate_event(actor, data)
    now = timezone.now()
    event = Event.objects.create(
        station=station,
        unit=unit,
        kind=data.kind,
        title=data.title,
        description=data.description,
        location=data.location,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        capacity=data.capacity,
        status=EventStatus.PUBLISHED if publish else EventStatus.DRAFT,
        published_at=now if publish else None,
        created_by=actor,
    )
    log_action(
        actor=actor,
        action="event.created",
        subject_type="event",
        subject_id=event.pk,
        data={"title": event.title, "station": station.code, "capacity": event.capacity, "published": publish},
    )
    return event


def _locked(actor, event_id) -> Event:
    """The actor's event (404 otherwise), re-read under a row lock."""
    event = event_for_actor(actor, event_id)
    return Event.objects.select_for_update(of=("self",)).select_related("station", "unit").get(pk=event.pk)


@transaction.atomic
def event_update(*, actor, event_id, data: EventInput) -> Event:
    event = _locked(actor, event_id)
    if event.status == EventStatus.CANCELLED:
        raise NotAllowed(_("活动已取消，不能修改。"))
    confirmed = event.signups.filter(status=SignUpStatus.CONFIRMED).count()
    station, unit = _validate_event(actor, data, confirmed=confirmed)
    before = {"title": event.title, "capacity": event.capacity, "starts_at": event.starts_at.isoformat()}
    for name in ("kind", "title", "description", "location", "starts_at", "ends_at", "capacity"):
        setattr(event, name, getattr(data, name))
    event.station, event.unit = station, unit
    event.save()
    log_action(
        actor=actor,
        action="event.updated",
        subject_type="event",
        subject_id=event.pk,
        data={"before": before, "after": {"title": event.title, "capacity": event.capacity}},
    )
    _fill_from_waitlist(event)
    return event


@transaction.atomic
def event_publish(*, actor, event_id) -> Event:
    event = _locked(actor, event_id)
    if event.status != EventStatus.DRAFT:
        raise NotAllowed(_("只有草稿可以发布。"))
    if event.starts_at <= timezone.now():
        raise NotAllowed(_("活动开始时间已过，不能发布。"))
    event.status = EventStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at"])
    log_action(actor=actor, action="event.published", subject_type="event", subject_id=event.pk, public=True)
    return event


@transaction.atomic
def event_cancel(*, actor, event_id, reason: str) -> Event:
    event = _locked(actor, event_id)
    reason = validation.text(reason, field="reason", label=_("取消原因"), max_length=REASON_MAX, required=True)
    if event.status == EventStatus.CANCELLED:
        raise NotAllowed(_("活动已取消。"))
    event.status = EventStatus.CANCELLED
    event.cancelled_at = timezone.now()
    event.cancel_reason = reason
    event.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    active = list(event.signups.filter(status__in=ACTIVE_SIGNUP_STATES))
    for signup in active:
        queue_signup_notice(
            signup, "event.cancelled", f"【连心】您报名的活动“{event.title[:20]}”已取消：{reason[:40]}。"
        )
    log_action(
        actor=actor,
        action="event.cancelled",
        subject_type="event",
        subject_id=event.pk,
        public=True,
        message=reason,
        data={"notified": len(active)},
    )
    return event


# --- Citizens: sign up and cancel -----------------------------------------------------------------------


def _validate_signup(name: str, phone: str, consent: bool) -> tuple[str, str]:
    errors = validation.Errors()
    name = validation.text(name, field="name", label=_("姓名"), max_length=NAME_MAX, required=True, errors=errors)
    phone = privacy.normalise_phone(phone) if isinstance(phone, str) else ""
    if not phone:
        _add(errors, "phone", _("请填写手机号码。"))
    elif len(phone) > 20 or not privacy.is_valid_phone(phone):
        _add(errors, "phone", _("请填写正确的手机号码或固定电话。"))
    if consent is not True:
        _add(errors, "consent", _("请阅读并同意个人信息告知。"))
    _raise(errors)
    return name, phone


def _new_codes(event: Event) -> tuple[str, str]:
    for _attempt in range(10):
        code = new_signup_code()
        if not SignUp.objects.filter(code=code).exists():
            break
    for _attempt in range(20):
        checkin = new_checkin_code()
        if not SignUp.objects.filter(event=event, checkin_code=checkin).exists():
            break
    return code, checkin


def signup_create(*, event_id, name: str, phone: str, consent: bool) -> SignUp:
    """Sign a citizen up: confirmed while places are left, then waitlisted; one active sign-up per phone."""
    name, phone = _validate_signup(name, phone, consent)
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该活动。")) from None
    phone_hash = privacy.keyed_hash(phone)
    try:
        with transaction.atomic():
            return _signup_locked(event_id, name, phone, phone_hash)
    except IntegrityError:
        # Only reachable if two sign-ups of one phone raced past the lock: the constraint holds the line.
        raise NotAllowed(_("该手机号已报名此活动。"), code="already_signed_up") from None


def _signup_locked(event_id: int, name: str, phone: str, phone_hash: str) -> SignUp:
    event = Event.objects.select_for_update().filter(pk=event_id, status=EventStatus.PUBLISHED).first()
    if event is None:
        raise NotFound(_("找不到该活动。"))
    now = timezone.now()
    if event.starts_at <= now:
        raise NotAllowed(_("活动已开始，报名已截止。"), code="signup_closed")
    active = event.signups.filter(status__in=ACTIVE_SIGNUP_STATES)
    if active.filter(phone_hash=phone_hash).exists():
        raise NotAllowed(_("该手机号已报名此活动。"), code="already_signed_up")
    confirmed = active.filter(status=SignUpStatus.CONFIRMED).count()
    if confirmed < event.capacity:
        status = SignUpStatus.CONFIRMED
    elif active.filter(status=SignUpStatus.WAITLISTED).count() < conf.waitlist_max():
        status = SignUpStatus.WAITLISTED
    else:
        raise NotAllowed(_("名额和候补名单都已满。"), code="full")
    code, checkin = _new_codes(event)
    signup = SignUp.objects.create(
        event=event,
        code=code,
        checkin_code=checkin,
        status=status,
        name_enc=privacy.encrypt(name),
        name_masked=privacy.mask_name(name),
        phone_enc=privacy.encrypt(phone),
        phone_hash=phone_hash,
        phone_masked=privacy.mask_phone(phone),
        consent_at=now,
    )
    log_action(
        actor=None,
        actor_role="citizen",
        action="event.signed_up",
        subject_type="event",
        subject_id=event.pk,
        data={"signup": signup.code, "status": status, "phone": signup.phone_masked},
    )
    return signup


def signup_for_token(code: str, token: str) -> SignUp:
    """The sign-up behind a private link; a wrong token and an unknown code look the same."""
    if not signup_token_matches(code, token):
        raise NotFound(_("报名码或链接不正确。"))
    signup = SignUp.objects.select_related("event__station", "event__unit").filter(code=code).first()
    if signup is None:
        raise NotFound(_("报名码或链接不正确。"))
    return signup


def signup_cancel(*, code: str, token: str) -> SignUp:
    """The citizen cancels with their private link; the first on the waitlist moves up and is told."""
    found = signup_for_token(code, token)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=found.event_id)
        signup = SignUp.objects.get(pk=found.pk)
        if signup.status == SignUpStatus.CANCELLED:
            raise NotAllowed(_("该报名已取消。"))
        if event.starts_at <= timezone.now():
            raise NotAllowed(_("活动已开始，不能取消报名。"))
        previous = signup.status
        signup.status = SignUpStatus.CANCELLED
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["status", "cancelled_at"])
        log_action(
            actor=None,
            actor_role="citizen",
            action="event.signup_cancelled",
            subject_type="event",
            subject_id=event.pk,
            data={"signup": signup.code, "was": previous},
        )
        if event.status == EventStatus.PUBLISHED:
            _fill_from_waitlist(event)
    return signup


def _fill_from_waitlist(event: Event) -> list[SignUp]:
    """Move the first waitlisted sign-ups up into free places. Call with the event row locked."""
    free = event.capacity - event.signups.filter(status=SignUpStatus.CONFIRMED).count()
    if free <= 0:
        return []
    now = timezone.now()
    promoted = list(event.signups.filter(status=SignUpStatus.WAITLISTED).order_by("created_at", "id")[:free])
    for signup in promoted:
        signup.status = SignUpStatus.CONFIRMED
        signup.promoted_at = now
        signup.save(update_fields=["status", "promoted_at"])
        queue_signup_notice(
            signup,
            "event.promoted",
            f"【连心】您候补的活动“{event.title[:20]}”已有名额，报名成功。签到码 {signup.checkin_code}。",
        )
        log_action(
            actor=None,
            actor_role="system",
            action="event.signup_promoted",
            subject_type="event",
            subject_id=event.pk,
            data={"signup": signup.code},
        )
    return promoted


# --- Staff at the event: attendance and matters raised -------------------------------------------------


@transaction.atomic
def attendance_record(*, actor, event_id, checkin_code: str) -> SignUp:
    event = _locked(actor, event_id)
    code = "".join((checkin_code or "").split()) if isinstance(checkin_code, str) else ""
    if not code:
        raise InvalidInput(_("请输入签到码。"), fields={"checkin_code": [_("请输入签到码。")]})
    if len(code) > 8 or not code.isdigit():
        raise InvalidInput(_("签到码是 6 位数字。"), fields={"checkin_code": [_("签到码是 6 位数字。")]})
    if event.status != EventStatus.PUBLISHED:
        raise NotAllowed(_("活动未发布或已取消，不能签到。"))
    signup = event.signups.select_for_update().filter(checkin_code=code).first()
    if signup is None:
        raise InvalidInput(_("没有这个签到码。"), fields={"checkin_code": [_("没有这个签到码。")]})
    if signup.status != SignUpStatus.CONFIRMED:
        raise NotAllowed(_("该报名%(status)s，不能签到。") % {"status": signup.get_status_display()})
    if signup.attended_at is not None:
        raise NotAllowed(_("已签到，请勿重复签到。"), code="already_attended")
    signup.attended_at = timezone.now()
    signup.attendance_recorded_by = actor
    signup.save(update_fields=["attended_at", "attendance_recorded_by"])
    log_action(
        actor=actor,
        action="event.attended",
        subject_type="event",
        subject_id=event.pk,
        data={"signup": signup.code, "name": signup.name_masked},
    )
    return signup


def event_case_register(
    *,
    actor,
    event_id,
    title: str,
    details: str,
    contact_name: str = "",
    contact_phone: str = "",
    consent: bool = False,
    category_id: int | None = None,
    request_type: str = RequestType.HELP,
):
    """A matter raised at the event becomes a walk-in Case of the event's station, linked to the event."""
    event = event_for_actor(actor, event_id)
    if event.status == EventStatus.DRAFT:
        raise NotAllowed(_("活动尚未发布。"))
    submission = Submission(
        title=title,
        details=details,
        channel="walk_in",
        station_code=event.station.code,
        category_id=category_id,
        request_type=request_type or RequestType.HELP,
        contact_name=contact_name,
        contact_phone=contact_phone,
        anonymous=not (contact_name or contact_phone),
        consent=consent,
    )
    with transaction.atomic():
        case, _created = case_register(submission=submission, actor=actor)
        event.cases.add(case)
        log_action(
            actor=actor,
            action="event.case_registered",
            subject_type="event",
            subject_id=event.pk,
            data={"case": case.tracking_code},
        )
    return case
