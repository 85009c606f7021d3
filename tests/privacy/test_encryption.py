"""Personal data at rest: AES-256-GCM ("lx2." values), and the Fernet values written before still open."""

import base64
import hashlib

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.test import override_settings

from lianxin import privacy


def legacy_token(secret: str, value: str) -> str:
    """A value as the earlier versions wrote it (Fernet under the same derived key)."""
    key = hashlib.sha256(("lianxin-encrypt:" + secret).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key)).encrypt(value.encode()).decode()


def test_a_value_is_sealed_with_a_fresh_nonce_and_opens_again(settings):
    first, second = privacy.encrypt("13812345678"), privacy.encrypt("13812345678")
    assert first.startswith(privacy.SEALED_PREFIX) and second.startswith(privacy.SEALED_PREFIX)
    assert first != second  # a new nonce each time: equal phones do not give equal values
    assert "13812345678" not in first
    assert privacy.decrypt(first) == privacy.decrypt(second) == "13812345678"
    assert privacy.decrypt(privacy.encrypt("欧阳娜娜")) == "欧阳娜娜"
    assert privacy.encrypt("") == "" and privacy.decrypt("") == ""


def test_values_written_before_with_fernet_still_open(settings):
    old = legacy_token(settings.FIELD_ENCRYPTION_KEY, "张三")
    assert old.startswith("gAAAAA")
    assert privacy.decrypt(old) == "张三"
    assert privacy.decrypt_with(settings.FIELD_ENCRYPTION_KEY, old) == "张三"


@pytest.mark.parametrize(
    "damage",
    [
        lambda token: token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"),  # the tag no longer matches
        lambda token: token[:12],  # truncated: shorter than a nonce and a tag
        lambda token: token + "*",  # not base64
        lambda token: privacy.SEALED_PREFIX,  # nothing after the prefix
        lambda token: "gAAAAAnot-a-token",  # an unreadable legacy value
    ],
)
def test_a_damaged_value_reads_as_blank_and_raises_for_rotation(settings, damage):
    token = damage(privacy.encrypt("13812345678"))
    assert privacy.decrypt(token) == ""
    with pytest.raises(InvalidToken):
        privacy.decrypt_with(settings.FIELD_ENCRYPTION_KEY, token)


def test_another_key_does_not_open_a_value_and_rotation_writes_the_new_format(settings):
    sealed = privacy.encrypt_with("old key", "13812345678")
    with pytest.raises(InvalidToken):
        privacy.decrypt_with("new key", sealed)
    with pytest.raises(InvalidToken):
        privacy.decrypt_with("new key", legacy_token("old key", "13812345678"))
    rotated = privacy.encrypt_with("new key", privacy.decrypt_with("old key", legacy_token("old key", "李四")))
    assert rotated.startswith(privacy.SEALED_PREFIX)
    with override_settings(FIELD_ENCRYPTION_KEY="new key"):
        assert privacy.decrypt(rotated) == "李四"
        assert privacy.decrypt(sealed) == ""  # sealed under the old key
