"""A backup of the demo district restores into a fresh instance elsewhere (another var directory; on PostgreSQL
another database) with the same rows, the same media files and the same decrypted contacts; the restored
instance refuses to start with another field key (issue 13, item 5)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from lianxin import privacy
from lianxin.maintenance import databases, keys
from lianxin.maintenance.errors import EXIT_KEY, EXIT_TARGET

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)

# What the restored instance shows (run in its own process, with its own settings).
SHOW = """
import json
from lianxin import privacy
from lianxin.maintenance import databases, keys
contacts = {}
for model, names in keys.encrypted_columns():
    rows = model._base_manager.order_by("pk").values_list("pk", *names)
    contacts[model._meta.db_table] = [[pk, *[privacy.decrypt(value) for value in values]] for pk, *values in rows]
print(json.dumps({"counts": databases.current_counts(), "contacts": contacts}))
"""


def shown() -> dict:
    contacts = {}
    for model, names in keys.encrypted_columns():
        rows = model._base_manager.order_by("pk").values_list("pk", *names)
        contacts[model._meta.db_table] = [[pk, *[privacy.decrypt(value) for value in values]] for pk, *values in rows]
    return {"counts": databases.current_counts(), "contacts": contacts}


def manage(*args: str, env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "LIANXIN_FIELD_KEY": settings.FIELD_ENCRYPTION_KEY,
        "LIANXIN_FIELD_HASH_KEY": settings.FIELD_HASH_KEY,
        **env,
    }
    environment.pop("LIANXIN_MEDIA_ROOT", None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout
    )


def media_files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture
def target_database():
    """The DATABASE_URL of a fresh, empty database elsewhere: a file in a new var directory for SQLite, another
    database on the same server for PostgreSQL (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield None
        return
    import psycopg

    params = dict(connection.settings_dict)
    name = f"{params['NAME']}_restored"[:63]
    admin = psycopg.connect(
        dbname="postgres",
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    yield f"postgres://{auth}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_backup_of_the_demo_district_restores_elsewhere(tmp_path, target_database):
    call_command("seed_demo", cases=40, stdout=io.StringIO())
    before = shown()
    named = [row for row in before["contacts"]["cases_case"] if row[1]]
    assert len(named) >= 20  # the comparison below is about real names and phones
    source_media = media_files(Path(settings.MEDIA_ROOT))
    assert source_media  # the deputies' photos

    archive = tmp_path / "demo.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    var = tmp_path / "elsewhere"
    env = {"LIANXIN_VAR_DIR": str(var)}
    env["DATABASE_URL"] = target_database or f"sqlite:///{var / 'lianxin.sqlite3'}"
    restored = manage("manage.py", "restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "与清单一致" in restored.stdout

    after = json.loads(manage("manage.py", "shell", "-c", SHOW, env=env).stdout.strip().splitlines()[-1])
    assert after == json.loads(json.dumps(before))
    assert media_files(var / "media") == source_media

    # The restored instance starts with the key of the backed-up one, and refuses any other.
    assert manage("manage.py", "check", env=env).returncode == 0
    wrong = {**env, "LIANXIN_FIELD_KEY": "another-key-" + "x" * 40}
    refused = manage("manage.py", "check", env=wrong)
    assert refused.returncode == 1
    assert "lianxin.E010" in refused.stderr and "LIANXIN_FIELD_KEY" in refused.stderr
    # gunicorn runs no system checks: importing the WSGI application refuses instead.
    wsgi = manage("-c", "import lianxin.wsgi", env=wrong)
    assert wsgi.returncode == 1
    assert "ImproperlyConfigured" in wsgi.stderr and "LIANXIN_FIELD_KEY" in wsgi.stderr

    # A second restore into the now filled instance is refused; so is a restore with another key.
    again = manage("manage.py", "restore", str(archive), env=env)
    assert again.returncode == EXIT_TARGET, again.stderr
    assert "不是空的" in again.stderr
    fresh = tmp_path / "third"
    other_key = {
        "LIANXIN_VAR_DIR": str(fresh),
        "DATABASE_URL": f"sqlite:///{fresh / 'lianxin.sqlite3'}",
        "LIANXIN_FIELD_KEY": "",
        "LIANXIN_FIELD_HASH_KEY": "",
    }
    keyless = manage("manage.py", "restore", str(archive), env=other_key)
    assert keyless.returncode == EXIT_KEY, keyless.stderr
    assert "LIANXIN_FIELD_KEY" in keyless.stderr
    assert not (fresh / "media").exists()
