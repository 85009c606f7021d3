"""Staff screens for consultations: the list (consultations:manage), a new one, a consultation's page with
the summary by article and the moderation queue, and the exports (Excel; a printable report)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lianxin.audit.services import log_action
from lianxin.consultations import conf, exports, selectors, services
from lianxin.consultations.enums import CommentStatus
from lianxin.consultations.forms import ConsultationForm, ModerationForm
from lianxin.consultations.rules import can_manage, comment_for_actor, consultation_for_actor
from lianxin.errors import REFUSALS, InvalidInput
from lianxin.web.reveal import reveal_context


def _consultation(request, consultation_id):
    return consultation_for_actor(request.user, consultation_id)


@login_required
def manage(request):
    if not can_manage(request.user):
        raise Http404
    page = Paginator(selectors.staff_consultations(request.user), conf.page_size()).get_page(request.GET.get("page"))
    return render(request, "consultations/work/manage.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if not can_manage(request.user):
        raise Http404
    form = ConsultationForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                consultation = services.consultation_create(
                    actor=request.user, data=form.consultation_input(), publish=form.cleaned_data["publish"]
                )
            except InvalidInput as exc:
                form.add_domain_error(exc)
                status = 422
            else:
                messages.success(request, _("意见征求已创建。"))
                return redirect("consultations:detail", consultation_id=consultation.pk)
        else:
            status = 422
    return render(request, "consultations/work/create.html", {"form": form}, status=status)


def _detail(request, consultation, *, status=200, failed=None):
    pending = list(selectors.comments_of(consultation, status=CommentStatus.PENDING)[:200])
    moderated = list(selectors.comments_of(consultation).exclude(status=CommentStatus.PENDING)[:200])
    context = {
        "consultation": consultation,
        "rows": selectors.summary(consultation),
        "pending": pending,
        "moderated": moderated,
        "failed": failed,
        "open": services.is_open(consultation),
        # comments are shown masked; ?reveal=1 shows them whole for the reveal roles (audited)
        **reveal_context(
            request,
            [c.body for c in pending + moderated],
            lambda: services.consultation_reveal_comments(actor=request.user, consultation_id=consultation.pk),
        ),
    }
    return render(request, "consultations/work/detail.html", context, status=status)


@login_required
def detail(request, consultation_id: int):
    return _detail(request, _consultation(request, consultation_id))


@login_required
@require_POST
def publish(request, consultation_id: int):
    consultation = _consultation(request, consultation_id)
    try:
        services.consultation_publish(actor=request.user, consultation_id=consultation.pk)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发布，群众可以提意见了。"))
    return redirect("consultations:detail", consultation_id=consultation.pk)


@login_required
@require_POST
def close(request, consultation_id: int):
    consultation = _consultation(request, consultation_id)
    try:
        services.consultation_close(actor=request.user, consultation_id=consultation.pk)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已结束征求。"))
    return redirect("consultations:detail", consultation_id=consultation.pk)


@login_required
@require_POST
def moderate(request, comment_id: int):
    comment = comment_for_actor(request.user, comment_id)
    form = ModerationForm(request.POST)
    decision = form.data.get("decision", "")
    reason = form.data.get("reason", "")
    try:
        services.comment_moderate(actor=request.user, comment_id=comment.pk, decision=decision, reason=reason)
    except REFUSALS as exc:
        return _detail(
            request,
            comment.consultation,
            status=exc.status,
            failed={"comment": comment.pk, "message": exc.message, "reason": reason[:200]},
        )
    messages.success(request, _("已审核。"))
    return redirect(reverse("consultations:detail", args=[comment.consultation_id]) + "#pending")


def _log_export(request, consultation, kind: str) -> None:
    log_action(
        actor=request.user,
        action="consultation.exported",
        subject_type="consultation",
        subject_id=consultation.pk,
        data={"format": kind},
    )


@login_required
def export_xlsx(request, consultation_id: int):
    consultation = _consultation(request, consultation_id)
    content = exports.workbook_bytes(consultation)
    _log_export(request, consultation, "xlsx")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.xlsx"'
    return response


@login_required
def report(request, consultation_id: int):
    """The summary for the legislature: an HTML page laid out for printing or saving as PDF from the browser."""
    consultation = _consultation(request, consultation_id)
    _log_export(request, consultation, "report")
    return render(request, "consultations/work/report.html", exports.report_context(consultation))
