"""The self-hosted proof-of-work challenge (ALTCHA), asked only of a client past a soft limit.

The server signs a challenge (GET /api/v1/challenge); the browser widget (npm `altcha`, served from
node_modules) or an API client solves it and sends the payload back in the form field `altcha` or the
`X-Altcha` header. A solved payload is accepted once (its signature is remembered in the shared cache).
"""

from __future__ import annotations

import hashlib
import time

import altcha
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

ALGORITHM = "PBKDF2/SHA-256"
FIELD = "altcha"
HEADER = "X-Altcha"


def _secret(purpose: str) -> str:
    return f"{settings.SECRET_KEY}:altcha:{purpose}"


def new_challenge() -> dict:
    made = altcha.create_challenge(
        ALGORITHM,
        settings.CHALLENGE_COST,
        expires_at=int(time.time()) + settings.CHALLENGE_SECONDS,
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return made.to_dict()


def _payload(request: HttpRequest) -> str:
    value = request.headers.get(HEADER, "")
    if (
        not value
        and request.method == "POST"
        and request.content_type
        in (
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        )
    ):
        value = request.POST.get(FIELD, "")
    return value[:4000]


def solved(request: HttpRequest) -> bool:
    """A valid, unexpired, not yet used solution came with the request."""
    payload = _payload(request)
    if not payload:
        return False
    try:
        result = altcha.verify_solution(payload, _secret("challenge"), hmac_key_secret=_secret("key"))
    except (ValueError, TypeError, KeyError, AttributeError):
        return False
    if not result.verified:
        return False
    # Once only: the first request to present this solution wins.
    return cache.add(f"altcha:{hashlib.sha256(payload.encode()).hexdigest()}", 1, settings.CHALLENGE_SECONDS + 60)
