from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.enums import Role
from lianxin.accounts.selectors import user_roles
from lianxin.audit import exports
from lianxin.audit.selectors import AuditSearch, results, search
from lianxin.audit.services import log_action


def home(request):
    if not request.user.is_authenticated:
        return redirect("cases:report")
    roles = user_roles(request.user)
    if roles - {Role.AUDITOR}:
        return redirect("cases:queue")
    if Role.AUDITOR in roles:
        return redirect("web:audit_log")
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "web/no_role.html")


def favicon(request):
    """Browsers and in-app browsers ask for /favicon.ico whatever a page names (base.html names the SVG): the
    static file, by its hashed name once collected (looked up per request, not when the URLs load)."""
    return redirect(static("lianxin/favicon.ico"), permanent=True)


LARGE_TEXT_COOKIE = "lx_large_text"


@require_POST
def large_text(request):
    """大字版 on or off for this browser (public_base.html reads the cookie and draws the page large at once), then
    back to the page it was asked from, as Django's set_language does."""
    target = request.POST.get("next", "")
    secure = request.is_secure()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=secure):
        target = "/"
    response = redirect(target)
    if request.POST.get("large") == "1":
        response.set_cookie(
            LARGE_TEXT_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True, secure=secure
        )
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response


def _audit_reader(request) -> None:
    """Auditors (and superusers) only; anyone else gets a 404, and the refusal is itself an audit entry."""
    if Role.AUDITOR in user_roles(request.user) or request.user.is_superuser:
        return
    log_action(actor=request.user, action="audit.log_viewed", subject_type="audit", subject_id=None, result="denied")
    raise Http404


@login_required
def audit_log(request):
    """Auditors (and superusers) search the append-only audit log; nobody edits it here."""
    _audit_reader(request)
    criteria = AuditSearch.from_query(request.GET)
    entries = search(criteria).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": criteria,
        "results": results(),
        "query": urlencode(criteria.as_query()),
        "action": criteria.action,
    }
    return render(request, "web/audit_log.html", context)


@login_required
def audit_export(request, fmt: str):
    """What the search found, as CSV or Excel; each export is audited with its criteria and row count."""
    _audit_reader(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    criteria = AuditSearch.from_query(request.GET)
    entries = search(criteria)
    count = entries.count()
    if count > exports.MAX_ROWS:
        message = _("记录过多（%(count)s 条），请缩小查询范围后再导出（上限 %(limit)s 条）。") % {
            "count": count,
            "limit": exports.MAX_ROWS,
        }
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    log_action(
        actor=request.user,
        action="audit.exported",
        subject_type="audit",
        subject_id=None,
        data={"format": fmt, "rows": count, "search": criteria.as_query()},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(entries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response
    response = HttpResponse(
        exports.workbook_bytes(entries),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    return response


def healthz(request):
    """The process answers (liveness): nothing else is asked, so a database outage does not get it restarted.
    Whether it may take traffic is /readyz (lianxin/ops)."""
    return JsonResponse({"status": "ok"})
