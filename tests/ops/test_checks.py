"""The production server refuses to start without its keys and its address, naming the variable to set."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lianxin.ops.checks import keys_and_address

GOOD = {
    "SECRET_KEY_FROM_ENVIRONMENT": True,
    "SECRET_KEY": "v5Qd1nJk0-Zr8Tq2Lw9Xe4Ya7Bc6Hm3Ps_Uf8Gi2Ko5",
    "FIELD_ENCRYPTION_KEY": "Nf3Wq8Zt1-Lm6Rb0Xy5Kp2Jh9Vd4Gs7Ce_Ua3Io8Tn1",
    "SITE_URL": "https://lianxin.example.gov.cn",
    "ALLOWED_HOSTS": ["lianxin.example.gov.cn"],
    "DEBUG": False,
}


@pytest.fixture
def production(settings):
    for name, value in GOOD.items():
        setattr(settings, name, value)
    return settings


def test_a_complete_production_configuration_passes(production):
    assert keys_and_address() == []


def test_a_key_generated_into_the_var_dir_is_refused(production):
    production.SECRET_KEY_FROM_ENVIRONMENT = False
    [error] = keys_and_address()
    assert error.id == "lianxin.E001"
    assert "LIANXIN_SECRET_KEY" in error.msg and "LIANXIN_SECRET_KEY" in error.hint


def test_the_field_key_must_be_set_apart_from_the_secret_key(production):
    production.FIELD_ENCRYPTION_KEY = production.SECRET_KEY  # its default when LIANXIN_FIELD_KEY is unset
    [error] = keys_and_address()
    assert error.id == "lianxin.E003"
    assert error.msg.startswith("LIANXIN_FIELD_KEY is not set")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SECRET_KEY", "change-me-change-me-change-me-change-me", "lianxin.E002"),
        ("SECRET_KEY", "a" * 48, "lianxin.E002"),
        ("FIELD_ENCRYPTION_KEY", "CHANGE-ME-to-a-random-value-of-48-chars", "lianxin.E004"),
        ("FIELD_ENCRYPTION_KEY", "short-but-random-7Qx", "lianxin.E004"),
    ],
)
def test_placeholders_and_simple_keys_are_refused(production, name, value, expected):
    setattr(production, name, value)
    assert [error.id for error in keys_and_address()] == [expected]


def test_the_site_address_must_be_set_and_answered(production):
    from lianxin.web.checks import site_url_check

    production.SITE_URL = "http://127.0.0.1:8000"  # the default: lianxin.E005 (web/checks.py), not twice
    assert keys_and_address() == []
    [error] = site_url_check()
    assert (error.id, "LIANXIN_SITE_URL" in error.msg) == ("lianxin.E005", True)
    production.SITE_URL = "https://other.example.gov.cn"
    [error] = keys_and_address()
    assert error.id == "lianxin.E006"
    assert "LIANXIN_ALLOWED_HOSTS" in error.msg


def test_debug_is_refused(production):
    production.DEBUG = True
    assert [error.id for error in keys_and_address()] == ["lianxin.E007"]


@pytest.mark.django_db  # the field key check (lianxin.E010) reads its stored check value
def test_serve_check_stops_with_the_messages(production):
    production.SECRET_KEY_FROM_ENVIRONMENT = False
    with pytest.raises(CommandError, match="LIANXIN_SECRET_KEY is not set") as raised:
        call_command("serve_check")
    assert raised.value.returncode == 3
