"""The office's account changes: create, deactivate, reactivate and reset the accounts of station staff, handling
units and deputies, add and end their memberships, and the one-time activation link.

Each change is one function, one transaction, one audit entry per account (`account.*`), and checks the actor
with `accounts/rules.py` first (a foreign account is a NotFound). The office never sees or sets a password: a new
or reset account has an unusable password until its holder opens the activation link and chooses one (so an
account that is not activated cannot log in, on the web or the API).

The activation link is signed with the server key (`django.core.signing`, its own salt) and carries the account's
id, a random nonce stored on the account and the time it was issued. It is refused when it was altered, is older
than `ACCOUNT_ACTIVATION_DAYS`, was used (the nonce is cleared), was replaced by a newer link (a new nonce), or the
account was deactivated (the nonce is cleared and the account is inactive).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianxin import privacy, validation
from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.accounts.rules import (
    MANAGED_ROLES,
    assignable_deputies,
    assignable_stations,
    assignable_units,
    can_manage_people,
    membership_in_scope,
    user_for_actor,
)
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import audit_entry, log_action, log_actions
from lianxin.errors import DomainError, InvalidInput, NotAllowed, NotFound
from lianxin.organisation.models import Deputy, HandlingUnit, Station
from lianxin.organisation.services import deputy_set_user

ACTIVATION_SALT = "lianxin.accounts.activation"
TOKEN_MAX_LENGTH = 400
USERNAME_MAX = 150
DISPLAY_NAME_MAX = 50
EMAIL_MAX = 254


class ActivationRefused(DomainError):
    """The activation link cannot be used (altered, expired, used, replaced, or the account is off)."""

    status = 410
    code = "activation_refused"


def is_pending(user: User) -> bool:
    """Not activated yet (new, or reset by the office): no usable password."""
    return not user.has_usable_password()


def _require_office(actor) -> None:
    if not can_manage_people(actor):
        raise NotFound(_("找不到该页面。"))


def _masked_phone(user: User) -> str:
    return privacy.mask_phone(privacy.decrypt(user.phone_enc)) if user.phone_enc else ""


# --- input --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountInput:
    username: str
    display_name: str
    email: str
    phone: str
    role: str
    station: Station | None = None
    unit: HandlingUnit | None = None
    deputy: Deputy | None = None


def parse_username(value, *, errors: validation.Errors, field: str = "username") -> str:
    label = _("用户名")
    username = validation.text(value, field=field, label=label, max_length=USERNAME_MAX, required=True, errors=errors)
    if not username:
        return ""
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        errors.add(field, _("用户名只能包含字母、数字、汉字和 @ . + - _，不能有空格。"))
        return ""
    if User.objects.filter(username__iexact=username).exists():
        errors.add(field, _("用户名“%(username)s”已被使用。") % {"username": username})
        return ""
    return username


def parse_email(value, *, errors: validation.Errors, field: str = "email") -> str:
    email = validation.text(value, field=field, label=_("电子邮箱"), max_length=EMAIL_MAX, errors=errors)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add(field, _("请填写正确的电子邮箱。"))
            return ""
    return email


def account_input(
    actor,
    *,
    username,
    role,
    display_name="",
    email="",
    phone="",
    station: Station | None = None,
    unit: HandlingUnit | None = None,
    deputy: Deputy | None = None,
    errors: validation.Errors | None = None,
) -> AccountInput:
    """Check one new account against the rules; with `errors` the problems are collected, else raised at once.
    The station, unit or deputy must be the actor's (else it is as if it did not exist)."""
    own = errors if errors is not None else validation.Errors()
    username = parse_username(username, errors=own)
    display_name = validation.text(
        display_name, field="display_name", label=_("姓名"), max_length=DISPLAY_NAME_MAX, errors=own
    )
    email = parse_email(email, errors=own)
    phone = validation.phone(phone, field="phone", label=_("手机号"), required=False, errors=own)
    role = validation.choice(role, field="role", label=_("角色"), choices=[str(r) for r in MANAGED_ROLES], errors=own)
    if role == Role.STATION:
        if station is None or not assignable_stations(actor).filter(pk=station.pk).exists():
            own.add("station", _("请选择本辖区的联络站。"))
        unit = deputy = None
    elif role == Role.UNIT:
        if unit is None or not assignable_units(actor).filter(pk=unit.pk).exists():
            own.add("unit", _("请选择本辖区的承办单位。"))
        station = deputy = None
    elif role == Role.DEPUTY:
        if deputy is None or not assignable_deputies(actor).filter(pk=deputy.pk).exists():
            own.add("deputy", _("请选择本辖区的代表。"))
        elif deputy.user_id:
            own.add("deputy", _("代表“%(name)s”已有账号。") % {"name": deputy.name})
        station = unit = None
    if errors is None:
        own.check()
    return AccountInput(username, display_name, email, phone, role, station, unit, deputy)


# --- create ---------------------------------------------------------------------------------------------------


def _create(actor, data: AccountInput, *, via: str) -> tuple[User, AuditEntry]:
    user = User(
        username=data.username,
        display_name=data.display_name,
        email=data.email,
        phone_enc=privacy.encrypt(data.phone) if data.phone else "",
        must_change_password=False,
    )
    user.set_unusable_password()
    user.save()
    if data.role == Role.DEPUTY:
        deputy_set_user(deputy_id=data.deputy.pk, user_id=user.pk)
    else:
        Membership.objects.create(user=user, role=data.role, station=data.station, unit=data.unit)
    entry = audit_entry(
        actor=actor,
        action="account.created",
        subject_type="user",
        subject_id=user.pk,
        data={
            "username": user.username,
            "role": data.role,
            "station_id": data.station.pk if data.station else None,
            "unit_id": data.unit.pk if data.unit else None,
            "deputy_id": data.deputy.pk if data.deputy else None,
            "email": bool(data.email),
            "phone": privacy.mask_phone(data.phone) if data.phone else "",
            "via": via,
        },
    )
    return user, entry


@transaction.atomic
def account_create(*, actor, data: AccountInput) -> User:
    """Create one account (not activated: no password) with its membership or deputy link."""
    _require_office(actor)
    data = account_input(
        actor,
        username=data.username,
        role=data.role,
        display_name=data.display_name,
        email=data.email,
        phone=data.phone,
        station=data.station,
        unit=data.unit,
        deputy=data.deputy,
    )
    user, entry = _create(actor, data, via="screen")
    log_actions([entry])
    return user


def accounts_create_many(*, actor, inputs: list[AccountInput], via: str = "import") -> list[User]:
    """Create checked accounts (the registry's accounts sheet) in the caller's transaction: all or nothing."""
    _require_office(actor)
    created, entries = [], []
    for data in inputs:
        user, entry = _create(actor, data, via=via)
        created.append(user)
        entries.append(entry)
    log_actions(entries)
    return created


# --- state --------------------------------------------------------------------------------------------------


@transaction.atomic
def account_deactivate(*, actor, user_id) -> User:
    """The account can no longer log in; its sessions, API tokens and activation link stop working."""
    user = user_for_actor(actor, user_id)
    if not user.is_active:
        raise NotAllowed(_("该账号已停用。"))
    User.objects.filter(pk=user.pk).update(is_active=False, activation_nonce="", activation_issued_at=None)
    log_action(actor=actor, action="account.deactivated", subject_type="user", subject_id=user.pk)
    user.refresh_from_db()
    return user


@transaction.atomic
def account_reactivate(*, actor, user_id) -> User:
    user = user_for_actor(actor, user_id)
    if user.is_active:
        raise NotAllowed(_("该账号已是启用状态。"))
    User.objects.filter(pk=user.pk).update(is_active=True)
    log_action(actor=actor, action="account.reactivated", subject_type="user", subject_id=user.pk)
    user.refresh_from_db()
    return user


@transaction.atomic
def account_reset(*, actor, user_id) -> User:
    """The password and the second factor stop working (and with them every session and API token); the holder
    activates the account again with a new link (`activation_issue`)."""
    user = user_for_actor(actor, user_id)
    if not user.is_active:
        raise NotAllowed(_("账号已停用，请先启用再重置。"))
    user.set_unusable_password()
    user.must_change_password = False
    user.activation_nonce = ""
    user.activation_issued_at = None
    user.save(update_fields=["password", "must_change_password", "activation_nonce", "activation_issued_at"])
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log_action(actor=actor, action="account.reset", subject_type="user", subject_id=user.pk)
    return user


# --- memberships ------------------------------------------------------------------------------------------------


@transaction.atomic
def membership_add(*, actor, user_id, role, station: Station | None = None, unit: HandlingUnit | None = None):
    user = user_for_actor(actor, user_id)
    role = validation.choice(role, field="role", label=_("角色"), choices=[str(Role.STATION), str(Role.UNIT)])
    membership = Membership(
        user=user,
        role=role,
        station=station if role == Role.STATION else None,
        unit=unit if role == Role.UNIT else None,
    )
    if not membership_in_scope(actor, membership):
        field = "station" if role == Role.STATION else "unit"
        validation.fail(field, _("请选择本辖区的联络站。") if field == "station" else _("请选择本辖区的承办单位。"))
    existing = Membership.objects.filter(
        user=user, role=role, station=membership.station, unit=membership.unit, active=True
    ).first()
    if existing is not None:
        raise NotAllowed(_("该账号已有这项授权。"))
    membership.save()
    log_action(
        actor=actor,
        action="account.membership_added",
        subject_type="user",
        subject_id=user.pk,
        data={
            "membership_id": membership.pk,
            "role": role,
            "station_id": membership.station_id,
            "unit_id": membership.unit_id,
        },
    )
    return membership


@transaction.atomic
def membership_end(*, actor, user_id, membership_id) -> Membership:
    user = user_for_actor(actor, user_id)
    membership = Membership.objects.filter(pk=membership_id, user=user, active=True).first()
    if membership is None or not membership_in_scope(actor, membership):
        raise NotFound(_("找不到该授权。"))
    Membership.objects.filter(pk=membership.pk).update(active=False)
    log_action(
        actor=actor,
        action="account.membership_ended",
        subject_type="user",
        subject_id=user.pk,
        data={"membership_id": membership.pk, "role": membership.role},
    )
    membership.active = False
    return membership


# --- the activation link ----------------------------------------------------------------------------------------


def activation_expires_at(user: User):
    if user.activation_issued_at is None:
        return None
    return user.activation_issued_at + timedelta(days=settings.ACCOUNT_ACTIVATION_DAYS)


def _token(user: User) -> str:
    return signing.dumps({"u": user.pk, "n": user.activation_nonce}, salt=ACTIVATION_SALT)


def activation_issue_many(*, actor, user_ids: list[int], via: str) -> list[tuple[User, str]]:
    """A new one-time link for each account (not activated, active, the actor's): any earlier link of theirs
    stops working. `via` is how it reaches its holder ("send" or "print"), kept in the audit entry. Returns
    (account, token) in the given order; the caller builds the URL and sends or prints it."""
    if via not in ("send", "print"):
        raise ValueError(via)
    issued, entries = [], []
    with transaction.atomic():
        for user_id in user_ids:
            user = user_for_actor(actor, user_id)
            if not user.is_active:
                raise NotAllowed(_("账号“%(username)s”已停用，不能发激活链接。") % {"username": user.username})
            if not is_pending(user):
                raise NotAllowed(
                    _("账号“%(username)s”已激活；如需重新设置密码，请先重置。") % {"username": user.username}
                )
            user.activation_nonce = secrets.token_urlsafe(16)
            user.activation_issued_at = timezone.now()
            user.save(update_fields=["activation_nonce", "activation_issued_at"])
            issued.append((user, _token(user)))
            entries.append(
                audit_entry(
                    actor=actor,
                    action="account.activation_issued",
                    subject_type="user",
                    subject_id=user.pk,
                    data={"via": via, "expires_at": activation_expires_at(user).isoformat()},
                )
            )
        log_actions(entries)
    return issued


def activation_issue(*, actor, user_id, via: str) -> tuple[User, str]:
    return activation_issue_many(actor=actor, user_ids=[user_id], via=via)[0]


def activation_user(token) -> User:
    """The account a link may activate now, or ActivationRefused with the reason in the holder's language."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
        raise ActivationRefused(_("激活链接无效：链接不完整或已被改动。请使用收到的完整链接，或请人大办重新发送。"))
    try:
        payload = signing.loads(token, salt=ACTIVATION_SALT, max_age=timedelta(days=settings.ACCOUNT_ACTIVATION_DAYS))
    except signing.SignatureExpired:
        raise ActivationRefused(
            _("激活链接已过期（有效期 %(days)s 天）。请联系人大办重新发送。")
            % {"days": settings.ACCOUNT_ACTIVATION_DAYS}
        )
    except signing.BadSignature:
        raise ActivationRefused(_("激活链接无效：链接不完整或已被改动。请使用收到的完整链接，或请人大办重新发送。"))
    user_id, nonce = (payload.get("u"), payload.get("n")) if isinstance(payload, dict) else (None, None)
    user = User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is not None and not user.is_active:
        raise ActivationRefused(_("该账号已停用，激活链接不再有效。"))
    if user is None or not nonce or not privacy.same_token(user.activation_nonce, nonce):
        raise ActivationRefused(
            _("激活链接已经使用过，或已被更新的链接取代。如需登录，请使用已设置的密码，或请人大办重新发送。")
        )
    return user


def account_activate(*, token, password: str) -> User:
    """The holder of a valid link sets the account's password (the password rules apply); the link is used up."""
    with transaction.atomic():
        user = activation_user(token)
        user = User.objects.select_for_update().get(pk=user.pk)
        user = activation_user(token)  # again under the row lock: a link is used once, even by two tabs at once
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput(exc.messages[0], fields={"new_password1": exc.messages})
        user.set_password(password)
        user.activation_nonce = ""
        user.activation_issued_at = None
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(
            update_fields=[
                "password",
                "activation_nonce",
                "activation_issued_at",
                "must_change_password",
                "password_changed_at",
            ]
        )
        log_action(actor=user, action="account.activated", subject_type="user", subject_id=user.pk)
    return user


def contact_of(user: User) -> dict[str, str]:
    """Where an activation link can be sent: the account's e-mail and phone (decrypted, for the sender only)."""
    return {"email": user.email, "phone": privacy.decrypt(user.phone_enc) if user.phone_enc else ""}


def phone_masked(user: User) -> str:
    return _masked_phone(user)
