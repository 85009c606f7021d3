"""The rate limits counted in Redis (LIANXIN_REDIS_URL): two separate processes, each with its own connection,
take from one allowance. Runs when a Redis answers on 127.0.0.1:6379; under CI=true it must run, so a CI
without Redis fails instead of skipping."""

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"  # a database of its own: tests never touch db 0
ROOT = Path(__file__).resolve().parents[2]


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        os.environ.get("CI") != "true" and not redis_answers(),
        reason="no Redis on 127.0.0.1:6379 (required when CI=true)",
    ),
]

# One client process: Django set up with the Redis cache, the intake limit checked `tries` times for one client
# address (the soft limit, which would ask for the challenge, is off); prints how many passed and how many were
# refused, and which cache backend counted them.
CLIENT = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from lianxin.throttle import limits

address, tries = sys.argv[1], int(sys.argv[2])
passed = refused = 0
for _ in range(tries):
    request = RequestFactory().post("/api/v1/cases", REMOTE_ADDR=address)
    try:
        limits.check(request, "intake")
    except limits.Throttled:
        refused += 1
    else:
        passed += 1
print(json.dumps({"passed": passed, "refused": refused, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1],
                  "limit": settings.THROTTLE_LIMITS["intake"]["address"][0]}))
"""


def start_client(address: str, tries: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "lianxin.settings",
        "LIANXIN_TESTING": "true",
        "LIANXIN_REDIS_URL": REDIS_URL,
        "LIANXIN_LIMIT_INTAKE_PER_ADDRESS": "10",
        "LIANXIN_LIMIT_INTAKE_PER_ADDRESS_SOFT": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-c", CLIENT, address, str(tries)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_count_the_intake_limit_together_in_redis():
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}-{uuid.uuid4().hex[:8]}"  # unique: earlier runs do not count
    clients = [start_client(address, 7), start_client(address, 7)]  # at the same time, 14 tries against 10
    results = []
    for client in clients:
        out, err = client.communicate(timeout=120)
        assert client.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert {r["backend"] for r in results} == {"RedisCache"}
    assert {r["limit"] for r in results} == {10}
    assert sum(r["passed"] for r in results) == 10
    assert sum(r["refused"] for r in results) == 4
    assert all(r["passed"] > 0 for r in results)  # each process counted, neither alone saw the whole allowance
