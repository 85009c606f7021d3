"""Tracking codes and the follow-up token that lets a citizen follow a case without an account."""

from __future__ import annotations

import secrets

from lianxin.privacy import signed_token, signed_token_matches

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: easy to read out on the phone


def new_tracking_code() -> str:
    return "LX" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def follow_up_token(tracking_code: str) -> str:
    """Derived from the code with a server key, so it needs no storage and a retry returns the same."""
    return signed_token("follow-up", tracking_code)


def token_matches(tracking_code: str, token: str | None) -> bool:
    return signed_token_matches("follow-up", tracking_code, token)
