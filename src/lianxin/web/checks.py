"""System checks for a production deployment (`manage.py check --deploy`).

lianxin.E005: with DEBUG off, LIANXIN_SITE_URL must be the public address. It is printed in every
QR code and poster (and used in calendar feeds and links sent to citizens); the default
http://127.0.0.1:8000 would make every printed code point at the server itself.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", ""}  # 0.0.0.0 and :: are caught as unspecified


def site_url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in ("http", "https") or not host:
        return "is not an http(s) URL with a host name"
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return "points at this machine (a loopback address)"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified:
        return "points at this machine (a loopback address)"
    return None


@checks.register("deploy", deploy=True)
def site_url_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    problem = site_url_problem(settings.SITE_URL)
    if problem is None:
        return []
    return [
        checks.Error(
            f"LIANXIN_SITE_URL ({settings.SITE_URL}) {problem}; QR codes and posters would carry it.",
            hint="Set LIANXIN_SITE_URL to the public address, e.g. https://lianxin.example.gov.cn "
            "(see docs/configuration.md).",
            id="lianxin.E005",
        )
    ]
