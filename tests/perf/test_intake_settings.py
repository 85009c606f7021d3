"""The intake's database switches: prepared statements on PostgreSQL, group commit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.DATABASES['default'].get('OPTIONS', {}), settings.GROUP_COMMIT]))"
)


def start(**env: str) -> subprocess.CompletedProcess:
    """Load the settings in a fresh interpreter with only these LIANXIN_ variables (and the test flag)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("LIANXIN_") and k != "DATABASE_URL"}
    base.update(DJANGO_SETTINGS_MODULE="lianxin.settings", PYTHONPATH=str(ROOT / "src"), LIANXIN_TESTING="true")
    return subprocess.run(
        [sys.executable, "-c", PRINT], env={**base, **env}, capture_output=True, text=True, check=False
    )


def settings_with(**env: str) -> tuple[dict, bool]:
    result = start(**env)
    assert result.returncode == 0, result.stderr
    options, group_commit = json.loads(result.stdout.strip().splitlines()[-1])
    return options, group_commit


PG = "postgres://postgres@127.0.0.1:5432/lianxin"


def test_postgresql_prepares_statements_unless_a_pooler_needs_it_off():
    assert "prepare_threshold" not in settings_with(DATABASE_URL=PG)[0]
    assert settings_with(DATABASE_URL=PG, LIANXIN_PG_PREPARE="false")[0]["prepare_threshold"] is None


def test_group_commit_is_on_by_default_and_can_be_turned_off():
    assert settings_with()[1] is True
    assert settings_with(LIANXIN_GROUP_COMMIT="false")[1] is False


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_switch_stops_start_up(value):
    result = start(LIANXIN_GROUP_COMMIT=value)
    assert result.returncode != 0 and "LIANXIN_GROUP_COMMIT" in result.stderr
