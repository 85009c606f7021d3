"""The registry page (/work/registry/): counts, template, import, routing versions, calendar warning."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from lianxin.errors import InvalidInput
from lianxin.organisation.registry_import import (
    max_upload_bytes,
    registry_draft_discard,
    registry_import_confirm,
    registry_preview,
    registry_preview_again,
    registry_read_upload,
)
from lianxin.organisation.registry_sheets import registry_template
from lianxin.organisation.routing import routing_uptake, ruleset_versions
from lianxin.organisation.selectors import registry_counts, registry_visible_to
from lianxin.workdays.services import calendar_years, missing_years

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def registry_context(request, **extra) -> dict:
    return {
        "counts": registry_counts(),
        "versions": list(ruleset_versions()[:20]),
        "uptake": routing_uptake(),
        "missing_years": missing_years(),
        "calendar_years": calendar_years(),
        "max_upload_mb": max_upload_bytes() // (1024 * 1024),
        "can_use_admin": request.user.is_staff,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def registry(request):
    """Upload → preview (nothing written) → confirm (written) or cancel."""
    if not registry_visible_to(request.user):
        raise Http404
    status = 200
    extra = {}
    if request.method == "POST":
        step = request.POST.get("step", "preview")
        token = request.POST.get("token", "")
        try:
            if step == "confirm":
                extra["result"] = registry_import_confirm(
                    actor=request.user, token=token, digest=request.POST.get("digest", "")
                )
            elif step == "cancel":
                registry_draft_discard(actor=request.user, token=token)
                extra["cancelled"] = True
            else:
                tables = registry_read_upload(request.FILES.getlist("files"))
                extra["preview"] = registry_preview(actor=request.user, tables=tables)
        except InvalidInput as exc:
            extra["import_error"] = exc
            status = 422
            if exc.code == "preview_stale":
                status = 409
                try:
                    extra["preview"] = registry_preview_again(actor=request.user, token=token)
                except InvalidInput as again:  # the sheets no longer fit the registry at all
                    extra["import_error"] = again
    return render(request, "organisation/registry.html", registry_context(request, **extra), status=status)


@login_required
def registry_template_download(request):
    if not registry_visible_to(request.user):
        raise Http404
    response = HttpResponse(registry_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="registry-template.xlsx"'
    return response
