"""The report page's fragment "是否与以下问题相同？" (open matters near the chosen place with a similar text) and the
"me too" (附议) a citizen adds to one of them instead of submitting the same matter again."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianxin import validation
from lianxin.cases.support import case_support
from lianxin.errors import PUBLIC_REFUSALS, NotFound
from lianxin.organisation.models import Division
from lianxin.throttle import limits
from lianxin.topics import selectors

TITLE_MIN = 4  # characters typed before the page asks


def _division(request) -> Division | None:
    """The most specific place chosen on the report page (grid, community, street); None when none is."""
    for name in ("grid", "community", "street"):
        raw = request.GET.get(name, "")
        if not raw:
            continue
        number = validation.integer(raw, field=name, label=name, minimum=1, maximum=2**62, errors=validation.Errors())
        if number:
            return Division.objects.filter(pk=number).first()
    return None


@require_GET
def similar(request) -> HttpResponse:
    if refused := limits.page_refusal(request, "similar"):
        return refused
    title = validation.strip(request.GET.get("title", ""))[:100]
    details = validation.strip(request.GET.get("details", ""))[:2000]
    division = _division(request)
    found = []
    if len(title) >= TITLE_MIN and division is not None:
        found = selectors.similar_open_cases(title=title, details=details, division=division)
    return render(request, "topics/_similar.html", {"found": found})


@require_POST
def support(request, case_id: int) -> HttpResponse:
    phone = request.POST.get("phone", "")
    try:
        limits.check(request, "support", phone=validation.strip(phone)[:40])
        case, added = case_support(case_id=case_id, phone=phone)
    except NotFound as exc:
        return render(request, "topics/_supported.html", {"error": exc.message, "case_id": case_id}, status=404)
    except PUBLIC_REFUSALS as exc:
        return render(request, "topics/_supported.html", {"error": exc.message, "case_id": case_id}, status=exc.status)
    notice = (
        _("已附议。办理进展会以短信通知您，不需要再提交同一问题。")
        if added
        else _("您已附议过这个问题，办理进展会以短信通知您。")
    )
    return render(request, "topics/_supported.html", {"case": case, "notice": notice, "case_id": case_id})
