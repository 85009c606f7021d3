"""Sign-up codes, check-in codes and the private-link token (HMAC of the code, like the case follow-up token)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

from lianxin.cases.codes import ALPHABET


def new_signup_code() -> str:
    return "HD" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def new_checkin_code() -> str:
    """Six digits: easy to read out at the door or type in; unique within one event."""
    return "".join(secrets.choice("0123456789") for _ in range(6))


def signup_token(code: str) -> str:
    digest = hmac.new(settings.FIELD_ENCRYPTION_KEY.encode(), f"event-signup:{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)[:24].decode()


def signup_token_matches(code: str, token: str | None) -> bool:
    if not token or not isinstance(token, str) or not isinstance(code, str) or len(code) > 20:
        return False
    return hmac.compare_digest(signup_token(code), token)
