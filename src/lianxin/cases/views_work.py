"""Work screens for staff, deputies and handling units: the queue, a case's detail with its actions, walk-in
reception and deputy visits. Views parse input, call selectors and services, and render; nothing else."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin import privacy
from lianxin.accounts.enums import Role
from lianxin.accounts.selectors import user_deputy, user_roles
from lianxin.cases import selectors, services, spam
from lianxin.cases.enums import Action, Channel
from lianxin.cases.forms_work import QueueFilterForm, VisitForm, WalkInForm, action_forms
from lianxin.cases.intake import Submission, case_register
from lianxin.cases.photos import prepare_photos, read_photo_uploads
from lianxin.cases.rules import allowed_actions, case_for_actor
from lianxin.errors import REFUSALS, InvalidInput, NotAllowed, NotFound

# --- Queue -----------------------------------------------------------------------------------------------


@login_required
def queue(request):
    role = selectors.queue_role(request.user)
    if role is None:
        raise Http404
    tabs = selectors.queue_tabs(role)
    form = QueueFilterForm(request.GET, tabs=tabs, default_tab=selectors.DEFAULT_TAB[role])
    filters = form.filters()
    tab = next(t for t in tabs if t.key == filters.tab)
    counts = selectors.tab_counts(request.user, filters, tabs)
    page = Paginator(selectors.case_list(request.user, filters, tab), settings.CASE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    tab_params = params.copy()
    tab_params.pop("tab", None)
    context = {
        "form": form,
        "role": role,
        "tabs": [{"key": t.key, "label": t.label, "count": counts[t.key]} for t in tabs],
        "tab": tab,
        "page": page,
        "query": params.urlencode(),
        "tab_query": tab_params.urlencode(),
        "filter_errors": [error for errors in form.errors.values() for error in errors],
        "spam_only": filters.spam == "only",
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "cases/work/_queue_results.html", context)
    return render(request, "cases/work/queue.html", context)


# --- Detail and actions ------------------------------------------------------------------------------------


def _visible(request, case_id):
    return case_for_actor(request.user, case_id)


def _detail_context(request, case, **extra):
    actions = allowed_actions(request.user, case)
    suggestion = services.case_suggestion(case) if Action.DISPATCH in actions else (None, None)
    forms_ = action_forms(
        case,
        actions,
        failed=extra.pop("failed", ""),
        data=extra.pop("data", None),
        error=extra.get("error"),
        suggestion=suggestion,
    )
    dispatches = selectors.case_dispatches(case)
    texts = [case.title, case.details, case.public_answer, case.decline_reason, case.rating_comment]
    texts += [text for d in dispatches for text in (d.reply, d.return_reason)]
    return {
        "case": case,
        "division_path": selectors.division_path(case.division),
        "photos": list(case.photos.all()),
        "attachments": list(case.attachments.all()),
        "present": selectors.case_present_deputies(case),
        "deadlines": selectors.case_deadlines(case),
        "dispatches": dispatches,
        "extensions": selectors.case_extensions(case),
        "timeline": selectors.case_timeline(case),
        "converted_into": selectors.case_suggestion_link(user=request.user, case=case),
        "action_forms": forms_,
        "error_shown": any(f["error"] for f in forms_),
        "can_reveal": services.may_reveal_contact(request.user, case) and bool(case.contact_phone_enc),
        "reveal_needs_reason": not (user_roles(request.user) & services.REVEAL_ROLES),
        "can_reveal_text": bool(user_roles(request.user) & services.REVEAL_ROLES) and privacy.has_personal_data(*texts),
        "can_mark_spam": Action.DECLINE in actions,
        **extra,
    }


def _render_detail(request, case_id, *, status=200, **extra):
    """The detail page, or only its panel for htmx; a case the user no longer sees sends them to the queue."""
    try:
        case = case_for_actor(request.user, case_id)
    except NotFound:
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("cases:queue")
            return response
        return redirect("cases:queue")
    context = _detail_context(request, case, **extra)
    template = "cases/work/_detail_panel.html" if request.htmx else "cases/work/detail.html"
    return render(request, template, context, status=status)


@login_required
def detail(request, case_id):
    _visible(request, case_id)
    return _render_detail(request, case_id)


@login_required
@require_POST
def act(request, case_id, action):
    """Run one action of the action panel; errors come back next to its form and nothing is stored."""
    _visible(request, case_id)
    try:
        services.case_transition(
            actor=request.user,
            case_id=case_id,
            action=action,
            data=request.POST,
            files=request.FILES.getlist("attachments"),
        )
    except (InvalidInput, NotAllowed) as exc:
        status = 200 if request.htmx else 422
        return _render_detail(request, case_id, status=status, error=exc, failed=action, data=request.POST)
    label = Action(action).label
    notice = _("已完成：%(action)s。") % {"action": label}
    if request.htmx:
        return _render_detail(request, case_id, notice=notice)
    messages.success(request, notice)
    return redirect("cases:detail", case_id=case_id)


@login_required
@require_POST
def spam_mark(request, case_id):
    """Mark (or with spam=0 clear) a case as spam: hidden from the queues unless asked for."""
    _visible(request, case_id)
    try:
        spam.case_mark_spam(actor=request.user, case_id=case_id, spam=request.POST.get("spam", "1") != "0")
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已更新垃圾信息标记。"))
    return redirect("cases:detail", case_id=case_id)


@login_required
@require_POST
def spam_decline(request):
    """Decline the listed spam cases with one reason (all or nothing)."""
    try:
        ids = [int(value) for value in request.POST.getlist("case_ids")]
        declined = spam.cases_decline_spam(actor=request.user, case_ids=ids, reason=request.POST.get("reason", ""))
    except ValueError:
        messages.error(request, _("请选择要处理的件。"))
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已不予受理 %(n)s 件。") % {"n": len(declined)})
    return redirect(f"{reverse('cases:queue')}?tab=all&spam=only")


@login_required
@require_POST
def reveal(request, case_id):
    """The full name and phone for roles that call citizens back; every reveal is in the audit log."""
    _visible(request, case_id)
    try:
        contact = services.case_reveal_contact(
            actor=request.user, case_id=case_id, reason=request.POST.get("reason", "")
        )
    except NotAllowed as exc:
        return HttpResponse(exc.message, status=403, content_type="text/plain; charset=utf-8")
    except InvalidInput as exc:
        if request.htmx:
            context = {"case": _visible(request, case_id), "reveal_error": exc.message, "reveal_needs_reason": True}
            return render(request, "cases/work/_contact_reveal_form.html", context)
        return _render_detail(request, case_id, status=422, reveal_error=exc.message)
    if request.htmx:
        return render(request, "cases/work/_contact_revealed.html", {"contact": contact})
    return _render_detail(request, case_id, contact=contact)


@login_required
@require_POST
def reveal_text(request, case_id):
    """The title and details unmasked (phone, ID and card numbers, e-mail); every reveal is in the audit log."""
    _visible(request, case_id)
    try:
        text = services.case_reveal_text(actor=request.user, case_id=case_id)
    except NotFound:
        raise Http404 from None
    except NotAllowed as exc:
        return HttpResponse(exc.message, status=403, content_type="text/plain; charset=utf-8")
    replies = [value for key, value in text.items() if key.startswith("dispatch_") and value]
    return render(request, "cases/work/_text_revealed.html", {"text": text, "replies": replies})


# --- Walk-in reception and deputy visits ---------------------------------------------------------------------


def _register(request, form, *, submission: Submission, photos=(), own_visit: bool = False):
    """Register the case (and answer it on the spot if asked) in one transaction; errors go back on the form.
    A deputy's own visit record is acknowledged by being recorded (services.case_acknowledge_own_visit)."""
    resolve = form.cleaned_data.get("resolve_on_spot")
    try:
        with transaction.atomic():
            case, _created = case_register(submission=submission, actor=request.user, photos=list(photos))
            if resolve:
                services.case_resolve_on_spot(
                    actor=request.user, case_id=case.pk, message=form.cleaned_data["resolve_message"]
                )
            elif own_visit:
                case = services.case_acknowledge_own_visit(actor=request.user, case_id=case.pk)
    except REFUSALS as exc:
        form.add_domain_error(exc)
        return None
    return case


def _registered(request, case):
    messages.success(request, _("已登记，查询码 %(code)s。") % {"code": case.tracking_code})
    return redirect("cases:detail", case_id=case.pk)


@login_required
def walk_in(request):
    """Station staff (and the office) register what a visitor raises at the station (接待登记)."""
    if not user_roles(request.user) & {Role.STATION, Role.OFFICE}:
        raise Http404
    stations = selectors.walk_in_stations(request.user)
    wanted = request.POST.get("station") if request.method == "POST" else request.GET.get("station")
    station = stations.filter(pk=wanted).first() if wanted and str(wanted).isdigit() else None
    data = request.POST if request.method == "POST" else None
    form = WalkInForm(data, stations=stations, station=station)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        submission = Submission(
            channel=Channel.WALK_IN,
            station_code=c["station"].code,
            deputy_ids_present=[d.pk for d in c["deputies_present"]],
            **form.submission_fields(),
        )
        case = _register(request, form, submission=submission)
        if case is not None:
            return _registered(request, case)
    status = 422 if request.method == "POST" else 200
    return render(request, "cases/work/walk_in.html", {"form": form, "has_stations": stations.exists()}, status=status)


@login_required
def visit(request):
    """A deputy records what a voter raised during a visit in one of their grids (走访)."""
    deputy = user_deputy(request.user)
    if deputy is None:
        raise Http404
    form = VisitForm(request.POST if request.method == "POST" else None, grids=selectors.visit_grids(request.user))
    if request.method == "POST":
        # Photos as on the citizen's report: count and size before reading, decoded, re-encoded without EXIF.
        photos = []
        try:
            photos = prepare_photos(read_photo_uploads(request.FILES.getlist("photos")))
        except InvalidInput as exc:
            form.photo_errors = [exc.fields.get("photos", [exc.message])[0]]
        if form.is_valid() and not form.photo_errors:
            submission = Submission(
                channel=Channel.VISIT,
                deputy_code=deputy.code,
                division_id=form.cleaned_data["grid"].pk,
                **form.submission_fields(),
            )
            case = _register(request, form, submission=submission, photos=photos, own_visit=True)
            if case is not None:
                return _registered(request, case)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "deputy": deputy, "max_photos": settings.PHOTO_MAX_COUNT}
    return render(request, "cases/work/visit.html", context, status=status)
