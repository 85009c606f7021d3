"""Sign-up codes, check-in codes and the private-link token (HMAC of the code, like the case follow-up token)."""

from __future__ import annotations

import secrets

from lianxin.cases.codes import ALPHABET
from lianxin.privacy import signed_token, signed_token_matches


def new_signup_code() -> str:
    return "HD" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def new_checkin_code() -> str:
    """Six digits: easy to read out at the door or type in; unique within one event."""
    return "".join(secrets.choice("0123456789") for _ in range(6))


def signup_token(code: str) -> str:
    return signed_token("event-signup", code)


def signup_token_matches(code: str, token: str | None) -> bool:
    if not isinstance(code, str) or len(code) > 20:
        return False
    return signed_token_matches("event-signup", code, token)
