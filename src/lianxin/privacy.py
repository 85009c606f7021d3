"""Personal data: encryption at rest, keyed hashes for lookup, masking for display (domain.md section 9)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

PHONE_RE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    enc = hashlib.sha256(("lianxin-encrypt:" + secret).encode()).digest()
    mac = hashlib.sha256(("lianxin-hash:" + secret).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


def encrypt(value: str) -> str:
    if not value:
        return ""
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def keyed_hash(value: str, purpose: str = "phone") -> str:
    _, mac = _keys(settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(mac, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def signed_token(purpose: str, value: str, length: int = 24) -> str:
    """A token derived from `value` with the server key (no storage needed; the same value gives the same
    token): follow-up links of cases, private links of event sign-ups."""
    digest = hmac.new(settings.FIELD_ENCRYPTION_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)[:length].decode()


def same_token(expected: str, given) -> bool:
    """Constant-time comparison of a secret with what a caller sent; never raises, whatever was sent
    (``hmac.compare_digest`` refuses str with non-ASCII characters, so both are compared as bytes)."""
    if not isinstance(given, str) or not given or not isinstance(expected, str) or not expected:
        return False
    return hmac.compare_digest(expected.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass"))


def signed_token_matches(purpose: str, value: str, token) -> bool:
    if not isinstance(value, str):
        return False
    return same_token(signed_token(purpose, value), token)


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）+]", "", value or "").removeprefix("86") if value else ""


def is_valid_phone(value: str) -> bool:
    return bool(PHONE_RE.match(value))


def mask_phone(value: str) -> str:
    """138****1234; landlines keep the area code and last four digits."""
    if not value:
        return ""
    if len(value) >= 7:
        return value[:3] + "*" * 4 + value[-4:]
    return "*" * len(value)


def mask_name(value: str) -> str:
    """张* / 欧阳** — keep the first character only."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)


def mask_id_number(value: str) -> str:
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


# Addresses are shown "down to the street" in every list and export (domain.md section 9).
# Markers that end a road or village name; the longest match wins at each position.
_ROAD_MARKERS = ("大道", "胡同", "街道", "路", "街", "巷", "弄", "道", "村", "镇", "乡")
_HOUSE_NUMBER = re.compile(r"[0-9０-９一二三四五六七八九十]+[号弄栋幢楼室单元]")
ADDRESS_MASK = "****"


def mask_address(value: str) -> str:
    """ "东湖街道春晖路12号3栋301" → "东湖街道春晖路****"; without a road marker keep at most 4 characters."""
    value = (value or "").strip()
    if not value:
        return ""
    cut = re.search(r"[0-9０-９]", value)
    number = _HOUSE_NUMBER.search(value)
    end = min(m.start() for m in (cut, number) if m) if (cut or number) else len(value)
    prefix = value[:end]
    last = -1
    for marker in _ROAD_MARKERS:
        position = prefix.rfind(marker)
        if position >= 0:
            last = max(last, position + len(marker))
    kept = prefix[:last] if last > 0 else prefix[:4]
    if kept == value:
        kept = value[: max(len(value) // 2, 1)]
    return kept + ADDRESS_MASK
