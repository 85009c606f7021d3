"""lianxin.E005: `manage.py check --deploy` fails in production while LIANXIN_SITE_URL is unset or loopback."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def deploy_errors():
    return [m.id for m in checks.run_checks(tags=["deploy"], include_deployment_checks=True)]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://localhost:8001",
        "http://[::1]:8000",
        "http://0.0.0.0",
        "http://127.8.9.1",
        "http://app.localhost",
        "lianxin.example.gov.cn",
        "ftp://lianxin.example.gov.cn",
    ],
)
def test_the_check_fires_for_a_loopback_or_malformed_site_url_without_debug(settings, url):
    settings.DEBUG = False
    settings.SITE_URL = url
    assert deploy_errors() == ["lianxin.E005"]


def test_the_check_passes_for_a_public_address_or_in_debug(settings):
    settings.DEBUG = False
    settings.SITE_URL = "https://lianxin.example.gov.cn"
    assert deploy_errors() == []
    settings.SITE_URL = "http://10.1.2.3:8080"  # an intranet address is a real address
    assert deploy_errors() == []
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert deploy_errors() == []


@pytest.mark.django_db  # the field key check (lianxin.E010) reads its stored check value
def test_check_deploy_refuses_the_default(settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(SystemCheckError, match=r"lianxin\.E005"):
        call_command("check", "--deploy", "--tag", "deploy")
    # The ordinary checks (migrate, runserver) do not include it.
    assert "lianxin.E005" not in [m.id for m in checks.run_checks()]
