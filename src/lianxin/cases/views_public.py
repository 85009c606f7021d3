"""The citizen's pages: report a matter (general, station QR, deputy QR) and follow it with the private link.

Phone-first and without an account. A case is reachable only with its tracking code AND its follow-up
token; a wrong token and an unknown code answer the same 404 page, so the pages are no oracle.
Public pages never show a person's name or phone, nor who on the staff did what.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.audit.models import AuditEntry
from lianxin.cases import retention
from lianxin.cases.codes import follow_up_path, follow_up_token, token_generation
from lianxin.cases.duplicates import duplicate_key
from lianxin.cases.enums import Channel, Rating, RequestType, Status
from lianxin.cases.forms_public import ReportForm, category_choices, division_picker
from lianxin.cases.intake import case_register, validate_submission
from lianxin.cases.labels import public_event_label, public_event_message
from lianxin.cases.models import Case, CasePhoto
from lianxin.cases.photos import prepare_photos, read_photo_uploads
from lianxin.cases.services import case_rate, merged_handling, merged_ratable
from lianxin.errors import PUBLIC_REFUSALS, InvalidInput, NotAllowed, NotFound, Refused
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.labels import reception_rule_text
from lianxin.organisation.models import Category, Deputy, Division, Station
from lianxin.privacy import normalise_phone
from lianxin.throttle import limits, traps

GRID_FEATURES_MAX = 2000
LINK_RE = re.compile(r"/track/([A-Za-z0-9]{4,20})/?\?(?:[^#\s]*&)?token=([A-Za-z0-9_\-]{8,64}(?:\.[0-9]{1,5})?)")
# same-origin, not no-referrer: the token never leaves the site, and browsers still send a real Origin
# header on the page's own POSTs (with no-referrer they send "Origin: null" and CSRF checks refuse them).
PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "Referrer-Policy": "same-origin"}


def _not_found(request) -> HttpResponse:
    return render(request, "cases/public/not_found.html", status=404)


def _private(response: HttpResponse) -> HttpResponse:
    """Pages carrying the follow-up token: not cached, and the token never leaks in a Referer header."""
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def _track_url(tracking_code: str) -> str:
    return follow_up_path(tracking_code)


# --- Reporting ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report(request):
    return _report(request, channel=Channel.WEB)


@require_http_methods(["GET", "POST"])
def report_station(request, code):
    station = Station.objects.filter(code=code, active=True).select_related("division").first()
    if station is None:
        return _not_found(request)
    return _report(request, channel=Channel.QR_STATION, station=station)


@require_http_methods(["GET", "POST"])
def report_deputy(request, code):
    deputy = Deputy.objects.filter(code=code, active=True).first()
    if deputy is None:
        return _not_found(request)
    return _report(request, channel=Channel.QR_DEPUTY, deputy=deputy)


def _report(request, *, channel: str, station: Station | None = None, deputy: Deputy | None = None):
    root = station.division if station is not None else None
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        uploads = request.FILES.getlist("photos")
        submission = form.submission(
            channel=channel,
            station_code=station.code if station else "",
            deputy_code=deputy.code if deputy else "",
            root=root,
        )
        phone = "" if submission.anonymous else normalise_phone(submission.contact_phone or "")
        try:
            # Bots first: the honeypot and time trap, then the limits; nothing else is read or checked past them.
            traps.check_form(request.POST)
            limits.check(request, "intake", phone=phone, target=submission.station_code or submission.deputy_code)
        except Refused as exc:
            form.add_error("__all__", exc.message)  # drawn again with what was typed
            status = exc.status
        else:
            status = 422
            response = _report_store(request, form, submission, uploads, phone)
            if response is not None:
                return response
        form.photos_dropped = bool(uploads)
    categories, subcategories = category_choices(form)
    context = {
        "form": form,
        "values": form.values,
        "errors": form.errors,
        "station": station,
        "deputy": deputy,
        "station_deputies": _public_deputies(station) if station else [],
        "deputy_profile": _deputy_profile(deputy) if deputy and deputy.public else None,
        "reception": _reception_text(station) if station else "",
        "picker": division_picker(root, form),
        "categories": categories,
        "subcategories": subcategories,
        "request_types": RequestType.choices,
        "max_photos": settings.PHOTO_MAX_COUNT,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_available": _map_available(root),
        "map_center": _map_center(station),
        "map_within": root.pk if root is not None else "",
        "challenge": status == 429 or limits.challenge_due(request, "intake"),
    }
    return render(request, "cases/public/report.html", context, status=status)


def _report_store(request, form: ReportForm, submission, uploads, phone: str):
    """Check and store a report that passed the traps and limits: the redirect, or None with the form's errors."""
    photos = []
    try:
        photos = prepare_photos(read_photo_uploads(uploads))
    except InvalidInput as exc:
        form.add_domain_error(exc)
    if form.errors:
        # Report every problem at once: the intake's checks too, without storing anything.
        try:
            validate_submission(submission)
        except InvalidInput as exc:
            form.add_domain_error(exc)
        return None
    duplicate = duplicate_key(
        phone=phone,
        address=limits.client_address(request),
        station_code=submission.station_code,
        deputy_code=submission.deputy_code,
        grid_code=submission.grid_code,
        title=submission.title,
        details=submission.details,
    )
    try:
        case, _created = case_register(
            submission=submission, photos=photos, idempotency_key=form.idempotency_key, duplicate_key=duplicate
        )
    except InvalidInput as exc:
        if exc.code == "idempotency_key_reused":
            # The page was submitted before with other content (e.g. edited after going back).
            form.add_error("__all__", _("此表单已提交过。如需反映另一个问题，请检查内容后再次点击提交。"))
            form.renew_key()
        else:
            form.add_domain_error(exc)
        return None
    done = reverse("cases:report_done", args=[case.tracking_code])
    return redirect(f"{done}?{urlencode({'token': follow_up_token(case.tracking_code)})}")


def _public_deputies(station: Station) -> list[Deputy]:
    return list(station.deputies.filter(public=True, active=True).prefetch_related("mandates").order_by("code"))


def _deputy_profile(deputy: Deputy) -> dict:
    return {
        "deputy": deputy,
        "levels": [m.get_level_display() for m in deputy.mandates.all()],
        "stations": list(deputy.stations.filter(active=True).values_list("name", flat=True)),
    }


def _reception_text(station: Station) -> str:
    return reception_rule_text(station)


def _map_available(root: Division | None) -> bool:
    """Whether the map has something to draw: tiles, or an outline or grid of the registry in the area."""
    if settings.MAP_TILE_URL:
        return True
    shapes = Division.objects.filter(polygon__isnull=False)
    if root is not None:
        shapes = shapes.filter(path__startswith=root.path)
    return shapes.exists()


def _map_center(station: Station | None) -> str:
    if station is None:
        return ""
    for lat, lng in ((station.lat, station.lng), (station.division.lat, station.division.lng)):
        if lat is not None and lng is not None:
            return f"{lat},{lng}"
    return ""


@require_GET
def report_done(request, tracking_code):
    token = request.GET.get("token", "")
    generation = token_generation(tracking_code, token)
    found = Case.objects.filter(tracking_code=tracking_code, follow_up_generation=generation).values_list(
        "contact_phone_hash", flat=True
    )
    if generation is None or not found:
        return _not_found(request)
    link = request.build_absolute_uri(follow_up_path(tracking_code, generation))
    context = {"tracking_code": tracking_code, "link": link, "has_phone": bool(found[0])}
    return _private(render(request, "cases/public/report_done.html", context))


# --- Pickers (htmx) and the map's grid layer -----------------------------------------------------


@require_GET
def division_options(request):
    """`<option>`s for the children of a street (communities) or of a community (grids)."""
    level, parent_raw = "", ""
    for param, child in (("street", DivisionKind.COMMUNITY), ("community", DivisionKind.GRID)):
        if param in request.GET:
            level, parent_raw = child, request.GET[param]
            break
    options = []
    if level and parent_raw.isdigit():
        options = list(Division.objects.filter(parent_id=int(parent_raw), kind=level).only("id", "name").order_by("id"))
    context = {"options": options, "level": level, "reset_grid": level == DivisionKind.COMMUNITY}
    return render(request, "cases/public/_division_options.html", context)


@require_GET
def category_options(request):
    raw = request.GET.get("category1", "")
    options = []
    if raw.isdigit():
        options = list(Category.objects.filter(parent_id=int(raw), active=True).only("id", "name").order_by("id"))
    return render(request, "cases/public/_category_options.html", {"options": options})


@require_GET
def grid_shapes(request):
    """GeoJSON of the grids inside a district or street: the map's base layer (no tiles needed)."""
    grids = Division.objects.filter(kind=DivisionKind.GRID, polygon__isnull=False)
    within = request.GET.get("within", "")
    if within:
        root = Division.objects.filter(pk=int(within)).only("path").first() if within.isdigit() else None
        if root is None:
            return JsonResponse({"type": "FeatureCollection", "features": []})
        grids = grids.filter(path__startswith=root.path)
    features = []
    for pk, name, polygon in grids.order_by("id").values_list("id", "name", "polygon")[:GRID_FEATURES_MAX]:
        geometry = polygon
        if isinstance(polygon, dict) and polygon.get("type") == "Feature":
            geometry = polygon.get("geometry")
        if isinstance(geometry, dict) and geometry.get("type") in {"Polygon", "MultiPolygon"}:
            features.append({"type": "Feature", "geometry": geometry, "properties": {"id": pk, "name": name}})
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "public, max-age=300"
    return response


def _geometry(polygon):
    """The polygon or multipolygon of a stored GeoJSON value (a bare geometry or a Feature), else None."""
    geometry = polygon.get("geometry") if isinstance(polygon, dict) and polygon.get("type") == "Feature" else polygon
    if isinstance(geometry, dict) and geometry.get("type") in {"Polygon", "MultiPolygon"}:
        return geometry
    return None


@require_GET
def base_shapes(request):
    """GeoJSON of the outlines above the grids (district, streets, communities) around a district or street, from the
    registry's own polygons: the map's offline base layer, readable on an intranet without tiles. With `within`, the
    area's ancestors (its district's outline) and everything inside it; each feature names its `kind`."""
    outlines = Division.objects.filter(polygon__isnull=False).exclude(kind=DivisionKind.GRID)
    within = request.GET.get("within", "")
    if within:
        root = Division.objects.filter(pk=int(within)).only("path").first() if within.isdigit() else None
        if root is None:
            return JsonResponse({"type": "FeatureCollection", "features": []})
        outlines = outlines.filter(Q(path__startswith=root.path) | Q(pk__in=root.ancestor_ids()))
    features = []
    rows = outlines.order_by("path").values_list("id", "name", "kind", "polygon")[:GRID_FEATURES_MAX]
    for pk, name, kind, polygon in rows:
        geometry = _geometry(polygon)
        if geometry is not None:
            properties = {"id": pk, "name": name, "kind": kind}
            features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- Following a case -----------------------------------------------------------------------------


@require_GET
def track_lookup(request):
    """Type the tracking code and token, or paste the whole link; then go to the tracking page."""
    code = request.GET.get("code", "").strip().upper()
    token = request.GET.get("token", "").strip()
    link = request.GET.get("link", "").strip()
    error = ""
    if link:
        match = LINK_RE.search(link)
        if match:
            code, token = match.group(1).upper(), match.group(2)
        else:
            error = _("无法识别该链接，请粘贴完整的查询链接，或分别填写查询码和凭证。")
    if code and token and not error:
        return redirect(f"{reverse('cases:track', args=[code])}?{urlencode({'token': token})}")
    if request.GET and not error:
        error = _("请填写查询码和凭证，或粘贴查询链接。")
    context = {"code": code, "token": token, "link": link, "error": error}
    return _private(render(request, "cases/public/track_lookup.html", context, status=422 if error else 200))


def _case_by_token(tracking_code: str, token) -> Case | None:
    """The case, only for the holder of its token. A wrong token costs no query: no oracle on codes."""
    generation = token_generation(tracking_code, token)
    if generation is None:
        return None
    cases = Case.objects.filter(tracking_code=tracking_code, follow_up_generation=generation)
    return cases.select_related("category").first()


def _timeline(case: Case) -> list[dict]:
    entries = (
        AuditEntry.objects.filter(subject_type="case", subject_id=case.pk, public=True)
        .order_by("id")
        .values_list("created_at", "action", "data", "message")
    )
    return [
        {
            "at": at,
            "label": public_event_label(action),
            "message": public_event_message(action, data, message, tracking_code=case.tracking_code),
        }
        for at, action, data, message in entries
    ]


def _track_page(
    request, case: Case, token: str, *, rating_form=None, erase_error: str = "", status: int = 200
) -> HttpResponse:
    handling = merged_handling(case)
    context = {
        "case": case,
        "handling": handling,
        "token": token,
        "photos": list(CasePhoto.objects.filter(case=case).only("id", "width", "height").order_by("id")),
        "timeline": _timeline(case),
        "ratable": case.status == Status.FED_BACK or merged_ratable(case, handling),
        "ratings": Rating.choices,
        "rating_form": rating_form or {"rating": "", "comment": "", "message": "", "errors": {}},
        "rating_label": Rating(case.rating).label if case.rating else "",
        "erasable": retention.erasable(case),
        "erase_error": erase_error,
    }
    return _private(render(request, "cases/public/track.html", context, status=status))


@require_GET
def track(request, tracking_code):
    token = request.GET.get("token", "")
    if refused := limits.page_refusal(request, "track", code=tracking_code[:40]):
        return _private(refused)
    case = _case_by_token(tracking_code, token)
    if case is None:
        return _private(_not_found(request))
    return _track_page(request, case, token)


@require_POST
def track_rate(request, tracking_code):
    token = request.POST.get("token", "")
    rating = request.POST.get("rating", "")
    comment = request.POST.get("comment", "")
    try:
        limits.check(request, "rate", code=tracking_code[:40])
        case_rate(tracking_code=tracking_code, token=token, rating=rating, comment=comment)
    except NotFound:
        return _private(_not_found(request))
    except PUBLIC_REFUSALS as exc:  # bad input, not allowed now, or over a limit (429)
        case = _case_by_token(tracking_code, token)
        if case is None:
            return _private(_not_found(request))
        form = {"rating": rating, "comment": comment[:2000], "message": exc.message, "errors": exc.fields}
        return _track_page(request, case, token, rating_form=form, status=exc.status)
    messages.success(request, _("感谢您的评价！"))
    return redirect(_track_url(tracking_code))


@require_POST
def track_erase_contact(request, tracking_code):
    """The citizen has the contact data of a finished case erased (a ticked confirmation is required); the
    follow-up link keeps working for the case itself. Asking again changes nothing."""
    token = request.POST.get("token", "")
    case = _case_by_token(tracking_code, token)
    if case is None:
        return _private(_not_found(request))
    if request.POST.get("confirm") != "yes":
        error = _("请勾选确认后再删除。")
        return _track_page(request, case, token, erase_error=error, status=422)
    try:
        erased = retention.case_erase_contact(tracking_code=tracking_code, token=token)
    except NotFound:
        return _private(_not_found(request))
    except NotAllowed as exc:
        return _track_page(request, case, token, erase_error=exc.message, status=exc.status)
    messages.success(request, _("已删除您的姓名和联系电话。") if erased else _("您的联系方式此前已删除。"))
    return redirect(_track_url(tracking_code))


@require_GET
def track_photo(request, tracking_code, photo_id):
    """A case photo, streamed only to the token holder (photos are never linked by MEDIA_URL)."""
    case = _case_by_token(tracking_code, request.GET.get("token", ""))
    photo = CasePhoto.objects.filter(pk=photo_id, case=case).first() if case is not None else None
    if photo is None:
        return _private(_not_found(request))
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        return _private(_not_found(request))
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"  # a case photo or file is personal data
    response["Referrer-Policy"] = "no-referrer"
    return response
