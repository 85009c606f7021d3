"""The activation link: its URL, and its message through the outbox to the account's e-mail and phone."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.notifications.services import Address, citizen_channel, enqueue_many, message

EVENT = "account.activation"


def activation_url(token: str) -> str:
    """The absolute link (the token travels as `?token=`, which the logs redact)."""
    return settings.SITE_URL + reverse("accounts:activate") + "?" + urlencode({"token": token})


def can_send(user: User) -> bool:
    return bool(user.email or user.phone_enc)


def send_activation(user: User, token: str) -> int:
    """Queue the link to the account's e-mail and phone (whichever it has), in the caller's transaction.
    Returns the number of messages queued (0: the account has neither; print the link instead)."""
    subject = _("连心账号激活")
    body = _(
        "您好，%(name)s：已为您开通连心账号 %(username)s。"
        "请在 %(days)s 天内打开以下链接设置密码（仅可使用一次）：%(url)s"
    ) % {
        "name": user.display_name or user.username,
        "username": user.username,
        "days": settings.ACCOUNT_ACTIVATION_DAYS,
        "url": activation_url(token),
    }
    addresses = []
    if user.email:
        addresses.append(Address("email", "user", user=user))
    if user.phone_enc:
        addresses.append(Address(citizen_channel(), "user", user=user, address_enc=user.phone_enc))
    rows = [
        message(address, event=EVENT, subject=subject, body=body, subject_type="user", subject_id=user.pk)
        for address in addresses
    ]
    enqueue_many(rows)
    return len(rows)
