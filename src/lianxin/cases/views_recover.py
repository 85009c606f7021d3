"""The public page 找回查询链接: tracking code + the phone left with the matter → SMS code → a new private link.

Two steps on one URL, nothing kept between them but the form's own fields (the citizen's own code and phone,
on a page that is never cached). The answer to step 1 is the same whether or not the phone matched
(cases/recovery.py); rate limited per address, tracking code and phone (throttle scope "recover")."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from lianxin.cases import recovery
from lianxin.cases.codes import follow_up_path
from lianxin.cases.views_public import _private
from lianxin.errors import DomainError
from lianxin.privacy import normalise_phone
from lianxin.throttle import limits

TEMPLATE = "cases/public/track_recover.html"


def _field(request, name: str, limit: int = 40) -> str:
    value = request.POST.get(name, "") if request.method == "POST" else request.GET.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def _page(request, context: dict, status: int = 200):
    return _private(render(request, TEMPLATE, context, status=status))


def _throttle(request, tracking_code: str, phone: str) -> None:
    limits.check(request, "recover", code=tracking_code.strip().upper()[:20], phone=normalise_phone(phone.strip())[:20])


@require_http_methods(["GET", "POST"])
def track_recover(request):
    tracking_code = _field(request, "tracking_code")
    phone = _field(request, "phone")
    context = {"tracking_code": tracking_code.strip().upper(), "phone": phone, "step": "start", "errors": {}}
    if request.method == "GET":
        return _page(request, context)
    step = request.POST.get("step", "")
    try:
        _throttle(request, tracking_code, phone)
        if step == "verify":
            context["step"] = "verify"
            case, _token = recovery.follow_up_recover(
                tracking_code=tracking_code, phone=phone, code=request.POST.get("code", "")
            )
            link = request.build_absolute_uri(follow_up_path(case.tracking_code, case.follow_up_generation))
            return _page(request, {"step": "done", "tracking_code": case.tracking_code, "link": link})
        recovery.follow_up_code_send(tracking_code=tracking_code, phone=phone)
    except DomainError as exc:
        context["error"] = exc.message
        context["errors"] = getattr(exc, "fields", None) or {}
        return _page(request, context, status=exc.status)
    context["step"] = "verify"
    return _page(request, context)
