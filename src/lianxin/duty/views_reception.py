"""The reception register (接待登记) screens: list, one day's register with its matters, and the printout; and the
list of duty shifts (值班记录) of the managed stations. Both lists narrow to a deputy and a division (the cockpit's
deputies' table links here)."""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin import privacy
from lianxin.cases.codes import follow_up_url
from lianxin.cases.forms_work import RegistrationForm
from lianxin.duty import conf, reception, rules, selectors
from lianxin.duty.enums import ATTENDED_STATES
from lianxin.errors import REFUSALS
from lianxin.organisation.models import Deputy, Division
from lianxin.web.reveal import reveal_context

SHIFT_PAGE_SIZE = 50


class MatterForm(RegistrationForm):
    """What a visitor raised: the walk-in fields of the case intake, with an optional answer on the spot."""


def _managed(request):
    stations = rules.managed_stations(request.user).order_by("code")
    if not stations.exists():
        raise Http404
    return stations


def _period(request) -> tuple[dt.date, dt.date, str]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("from") or (today - dt.timedelta(days=90)).isoformat())
        end = dt.date.fromisoformat(request.GET.get("to") or today.isoformat())
    except ValueError:
        return today - dt.timedelta(days=90), today, "日期格式不正确（应为 年-月-日），已显示最近 90 天。"
    if end < start or (end - start).days > conf.list_max_days():
        return today - dt.timedelta(days=90), today, "时间段无效（最长一年），已显示最近 90 天。"
    return start, end, ""


def _filtered(request, stations):
    wanted = request.GET.get("station", "")
    if wanted:
        chosen = stations.filter(pk=wanted) if wanted.isdigit() else stations.none()
        if not chosen.exists():
            raise Http404
        return chosen, int(wanted)
    return stations, None


def _lookup(model, value: str | None):
    value = (value or "").strip()
    return model.objects.filter(pk=int(value)).first() if value.isdigit() and len(value) < 19 else None


def _narrowed(request, stations):
    """(stations, deputy, division, errors): the stations inside ?division= and the deputy of ?deputy=. A bad or
    unknown value is left out with a message."""
    errors, deputy, division = [], None, None
    if request.GET.get("division"):
        division = _lookup(Division, request.GET["division"])
        if division is None:
            errors.append(_("找不到该区划，已显示全部联络站。"))
        else:
            stations = stations.filter(division__path__startswith=division.path)
    if request.GET.get("deputy"):
        deputy = _lookup(Deputy, request.GET["deputy"])
        if deputy is None:
            errors.append(_("找不到该代表，已显示全部代表。"))
    return stations, deputy, division, errors


def _list_context(request, stations):
    scope, station_id = _filtered(request, stations)
    scope, deputy, division, errors = _narrowed(request, scope)
    start, end, period_error = _period(request)
    keep = {"deputy": deputy.pk if deputy else "", "division": division.pk if division else ""}
    return scope, {
        "stations": list(stations),
        "station_id": station_id,
        "start": start,
        "end": end,
        "period_error": period_error,
        "deputy": deputy,
        "division": division,
        "filter_errors": errors,
        "keep": {k: v for k, v in keep.items() if v},
        "today": timezone.localdate(),
    }


@login_required
def reception_list(request):
    scope, context = _list_context(request, _managed(request))
    context["receptions"] = selectors.receptions(
        scope, start=context["start"], end=context["end"], deputy=context["deputy"]
    )
    return render(request, "duty/work/receptions.html", context)


@login_required
def shift_list(request):
    """The shifts of the managed stations in a period, optionally of one deputy and only those attended."""
    scope, context = _list_context(request, _managed(request))
    attended = request.GET.get("attended") == "1"
    shifts = selectors.shifts(scope, start=context["start"], end=context["end"], deputy=context["deputy"])
    if attended:
        shifts = shifts.filter(state__in=ATTENDED_STATES)
    params = request.GET.copy()
    params.pop("page", None)
    context["attended"] = attended
    context["query"] = params.urlencode()
    context["page"] = Paginator(shifts, SHIFT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "duty/work/shifts.html", context)


@login_required
@require_POST
def reception_open(request):
    """Open (or find) the register of a reception day; deputies who checked in are entered as present."""
    day = request.POST.get("date")
    try:
        station = rules.station_for_actor(request.user, request.POST.get("station"), manage=True)
        existing = station.receptions.filter(date=day).first() if _is_date(day) else None
        if existing is not None:
            return redirect("duty:reception", reception_id=existing.pk)
        present = reception.attended_deputy_ids(station, day) if _is_date(day) else []
        record, _created = reception.reception_record(
            actor=request.user, station_id=station.pk, date=day, deputy_ids=present
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("duty:receptions")
    return redirect("duty:reception", reception_id=record.pk)


def _is_date(value) -> bool:
    try:
        dt.date.fromisoformat(value or "")
    except (TypeError, ValueError):
        return False
    return True


def _detail(request, reception_id, *, record_error=None, form=None, status=200):
    record = rules.reception_for_actor(request.user, reception_id)
    present = set(record.deputies_present.values_list("pk", flat=True))
    cases = list(record.cases.select_related("category").order_by("created_at"))
    # free text is shown masked; ?reveal=1 shows it whole for the reveal roles (audited). Notes holding personal
    # data are edited only once revealed, so a save never writes the masked copy back.
    revealing = reveal_context(
        request,
        [record.notes, *(text for case in cases for text in (case.title, case.public_answer))],
        lambda: reception.reception_reveal_texts(actor=request.user, reception_id=record.pk),
    )
    context = {
        "reception": record,
        "deputies": list(Deputy.objects.filter(stations=record.station, active=True).order_by("code")),
        "present": present,
        "cases": cases,
        "form": form or MatterForm(),
        "record_error": record_error,
        "notes_editable": revealing["revealed"] or not privacy.has_personal_data(record.notes),
        **revealing,
    }
    return render(request, "duty/work/reception.html", context, status=status)


@login_required
def reception_detail(request, reception_id):
    if request.method != "POST":
        return _detail(request, reception_id)
    try:
        record = rules.reception_for_actor(request.user, reception_id)
        reception.reception_record(
            actor=request.user,
            station_id=record.station_id,
            date=record.date,
            deputy_ids=request.POST.getlist("deputies_present"),
            visitor_count=request.POST.get("visitor_count"),
            # the notes were shown masked (not revealed): they stay as stored
            notes=record.notes if "notes" not in request.POST else request.POST["notes"],
        )
    except REFUSALS as exc:
        return _detail(request, reception_id, record_error=exc, status=422)
    messages.success(request, "已保存接待登记。")
    return redirect("duty:reception", reception_id=record.pk)


@login_required
@require_POST
def reception_matter(request, reception_id):
    rules.reception_for_actor(request.user, reception_id)
    form = MatterForm(request.POST)
    if form.is_valid():
        answer = form.cleaned_data["resolve_message"] if form.cleaned_data.get("resolve_on_spot") else ""
        try:
            fields = form.submission_fields()
            case = reception.reception_add_matter(
                actor=request.user, reception_id=reception_id, fields=fields, answer=answer
            )
        except REFUSALS as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已登记，查询码 {case.tracking_code}。")
            return redirect("duty:reception", reception_id=reception_id)
    return _detail(request, reception_id, form=form, status=422)


@login_required
def reception_print(request):
    """A printable register for a period (and optionally one station): who received whom and what was raised."""
    stations = _managed(request)
    scope, station_id = _filtered(request, stations)
    start, end, period_error = _period(request)
    records = selectors.receptions(scope, start=start, end=end)
    context = {
        "receptions": records,
        "start": start,
        "end": end,
        "period_error": period_error,
        "station": scope.first() if station_id else None,
        "total_visitors": sum(r.visitor_count for r in records),
        "total_matters": sum(len(r.cases.all()) for r in records),
        "printed_at": timezone.localtime(),
    }
    return render(request, "duty/work/reception_print.html", context)


@login_required
def reception_slip(request, reception_id, case_id):
    """A receipt slip for the citizen, one matter of the register: the tracking code and a QR code of the private
    follow-up link (drawn here, no outside service), to print and hand over at the reception."""
    record = rules.reception_for_actor(request.user, reception_id)
    case = record.cases.filter(pk=case_id).first()
    if case is None:
        raise Http404
    url = follow_up_url(case.tracking_code, case.follow_up_generation)
    context = {
        "reception": record,
        "case": case,
        "qr": segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff"),
        "printed_at": timezone.localtime(),
    }
    response = render(request, "duty/work/reception_slip.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
