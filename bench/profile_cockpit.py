"""Profile and time the cockpit's overview and first drill-down in-process on a kept SQLite district.

    python bench/profile_cockpit.py --db /tmp/cockpit.sqlite3 build --cases 200000
    python bench/profile_cockpit.py --db /tmp/cockpit.sqlite3 time --runs 20
    python bench/profile_cockpit.py --db /tmp/cockpit.sqlite3 profile --page overview

`build` migrates a new file and writes the district the way `make bench-cockpit` does (bulk writer, rollups by the
real job); `time` renders both pages through Django's test client as the office (full middleware, template and
all) and prints one JSON line of milliseconds, plus the SQL time of one request; `profile` prints cProfile's top
functions of `--repeat` renders. `--src` runs another checkout's code (e.g. the commit before a change, for an
interleaved before/after on the same file).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(args) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.db).resolve()}"
    os.environ.setdefault("LIANXIN_VAR_DIR", str(Path(args.db).resolve().parent))
    os.environ["LIANXIN_TESTING"] = "false"
    os.environ["LIANXIN_TASKS_SYNC"] = "true"
    os.environ["LIANXIN_SQLITE_SYNCHRONOUS"] = "NORMAL"
    sys.path.insert(0, str(Path(args.src).resolve() if args.src else ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()


def build(args) -> None:
    from django.core.management import call_command

    from lianxin.cockpit import benchdata, rollups

    if Path(args.db).exists():
        sys.exit(f"{args.db} exists: build writes a new file only")
    call_command("migrate", verbosity=0, interactive=False)
    registry = benchdata.build_registry()
    benchdata.write_cases_sqlite(registry, args.cases, args.years)
    rollups.rebuild_all()
    print(f"{args.cases} cases written to {args.db}")


def pages() -> tuple:
    from django.test import Client

    from lianxin.accounts.models import User
    from lianxin.organisation.enums import DivisionKind
    from lianxin.organisation.models import Division

    client = Client()
    client.force_login(User.objects.get(username="bench-office"))
    streets = list(
        Division.objects.filter(kind=DivisionKind.STREET, path__startswith=Division.objects.get(code="990100").path)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return client, {
        "overview": lambda i: {"period": "year"},
        "drilldown": lambda i: {"period": "year", "division": streets[i % len(streets)]},
    }


def get(client, params) -> None:
    response = client.get("/work/cockpit/", params)
    if response.status_code != 200:
        raise RuntimeError(f"answered {response.status_code}")


def timing(args) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, which = pages()
    result = {}
    for name, params in which.items():
        for i in range(3):
            get(client, params(i))
        samples, cpu = [], []
        for i in range(args.runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            get(client, params(i))
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        cut = statistics.quantiles(sorted(samples), n=100, method="inclusive")
        cpu_cut = statistics.quantiles(sorted(cpu), n=100, method="inclusive")
        with CaptureQueriesContext(connection) as queries:
            get(client, params(0))
        sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        result[name] = {"p50_ms": round(cut[49], 1), "p95_ms": round(cut[94], 1), "cpu_p50_ms": round(cpu_cut[49], 1),
                        "cpu_p95_ms": round(cpu_cut[94], 1), "cpu_min_ms": round(min(cpu), 1), "sql_ms": round(sql, 1),
                        "queries": len(queries.captured_queries)}  # fmt: skip
    result["load"] = os.getloadavg()[0]
    print(json.dumps(result))


def html(args) -> None:
    """Write both pages' HTML (the CSRF token blanked) to --out-prefix: diff two checkouts' output."""
    import re

    client, which = pages()
    for name, params in which.items():
        for i in (0, 1):
            body = client.get("/work/cockpit/", params(i)).content.decode()
            body = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]*"', r'\1"', body)
            Path(f"{args.out_prefix}-{name}-{i}.html").write_text(body)


def profile(args) -> None:
    client, which = pages()
    params = which[args.page]
    for i in range(3):
        get(client, params(i))
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(args.repeat):
        get(client, params(i))
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--src", help="the src/ directory of another checkout")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--cases", type=int, default=200_000)
    b.add_argument("--years", type=float, default=5.0)
    t = sub.add_parser("time")
    t.add_argument("--runs", type=int, default=20)
    p = sub.add_parser("profile")
    p.add_argument("--page", choices=("overview", "drilldown"), default="overview")
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--top", type=int, default=50)
    h = sub.add_parser("html")
    h.add_argument("--out-prefix", required=True)
    args = parser.parse_args()
    setup(args)
    {"build": build, "time": timing, "profile": profile, "html": html}[args.command](args)


if __name__ == "__main__":
    main()
