"""Tracking codes and the follow-up token that lets a citizen follow a case without an account.

The token is derived from the code with a server key, so it needs no storage and a retry returns the same.
A citizen who lost the link gets a new one by SMS code (cases/recovery.py): the case's
`follow_up_generation` goes up by one and only the token of the current generation opens the case. The
first generation's token is the plain signature (links sent before recovery existed keep working); a later
one carries its generation after a dot ("<signature>.<n>"), so a wrong token is still refused without a
query."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from lianxin.privacy import same_token, signed_token

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: easy to read out on the phone
GENERATION_MAX = 32767  # PositiveSmallIntegerField


def new_tracking_code() -> str:
    # One read of the system's random source for the 8 characters (secrets.choice read it 8 times);
    # 256 is a multiple of the alphabet's 32 letters, so every letter stays equally likely.
    return "LX" + "".join(ALPHABET[byte % 32] for byte in secrets.token_bytes(8))


def follow_up_token(tracking_code: str, generation: int = 0) -> str:
    """The follow-up token of a case's current link generation (0 until the citizen recovers a lost link)."""
    if not generation:
        return signed_token("follow-up", tracking_code)
    return f"{signed_token('follow-up', f'{tracking_code}#{generation}')}.{generation}"


def token_generation(tracking_code: str, token) -> int | None:
    """The link generation this token was issued for, or None when it is no token of this code."""
    if not isinstance(tracking_code, str) or not isinstance(token, str) or not token:
        return None
    generation = 0
    _signature, dot, suffix = token.partition(".")
    if dot:
        if not suffix.isascii() or not suffix.isdigit() or suffix.startswith("0") or len(suffix) > 5:
            return None
        generation = int(suffix)
        if generation > GENERATION_MAX:
            return None
    return generation if same_token(follow_up_token(tracking_code, generation), token) else None


def token_matches(tracking_code: str, token, generation: int = 0) -> bool:
    """Whether `token` opens the case `tracking_code` whose current link generation is `generation`."""
    found = token_generation(tracking_code, token)
    return found is not None and found == generation


def follow_up_path(tracking_code: str, generation: int = 0) -> str:
    query = urlencode({"token": follow_up_token(tracking_code, generation)})
    return f"{reverse('cases:track', args=[tracking_code])}?{query}"


def follow_up_url(tracking_code: str, generation: int = 0) -> str:
    """The absolute private link (SMS, printed receipt slips)."""
    return settings.SITE_URL + follow_up_path(tracking_code, generation)
