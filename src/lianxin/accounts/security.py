"""Passwords and the second factor (TOTP with django-otp; its static tokens are the recovery codes)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianxin.accounts.enums import Role
from lianxin.accounts.models import OtpRolePolicy, User
from lianxin.accounts.selectors import holds_top_office, user_roles
from lianxin.audit.services import log_action
from lianxin.errors import InvalidInput, NotFound

TOTP_NAME = "totp"
RECOVERY_NAME = "recovery"
OTP_MAX_LENGTH = 16


def has_confirmed_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def otp_policy() -> dict[str, OtpRolePolicy | None]:
    """Role → the office's row for it, or None where the role still follows LIANXIN_OTP_REQUIRED_ROLES."""
    rows = {row.role: row for row in OtpRolePolicy.objects.select_related("changed_by")}
    return {role: rows.get(role) for role in Role.values}


def otp_required_roles() -> set[str]:
    """The roles whose members must use a second factor: the office's policy, LIANXIN_OTP_REQUIRED_ROLES for a
    role it has not set."""
    default = set(settings.OTP_REQUIRED_ROLES)
    return {role for role, row in otp_policy().items() if (row.required if row else role in default)}


def otp_required(user: User) -> bool:
    """A second factor is needed: the user enrolled one, or one of their roles requires it (the office's policy)."""
    if has_confirmed_device(user):
        return True
    roles = user_roles(user)
    return bool(roles and roles & otp_required_roles())


def otp_policy_set(*, actor: User, required_roles) -> set[str]:
    """The office sets which roles must use a second factor (every role gets its row: the environment's default
    no longer applies). Members of a role that becomes required and have no device are sent to enrolment on
    their next request; audited with the roles before and after. Anyone but the platform's office gets a
    NotFound, and the refused attempt is an audit entry too (result "denied")."""
    if not holds_top_office(actor):
        log_action(
            actor=actor,
            action="account.otp_policy_changed",
            subject_type="otp_policy",
            subject_id=None,
            result="denied",
        )
        raise NotFound(_("页面不存在。"))
    return _otp_policy_store(actor, required_roles)


@transaction.atomic
def _otp_policy_store(actor: User, required_roles) -> set[str]:
    wanted = {str(role) for role in required_roles or ()}
    unknown = wanted - set(Role.values)
    if unknown:
        raise InvalidInput(_("未知的角色：%(roles)s") % {"roles": ", ".join(sorted(unknown))}, fields={"roles": []})
    before = otp_required_roles()
    for role in Role.values:
        OtpRolePolicy.objects.update_or_create(role=role, defaults={"required": role in wanted, "changed_by": actor})
    if before != wanted:
        User.objects.update(otp_policy_changed_at=timezone.now())
    log_action(
        actor=actor,
        actor_role=Role.OFFICE,
        action="account.otp_policy_changed",
        subject_type="otp_policy",
        subject_id=None,
        data={"before": sorted(before), "after": sorted(wanted)},
    )
    return wanted


def otp_match(user: User, token: str):
    """The confirmed device (TOTP or recovery codes) that accepts `token`, or None. A recovery code works once."""
    token = (token or "").strip().replace(" ", "")
    if not token or len(token) > OTP_MAX_LENGTH:
        return None
    totp_shaped = token.isascii() and token.isdigit() and len(token) == 6
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice) and not totp_shaped:
            continue  # a recovery code must not count as a failed TOTP attempt (django-otp throttles those)
        if device.verify_token(token):
            return device
    return None


def otp_enrol_start(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device (made once, kept until confirmed, so the QR code stays the same)."""
    device = TOTPDevice.objects.filter(user=user, name=TOTP_NAME, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


@transaction.atomic
def otp_enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm `device` with a code from the app; replace any earlier devices; return new recovery codes (shown
    once), or None when the code is wrong."""
    token = (token or "").strip().replace(" ", "")
    if device.user_id != user.pk or device.confirmed or not token.isdigit() or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    log_action(actor=user, action="account.otp_enrolled", subject_type="user", subject_id=user.pk)
    return codes


@transaction.atomic
def password_set(*, actor: User, user: User, password: str) -> User:
    """Set a (validated) password and record it (password_recorded)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    return password_recorded(actor=actor, user=user)


def password_recorded(*, actor: User, user: User) -> User:
    """After the password of `user` was set: the user's own change clears the must-change flag; a reset by the
    office sets it, so the user chooses their own at the next login. Every API token of the user stops working
    (its password fingerprint no longer matches)."""
    user.must_change_password = actor.pk != user.pk
    user.password_changed_at = timezone.now()
    user.save(update_fields=["must_change_password", "password_changed_at"])
    log_action(
        actor=actor,
        action="account.password_changed",
        subject_type="user",
        subject_id=user.pk,
        data={"reset_by_office": actor.pk != user.pk},
    )
    return user
