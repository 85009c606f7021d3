"""Personal data: encryption at rest, keyed hashes for lookup, masking for display (domain.md section 9)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from functools import lru_cache
from typing import NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PHONE_RE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")

# Values are sealed with AES-256-GCM: "lx2." + base64url(12-byte nonce + ciphertext + tag). Values written
# before (Fernet tokens, "gAAAAA…") are still opened, and become lx2 when the key is rotated. AES-GCM's key
# object is made once per key; Fernet built an AES-CBC and an HMAC context for every value, which cost
# 36 µs of CPU per value with the intake's 16 threads beside it against 7.5 µs (docs/benchmarks.md, session 8).
SEALED_PREFIX = "lx2."
_NONCE_BYTES = 12


class _Keys(NamedTuple):
    seal: AESGCM
    legacy: Fernet  # opens the values written before lx2
    mac: bytes


@lru_cache(maxsize=4)
def _keys(secret: str) -> _Keys:
    legacy = hashlib.sha256(("lianxin-encrypt:" + secret).encode()).digest()
    seal = hashlib.sha256(("lianxin-encrypt-v2:" + secret).encode()).digest()
    mac = hashlib.sha256(("lianxin-hash:" + secret).encode()).digest()
    return _Keys(AESGCM(seal), Fernet(base64.urlsafe_b64encode(legacy)), mac)


def _seal(keys: _Keys, value: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + keys.seal.encrypt(nonce, value.encode(), None)).decode()


def _open(keys: _Keys, token: str) -> str:
    """The value of a token; raises InvalidToken when this key does not open it (or it is no token)."""
    if not token.startswith(SEALED_PREFIX):
        return keys.legacy.decrypt(token.encode()).decode()
    try:
        raw = base64.b64decode(token[len(SEALED_PREFIX) :].encode(), altchars=b"-_", validate=True)
        return keys.seal.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()
    except (InvalidTag, binascii.Error, ValueError) as exc:  # a wrong key, a damaged or truncated value
        raise InvalidToken from exc


def encrypt(value: str) -> str:
    return encrypt_with(settings.FIELD_ENCRYPTION_KEY, value)


def decrypt(token: str) -> str:
    """The value, or "" when there is none or the configured key does not open it."""
    try:
        return decrypt_with(settings.FIELD_ENCRYPTION_KEY, token)
    except InvalidToken:
        return ""


def encrypt_with(key: str, value: str) -> str:
    """`encrypt` with a key given here instead of the configured one (key rotation)."""
    return _seal(_keys(key), value) if value else ""


def decrypt_with(key: str, token: str) -> str:
    """`decrypt` with a key given here; raises InvalidToken when the key does not open the value."""
    return _open(_keys(key), token) if token else ""


def keyed_hash(value: str, purpose: str = "phone") -> str:
    return hmac.new(_keys(settings.FIELD_HASH_KEY).mac, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


KEY_CHECK_MESSAGE = b"lianxin-key-check"


def encryption_key_check(key: str | None = None) -> str:
    """A check value of the field key (HMAC of a constant with the derived encryption key): equal check values
    mean the same key; the key cannot be read back from it. Stored in the database and in backup manifests."""
    fernet_key = hashlib.sha256(("lianxin-encrypt:" + (key or settings.FIELD_ENCRYPTION_KEY)).encode()).digest()
    return hmac.new(fernet_key, KEY_CHECK_MESSAGE, hashlib.sha256).hexdigest()


def hash_key_check(key: str | None = None) -> str:
    """The same for the key of keyed hashes and signed links."""
    return hmac.new(_keys(key or settings.FIELD_HASH_KEY).mac, KEY_CHECK_MESSAGE, hashlib.sha256).hexdigest()


def signed_token(purpose: str, value: str, length: int = 24) -> str:
    """A token derived from `value` with the server key (no storage needed; the same value gives the same
    token): follow-up links of cases, private links of event sign-ups."""
    digest = hmac.new(settings.FIELD_HASH_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()
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


# --- Personal data typed into free text (issue 12, item 4) ----------------------------------------
# Found in titles, details, comments and replies, and masked wherever the text is shown publicly, exported,
# or read by a role that may not reveal contacts. A number counts only when it stands alone (no digit or
# Latin letter right before or after it: inside Chinese text it is found, inside a code it is not) and,
# for ID and bank card numbers, only when its checksum is right, so dates, amounts and case ids stay.

_ALONE_BEFORE = r"(?<![0-9A-Za-z])"
_ALONE_AFTER = r"(?![0-9A-Za-z])"
_ID_CARD = re.compile(_ALONE_BEFORE + r"[1-9][0-9]{16}[0-9Xx]" + _ALONE_AFTER)
_BANK_CARD = re.compile(_ALONE_BEFORE + r"[1-9][0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?" + _ALONE_AFTER)
_MOBILE = re.compile(_ALONE_BEFORE + r"(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}" + _ALONE_AFTER)
_LANDLINE = re.compile(
    _ALONE_BEFORE + r"(?:0[0-9]{2,3}-[1-9][0-9]{6,7}|[(（]0[0-9]{2,3}[)）] ?[1-9][0-9]{6,7})" + _ALONE_AFTER
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_card_checksum_ok(value: str) -> bool:
    """GB 11643 / ISO 7064 MOD 11-2: the 18th character checks the first 17 digits."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = int(char)
        if position % 2:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text)


def _mask_bank_card(digits: str) -> str:
    return digits[:4] + " **** **** " + digits[-4:]


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return local[:1] + "***@" + domain


def find_personal_data(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, masked) for each phone number, ID card number, bank card number and e-mail
    address in `text`, in order, never overlapping. kind: id_card, bank_card, mobile, landline, email."""
    if not text:
        return []
    found: list[tuple[int, int, str, str]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _k, _m in found)

    for match in _EMAIL.finditer(text):
        found.append((match.start(), match.end(), "email", _mask_email(match.group())))
    for match in _ID_CARD.finditer(text):
        if id_card_checksum_ok(match.group()) and free(*match.span()):
            found.append((*match.span(), "id_card", mask_id_number(match.group().upper())))
    for match in _BANK_CARD.finditer(text):
        digits = _digits(match.group())
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and free(*match.span()):
            found.append((*match.span(), "bank_card", _mask_bank_card(digits)))
    for match in _MOBILE.finditer(text):
        if free(*match.span()):
            found.append((*match.span(), "mobile", mask_phone(_digits(match.group())[-11:])))
    for match in _LANDLINE.finditer(text):
        if free(*match.span()):
            found.append((*match.span(), "landline", mask_phone(re.sub(r"[()（） ]", "", match.group()))))
    return sorted(found)


def mask_personal_data(text: str) -> str:
    """`text` with every personal number and e-mail address found by find_personal_data masked."""
    found = find_personal_data(text)
    if not found:
        return text or ""
    parts, last = [], 0
    for start, end, _kind, masked in found:
        parts.append(text[last:start])
        parts.append(masked)
        last = end
    parts.append(text[last:])
    return "".join(parts)


def has_personal_data(*texts: str) -> bool:
    return any(find_personal_data(text) for text in texts)


def personal_data_kinds(*texts: str) -> list[str]:
    """The kinds found in `texts`, sorted, without their values (what a reveal's audit entry records)."""
    return sorted({kind for text in texts for _start, _end, kind, _masked in find_personal_data(text or "")})


# The roles that may read free text with the personal data in it (an audited reveal): the ones that call citizens
# back. Units, leaders and auditors, public pages and exports always get the masked text.
TEXT_REVEAL_ROLES = frozenset({"office", "station", "deputy"})
