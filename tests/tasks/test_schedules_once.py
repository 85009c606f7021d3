"""Scheduled jobs run once however many task workers run: two real `qcluster` processes on one PostgreSQL database
race for the same due schedules, and every due run is executed exactly once.

django-q2's scheduler (django_q/scheduler.py) takes the due schedules with SELECT … FOR UPDATE in one transaction,
queues each one's task and moves its next_run before COMMIT; a second cluster waits on the row locks and, under
READ COMMITTED, PostgreSQL checks `next_run < now` again on the rows' new versions, so it skips them (a ONCE schedule
is deleted). On SQLite the write transaction is IMMEDIATE (settings.py), so the two passes run one after the other.
The guard calls the scheduler every 30 s, so this takes two passes (about two minutes with the migration): marked
`cluster`, run by `make test-cluster`. Runs once, on the SQLite pass (it makes its own PostgreSQL database); outside
CI a missing PostgreSQL skips it."""

import datetime as dt
import itertools
import os
import secrets
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.tasks.schedule_probe import TABLE

REPO = Path(__file__).resolve().parents[2]
UNDER_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif("postgres" in os.environ.get("DATABASE_URL", ""), reason="runs once, on the SQLite pass"),
]


def _admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
        for statement in statements:
            conn.execute(statement)


@pytest.fixture
def database():
    name = f"lx_schedules_{os.getpid()}"
    try:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    except Exception as exc:  # psycopg.OperationalError, or psycopg missing
        if UNDER_CI:
            pytest.fail(f"PostgreSQL on 127.0.0.1:5432 is not reachable: {exc}")
        pytest.skip(f"PostgreSQL on 127.0.0.1:5432 is not reachable: {exc}")
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _manage(env, *args):
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# 10 ONCE schedules due now (raced at the first pass, ~35 s after this), 10 due in 45 s (the second pass, ~65 s),
# 3 every minute due in 1 s (run at the first pass, due again a minute later: run at the second).
SETUP = """
import datetime as dt
import itertools
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule
from tests.tasks.schedule_probe import CREATE
with connection.cursor() as cursor:
    cursor.execute(CREATE)
now = timezone.now()
for i in range(10):
    for name, due in ((f"once-now-{i}", now), (f"once-later-{i}", now + dt.timedelta(seconds=45))):
        Schedule.objects.create(name=name, func="tests.tasks.schedule_probe.record", args=repr(name),
                                schedule_type=Schedule.ONCE, repeats=-1, next_run=due, intended_date_kwarg="due")
for i in range(3):
    Schedule.objects.create(name=f"minute-{i}", func="tests.tasks.schedule_probe.record", args=repr(f"minute-{i}"),
                            schedule_type=Schedule.MINUTES, minutes=1, repeats=-1,
                            next_run=now + dt.timedelta(seconds=1), intended_date_kwarg="due")
"""

READ = f"""
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT name, due, pid FROM {TABLE} ORDER BY id")
    for row in cursor.fetchall():
        print("run|" + "|".join(map(str, row)))
"""


def test_two_qclusters_run_each_due_schedule_exactly_once(database, tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LIANXIN_") and k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": database,
        "LIANXIN_VAR_DIR": str(tmp_path),
        "LIANXIN_SECRET_KEY": secrets.token_urlsafe(48),
        "LIANXIN_TESTING": "false",
        "LIANXIN_TASKS_SYNC": "false",
        "LIANXIN_TASK_WORKERS": "1",
        "LIANXIN_LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{REPO}",
    }
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "shell", "-c", SETUP)
    started = time.monotonic()
    clusters = [
        subprocess.Popen(
            [sys.executable, str(REPO / "manage.py"), "qcluster"],
            env=env,
            cwd=REPO,
            stdout=(tmp_path / f"qcluster-{n}.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for n in (1, 2)
    ]
    try:
        rows: list[list[str]] = []
        while time.monotonic() - started < 100:
            time.sleep(3)
            assert all(c.poll() is None for c in clusters), (tmp_path / "qcluster-1.log").read_text()[-2000:]
            rows = [
                line.split("|")[1:]
                for line in _manage(env, "shell", "-c", READ).splitlines()
                if line.startswith("run|")
            ]
            minutes = Counter(name for name, _due, _pid in rows if name.startswith("minute-"))
            if len(rows) >= 26 and all(minutes[f"minute-{i}"] >= 2 for i in range(3)):
                break
    finally:
        for cluster in clusters:
            cluster.terminate()
        for cluster in clusters:
            try:
                cluster.wait(timeout=30)
            except subprocess.TimeoutExpired:
                cluster.kill()
    runs = Counter((name, due) for name, due, _pid in rows)
    assert [key for key, count in runs.items() if count > 1] == []  # no due run executed twice
    names = Counter(name for name, _due in runs)
    expected_once = {f"once-{when}-{i}" for when in ("now", "later") for i in range(10)}
    assert {n for n in names if n.startswith("once-")} == expected_once
    assert all(names[f"minute-{i}"] >= 2 for i in range(3)), names
    for i in range(3):  # each minute schedule's due times are a minute apart
        dues = sorted(dt.datetime.fromisoformat(due) for name, due in runs if name == f"minute-{i}")
        assert all(later - earlier == dt.timedelta(minutes=1) for earlier, later in itertools.pairwise(dues)), dues
