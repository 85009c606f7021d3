"""`make bench-cockpit`: is the cockpit fast on a district with a long history?

For PostgreSQL (10 million cases, in a database `lianxin_cockpit_bench` on 127.0.0.1:5432 made for the run and
dropped after) and SQLite (1 million cases, in a temporary file), each in its own process: migrate, write the
cases by the bulk path (COPY / executemany), build the rollups with the real job, time the overview and the
first drill-down level as full pages, and check that a new case is in the figures after one run of the
per-minute job. Never the test database, never the demo database. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("LIANXIN_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "lianxin_cockpit_bench"
ENGINES = ("postgresql", "sqlite")
DEFAULT_CASES = {"postgresql": 10_000_000, "sqlite": 1_000_000}
TARGET_P95_MS = {"postgresql": 150, "sqlite": 300}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=ENGINES)
    parser.add_argument("--pg-cases", type=int, default=DEFAULT_CASES["postgresql"])
    parser.add_argument("--sqlite-cases", type=int, default=DEFAULT_CASES["sqlite"])
    parser.add_argument("--years", type=float, default=5.0, help="history length (default 5 years)")
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page (default 40)")
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--cases", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if min(args.pg_cases, args.sqlite_cases) < 1000 or args.runs < 5 or args.years <= 0:
        parser.error("--pg-cases/--sqlite-cases at least 1000, --runs at least 5, --years above 0")
    return args


def worker(engine: str, cases: int, years: float, runs: int) -> dict:
    """Runs inside a process whose DATABASE_URL points at the bench database."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from lianxin.cockpit import benchdata, rollups

    figures: dict = {"cases": cases}
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    registry = benchdata.build_registry()
    figures["migrate_s"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    if engine == "postgresql":
        benchdata.write_cases_postgresql(registry, cases, years)
    else:
        benchdata.write_cases_sqlite(registry, cases, years)
    figures["generate_s"] = round(time.monotonic() - started, 1)
    print(f"  {engine}: {cases} cases written in {figures['generate_s']} s", flush=True)
    started = time.monotonic()
    rollups.rebuild_all()
    figures["rollup_rebuild_s"] = round(time.monotonic() - started, 1)
    print(f"  {engine}: rollups rebuilt in {figures['rollup_rebuild_s']} s", flush=True)
    figures.update(benchdata.time_pages(registry, runs))
    figures.update(benchdata.new_case_visibility(registry))
    figures["target_p95_ms"] = TARGET_P95_MS[engine]
    figures["meets_target"] = figures["overview"]["p95_ms"] < TARGET_P95_MS[engine]
    return figures


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def run_engine(engine: str, cases: int, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="lianxin-cockpit-bench-") as tmp:
        env = {**os.environ, "LIANXIN_VAR_DIR": tmp, "LIANXIN_TESTING": "false", "LIANXIN_TASKS_SYNC": "true"}
        if engine == "postgresql":
            _pg(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            _pg(f"CREATE DATABASE {PG_DATABASE}")
            env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            env["LIANXIN_SQLITE_SYNCHRONOUS"] = "NORMAL"
        command = [sys.executable, __file__, "--worker", engine, "--cases", str(cases), "--years", str(args.years),
                   "--runs", str(args.runs)]  # fmt: skip
        try:
            done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
        finally:
            if engine == "postgresql":
                _pg(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    for line in lines[:-1]:
        print(line)
    if done.returncode != 0 or not lines:
        print(done.stderr[-4000:], file=sys.stderr)
        return {"cases": cases, "error": f"worker exited {done.returncode}"}
    return json.loads(lines[-1])


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.cases, args.years, args.runs), ensure_ascii=False))
        return 0
    results = {}
    for engine in ENGINES:
        if args.only and engine != args.only:
            continue
        cases = args.pg_cases if engine == "postgresql" else args.sqlite_cases
        print(f"== {engine}: {cases} cases over {args.years:g} years", flush=True)
        started = time.monotonic()
        try:
            results[engine] = run_engine(engine, cases, args)
        except Exception as exc:  # e.g. PostgreSQL not reachable: say so, go on with the other database
            results[engine] = {"cases": cases, "error": str(exc)[:300]}
        results[engine]["total_s"] = round(time.monotonic() - started, 1)
        print(f"  {engine}: {json.dumps(results[engine], ensure_ascii=False)}", flush=True)
    print(json.dumps(results, ensure_ascii=False))
    return 0 if all("error" not in r for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
