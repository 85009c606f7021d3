"""Staff screens for events: the list (events:manage), a new event, an event's page with sign-ups, check-in,
matters raised and the department-visit counts. Views parse input, call services and selectors, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lianxin.errors import REFUSALS, InvalidInput
from lianxin.events import conf, selectors, services
from lianxin.events.forms import CancelEventForm, CheckInForm, EventCaseForm, EventForm
from lianxin.events.rules import can_manage, event_for_actor
from lianxin.organisation.models import HandlingUnit


def _require_manager(request) -> None:
    if not can_manage(request.user):
        raise Http404


def _event(request, event_id):
    return event_for_actor(request.user, event_id)


@login_required
def manage(request):
    _require_manager(request)
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    events = selectors.staff_events(request.user, when=when)
    page = Paginator(events, conf.page_size()).get_page(request.GET.get("page"))
    year_start = timezone.localtime().replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    visits = selectors.department_visits(start=year_start)
    units = {u.pk: u.name for u in HandlingUnit.objects.filter(pk__in=visits.keys())}
    visit_rows = sorted(((units.get(pk, ""), n) for pk, n in visits.items()), key=lambda row: (-row[1], row[0]))
    context = {"page": page, "when": when, "visit_rows": visit_rows, "year": year_start.year}
    return render(request, "events/work/manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    _require_manager(request)
    form = EventForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                event = services.event_create(
                    actor=request.user, data=form.event_input(), publish=form.cleaned_data["publish"]
                )
            except InvalidInput as exc:
                form.add_domain_error(exc)
                status = 422
            else:
                messages.success(request, _("活动已创建。"))
                return redirect("events:detail", event_id=event.pk)
        else:
            status = 422
    return render(request, "events/work/create.html", {"form": form}, status=status)


def _detail(request, event, *, status=200, **forms):
    context = {
        "event": event,
        "counts": selectors.event_counts(event),
        "signups": selectors.event_signups(event),
        "cases": list(event.cases.order_by("-created_at")),
        "checkin_form": forms.get("checkin_form") or CheckInForm(),
        "case_form": forms.get("case_form") or EventCaseForm(),
        "cancel_form": forms.get("cancel_form") or CancelEventForm(),
    }
    return render(request, "events/work/detail.html", context, status=status)


@login_required
def detail(request, event_id: int):
    return _detail(request, _event(request, event_id))


@login_required
@require_POST
def publish(request, event_id: int):
    event = _event(request, event_id)
    try:
        services.event_publish(actor=request.user, event_id=event.pk)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("活动已发布。"))
    return redirect("events:detail", event_id=event.pk)


@login_required
@require_POST
def cancel(request, event_id: int):
    event = _event(request, event_id)
    form = CancelEventForm(request.POST)
    if not form.is_valid():
        return _detail(request, event, status=422, cancel_form=form)
    try:
        services.event_cancel(actor=request.user, event_id=event.pk, reason=form.cleaned_data["reason"])
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("活动已取消，已通知报名群众。"))
    return redirect("events:detail", event_id=event.pk)


@login_required
@require_POST
def checkin(request, event_id: int):
    event = _event(request, event_id)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _detail(request, event, status=422, checkin_form=form)
    try:
        signup = services.attendance_record(
            actor=request.user, event_id=event.pk, checkin_code=form.cleaned_data["checkin_code"]
        )
    except REFUSALS as exc:
        form.add_error("checkin_code", exc.message)
        return _detail(request, event, status=exc.status, checkin_form=form)
    messages.success(request, _("%(name)s 签到成功。") % {"name": signup.name_masked})
    return redirect(reverse("events:detail", args=[event.pk]) + "#checkin")


@login_required
@require_POST
def add_case(request, event_id: int):
    event = _event(request, event_id)
    form = EventCaseForm(request.POST)
    if not form.is_valid():
        return _detail(request, event, status=422, case_form=form)
    data = form.cleaned_data
    try:
        case = services.event_case_register(
            actor=request.user,
            event_id=event.pk,
            title=data["title"],
            details=data["details"],
            category_id=data["category"].pk if data.get("category") else None,
            request_type=data["request_type"],
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            consent=data.get("consent", False),
        )
    except REFUSALS as exc:
        form.add_domain_error(exc)
        return _detail(request, event, status=exc.status, case_form=form)
    messages.success(request, _("已登记为民意件 %(code)s。") % {"code": case.tracking_code})
    return redirect(reverse("events:detail", args=[event.pk]) + "#cases")
