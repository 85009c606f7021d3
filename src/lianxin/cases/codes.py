"""Tracking codes and the follow-up token that lets a citizen follow a case without an account."""

from __future__ import annotations

import secrets

from lianxin.privacy import signed_token, signed_token_matches

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: easy to read out on the phone


def new_tracking_code() -> str:
    # One read of the system's random source for the 8 characters (secrets.choice read it 8 times);
    # 256 is a multiple of the alphabet's 32 letters, so every letter stays equally likely.
    return "LX" + "".join(ALPHABET[byte % 32] for byte in secrets.token_bytes(8))


def follow_up_token(tracking_code: str) -> str:
    """Derived from the code with a server key, so it needs no storage and a retry returns the same."""
    return signed_token("follow-up", tracking_code)


def token_matches(tracking_code: str, token: str | None) -> bool:
    return signed_token_matches("follow-up", tracking_code, token)
