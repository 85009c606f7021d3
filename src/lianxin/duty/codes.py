"""Signed tokens: the station's daily check-in code and a deputy's private calendar feed."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lianxin.privacy import same_token


def _sign(message: str, length: int) -> str:
    key = f"lianxin.duty:{settings.SECRET_KEY}".encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:length]


def check_in_token(station_code: str, day: dt.date) -> str:
    """Rotates every day (Asia/Shanghai): a photo of yesterday's code does not work today."""
    return _sign(f"check-in:{station_code}:{day.isoformat()}", 20)


def check_in_token_valid(station_code: str, token, day: dt.date | None = None) -> bool:
    day = day or timezone.localdate()
    return same_token(check_in_token(station_code, day), token)


def check_in_path(station_code: str, day: dt.date | None = None) -> str:
    day = day or timezone.localdate()
    return f"{reverse('duty:check_in', args=[station_code])}?t={check_in_token(station_code, day)}"


def feed_token(deputy_code: str) -> str:
    """A deputy's private feed of all their shifts (for a calendar app that cannot log in)."""
    return _sign(f"feed:{deputy_code}", 24)


def feed_token_valid(deputy_code: str, token) -> bool:
    return same_token(feed_token(deputy_code), token)
