"""Event endpoints: the public list, an event and signing up / cancelling with the private token; staff
create, publish, cancel, list sign-ups (masked), record attendance and register matters raised.

Views only parse input, call the services and selectors in lianxin.events, and render."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja import Status as HttpStatus

from lianxin.api.auth import token_auth
from lianxin.api.errors import errors_documented
from lianxin.api.schemas import MAX_ID
from lianxin.errors import NotFound
from lianxin.events import selectors, services
from lianxin.events.codes import signup_token
from lianxin.events.enums import EventStatus, SignUpStatus
from lianxin.events.models import Event, SignUp
from lianxin.events.rules import can_view_visits, event_for_actor
from lianxin.events.schemas import (
    CancelIn,
    CheckInIn,
    DepartmentVisitListOut,
    EventCaseIn,
    EventCaseOut,
    EventListOut,
    EventOut,
    SignUpIn,
    SignUpOut,
    StaffEventIn,
    StaffEventOut,
    StaffSignUpListOut,
    StaffSignUpOut,
    TokenIn,
)
from lianxin.organisation.models import HandlingUnit
from lianxin.privacy import normalise_phone
from lianxin.throttle import limits

router = Router(tags=["events"])

EventId = Path(..., ge=1, le=MAX_ID, description="活动 id")
VISITS_START = Query(None, description="开始时间（含）")
VISITS_END = Query(None, description="结束时间（不含）")


def _event_out(event: Event) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "title": event.title,
        "description": event.description,
        "location": event.location,
        "station_code": event.station.code,
        "station_name": event.station.name,
        "unit": event.unit.name if event.unit_id else None,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "capacity": event.capacity,
        "confirmed": event.confirmed_count,
        "waitlisted": event.waitlist_count,
        "status": event.status,
        "open_for_signup": event.status == EventStatus.PUBLISHED and event.starts_at > timezone.now(),
    }


def _signup_out(signup: SignUp) -> dict:
    return {
        "code": signup.code,
        "token": signup_token(signup.code),
        "status": signup.status,
        "status_label": signup.get_status_display(),
        "checkin_code": signup.checkin_code if signup.status == SignUpStatus.CONFIRMED else None,
        "event_id": signup.event_id,
    }


# --- public ----------------------------------------------------------------------------------------


@router.get(
    "/events",
    auth=None,
    response={200: EventListOut, **errors_documented(422)},
    summary="即将举行的活动（公开）",
)
def event_list(request: HttpRequest, station: str = Query("", max_length=40, description="联络站编码")):
    upcoming, _past = selectors.public_events(station_code=station)
    return {"items": [_event_out(event) for event in upcoming]}


@router.get(
    "/events/{event_id}",
    auth=None,
    response={200: EventOut, **errors_documented(404, 422)},
    summary="活动详情（公开）",
)
def event_detail(request: HttpRequest, event_id: int = EventId):
    event = selectors.public_event(event_id)
    if event is None:
        raise NotFound(_("找不到该活动。"))
    return _event_out(event)


@router.post(
    "/events/{event_id}/signups",
    auth=None,
    response={201: SignUpOut, **errors_documented(400, 404, 409, 415, 422, 429)},
    summary="报名（公开，免登录）",
    description="名额未满为已报名（返回签到码），已满进入候补；同一手机号每个活动只能有一个有效报名（409 "
    "already_signed_up）；名额和候补都满 409 full；活动已开始 409 signup_closed。",
)
def signup_create(request: HttpRequest, payload: SignUpIn, event_id: int = EventId):
    limits.check(request, "signup", phone=normalise_phone(payload.phone or ""), target=event_id)
    signup = services.signup_create(event_id=event_id, name=payload.name, phone=payload.phone, consent=payload.consent)
    return HttpStatus(201, _signup_out(signup))


@router.get(
    "/signups/{code}",
    auth=None,
    response={200: SignUpOut, **errors_documented(404, 422, 429)},
    summary="凭报名码和凭证查看报名（公开）",
)
def signup_detail(request: HttpRequest, code: str, token: str = Query("", max_length=100)):
    limits.check(request, "signup_view", code=code[:40])
    return _signup_out(services.signup_for_token(code, token))


@router.post(
    "/signups/{code}/cancel",
    auth=None,
    response={200: SignUpOut, **errors_documented(400, 404, 409, 415, 422, 429)},
    summary="取消报名（公开）",
    description="取消后候补第一位自动递补并收到通知。",
)
def signup_cancel(request: HttpRequest, code: str, payload: TokenIn):
    limits.check(request, "signup_view", code=code[:40])
    return _signup_out(services.signup_cancel(code=code, token=payload.token))


# --- staff -----------------------------------------------------------------------------------------


def _staff_event(user, event_id: int) -> dict:
    event = event_for_actor(user, event_id)
    counts = selectors.event_counts(event)
    event.confirmed_count, event.waitlist_count = counts["confirmed"], counts["waitlisted"]
    return {
        **_event_out(event),
        "attended": counts["attended"],
        "cancelled_signups": counts["cancelled"],
        "cases": list(event.cases.order_by("created_at").values_list("tracking_code", flat=True)),
    }


@router.get(
    "/staff/events",
    auth=token_auth,
    response={200: EventListOut, **errors_documented(401, 422)},
    summary="我管理的活动（含草稿）",
)
def staff_event_list(request: HttpRequest, when: str = Query("upcoming", pattern="^(upcoming|past)$")):
    events = selectors.staff_events(request.auth, when=when)[:200]
    return {"items": [_event_out(event) for event in events]}


@router.post(
    "/staff/events",
    auth=token_auth,
    response={201: StaffEventOut, **errors_documented(400, 401, 415, 422)},
    summary="新建活动",
    description="kind: theme / station_visit / training / other；部门进站（station_visit）须带 unit_id。",
)
def staff_event_create(request: HttpRequest, payload: StaffEventIn):
    data = services.EventInput(**payload.model_dump(exclude={"publish"}))
    event = services.event_create(actor=request.auth, data=data, publish=payload.publish)
    return HttpStatus(201, _staff_event(request.auth, event.pk))


@router.get(
    "/staff/events/{event_id}",
    auth=token_auth,
    response={200: StaffEventOut, **errors_documented(401, 404, 422)},
    summary="活动详情（工作人员）",
)
def staff_event_detail(request: HttpRequest, event_id: int = EventId):
    return _staff_event(request.auth, event_id)


@router.post(
    "/staff/events/{event_id}/publish",
    auth=token_auth,
    response={200: StaffEventOut, **errors_documented(401, 404, 409, 422)},
    summary="发布活动",
)
def staff_event_publish(request: HttpRequest, event_id: int = EventId):
    services.event_publish(actor=request.auth, event_id=event_id)
    return _staff_event(request.auth, event_id)


@router.post(
    "/staff/events/{event_id}/cancel",
    auth=token_auth,
    response={200: StaffEventOut, **errors_documented(400, 401, 404, 409, 415, 422)},
    summary="取消活动（通知已报名和候补的群众）",
)
def staff_event_cancel(request: HttpRequest, payload: CancelIn, event_id: int = EventId):
    services.event_cancel(actor=request.auth, event_id=event_id, reason=payload.reason)
    return _staff_event(request.auth, event_id)


@router.get(
    "/staff/events/{event_id}/signups",
    auth=token_auth,
    response={200: StaffSignUpListOut, **errors_documented(401, 404, 422)},
    summary="报名名单（姓名、手机号已脱敏）",
)
def staff_signup_list(request: HttpRequest, event_id: int = EventId):
    event = event_for_actor(request.auth, event_id)
    return {
        "items": [
            {
                "code": s.code,
                "name": s.name_masked,
                "phone": s.phone_masked,
                "status": s.status,
                "created_at": s.created_at,
                "attended_at": s.attended_at,
            }
            for s in selectors.event_signups(event)
        ]
    }


@router.post(
    "/staff/events/{event_id}/attendance",
    auth=token_auth,
    response={200: StaffSignUpOut, **errors_documented(400, 401, 404, 409, 415, 422)},
    summary="签到（输入或扫描签到码）",
)
def staff_attendance(request: HttpRequest, payload: CheckInIn, event_id: int = EventId):
    s = services.attendance_record(actor=request.auth, event_id=event_id, checkin_code=payload.checkin_code)
    return {
        "code": s.code,
        "name": s.name_masked,
        "phone": s.phone_masked,
        "status": s.status,
        "created_at": s.created_at,
        "attended_at": s.attended_at,
    }


@router.post(
    "/staff/events/{event_id}/cases",
    auth=token_auth,
    response={201: EventCaseOut, **errors_documented(400, 401, 404, 409, 415, 422)},
    summary="把活动中反映的问题登记为民意件（来访渠道）",
)
def staff_event_case(request: HttpRequest, payload: EventCaseIn, event_id: int = EventId):
    case = services.event_case_register(actor=request.auth, event_id=event_id, **payload.model_dump())
    return HttpStatus(201, {"tracking_code": case.tracking_code, "event_id": event_id})


@router.get(
    "/staff/department-visits",
    auth=token_auth,
    response={200: DepartmentVisitListOut, **errors_documented(401, 422)},
    summary="部门进站次数（按承办单位）",
    description="统计已发布、未取消且已开始的部门进站活动；start 含、end 不含（按开始时间）。",
)
def department_visit_list(
    request: HttpRequest, start: dt.datetime | None = VISITS_START, end: dt.datetime | None = VISITS_END
):
    if not can_view_visits(request.auth):
        return {"items": []}
    counts = selectors.department_visits(start=start, end=end)
    names = dict(HandlingUnit.objects.filter(pk__in=counts.keys()).values_list("pk", "name"))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {"items": [{"unit_id": pk, "unit_name": names.get(pk, ""), "visits": n} for pk, n in rows]}
