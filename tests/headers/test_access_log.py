"""A follow-up token never reaches a log: gunicorn's access log (request line, query, Referer) and Django's
server/request loggers write it as [redacted]."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from lianxin.logredact import RedactTokensFilter, redact

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq9secretFollowUpToken"


def test_redact_finds_the_token_in_every_spelling():
    assert redact(f"GET /track/AB12?token={SECRET} HTTP/1.1") == "GET /track/AB12?token=[redacted] HTTP/1.1"
    assert SECRET not in redact(f"/track/AB12?lang=en&token={SECRET}&x=1")
    assert SECRET not in redact(f"next=%2Ftrack%2FAB12%3Ftoken%3D{SECRET}")
    assert redact("/work/cases/?page=2") == "/work/cases/?page=2"


def test_django_server_log_line_is_redacted():
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s %s', (f"GET /t?token={SECRET}", 200, 5), None
    )
    RedactTokensFilter().filter(record)
    assert SECRET not in record.getMessage()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_log_has_no_token(tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANXIN_", "DATABASE_URL"))}
    env.update(PYTHONPATH=str(ROOT / "src"), LIANXIN_VAR_DIR=str(tmp_path), LIANXIN_DEBUG="false")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [
            str(gunicorn),
            "lianxin.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(log),
        ],
        cwd=ROOT,  # picks up the repository's gunicorn.conf.py (the redacting logger)
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/healthz?token={SECRET}"
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(url, headers={"Referer": f"http://x/track/AB?token={SECRET}"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = log.read_text()
    assert "/healthz?token=[redacted]" in text
    assert SECRET not in text
