"""Public station pages (phone-first), the online station directory, iCalendar feeds and the check-in page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lianxin.accounts.selectors import user_deputy
from lianxin.duty import attendance, ics, selectors
from lianxin.duty.codes import check_in_token_valid, feed_token_valid
from lianxin.errors import REFUSALS
from lianxin.organisation.models import Deputy, Station


def _station(code: str) -> Station:
    station = Station.objects.filter(code=code, active=True).select_related("division").first()
    if station is None:
        raise Http404
    return station


@require_GET
def directory(request):
    return render(request, "duty/public/directory.html", {"groups": selectors.station_directory()})


@require_GET
def station_page(request, code):
    station = _station(code)
    map_pin = station.lat is not None and station.lng is not None
    context = {
        "station": station,
        "reception": selectors.reception_rule_text(station),
        "holiday_policy": selectors.holiday_policy_text(station),
        "deputies": selectors.station_deputies(station),
        "upcoming": selectors.upcoming_reception_days(station),
        "publish_days": selectors.conf.publish_days(),
        "events": selectors.upcoming_events(station),
        "map_pin": f"{station.lat},{station.lng}" if map_pin else "",
        "map_tile_url": settings.MAP_TILE_URL,
    }
    return render(request, "duty/public/station.html", context)


def _ics(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "max-age=900"
    return response


@require_GET
def station_ics(request, code):
    station = _station(code)
    shifts = selectors.published_shifts(station=station)
    return _ics(ics.calendar(name=f"{station.name}值班表", shifts=shifts), f"{station.code}-duty.ics")


@require_GET
def deputy_ics(request, code):
    """Published shifts of a deputy with a public profile; with the private token (shown to the deputy on
    their duty page) every upcoming shift, for any deputy."""
    deputy = Deputy.objects.filter(code=code, active=True).first()
    if deputy is None:
        raise Http404
    private = feed_token_valid(deputy.code, request.GET.get("t"))
    if not (private or deputy.public):
        raise Http404
    shifts = selectors.published_shifts(deputy=deputy, everything=private)
    name = f"{deputy.name if private or deputy.public else '代表'}值班"
    response = _ics(ics.calendar(name=name, shifts=shifts), f"{deputy.code}-duty.ics")
    if private:
        response["Cache-Control"] = "private, max-age=900"
    return response


@require_http_methods(["GET", "POST"])
def check_in(request, code):
    """The page the station's daily check-in QR code opens: the deputy on duty, logged in, taps to check in."""
    station = _station(code)
    token = request.POST.get("t") if request.method == "POST" else request.GET.get("t")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    deputy = user_deputy(request.user)
    context = {"station": station, "token": token or "", "deputy": deputy, "valid": False}
    if deputy is None:
        context["error"] = "只有值班代表本人可以扫码签到。"
        return render(request, "duty/public/check_in.html", context, status=403)
    context["valid"] = check_in_token_valid(station.code, token)
    context["shift"] = attendance.todays_shift(deputy, station)
    if request.method == "POST":
        try:
            context["shift"] = attendance.shift_check_in(actor=request.user, station_code=station.code, token=token)
            context["done"] = True
        except REFUSALS as exc:
            context["error"] = exc.message
            return render(request, "duty/public/check_in.html", context, status=exc.status)
    elif not context["valid"]:
        context["error"] = "签到码无效或已过期，请扫描联络站今天的签到码。"
    context["now"] = timezone.localtime()
    return render(request, "duty/public/check_in.html", context)
