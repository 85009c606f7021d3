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
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import BenchServer, ServerConfig

PATHS = {"cases": "/api/v1/cases", "baseline": "/bench/baseline"}


def body(n: int | str) -> str:
    """A case unique to n (the same text twice within the duplicate window would be answered 200)."""
    return (
        f'{{"title":"基准测试 {n}","details":"路灯不亮，请尽快修理。编号 {n}",'
        '"station_code":"bench","contact_phone":"13812345678","consent":true}'
    )


def plain_cpu(client, path: str, requests: int, rounds: int = 5) -> list[tuple[float, float]]:
    """(user, system) CPU µs per request without the profiler, per round (the median is steady on a shared machine)."""
    per_round = []
    for r in range(rounds):
        start = os.times()
        for n in range(requests):
            key = f"plain-{r}-{n}"
            response = client.post(path, body(key), content_type="application/json", headers={"Idempotency-Key": key})
            assert response.status_code == 201, response.content
        end = os.times()
        per_round.append(((end.user - start.user) / requests * 1e6, (end.system - start.system) / requests * 1e6))
    return per_round


def inner(path: str, requests: int, top: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for n in range(20):  # warm caches, import lazily-loaded modules
        client.post(path, body(f"warm-{n}"), content_type="application/json", headers={"Idempotency-Key": f"warm-{n}"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, body(-1), content_type="application/json", headers={"Idempotency-Key": "one"})
    print(f"one request: {response.status_code}, {len(queries)} queries")
    for query in queries.captured_queries:
        print("   ", query["sql"][:160])
    rounds = plain_cpu(client, path, requests)
    totals = [user + system for user, system in rounds]
    detail = ", ".join(f"{user:.0f}+{system:.0f}" for user, system in rounds)
    print(f"\nwithout profiler: {statistics.median(totals):.0f} µs of CPU per request, median of {len(rounds)} rounds")
    print(f"  of {requests} requests (µs user+system per round: {detail})")
    profile = cProfile.Profile(time.process_time)  # CPU, not wall: waits on fsync or locks are not counted
    profile.enable()
    for n in range(requests):
        key = f"p-{n}"
        response = client.post(path, body(key), content_type="application/json", headers={"Idempotency-Key": key})
        assert response.status_code == 201, response.content
    profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\n{requests} requests, {total / requests * 1e6:.0f} µs of CPU per request (process_time)")
    if top:
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_callees("validate_submission|_store_many|notify_case_events|async_task")
    print("\nWhere the time of one request goes (share of the profiled CPU; the profiler inflates absolute times):")
    for label, seconds in breakdown(stats.stats, total).items():  # type: ignore[attr-defined]
        print(f"  {seconds / total * 100:5.1f}%  {label}")


# (label, file suffix, function name, caller file suffix or None): cumulative time of that function
# (only the calls made from that caller, when given).
PARTS = [
    ("ninja: parse and validate the JSON body (pydantic)", "cases/api.py", "_read_submission", None),
    ("idempotency: Submission.fingerprint()", "cases/intake.py", "fingerprint", None),
    ("idempotency: replay lookup by key (only on a replay)", "cases/intake.py", "_find_replay", "cases/intake.py"),
    ("validate_submission (station lookup)", "cases/intake.py", "validate_submission", None),
    ("crypto: encrypt contact name+phone", "lianxin/privacy.py", "encrypt", None),
    ("crypto: keyed hash of the phone", "lianxin/privacy.py", "keyed_hash", None),
    ("Case INSERT (lianxin.rows.insert_rows)", "lianxin/rows.py", "insert_rows", "cases/intake.py"),
    ("waiting for the SQLite writers' queue", "lianxin/writers.py", "one_writer_at_a_time", None),
    ("audit INSERT (log_actions)", "audit/services.py", "log_actions", None),
    ("outbox INSERT + task (notify_case_events)", "notifications/services.py", "notify_case_events", None),
    ("the writes of the transaction (_store_many)", "cases/intake.py", "_store_many", None),
    ("django-q enqueue of the one task (async_task, in the transaction)", "django_q/tasks.py", "async_task", None),
    ("COMMIT of the case transaction", "backends/base/base.py", "_commit", None),
    ("follow-up token (HMAC)", "cases/codes.py", "follow_up_token", None),
    ("the whole view (case_submit)", "cases/api.py", "case_submit", None),
    ("the baseline view", "bench/views.py", "baseline", None),
]


def breakdown(raw: dict, total: float) -> dict[str, float]:
    parts: dict[str, float] = {}
    for label, file_suffix, name, caller_suffix in PARTS:
        seconds = 0.0
        for (filename, _line, function), (_cc, _nc, _tt, cumulative, callers) in raw.items():
            if function != name or not filename.endswith(file_suffix):
                continue
            if caller_suffix is None:
                seconds += cumulative
            else:
                seconds += sum(c[3] for (f, _l, _n), c in callers.items() if f.endswith(caller_suffix))
        if seconds:
            parts[label] = seconds
    view = parts.get("the whole view (case_submit)") or parts.get("the baseline view") or 0.0
    parts["Django handler, middleware, test client (all but the view)"] = total - view
    return parts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--target", choices=sorted(PATHS), default="cases")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=0, help="also print the top N functions")
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
