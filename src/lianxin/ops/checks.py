"""What the production server refuses to start without (`manage.py check --deploy`, run by `manage.py serve_check`
before `make serve` and deploy/lianxin-web.service start anything).

Each message names the variable to set. The embedded set-up (`make demo`) never runs these: there a key generated
into var/ and the local site address are what one wants.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.http.request import validate_host

from lianxin.web.checks import site_url_problem

KEY_MIN_CHARS = 32
KEY_MIN_DISTINCT = 10
GENERATE = "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


def _weak(value: str) -> bool:
    return len(value) < KEY_MIN_CHARS or len(set(value)) < KEY_MIN_DISTINCT or "change" in value.lower()


@register(Tags.security, deploy=True)
def keys_and_address(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    if not settings.SECRET_KEY_FROM_ENVIRONMENT:
        errors.append(
            Error(
                "LIANXIN_SECRET_KEY is not set: the production server does not run on a key generated into "
                "LIANXIN_VAR_DIR.",
                hint=f"Set LIANXIN_SECRET_KEY in the environment file (at least {KEY_MIN_CHARS} characters); "
                f"{GENERATE}",
                id="lianxin.E001",
            )
        )
    elif _weak(settings.SECRET_KEY):
        errors.append(
            Error(
                "LIANXIN_SECRET_KEY is a placeholder or too simple.",
                hint=f"Set LIANXIN_SECRET_KEY to a random value; {GENERATE}",
                id="lianxin.E002",
            )
        )
    field_key = settings.FIELD_ENCRYPTION_KEY
    if field_key == settings.SECRET_KEY:
        errors.append(
            Error(
                "LIANXIN_FIELD_KEY is not set: personal data would be encrypted with the secret key, and could not be "
                "read again after the secret key is changed.",
                hint=f"Set LIANXIN_FIELD_KEY to its own random value and keep a copy offline (without it the "
                f"encrypted names and phone numbers are lost); {GENERATE}",
                id="lianxin.E003",
            )
        )
    elif _weak(field_key):
        errors.append(
            Error(
                "LIANXIN_FIELD_KEY is a placeholder or too simple.",
                hint=f"Set LIANXIN_FIELD_KEY to a random value of at least {KEY_MIN_CHARS} characters; {GENERATE}",
                id="lianxin.E004",
            )
        )
    # an unset, loopback or malformed LIANXIN_SITE_URL is lianxin.E005 (web/checks.py, also run by check --deploy)
    site = urlsplit(settings.SITE_URL)
    if site_url_problem(settings.SITE_URL) is None and not validate_host(site.hostname, settings.ALLOWED_HOSTS):
        errors.append(
            Error(
                f"The host of LIANXIN_SITE_URL ({site.hostname}) is not in LIANXIN_ALLOWED_HOSTS: every request to the "
                "public address would be refused.",
                hint=f"Add {site.hostname} to LIANXIN_ALLOWED_HOSTS.",
                id="lianxin.E006",
            )
        )
    if settings.DEBUG:
        errors.append(
            Error(
                "LIANXIN_DEBUG is on: error pages would show tracebacks and settings to anyone.",
                hint="Unset LIANXIN_DEBUG (or set it to false).",
                id="lianxin.E007",
            )
        )
    return errors
