"""Profile one request path in-process with cProfile: `python bench/profile_intake.py [--engine sqlite]`.

Same settings and fresh database as `make bench-intake` (DEBUG off, seeded station `bench`), but the
requests go through Django's test client (full middleware stack) in one process, so cProfile sees
every call. Prints the top functions by cumulative and by own time, and the SQL each request runs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import BenchServer, ServerConfig

PATHS = {"cases": "/api/v1/cases", "baseline": "/bench/baseline"}


def body(n: int) -> str:
    return (
        f'{{"title":"基准测试 {n}","details":"路灯不亮，请尽快修理。编号 {n}",'
        '"station_code":"bench","contact_phone":"13812345678","consent":true}'
    )


def inner(path: str, requests: int, top: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for n in range(20):  # warm caches, import lazily-loaded modules
        client.post(path, body(n), content_type="application/json", headers={"Idempotency-Key": f"warm-{n}"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, body(-1), content_type="application/json", headers={"Idempotency-Key": "one"})
    print(f"one request: {response.status_code}, {len(queries)} queries")
    for query in queries.captured_queries:
        print("   ", query["sql"][:160])
    profile = cProfile.Profile(time.process_time)  # CPU, not wall: waits on fsync or locks are not counted
    profile.enable()
    for n in range(requests):
        response = client.post(path, body(n), content_type="application/json", headers={"Idempotency-Key": f"p-{n}"})
        assert response.status_code == 201, response.content
    profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\n{requests} requests, {total / requests * 1e6:.0f} µs of CPU per request (process_time)")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--target", choices=sorted(PATHS), default="cases")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(PATHS[args.target], args.requests, args.top)
        return 0
    server = BenchServer(args.engine, ServerConfig())
    try:
        server.prepare()
        command = [sys.executable, __file__, "--inner", "--target", args.target]
        command += ["--requests", str(args.requests), "--top", str(args.top)]
        env = {**server._env, "LIANXIN_ALLOWED_HOSTS": "testserver,127.0.0.1"}
        return subprocess.run(command, env=env, check=False).returncode  # noqa: S603 - fixed argument list
    finally:
        server.cleanup()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    sys.exit(main())
