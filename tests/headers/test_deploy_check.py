"""`manage.py check --deploy` is clean in the production configuration (DEBUG off, a secret key and a field key
from the environment, the site's address, HTTPS on)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check_deploy(tmp_path, **extra) -> subprocess.CompletedProcess:
    # the production environment: none of the test run's settings (nor pytest's DJANGO_ALLOW_ASYNC_UNSAFE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANXIN_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        LIANXIN_DEBUG="false",
        LIANXIN_SECRET_KEY=secrets.token_urlsafe(60),
        LIANXIN_FIELD_KEY=secrets.token_urlsafe(60),
        LIANXIN_SITE_URL="https://lianxin.example.gov.cn",
        LIANXIN_ALLOWED_HOSTS="lianxin.example.gov.cn",
        LIANXIN_VAR_DIR=str(tmp_path),
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_https(tmp_path):
    result = _check_deploy(tmp_path, LIANXIN_HTTPS="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_names_what_is_missing_without_https(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout
