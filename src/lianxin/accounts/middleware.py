"""Before anything else a signed-in user must pass the second factor (when their account or role needs one) and
choose a new password (first login, after a reset by the office, or when it expired)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
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
SESSION_OTP_DECIDED = "lianxin_otp_decided_at"


def remember_otp_requirement(request, user) -> None:
    """Decided at login (the session keeps it), so ordinary requests pay no query for it; decided again when the
    office changed the policy since (User.otp_policy_changed_at, on the user row every request loads anyway)."""
    request.session[SESSION_OTP_KEY] = otp_required(user)
    request.session[SESSION_OTP_DECIDED] = timezone.now().isoformat()


def _policy_changed_since_decided(request, user) -> bool:
    changed = user.otp_policy_changed_at
    if changed is None:
        return False
    decided = request.session.get(SESSION_OTP_DECIDED)
    return decided is None or dt.datetime.fromisoformat(decided) < changed


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The API is let through before request.user is looked at: its callers authenticate by token (api/auth.py),
        # so asking for the session's user would load the session (and add Vary: Cookie) for nothing.
        if request.path_info.startswith("/api/"):
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        target = None
        if _policy_changed_since_decided(request, user):
            remember_otp_requirement(request, user)
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
