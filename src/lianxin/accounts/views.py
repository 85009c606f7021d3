"""The account pages: my account (password, second factor, API tokens, recent logins), the second-factor steps
after the password login, and the office's list of API tokens."""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from lianxin.accounts.enums import Role
from lianxin.accounts.models import ApiToken
from lianxin.accounts.security import (
    OTP_MAX_LENGTH,
    has_confirmed_device,
    otp_enrol_confirm,
    otp_enrol_start,
    otp_match,
    otp_policy,
    otp_policy_set,
    password_set,
)
from lianxin.accounts.selectors import holds_top_office, tokens_managed_by, user_has_role, user_recent_logins
from lianxin.accounts.services import api_token_revoke, password_change_due, password_expired
from lianxin.errors import InvalidInput, NotFound


class OtpForm(forms.Form):
    token = forms.CharField(label=_lazy("验证码"), max_length=OTP_MAX_LENGTH, strip=True)


def _next_url(request, default: str = "web:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default) if default else ""


@login_required
def account(request):
    user = request.user
    tokens = ApiToken.objects.filter(user=user).select_related("membership", "revoked_by").order_by("-id")[:50]
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": tokens,
            "logins": user_recent_logins(user),
            "otp_enrolled": has_confirmed_device(user),
            "can_manage_tokens": user_has_role(user, Role.OFFICE),
        },
    )


@login_required
def password_change(request):
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_set(actor=user, user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect(_next_url(request))
    reason = ""
    if user.must_change_password:
        reason = _("首次登录或密码被重置后，请先设置您自己的新密码。")
    elif password_expired(user):
        reason = _("密码已过期，请设置新密码。")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "reason": reason, "forced": password_change_due(user), "next": _next_url(request, "")},
    )


@login_required
def otp_enrol(request):
    user = request.user
    if has_confirmed_device(user) and not user.is_verified():
        return redirect("accounts:otp_verify")
    device = otp_enrol_start(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp_enrol_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            otp_login(request, device)
            return render(request, "accounts/otp_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("token", _("验证码不正确，请查看验证器应用中的最新 6 位数字。"))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(
        request,
        "accounts/otp_enrol.html",
        {"form": form, "qr": qr, "secret": device.key, "next": _next_url(request, "")},
    )


@login_required
def otp_verify(request):
    user = request.user
    if not has_confirmed_device(user):
        return redirect("accounts:otp_enrol")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp_match(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确。"))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")})


@login_required
@require_POST
def token_revoke(request, token_id: int):
    """The owner revokes their own token; the office one of the accounts it manages. Anything else is a 404."""
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        token = tokens_managed_by(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌已撤销。"))
    return redirect(_next_url(request, "accounts:account"))


@login_required
def tokens(request):
    if not user_has_role(request.user, Role.OFFICE):
        raise Http404
    page = Paginator(tokens_managed_by(request.user).order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/tokens.html", {"page": page})


@login_required
def otp_policy_edit(request):
    """The office's screen: which roles must use a second factor. Other accounts get a 404 (and a refused change
    is an audit entry)."""
    if request.method == "POST":
        try:
            otp_policy_set(actor=request.user, required_roles=request.POST.getlist("roles"))
        except NotFound:
            raise Http404 from None
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("两步验证要求已保存。"))
        return redirect("accounts:otp_policy")
    if not holds_top_office(request.user):
        raise Http404
    policy = otp_policy()
    default = set(settings.OTP_REQUIRED_ROLES)
    rows = [
        {
            "role": role,
            "label": label,
            "row": policy[role],
            "required": policy[role].required if policy[role] else role in default,
        }
        for role, label in Role.choices
    ]
    return render(request, "accounts/otp_policy.html", {"rows": rows})
