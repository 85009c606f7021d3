"""Staff screens: the grids of one's area (import/export GeoJSON, deputies and grid worker of a grid),
deputies' publication consent, QR codes and A4 posters. Office and station staff only; a foreign object
is a 404."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.accounts.selectors import user_deputy
from lianxin.errors import REFUSALS, InvalidInput
from lianxin.finder import posters, rules, selectors, services
from lianxin.finder.exports import grids_export
from lianxin.finder.models import PUBLICATION_FLAGS, DeputyPublication
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Deputy, DeputyMandate

GRIDS_PER_PAGE = 100
FLAG_LABELS = {name: DeputyPublication._meta.get_field(name).verbose_name for name in PUBLICATION_FLAGS}


def _staff(request) -> list:
    roots = rules.managed_roots(request.user)
    if not roots:
        raise Http404
    return roots


def _pdf(request, items: list, filename: str, title: str) -> HttpResponse:
    try:
        body = posters.posters_pdf(items, title=title)
    except REFUSALS as exc:  # e.g. the CJK font is not installed on this server
        messages.error(request, exc.message)
        return redirect("finder:posters")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def manage(request):
    """The grids of the user's area with their deputies; import, export, posters."""
    roots = _staff(request)
    grids = (
        rules.visible_grids(request.user)
        .select_related("parent", "parent__parent")
        .annotate(deputy_count=Count("deputies", distinct=True))
        .order_by("path")
    )
    query = request.GET.get("q", "").strip()[:50]
    if query:
        grids = grids.filter(name__icontains=query) | grids.filter(parent__name__icontains=query)
    page = Paginator(grids, GRIDS_PER_PAGE).get_page(request.GET.get("page"))
    streets = rules.visible_divisions(request.user).filter(kind__in=[DivisionKind.DISTRICT, DivisionKind.STREET])
    context = {
        "page": page,
        "query": query,
        "roots": roots,
        "import_targets": list(streets.order_by("path")),
        "import_errors": {},
    }
    return render(request, "finder/work/manage.html", context)


def _import_failed(request, exc, *, status: int):
    """The grids page again with the import's error next to its form."""
    context = {
        "page": Paginator(rules.visible_grids(request.user).none(), 1).get_page(1),
        "query": "",
        "roots": _staff(request),
        "import_targets": list(
            rules.visible_divisions(request.user)
            .filter(kind__in=[DivisionKind.DISTRICT, DivisionKind.STREET])
            .order_by("path")
        ),
        "import_message": exc.message,
        "import_errors": exc.fields,
    }
    return render(request, "finder/work/manage.html", context, status=status)


@login_required
@require_POST
def grids_import(request):
    _staff(request)
    upload = request.FILES.get("file")
    if upload is None:  # the request lacks its file part: a bad request (400), the form drawn again
        missing = InvalidInput(_("请选择 GeoJSON 文件。"), fields={"file": [_("必填")]})
        return _import_failed(request, missing, status=400)
    try:
        result = services.grids_import(
            actor=request.user,
            within_id=request.POST.get("within", ""),
            data=upload.read(),
            allow_gaps=request.POST.get("allow_gaps") == "on",
        )
    except REFUSALS as exc:
        return _import_failed(request, exc, status=exc.status)
    messages.success(
        request, _("导入完成：新建 %(c)d 个网格，更新 %(u)d 个。") % {"c": result.created, "u": result.updated}
    )
    for warning in result.warnings[:20]:
        messages.warning(request, warning)
    return redirect("finder:manage")


@login_required
@require_GET
def grids_export_view(request, division_id):
    _staff(request)
    within = rules.division_for(request.user, division_id)
    body = json.dumps(grids_export(within), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="grids-{within.pk}.geojson"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def grid_edit(request, grid_id):
    _staff(request)
    grid = rules.division_for(request.user, grid_id, kinds={DivisionKind.GRID})
    error, status = None, 200
    if request.method == "POST":
        try:
            services.grid_assign(
                actor=request.user,
                grid_id=grid.pk,
                deputy_ids=request.POST.getlist("deputies"),
                grid_worker=request.POST.get("grid_worker", ""),
            )
        except REFUSALS as exc:
            error, status = exc, exc.status
        else:
            messages.success(request, _("已保存网格“%(name)s”。") % {"name": grid.name})
            return redirect("finder:manage")
    chosen = set(grid.deputies.values_list("pk", flat=True))
    if error is not None:
        chosen = {int(v) for v in request.POST.getlist("deputies") if v.isdigit()}
    deputies = (
        rules.visible_deputies(request.user)
        .filter(active=True)
        .prefetch_related(Prefetch("mandates", queryset=DeputyMandate.objects.order_by("id")))
        .order_by("code")
    )
    context = {
        "grid": grid,
        "card": selectors.grid_card(grid),
        "deputies": deputies,
        "chosen": chosen,
        "grid_worker": request.POST.get("grid_worker", grid.grid_worker) if error else grid.grid_worker,
        "error": error,
        "code": selectors.grid_code(grid),
    }
    return render(request, "finder/work/grid_edit.html", context, status=status)


@login_required
@require_GET
def poster_list(request):
    """Stations and deputies of the user's area with their QR codes and posters; one PDF per street."""
    _staff(request)
    stations = rules.visible_stations(request.user).filter(active=True).select_related("division").order_by("code")
    deputies = (
        rules.visible_deputies(request.user)
        .filter(active=True)
        .select_related("publication")
        .prefetch_related(Prefetch("mandates", queryset=DeputyMandate.objects.order_by("id")))
        .order_by("code")
    )
    streets = rules.visible_divisions(request.user).filter(kind=DivisionKind.STREET).order_by("path")
    context = {"stations": stations, "deputies": deputies, "streets": streets, "flag_labels": FLAG_LABELS}
    return render(request, "finder/work/posters.html", context)


@login_required
@require_GET
def poster_station(request, code):
    _staff(request)
    station = rules.visible_stations(request.user).filter(code=code, active=True).first()
    if station is None:
        raise Http404
    return _pdf(request, [station], f"poster-s-{station.code}.pdf", station.name)


@login_required
@require_GET
def poster_deputy(request, code):
    _staff(request)
    deputy = rules.visible_deputies(request.user).filter(code=code, active=True, public=True).first()
    if deputy is None:
        raise Http404
    return _pdf(request, [deputy], f"poster-d-{deputy.code}.pdf", deputy.name)


@login_required
@require_GET
def poster_street(request, street_id):
    """All posters of a street in one PDF: its stations, then its stations' public deputies."""
    _staff(request)
    street = rules.division_for(request.user, street_id, kinds={DivisionKind.STREET})
    items = posters.street_items(street)
    if not items:
        messages.warning(request, _("“%(name)s”没有可打印的联络站或代表。") % {"name": street.name})
        return redirect("finder:posters")
    return _pdf(request, items, f"posters-{street.pk}.pdf", street.name)


@login_required
@require_http_methods(["GET", "POST"])
def publication_edit(request, deputy_id):
    """Record what a deputy agreed to publish (the deputy themself, or staff with a signed consent)."""
    own = user_deputy(request.user)
    if own is not None and own.pk == deputy_id:
        deputy = Deputy.objects.select_related("publication").get(pk=own.pk)
    else:
        deputy = rules.visible_deputies(request.user).filter(pk=deputy_id).select_related("publication").first()
    if deputy is None:
        raise Http404
    if request.method == "POST":
        flags = {name: request.POST.get(name) == "on" for name in PUBLICATION_FLAGS}
        try:
            services.deputy_publication_set(
                actor=request.user, deputy_id=deputy.pk, public=request.POST.get("public") == "on", flags=flags
            )
        except REFUSALS as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存%(name)s的公开选项。") % {"name": deputy.name})
        return redirect(reverse("finder:posters") if rules.can_manage(request.user) else request.path)
    shown = selectors.publication_of(deputy) if deputy.public else _stored_flags(deputy)
    context = {"deputy": deputy, "flags": [(name, FLAG_LABELS[name], shown[name]) for name in PUBLICATION_FLAGS]}
    return render(request, "finder/work/publication.html", context)


def _stored_flags(deputy: Deputy) -> dict[str, bool]:
    try:
        publication = deputy.publication
    except DeputyPublication.DoesNotExist:
        return dict.fromkeys(PUBLICATION_FLAGS, False)
    return {name: getattr(publication, name) for name in PUBLICATION_FLAGS}
