"""Cockpit pages: overview with drill-down, the wall screen, the list behind a number, the four lists and the
monthly reports. Views parse input, call rules/selectors/services and render; nothing else."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from lianxin.accounts import scopes as accounts_scopes
from lianxin.accounts.enums import Role
from lianxin.accounts.selectors import user_memberships
from lianxin.cases.selectors import suggestion_uptake
from lianxin.cockpit import conf, lists, periods, selectors, services
from lianxin.cockpit.models import Report, ReportState
from lianxin.cockpit.reports import list_workbook
from lianxin.cockpit.rules import Scope, cockpit_roots, scope_for_actor
from lianxin.cockpit.tasks import refresh_rollups
from lianxin.errors import InvalidInput, NotAllowed
from lianxin.organisation.models import Division


def _scope(request) -> Scope:
    return scope_for_actor(request.user, request.GET.get("division"), request.GET.get("station"))


def _period(request) -> tuple[periods.Period, InvalidInput | None]:
    try:
        return periods.parse_period(request.GET), None
    except InvalidInput as exc:
        return periods.preset_period(periods.DEFAULT_PRESET), exc


def breadcrumbs(request, scope: Scope, period: periods.Period) -> list[dict]:
    """District → street → station, each a link keeping the period; only the levels the user may open."""
    roots = cockpit_roots(request.user)
    rows = Division.objects.filter(pk__in=scope.division.ancestor_ids()).values_list("pk", "name", "path")
    crumbs = []
    for pk, name, path in sorted(rows, key=lambda r: len(r[2])):
        if any(path.startswith(root.path) for root in roots):
            query = urlencode({"division": pk, **period.query()})
            crumbs.append({"name": name, "url": f"{reverse('cockpit:overview')}?{query}"})
    if scope.station is not None:
        crumbs.append({"name": scope.station.name, "url": ""})
    return crumbs


def figure_links(scope: Scope, period: periods.Period) -> dict[str, str]:
    """The lists behind the overview's figures that are not of the chosen period: the cases registered today,
    this week and this year (the same days the headline counts), and the near-due ones (临期, now)."""
    links = {
        key: selectors.list_url(scope, periods.preset_period(key), measure="total") for key in ("today", "week", "year")
    }
    links["near_due"] = selectors.list_url(scope, period, measure="near_due")
    return links


# django.utils.html.json_script's escapes, applied by str.replace: its str.translate looks every character of the
# payload (100 kB and more with a district's grid map) up in a dict, some milliseconds a page.
JSON_SCRIPT_ESCAPES = ((">", "\\u003E"), ("<", "\\u003C"), ("&", "\\u0026"))


def json_script(value, element_id: str) -> str:
    """The same markup as the json_script filter."""
    text = json.dumps(value, cls=DjangoJSONEncoder)
    for char, escaped in JSON_SCRIPT_ESCAPES:
        text = text.replace(char, escaped)
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text))  # noqa: S308 — escaped above, as json_script does


def _context(request, scope, period, error=None) -> dict:
    data = selectors.overview(scope, period, user=request.user)
    payload = selectors.overview_json(data)
    payload["map"] = selectors.grid_map(scope, data.places) if scope.station is None else None
    return {
        "data": data,
        "payload": payload,
        "payload_script": json_script(payload, "cockpit-data"),
        "scope": scope,
        "period": period,
        "presets": periods.PRESETS,
        "crumbs": breadcrumbs(request, scope, period),
        "scope_query": urlencode(scope.query()),
        "period_query": urlencode(period.query()),
        "min_sample": conf.ranking_min_sample(),
        "method_urls": [fig["method_url"] for fig in data.extra if fig.get("method_url")][:1],
        "period_error": error,
        "wall_refresh": conf.wall_refresh_seconds(),
        "can_refresh": any(m.role == Role.OFFICE for m in user_memberships(request.user)),
        "full_query": urlencode({**scope.query(), **period.query()}),
        "uptake": suggestion_uptake(days=30, division=scope.division),
        "links": figure_links(scope, period),
    }


@login_required
def overview(request):
    scope = _scope(request)
    period, error = _period(request)
    status = 422 if error else 200
    return render(request, "cockpit/overview.html", _context(request, scope, period, error), status=status)


@login_required
def data(request):
    """The overview as JSON (the wall screen refreshes from here)."""
    scope = _scope(request)
    period, error = _period(request)
    if error:
        return JsonResponse(
            {"error": {"code": error.code, "message": error.message, "fields": error.fields}}, status=422
        )
    payload = selectors.overview_json(selectors.overview(scope, period, user=request.user))
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@login_required
def wall(request):
    scope = _scope(request)
    period, error = _period(request)
    return render(request, "cockpit/wall.html", _context(request, scope, period, error))


def _queue_url(request, scope: Scope, period: periods.Period, filters: lists.CaseFilters) -> str:
    """The same list on the case queue (/work/cases/), when its filters express it exactly: office or leader at
    their own division, a status group, channel or the red light, optionally one station or category."""
    own = any(
        m.role in (Role.OFFICE, Role.LEADER) and m.division_id == scope.division.pk
        for m in user_memberships(request.user)
    )
    if not own or filters.street or filters.unit or filters.deputy or filters.place or filters.station:
        return ""
    params = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat(), "tab": "all"}
    measure = filters.measure
    if measure.startswith("s_"):
        params["tab"] = measure[2:]
    elif measure.startswith("ch_"):
        params["channel"] = measure[3:]
    elif measure == "overdue":
        params["light"] = "red"
    elif measure != "total":
        return ""
    if scope.station is not None:
        params["station"] = scope.station.pk
    if filters.category not in (None, lists.NONE):
        params["category"] = filters.category
    elif filters.category == lists.NONE:
        return ""
    return f"{reverse('cases:queue')}?{urlencode(params)}"


@login_required
def cases(request):
    """The cases behind one number of the overview."""
    scope = _scope(request)
    period, error = _period(request)
    try:
        filters = lists.parse_filters(request.GET)
    except InvalidInput as exc:
        filters, error = lists.CaseFilters(), exc
    qs = lists.figure_cases(request.user, scope, period, filters)
    page = Paginator(qs, conf.list_page_size()).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "scope": scope,
        "period": period,
        "filters": filters,
        "page": page,
        "query": params.urlencode(),
        "error": error,
        "crumbs": breadcrumbs(request, scope, period),
        "back": f"{reverse('cockpit:overview')}?{urlencode({**scope.query(), **period.query()})}",
        "queue_url": _queue_url(request, scope, period, filters),
    }
    return render(request, "cockpit/cases.html", context, status=422 if error else 200)


@login_required
def four_lists(request):
    scope = _scope(request)
    period, error = _period(request)
    kind = request.GET.get("list") or "problems"
    if kind not in lists.LISTS:
        raise Http404
    if request.GET.get("format") == "xlsx":
        columns, rows, total = lists.four_list(request.user, scope, period, kind, conf.export_max_rows())
        content = list_workbook(str(lists.LISTS[kind]), columns, rows, total)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"{kind}-{scope.division.pk}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    columns, rows, total = lists.four_list(request.user, scope, period, kind, conf.list_page_size() * 4)
    context = {
        "scope": scope,
        "period": period,
        "kind": kind,
        "lists": lists.LISTS,
        "columns": columns,
        "rows": rows,
        "total": total,
        "error": error,
        "presets": periods.PRESETS,
        "crumbs": breadcrumbs(request, scope, period),
        "scope_query": urlencode(scope.query()),
        "period_query": urlencode(period.query()),
    }
    return render(request, "cockpit/lists.html", context, status=422 if error else 200)


def _visible_reports(user):
    q = accounts_scopes.Scope(divisions=tuple(cockpit_roots(user))).q(division="division")
    if q is None:
        return Report.objects.none()
    return Report.objects.filter(q).select_related("division", "requested_by")


def report_month(period: periods.Period) -> dt.date:
    """The month a report is asked for by default: the one the cockpit's period ends in, once that month is over;
    else the last finished month (a report of the running month would be out of date tomorrow)."""
    this_month = periods.month_start(periods.today())
    month = periods.month_start(period.end)
    return month if month < this_month else periods.month_start(this_month - dt.timedelta(days=1))


@login_required
def reports(request):
    scope = _scope(request)
    error = None
    if request.method == "POST":
        try:
            report = services.report_request(
                actor=request.user, division_id=request.POST.get("division"), month=request.POST.get("month")
            )
        except (InvalidInput, NotAllowed) as exc:
            error = exc
        else:
            if report.state == ReportState.DONE:
                messages.success(request, "报告已生成，可以下载。")
            else:
                messages.info(request, "报告已排队生成，稍后刷新本页即可下载。")
            return redirect(f"{reverse('cockpit:reports')}?{urlencode(scope.query())}")
    rows = list(_visible_reports(request.user).filter(division__path__startswith=scope.division.path)[:50])
    context = {
        "scope": scope,
        "reports": rows,
        "error": error,
        "month": request.POST.get("month") or f"{report_month(_period(request)[0]):%Y-%m}",
        "scope_query": urlencode(scope.query()),
        "pending": any(r.state in (ReportState.PENDING, ReportState.RUNNING) for r in rows),
    }
    return render(request, "cockpit/reports.html", context, status=422 if error else 200)


@login_required
def report_file(request, report_id: int, kind: str):
    report = _visible_reports(request.user).filter(pk=report_id, state=ReportState.DONE).first()
    if report is None or kind not in ("pdf", "xlsx"):
        raise Http404
    field = report.pdf if kind == "pdf" else report.xlsx
    if not field:
        raise Http404
    name = f"{report.division.name}-{report.month:%Y-%m}.{kind}"
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def refresh_now(request):
    """Office only: run the refresh job now (e.g. after a registry import) instead of waiting a minute."""
    if not any(m.role == Role.OFFICE for m in user_memberships(request.user)):
        raise Http404

    refresh_rollups()
    messages.success(request, "统计数据已更新。")
    query = QueryDict(request.POST.get("query", "")[:500]).urlencode()  # re-encoded: only our own parameters back
    return redirect(f"{reverse('cockpit:overview')}?{query}")
