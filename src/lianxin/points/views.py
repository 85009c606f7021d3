"""Work screens of the points ledger (履职积分). Views parse input, call services/selectors and render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.selectors import user_deputy
from lianxin.appraisal.selectors import collecting_round
from lianxin.errors import REFUSALS, DomainError
from lianxin.points import conf, exports, rules, selectors, services
from lianxin.points.enums import AUTOMATIC_ACTIVITIES, Activity, EntryState, Period
from lianxin.web.dates import date_range


def _year_quarter(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except (TypeError, ValueError):
        year = today.year
    try:
        quarter = int(request.GET.get("quarter", 0))
    except (TypeError, ValueError):
        quarter = 0
    if not 2000 <= year <= 2100:
        year = today.year
    if not 0 <= quarter <= 4:
        quarter = 0
    return year, quarter


def _window(start, end) -> dict[str, str]:
    return {"from": start.isoformat() if start else "", "to": end.isoformat() if end else ""}


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _office_only(request):
    if not rules.is_office(request.user):
        raise Http404


@login_required
def points(request):
    """The period's table: the office always, leaders and deputies once published. A deputy without a published
    table goes to their own ledger."""
    if not rules.can_open_points(request.user):
        raise Http404
    year, quarter = _year_quarter(request)
    published = selectors.is_published(year, quarter)
    office = rules.is_office(request.user)
    deputies = rules.table_deputies(request.user, published=published)
    own = user_deputy(request.user)
    if not office and not published and own is not None and "year" not in request.GET:
        return redirect("points:deputy", own.pk)
    rows = selectors.table(deputies, year=year, quarter=quarter) if office or published else []
    columns = selectors.columns(rows)
    context = {
        "year": year,
        "quarter": quarter,
        "period_label": selectors.period_label([(year, quarter)]),
        "quarters": [(0, _("全年")), (1, _("一季度")), (2, _("二季度")), (3, _("三季度")), (4, _("四季度"))],
        "published": published,
        "publications": selectors.publications(year),
        "rows": [(row, [row.activity(value) for value, _label in columns]) for row in rows],
        "columns": columns,
        "office": office,
        "own": own,
        "pending_contests": selectors.pending_contests(deputies).count() if office else 0,
        "pending_entries": selectors.pending_entries(deputies).count() if office else 0,
    }
    return render(request, "points/points.html", context)


@login_required
def points_export(request):
    year, quarter = _year_quarter(request)
    published = selectors.is_published(year, quarter)
    if not (rules.is_office(request.user) or published) or not rules.can_open_points(request.user):
        raise Http404
    rows = selectors.table(rules.table_deputies(request.user, published=published), year=year, quarter=quarter)
    suffix = f"{year}Q{quarter}" if quarter else str(year)
    return _xlsx(exports.points_table(rows, year=year, quarter=quarter), f"points-{suffix}.xlsx")


def _deputy_or_404(request, deputy_id):
    return rules.ledger_deputy(request.user, deputy_id)


@login_required
def deputy(request, deputy_id):
    """One deputy's ledger: the year's totals per quarter and every entry with its evidence."""
    target = _deputy_or_404(request, deputy_id)
    year, _quarter = _year_quarter(request)
    start, end, date_error = date_range(request.GET, otherwise=_("已按年度显示"))
    if start is not None and "year" not in request.GET:
        year = start.year
    state = request.GET.get("state", "")
    entries = selectors.entries_filter(selectors.ledger(target, year=year, start=start, end=end), state=state)
    page = Paginator(entries, conf.page_size()).get_page(request.GET.get("page"))
    dated = start is not None or end is not None
    for entry in page.object_list:
        entry.evidence_link = selectors.evidence_url(entry)
        entry.open_contest = next((c for c in entry.contests.all() if c.state == "pending"), None)
        entry.last_contest = next(iter(entry.contests.all()), None)
    own = user_deputy(request.user)
    context = {
        "deputy": target,
        "year": year,
        "state": state,
        "states": EntryState.choices,
        "totals": selectors.deputy_totals(target, year=year),
        "page": page,
        "start": start,
        "end": end,
        "date_error": date_error,
        "dated_sum": selectors.entries_sum(entries) if dated else None,
        **_dated_periods(target, start, end),
        "query": urlencode({k: v for k, v in {"year": year, "state": state, **_window(start, end)}.items() if v}),
        "own": own,
        "is_self": own is not None and own.pk == target.pk,
        "collecting": _collecting_year() if own is not None and own.pk == target.pk else None,
        "office": rules.is_office(request.user),
        "today": timezone.localdate(),
        "reason_max": conf.reason_max(),
    }
    return render(request, "points/deputy.html", context)


@login_required
def deputy_export(request, deputy_id):
    target = _deputy_or_404(request, deputy_id)
    year, _quarter = _year_quarter(request)
    entries = selectors.ledger(target, year=year)
    return _xlsx(exports.ledger(target, entries, year=year), f"points-{target.code}-{year}.xlsx")


def _dated_periods(target, start, end) -> dict:
    """For a date filter: the periods (quarters, years) the dates touch and the deputy's capped points of them, the
    figure the cockpit shows for those dates (points are capped per period, not per day)."""
    if start is None and end is None:
        return {"dated_periods": "", "dated_points": None}
    today = timezone.localdate()
    start = start or (end or today).replace(month=1, day=1)
    end = end or max(start, today)
    units = selectors.periods_covering(start, end)
    return {
        "dated_periods": selectors.period_label(units),
        "dated_points": selectors.capped_points([target.pk], units).get(target.pk, selectors.ZERO),
    }


def _collecting_year() -> int | None:
    """The year of an appraisal round collecting opinions now, for the deputy's link to rate the units."""

    round_ = collecting_round(timezone.localdate().year)
    return round_.year if round_ else None


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/work/performance/") else fallback


@login_required
@require_POST
def entry_contest(request, entry_id):
    try:
        contest = services.entry_contest(actor=request.user, entry_id=entry_id, reason=request.POST.get("reason"))
    except REFUSALS as exc:
        messages.error(request, exc.message)
        own = user_deputy(request.user)
        return redirect(_back(request, reverse("points:deputy", args=[own.pk]) if own else "/work/performance/"))
    messages.success(request, _("异议已提交，人大办处理后会在此显示结果。"))
    return redirect("points:deputy", contest.entry.deputy_id)


@login_required
@require_POST
def manual_add(request, deputy_id):
    target = _deputy_or_404(request, deputy_id)
    try:
        services.entry_add_manual(
            actor=request.user,
            deputy_id=target.pk,
            points=request.POST.get("points"),
            occurred_on=request.POST.get("occurred_on"),
            reason=request.POST.get("reason"),
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已录入。"))
    return redirect("points:deputy", target.pk)


@login_required
def review(request):
    """The office's queue: objections to decide and entries waiting for approval."""
    _office_only(request)
    deputies = rules.office_deputies(request.user)
    context = {
        "contests": list(selectors.pending_contests(deputies)[:200]),
        "entries": list(selectors.pending_entries(deputies)[:200]),
        "reason_max": conf.reason_max(),
    }
    return render(request, "points/review.html", context)


@login_required
@require_POST
def contest_decide(request, contest_id):
    _office_only(request)
    try:
        services.contest_decide(
            actor=request.user,
            contest_id=contest_id,
            uphold=request.POST.get("decision") == "uphold",
            note=request.POST.get("note"),
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("异议已处理。"))
    return redirect("points:review")


@login_required
@require_POST
def entry_decide(request, entry_id):
    _office_only(request)
    try:
        services.entry_decide(
            actor=request.user,
            entry_id=entry_id,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已审核。"))
    return redirect("points:review")


@login_required
@require_POST
def publish(request):
    _office_only(request)
    year, quarter = request.POST.get("year"), request.POST.get("quarter")
    try:
        row = services.period_publish(
            actor=request.user, year=year, quarter=quarter, published=request.POST.get("published") == "1"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("points:points")
    messages.success(request, _("已公布。") if row.published else _("已撤回公布。"))
    return redirect(f"{reverse('points:points')}?year={row.year}&quarter={row.quarter}")


@login_required
@require_POST
def scan(request):
    _office_only(request)
    added = services.points_scan(actor=request.user)
    messages.success(request, _("已扫描，新增 %(n)d 条积分记录。") % {"n": sum(added.values())})
    return redirect("points:points")


@login_required
def assessment(request):
    _office_only(request)
    year, _quarter = _year_quarter(request)
    only_short = request.GET.get("short") == "1"
    items = selectors.assessment(rules.office_deputies(request.user), year=year, only_short=only_short)
    if request.GET.get("format") == "xlsx":
        return _xlsx(exports.assessment(items, year=year), f"assessment-{year}.xlsx")
    return render(request, "points/assessment.html", {"items": items, "year": year, "only_short": only_short})


@login_required
def rules_page(request):
    """The rules in force with their caps: the office changes them, deputies and leaders read them (the caps explain
    why a total is less than the entries added up)."""
    if not rules.can_open_points(request.user):
        raise Http404
    office = rules.is_office(request.user)
    context = {
        "office": office,
        "own": user_deputy(request.user),
        "rules": selectors.current_rules(),
        "activities": [(v, label) for v, label in Activity.choices if v in AUTOMATIC_ACTIVITIES],
        "periods": Period.choices,
    }
    return render(request, "points/rules.html", context)


@login_required
@require_POST
def rule_change(request):
    _office_only(request)
    try:
        rule = services.rule_change(
            actor=request.user,
            activity=request.POST.get("activity"),
            points=request.POST.get("points"),
            cap=request.POST.get("cap") or None,
            cap_period=request.POST.get("cap_period", Period.YEAR),
            needs_approval=request.POST.get("needs_approval") == "on",
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存为第 %(v)d 版，此后新增的记录按新规则计分。") % {"v": rule.version})
    return redirect("points:rules")
