"""Tracking codes and the follow-up token that lets a citizen follow a case without an account."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: easy to read out on the phone


def new_tracking_code() -> str:
    return "LX" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def follow_up_token(tracking_code: str) -> str:
    """Derived from the code with a server key, so it needs no storage and a retry returns the same."""
    digest = hmac.new(
        settings.FIELD_ENCRYPTION_KEY.encode(), f"follow-up:{tracking_code}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest)[:24].decode()


def token_matches(tracking_code: str, token: str | None) -> bool:
    if not token or not isinstance(token, str):
        return False
    return hmac.compare_digest(follow_up_token(tracking_code), token)
