from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render

from lianxin.accounts.enums import Role
from lianxin.accounts.selectors import user_roles
from lianxin.audit.models import AuditEntry


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


@login_required
def audit_log(request):
    """Auditors (and superusers) read the append-only audit log; nobody edits it here."""
    if not (Role.AUDITOR in user_roles(request.user) or request.user.is_superuser):
        raise Http404
    entries = AuditEntry.objects.select_related("actor").order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "web/audit_log.html", {"page": page, "action": action})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
