"""Before anything else a signed-in user must pass the second factor (when their account or role needs one) and
choose a new password (first login, after a reset by the office, or when it expired)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from lianxin.accounts.security import otp_required
from lianxin.accounts.services import password_change_due

# Pages a user can open before passing the gate (the gate's own pages, logging out, language, scripts).
OPEN_VIEWS = {
    "accounts:password_change",
    "accounts:activate",
    "accounts:otp_enrol",
    "accounts:otp_verify",
    "web:logout",
    "web:login",
    "web:healthz",
    "set_language",
    "javascript-catalog",
}
SESSION_OTP_KEY = "lianxin_otp_required"


def remember_otp_requirement(request, user) -> None:
    """Decided once at login (the session keeps it), so ordinary requests pay no query for it."""
    request.session[SESSION_OTP_KEY] = otp_required(user)


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS or request.path_info.startswith("/api/"):
            return None
        target = None
        if request.session.get(SESSION_OTP_KEY) and not user.is_verified():
            target = "accounts:otp_verify"
        elif password_change_due(user):
            target = "accounts:password_change"
        if target is None:
            return None
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)
