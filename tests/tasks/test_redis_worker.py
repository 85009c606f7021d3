"""The same tasks run on Redis-backed workers: a real `qcluster` process with LIANXIN_REDIS_URL delivers an
outbox row queued through Redis. Runs once (on the SQLite pass); outside CI a missing Redis skips it."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNDER_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _manage(env, *args, timeout=180):
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.skipif("postgres" in os.environ.get("DATABASE_URL", ""), reason="runs once, on the SQLite pass")
def test_a_notification_is_delivered_by_a_redis_backed_worker(tmp_path):
    if not _redis_up():
        if UNDER_CI:
            pytest.fail("Redis is not reachable on 127.0.0.1:6379")
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "LIANXIN_VAR_DIR": str(tmp_path),
        "LIANXIN_REDIS_URL": "redis://127.0.0.1:6379/15",
        "LIANXIN_TESTING": "false",
        "LIANXIN_TASKS_SYNC": "false",
        "LIANXIN_TASK_WORKERS": "1",
        "PYTHONPATH": str(REPO / "src"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    assert _manage(env, "migrate", "--no-input").returncode == 0
    queue = (
        "from django.db import transaction\n"
        "from lianxin.notifications.models import Notification\n"
        "from lianxin.notifications.services import queue_task\n"
        "from lianxin import privacy\n"
        "row = Notification.objects.create(channel='console', recipient_kind='citizen', event='test.redis',"
        " subject='s', body='经 Redis 投递', address_enc=privacy.encrypt('13900001111'))\n"
        "queue_task('lianxin.notifications.tasks.deliver_notifications', [row.pk])\n"
        "print(row.pk)\n"
    )
    queued = _manage(env, "shell", "-c", queue)
    assert queued.returncode == 0, queued.stderr
    worker = subprocess.Popen(
        [sys.executable, str(REPO / "manage.py"), "qcluster"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        state = ""
        for _ in range(120):
            time.sleep(0.5)
            with sqlite3.connect(tmp_path / "worker.sqlite3") as db:
                state = db.execute("SELECT state FROM notifications_notification").fetchone()[0]
            if state == "sent":
                break
        assert state == "sent"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
