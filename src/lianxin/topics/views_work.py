"""Staff screens of the topics app: the likely duplicates on a case (with the merge), and the monthly list (每月一题)
from which the office takes a topic up for supervision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianxin.accounts.scopes import scope_of
from lianxin.cases.enums import Action
from lianxin.cases.rules import allowed_actions, case_for_actor
from lianxin.cases.support import case_merge
from lianxin.errors import REFUSALS, NotFound
from lianxin.topics import selectors, services


@login_required
@require_GET
def case_duplicates(request, case_id: int) -> HttpResponse:
    case = case_for_actor(request.user, case_id)
    found = selectors.likely_duplicates(user=request.user, case=case)
    can_merge = Action.DECLINE in allowed_actions(request.user, case) and not case.merged_into_id
    return render(request, "topics/_duplicates.html", {"case": case, "found": found, "can_merge": can_merge})


@login_required
@require_POST
def merge(request, case_id: int) -> HttpResponse:
    try:
        duplicate = case_merge(actor=request.user, case_id=case_id, into_id=request.POST.get("into"),
                               note=request.POST.get("note", ""))  # fmt: skip
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", case_id=case_id)
    messages.success(
        request, _("已合并到 %(code)s：统一办理，群众会收到办理进展。") % {"code": duplicate.merged_into.tracking_code}
    )
    return redirect("cases:detail", case_id=duplicate.merged_into_id)


@login_required
@require_GET
def monthly(request) -> HttpResponse:
    scope = scope_of(request.user, "office", "leader")
    if not scope:
        raise NotFound(_("没有可查看的议题。"))
    areas = [
        {"division": d, "candidates": selectors.monthly_candidates(d), "taken": selectors.monthly_taken(d)}
        for d in scope.roots()
    ]
    can_take_up = bool(scope_of(request.user, "office"))
    return render(request, "topics/monthly.html", {"areas": areas, "can_take_up": can_take_up})


@login_required
@require_POST
def take_up(request, topic_id: int) -> HttpResponse:
    try:
        taken = services.monthly_topic_take_up(actor=request.user, topic_id=topic_id, note=request.POST.get("note", ""))
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已列为每月一题：%(label)s") % {"label": taken.label})
    return redirect("topics:monthly")
