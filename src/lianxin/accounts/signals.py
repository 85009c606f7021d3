"""Account events into the audit log, from Django's auth signals and django-axes' (lockouts, unlocks).

Each entry is about the account (subject user, its id when the username is known) and keeps the client address,
so every user can see their recent logins (accounts/views.py).
"""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from lianxin.accounts.middleware import remember_otp_requirement
from lianxin.accounts.models import User
from lianxin.audit.services import log_action

USERNAME_MAX = 150


def _address(request) -> str:
    if request is None:
        return ""
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request) or ""


def _user_id(username: str) -> int | None:
    return User.objects.filter(username=username).values_list("pk", flat=True).first() if username else None


@receiver(user_logged_in, dispatch_uid="lianxin_account_login")
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_otp_requirement(request, user)
    log_action(
        actor=user,
        action="account.login",
        subject_type="user",
        subject_id=user.pk,
        data={"ip": _address(request), "via": "web"},
    )


@receiver(user_logged_out, dispatch_uid="lianxin_account_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    log_action(
        actor=user, action="account.logout", subject_type="user", subject_id=user.pk, data={"ip": _address(request)}
    )


@receiver(user_login_failed, dispatch_uid="lianxin_account_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:USERNAME_MAX]
    log_action(
        actor=None,
        action="account.login_failed",
        subject_type="user",
        subject_id=_user_id(username),
        result="failed",
        data={"ip": _address(request), "username": username},
    )


@receiver(user_locked_out, dispatch_uid="lianxin_account_locked")
def _locked(sender, request, username, ip_address, **kwargs):
    username = str(username or "")[:USERNAME_MAX]
    log_action(
        actor=None,
        action="account.locked",
        subject_type="user",
        subject_id=_user_id(username),
        result="refused",
        data={"ip": ip_address or "", "username": username},
    )


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="lianxin_account_unlocked")
def _unlocked(sender, instance, **kwargs):
    """An attempt row that still locked its account was removed (admin, `axes_reset`): the account is unlocked."""
    cooloff_start = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    if instance.failures_since_start < settings.AXES_FAILURE_LIMIT or instance.attempt_time < cooloff_start:
        return
    log_action(
        actor=None,
        action="account.unlocked",
        subject_type="user",
        subject_id=_user_id(instance.username or ""),
        data={"username": instance.username or ""},
    )
