"""Work screens (the deputy's drafts and suggestions, the office's review queue, the unit inbox, the detail with
its timeline and action forms, metrics and the progress bulletin) and the public board (智慧屏).

Views parse input, call selectors and services, and render; nothing else."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.selectors import user_deputy, user_roles
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.suggestions import conf, deadlines, filters, metrics, selectors
from lianxin.suggestions.enums import Action
from lianxin.suggestions.forms import DRAFT_FIELDS, action_forms, category_choices, convertible_case_choices, post_data
from lianxin.suggestions.rules import SUPERVISORS as SUPERVISOR_ROLES
from lianxin.suggestions.rules import allowed_actions, suggestion_for_actor, visible_suggestions
from lianxin.suggestions.services import (
    admissibility_problems,
    suggestion_create,
    suggestion_reveal_text,
    suggestion_text_fields,
    suggestion_transition,
)
from lianxin.web.reveal import reveal_context

SUPERVISORS = set(SUPERVISOR_ROLES)


# --- List ------------------------------------------------------------------------------------------------


@login_required
def suggestion_list(request):
    tabs = selectors.tabs_for(request.user)
    if not tabs:
        raise Http404
    keys = [t.key for t in tabs]
    tab = request.GET.get("tab") if request.GET.get("tab") in keys else keys[0]
    q = request.GET.get("q", "").strip()[:100]
    roles = user_roles(request.user)
    supervisor = bool(roles & SUPERVISORS)
    # The office and leaders may narrow the list to the suggestions behind a cockpit figure (filters.py).
    chosen = filters.parse(request.GET) if supervisor else filters.ListFilters()
    rows = selectors.suggestion_list(request.user, tab, q, chosen.q())
    page = Paginator(rows, conf.page_size()).get_page(request.GET.get("page"))
    counts = selectors.tab_counts(request.user, tabs, chosen.q())
    today = deadlines.today()
    context = {
        "tabs": [{"key": t.key, "label": t.label, "count": counts[t.key]} for t in tabs],
        "tab": tab,
        "q": q,
        "page": page,
        "is_deputy": user_deputy(request.user) is not None,
        "supervisor": supervisor,
        "window_open": deadlines.window_open(today),
        "next_window": deadlines.next_window(today),
        "filters": chosen,
        "filter_query": urlencode(chosen.query()),
    }
    return render(request, "suggestions/list.html", context, status=422 if chosen.errors else 200)


# --- New draft -------------------------------------------------------------------------------------------


@login_required
def suggestion_new(request):
    if user_deputy(request.user) is None:
        raise Http404
    data = post_data(request.POST) if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        try:
            s = suggestion_create(actor=request.user, data=data)
        except (InvalidInput, NotAllowed) as exc:
            error = exc
        else:
            messages.success(request, _("草稿已保存。检查通过后即可提交。"))
            return redirect("suggestions:detail", suggestion_id=s.pk)
    elif request.GET.get("cases"):
        data["case_ids"] = [part for part in request.GET["cases"].split(",") if part.isdigit()]
    context = {
        "fields": [
            {
                "spec": f,
                "value": data.get(f.name, ""),
                "errors": error.fields.get(f.name, []) if error else [],
                "choices": category_choices() if f.name == "category_id" else [],
            }
            for f in DRAFT_FIELDS
        ],
        "case_choices": convertible_case_choices(request.user),
        "chosen_cases": [str(c) for c in data.get("case_ids", [])],
        "case_errors": error.fields.get("case_ids", []) if error else [],
        "error": error,
        "next_window": deadlines.next_window(deadlines.today()),
    }
    return render(request, "suggestions/new.html", context, status=422 if error else 200)


# --- Detail and actions ----------------------------------------------------------------------------------


def _detail_context(request, s, **extra):
    actions = allowed_actions(request.user, s)
    forms = action_forms(
        request.user, s, actions, failed=extra.pop("failed", ""), data=extra.pop("data", None), error=extra.get("error")
    )
    stages = conf.review_stages()
    parts = selectors.detail_parts(s)
    return {
        "s": s,
        **parts,
        # texts are shown masked; ?reveal=1 for the reveal roles (audited)
        **reveal_context(
            request,
            suggestion_text_fields(s),
            lambda: suggestion_reveal_text(actor=request.user, suggestion_id=s.pk),
        ),
        "timeline": selectors.timeline(s),
        "openable_cases": selectors.openable_case_ids(request.user, parts["cases"]),
        "action_forms": forms,
        "error_shown": any(f["error"] for f in forms),
        "problems": admissibility_problems(s) if s.state in ("draft", "returned") else {},
        "stage": stages[s.review_stage][1] if s.state == "reviewing" and s.review_stage < len(stages) else "",
        "stages": [label for _key, label in stages],
        "categories": {c.code: c.label for c in conf.answer_categories()},
        **extra,
    }


@login_required
def suggestion_detail(request, suggestion_id):
    s = suggestion_for_actor(request.user, suggestion_id)
    return render(request, "suggestions/detail.html", _detail_context(request, s))


@login_required
@require_POST
def suggestion_act(request, suggestion_id, action):
    """Run one step of the action panel; errors come back next to its form and nothing is stored."""
    try:
        suggestion_for_actor(request.user, suggestion_id)
        suggestion_transition(
            actor=request.user,
            suggestion_id=suggestion_id,
            action=action,
            data=post_data(request.POST),
            document=request.FILES.get("document"),
        )
    except (InvalidInput, NotAllowed) as exc:
        s = suggestion_for_actor(request.user, suggestion_id)
        context = _detail_context(request, s, error=exc, failed=action, data=request.POST)
        return render(request, "suggestions/detail.html", context, status=422)
    messages.success(request, _("已完成：%(action)s。") % {"action": Action(action).label})
    try:
        suggestion_for_actor(request.user, suggestion_id)
    except NotFound:
        return redirect("suggestions:list")
    return redirect("suggestions:detail", suggestion_id=suggestion_id)


@login_required
def answer_document(request, suggestion_id, answer_id):
    s = suggestion_for_actor(request.user, suggestion_id)
    answer = s.answers.filter(pk=answer_id).exclude(document="").first()
    if answer is None:
        raise Http404
    response = HttpResponse(answer.document.read(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="answer.pdf"'
    return response


# --- Metrics and progress bulletin (office, leaders) ----------------------------------------------------------


def _period(request) -> tuple[dt.date, dt.date, str]:
    start, end = metrics.default_period(deadlines.today())
    error = ""
    try:
        if request.GET.get("start"):
            start = dt.date.fromisoformat(request.GET["start"])
        if request.GET.get("end"):
            end = dt.date.fromisoformat(request.GET["end"])
    except ValueError:
        error = _("日期格式不正确，请用 2026-01-01 这样的格式。")
        start, end = metrics.default_period(deadlines.today())
    if start > end:
        error = _("开始日期不能晚于结束日期。")
        start, end = metrics.default_period(deadlines.today())
    return start, end, error


def _supervisor(request) -> None:
    if not user_roles(request.user) & SUPERVISORS:
        raise Http404


@login_required
def metrics_view(request):
    _supervisor(request)
    start, end, error = _period(request)
    group = request.GET.get("group") if request.GET.get("group") in metrics.GROUPS else "unit"
    rows = metrics.metrics(visible_suggestions(request.user), group, start, end)
    context = {
        "rows": rows,
        "group": group,
        "groups": metrics.GROUPS.items(),
        "formulas": metrics.FORMULAS,
        "start": start,
        "end": end,
        "error": error,
        "minimum": conf.ranking_min_sample(),
    }
    return render(request, "suggestions/metrics.html", context, status=422 if error else 200)


@login_required
def bulletin_view(request):
    _supervisor(request)
    start, end, error = _period(request)
    rows = metrics.bulletin(visible_suggestions(request.user), start, end)
    if request.GET.get("format") == "xlsx" and not error:
        response = HttpResponse(
            metrics.bulletin_xlsx(rows, start, end),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="bulletin-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        return response
    context = {"rows": rows, "columns": metrics.BULLETIN_COLUMNS, "start": start, "end": end, "error": error}
    return render(request, "suggestions/bulletin.html", context, status=422 if error else 200)


# --- Public board (智慧屏) --------------------------------------------------------------------------------


def board(request):
    page = Paginator(selectors.public_suggestions(), 20).get_page(request.GET.get("page"))
    items = [selectors.public_item(s) for s in page]
    legend = selectors.answer_category_legend()
    return render(request, "suggestions/board.html", {"page": page, "items": items, "legend": legend})


def wall(request):
    items = [selectors.public_item(s) for s in selectors.public_suggestions()[:12]]
    return render(request, "suggestions/wall.html", {"items": items})
