"""`make serve`'s launcher (scripts/serve.py) for real: refuses to start without its keys, naming the variable;
with them it migrates a new database, collects the static files and runs gunicorn and the task worker, whose
/healthz and /readyz answer JSON and whose static files are hashed and served compressed. SIGTERM stops both."""

import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve.py"
pytestmark = pytest.mark.skipif(
    "postgres" in os.environ.get("DATABASE_URL", ""), reason="runs once, on the SQLite pass (the launcher is the same)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(tmp_path, **extra) -> dict[str, str]:
    # the production environment: none of the test run's settings
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("LIANXIN_", "DJANGO_", "DATABASE_URL", "PROMETHEUS"))
    }
    env.update(LIANXIN_VAR_DIR=str(tmp_path / "var"), PORT=str(_free_port()), LIANXIN_TASK_WORKERS="1")
    env.update(extra)
    return env


def _keys() -> dict[str, str]:
    return {
        "LIANXIN_SECRET_KEY": secrets.token_urlsafe(48),
        "LIANXIN_FIELD_KEY": secrets.token_urlsafe(48),
        # not a loopback address (lianxin.E005); the test's requests go to 127.0.0.1, also allowed
        "LIANXIN_SITE_URL": "http://lianxin.test",
        "LIANXIN_ALLOWED_HOSTS": "lianxin.test,127.0.0.1",
    }


@pytest.mark.parametrize("missing", ["LIANXIN_SECRET_KEY", "LIANXIN_FIELD_KEY", "LIANXIN_SITE_URL"])
def test_it_refuses_to_start_naming_the_variable(tmp_path, missing):
    keys = _keys()
    del keys[missing]
    result = subprocess.run(
        [sys.executable, str(SERVE)], env=_environment(tmp_path, **keys), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 3
    assert f"{missing} is not set" in result.stderr or f"{missing} (http" in result.stderr
    assert "not serving" in result.stderr
    assert not (tmp_path / "var" / "lianxin.sqlite3").exists()  # nothing was migrated


def _get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the launcher exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no answer from {url} within {seconds} s:\n{log.read_text()[-3000:]}")


def test_it_serves_ready_with_compressed_hashed_static_files(tmp_path):
    env = _environment(tmp_path, **_keys())
    base = f"http://127.0.0.1:{env['PORT']}"
    log = tmp_path / "serve.log"
    with open(log, "w") as output:
        process = subprocess.Popen([sys.executable, str(SERVE)], env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for(f"{base}/healthz", process, log)
        status, headers, body = _get(f"{base}/healthz")
        assert (status, headers["Content-Type"], json.loads(body)) == (200, "application/json", {"status": "ok"})

        # the calendar check wants this year's official schedule: enter it whatever today's date (migrations are done)
        with sqlite3.connect(tmp_path / "var" / "lianxin.sqlite3") as db:
            db.execute(
                "INSERT OR IGNORE INTO workdays_calendaryear (year, source) VALUES (?, 'test')",
                (time.localtime().tm_year,),
            )
        status, headers, body = _get(f"{base}/readyz")
        assert (status, headers["Content-Type"]) == (200, "application/json"), body
        ready = json.loads(body)
        assert ready["status"] == "ready"
        assert ready["checks"]["database"] == {"ok": True, "vendor": "sqlite"}
        assert ready["checks"]["task_queue"]["ok"] is True

        status, _, page = _get(f"{base}/report/")
        assert status == 200
        # the phone pages' stylesheet, built by make install (vendor/build/, never committed)
        css = re.search(rb'href="(/static/vendor/build/phone\.[0-9a-f]{12}\.css)"', page)
        assert css, "the page links the hashed name of the stylesheet"
        for encoding in ("br", "gzip"):
            status, headers, _ = _get(base + css.group(1).decode(), **{"Accept-Encoding": encoding})
            assert (status, headers.get("Content-Encoding")) == (200, encoding)
            assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]

        status, _, metrics = _get(f"{base}/metrics")  # from 127.0.0.1: allowed; counts of both workers added up
        assert status == 200
        assert b'lianxin_http_requests_total{method="GET",status="200"}' in metrics
        assert b"lianxin_task_queue_lag_seconds" in metrics
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
    assert code == 0, log.read_text()[-3000:]
    assert "stopping" in log.read_text()
