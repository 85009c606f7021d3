"""Upgrades: a database at the first migration of every app is migrated to the head, on SQLite and on PostgreSQL,
and the models then match it (nothing left for makemigrations). Each runs in a fresh database of its own, through
`manage.py`'s machinery in a subprocess, as `make upgrade` does."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")

# Every app of ours and of the libraries goes to its first migration (with what that one depends on), then to head.
SCRIPT = """
import django
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

django.setup()
loader = MigrationLoader(connection)
firsts = sorted(
    (app, name) for app, name in loader.graph.nodes if not loader.graph.node_map[(app, name)].parents
    or all(parent.key[0] != app for parent in loader.graph.node_map[(app, name)].parents)
)
for app, name in firsts:
    call_command("migrate", app, name, verbosity=0, interactive=False)
applied = MigrationLoader(connection).applied_migrations
print("FIRST", len(firsts), "APPLIED", len(applied))
call_command("migrate", verbosity=0, interactive=False)
call_command("makemigrations", check=True, dry_run=True, verbosity=1)
plan = MigrationLoader(connection).graph.leaf_nodes()
missing = [node for node in plan if node not in MigrationLoader(connection).applied_migrations]
print("MISSING", missing)
"""


def _run(tmp_path, database_url: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANXIN_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="lianxin.settings",
        DATABASE_URL=database_url,
        LIANXIN_VAR_DIR=str(tmp_path / "var"),
        LIANXIN_SECRET_KEY=secrets.token_urlsafe(48),
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _check(output: str) -> None:
    first = next(line for line in output.splitlines() if line.startswith("FIRST"))
    _, firsts, _, applied = first.split()
    assert int(firsts) >= 20  # ours and the libraries' apps
    assert int(applied) < 150  # only the first migrations (and what they need) before the upgrade
    assert "No changes detected" in output
    assert "MISSING []" in output


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite upgrade runs on the SQLite pass")
def test_from_the_first_migrations_to_head_on_sqlite(tmp_path):
    output = _run(tmp_path, f"sqlite:///{tmp_path / 'upgrade.sqlite3'}")
    _check(output)


@pytest.mark.skipif(not ON_POSTGRES, reason="runs on the PostgreSQL pass (DATABASE_URL=postgres://…)")
def test_from_the_first_migrations_to_head_on_postgresql(tmp_path):
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"lx_upgrade_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        _check(_run(tmp_path, f"{base}/{name}"))
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
