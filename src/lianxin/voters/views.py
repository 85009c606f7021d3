"""Work screens of the voters area (office and deputies). Views parse input, call services/selectors, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.selectors import user_deputy
from lianxin.errors import REFUSALS, InvalidInput
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Division
from lianxin.voters import conf, report_services, rules, selectors, services
from lianxin.voters.forms import CheckForm, ContactForm, DrawForm, HouseholdForm, PublishForm, ReportForm
from lianxin.web.dates import date_range
from lianxin.web.reveal import reveal_context


def _form_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return _("输入有误。")


def _deputy_or_404(user, deputy_id):
    return rules.deputy_for_actor(user, deputy_id)


# --- Main page ------------------------------------------------------------------------------------------------


@login_required
def contacts(request):
    """The office's overview of all deputies; a deputy goes straight to their own pairing and contacts."""
    if rules.is_office(request.user):
        only_below = request.GET.get("below") == "1"
        rows = selectors.deputy_rows(request.user, timezone.localdate(), only_below=only_below)
        return render(
            request,
            "voters/overview.html",
            {"rows": rows, "only_below": only_below, "minimum": conf.pairing_minimum()},
        )
    deputy = user_deputy(request.user)
    if deputy is None:
        raise Http404
    return _deputy_page(request, deputy)


@login_required
def deputy_detail(request, deputy_id):
    return _deputy_page(request, _deputy_or_404(request.user, deputy_id))


def _deputy_page(request, deputy, *, household_form=None, contact_form=None, status=200):
    households = list(selectors.households_of(deputy))
    start, end, date_error = date_range(request.GET, otherwise=_("已显示全部联系记录"))
    contacts = selectors.contacts_of(deputy, start=start, end=end)
    page = Paginator(contacts, conf.page_size()).get_page(request.GET.get("page"))
    # what the deputy wrote about the voters is shown masked; ?reveal=1 for the reveal roles (audited)
    revealing = reveal_context(
        request,
        [text for c in page for text in (c.summary, c.raised)],
        lambda: services.contacts_reveal_texts(actor=request.user, deputy_id=deputy.pk),
    )
    window = {"from": start.isoformat() if start else "", "to": end.isoformat() if end else ""}
    grids = (
        Division.objects.filter(kind=DivisionKind.GRID).filter(pk__in=deputy.grids.values("pk"))
        if deputy.grids.exists()
        else Division.objects.filter(kind=DivisionKind.GRID)
    )
    context = {
        "deputy": deputy,
        "households": households,
        "minimum": conf.pairing_minimum(),
        "page": page,
        "start": start,
        "end": end,
        "date_error": date_error,
        "window": urlencode({k: v for k, v in window.items() if v}),
        "can_write": rules.may_write_for(request.user, deputy),
        "is_office": rules.is_office(request.user),
        "household_form": household_form or HouseholdForm(grids=grids.order_by("path")),
        "contact_form": contact_form
        or ContactForm(households=households, initial={"contacted_on": timezone.localdate()}),
        **revealing,
    }
    return render(request, "voters/deputy.html", context, status=status)


@login_required
@require_POST
def household_add(request, deputy_id):
    deputy = _deputy_or_404(request.user, deputy_id)
    grids = Division.objects.filter(kind=DivisionKind.GRID)
    form = HouseholdForm(request.POST, grids=grids)
    try:
        if not form.is_valid():
            raise InvalidInput(_form_error(form))
        data = form.cleaned_data
        services.household_pair(
            actor=request.user,
            deputy_id=deputy.pk,
            grid_id=data["grid"],
            address=data["address"],
            head_name=data["head_name"],
            head_phone=data["head_phone"],
            paired_on=data["paired_on"],
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return _deputy_page(request, deputy, household_form=HouseholdForm(request.POST, grids=grids), status=422)
    messages.success(request, _("已结对。"))
    return redirect("voters:deputy", deputy.pk)


@login_required
@require_POST
def household_end(request, household_id):
    try:
        household = services.household_end(actor=request.user, household_id=household_id)
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("voters:contacts")
    messages.success(request, _("已解除结对。"))
    return redirect("voters:deputy", household.deputy_id)


@login_required
@require_POST
def contact_add(request, deputy_id):
    deputy = _deputy_or_404(request.user, deputy_id)
    households = list(selectors.households_of(deputy))
    form = ContactForm(request.POST, households=households)
    try:
        if not form.is_valid():
            raise InvalidInput(_form_error(form))
        data = form.cleaned_data
        contact = services.contact_record(
            actor=request.user,
            deputy_id=deputy.pk,
            contacted_on=data["contacted_on"],
            way=data["way"],
            summary=data["summary"],
            household_id=data["household"],
            raised=data["raised"],
            create_case=data["create_case"],
            case_title=data["case_title"],
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return _deputy_page(request, deputy, contact_form=ContactForm(request.POST, households=households), status=422)
    if contact.case_id:
        messages.success(request, _("已记录，并登记为民意件 %(code)s。") % {"code": contact.case.tracking_code})
    else:
        messages.success(request, _("已记录。"))
    return redirect("voters:deputy", deputy.pk)


# --- Sampling and call-backs (office) -----------------------------------------------------------------------------


def _office_only(request):
    if not rules.is_office(request.user):
        raise Http404


@login_required
def samples(request, *, draw_form=None, status=200):
    _office_only(request)
    today = timezone.localdate()
    checks = list(selectors.office_checks(request.user)[:200])
    context = {
        "draws": selectors.recent_draws(request.user),
        "checks": [(check, CheckForm(prefix=f"c{check.pk}")) for check in checks],
        "draw_form": draw_form or DrawForm(initial={"month": today.replace(day=1), "seed": today.toordinal()}),
        "percent": conf.sample_percent(),
        "sample_minimum": conf.sample_minimum(),
    }
    return render(request, "voters/samples.html", context, status=status)


@login_required
@require_POST
def sample_draw(request):
    _office_only(request)
    form = DrawForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_form_error(form))
        draw = services.contact_sample_draw(
            actor=request.user, month=form.cleaned_data["month"], seed=form.cleaned_data["seed"]
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return samples(request, draw_form=form, status=422)
    messages.success(
        request, _("已从 %(pool)d 条记录中抽取 %(n)d 条。") % {"pool": draw.pool_size, "n": draw.checks.count()}
    )
    return redirect("voters:samples")


@login_required
@require_POST
def check_record(request, check_id):
    _office_only(request)
    form = CheckForm(request.POST, prefix=f"c{check_id}")
    try:
        if not form.is_valid():
            raise InvalidInput(_form_error(form))
        services.contact_check_record(
            actor=request.user, check_id=check_id, result=form.cleaned_data["result"], note=form.cleaned_data["note"]
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("voters:samples")
    messages.success(request, _("已登记回访结果。"))
    return redirect("voters:samples")


@login_required
@require_POST
def check_reveal(request, check_id):
    _office_only(request)
    try:
        contact = services.contact_check_reveal(actor=request.user, check_id=check_id)
    except REFUSALS as exc:
        return render(request, "voters/_revealed.html", {"error": exc.message}, status=409)
    return render(request, "voters/_revealed.html", {"contact": contact})


# --- Reports to voters ------------------------------------------------------------------------------------------


@login_required
def reports(request, *, form=None, status=200):
    visible = rules.visible_deputies(request.user)
    if not rules.is_office(request.user) and user_deputy(request.user) is None:
        raise Http404
    office = rules.is_office(request.user)
    context = {
        "reports": list(selectors.reports_for(request.user)[:100]),
        "is_office": office,
        "form": form or (ReportForm(deputies=visible.order_by("code")) if office else None),
    }
    return render(request, "voters/reports.html", context, status=status)


@login_required
@require_POST
def report_new(request):
    _office_only(request)
    form = ReportForm(request.POST, deputies=rules.visible_deputies(request.user).order_by("code"))
    try:
        if not form.is_valid():
            raise InvalidInput(_form_error(form))
        data = form.cleaned_data
        report = report_services.report_schedule(
            actor=request.user,
            deputy_id=data["deputy"],
            title=data["title"],
            held_on=data["held_on"],
            place=data["place"],
            rating_closes_at=data["rating_closes_at"],
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return reports(request, form=form, status=422)
    messages.success(request, _("述职已安排。"))
    return redirect("voters:report", report.pk)


def _report_or_404(user, report_id):
    return report_services.report_for_actor(user, report_id)


@login_required
def report_detail(request, report_id, *, publish_form=None, status=200):
    report = _report_or_404(request.user, report_id)
    own = user_deputy(request.user)
    comments = list(selectors.report_comments(report))
    context = {
        "report": report,
        "result": selectors.live_result(report),
        "comments": comments,
        # the report and the voters' comments are shown masked; ?reveal=1 for the reveal roles (audited)
        **reveal_context(
            request,
            [report.text, *(c.comment for c in comments)],
            lambda: report_services.report_reveal_texts(actor=request.user, report_id=report.pk),
        ),
        "is_office": rules.is_office(request.user),
        "can_publish": report.status == "scheduled"
        and (rules.is_office(request.user) or (own is not None and own.pk == report.deputy_id)),
        "rating_open": report_services.rating_open(report),
        "publish_form": publish_form or PublishForm(initial={"text": report.text}),
        "now": timezone.now(),
    }
    return render(request, "voters/report.html", context, status=status)


@login_required
@require_POST
def report_publish(request, report_id):
    _report_or_404(request.user, report_id)
    form = PublishForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_form_error(form))
        report_services.report_publish(actor=request.user, report_id=report_id, text=form.cleaned_data["text"])
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return report_detail(request, report_id, publish_form=form, status=422)
    messages.success(request, _("述职报告已公开，群众可以评议。"))
    return redirect("voters:report", report_id)


@login_required
@require_POST
def report_result(request, report_id):
    _report_or_404(request.user, report_id)
    try:
        report_services.report_result_publish(actor=request.user, report_id=report_id)
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("voters:report", report_id)
    messages.success(request, _("评议结果已公布。"))
    return redirect("voters:report", report_id)
