"""`make bench-intake`: how many cases/s `POST /api/v1/cases` takes on this machine, and is any lost?

For each database (SQLite, then PostgreSQL) it starts a production-like gunicorn on a fresh
database and loads the raw-SQL baseline endpoint and the case intake with wrk (unique
Idempotency-Key per request). After a 3 s warm-up of each, the measured time is cut into
`--rounds` slices of each endpoint, taken in turns (baseline, cases; cases, baseline; ...), so
that both see the same machine: a shared machine's speed drifts by ±20 % from one minute to the
next, and measuring one endpoint after the other put the drift into the ratio. It checks that
every request answered 201 is stored and prints the figures; the last line is one JSON object.
See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadgen import LoadError, LoadResult, combined, run_wrk, wrk_available
from bench.server import BenchError, BenchServer, DatabaseUnavailable, ServerConfig

ENGINES = ("sqlite", "postgresql")
CASES_PATH = "/api/v1/cases"
BASELINE_PATH = "/bench/baseline"
TARGET_THROUGHPUT = 500
TARGET_RATIO = 0.6
# gunicorn gthread (workers, threads) per database, measured in docs/benchmarks.md: one thread per
# connection, in two processes, so that the intakes arriving together in a process share one
# transaction and one COMMIT (lianxin/groupcommit.py); with fewer threads the batches stay small.
DEFAULT_SERVER = {"sqlite": (2, 16), "postgresql": (2, 16)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--seconds", type=float, default=15, help="measured seconds per run (default 15)")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds of each endpoint (default 3)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="slices of each endpoint, in turns (default 3; 1: one then the other)"
    )
    parser.add_argument("--only", choices=ENGINES, help="run one database only")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2)")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="gthread")
    parser.add_argument("--threads", type=int, help="threads per gthread worker (default 16)")
    args = parser.parse_args(argv)
    too_few = [value for value in (args.workers, args.threads) if value is not None and value < 1]
    if args.clients < 1 or args.seconds < 1 or args.rounds < 1 or args.warmup < 0 or too_few:
        parser.error("--clients, --seconds, --rounds, --workers and --threads must be at least 1; --warmup at least 0")
    if args.seconds / args.rounds < 1:
        parser.error("each slice must last at least 1 s: --seconds / --rounds < 1")
    return args


def engine_summary(cases: LoadResult | None, baseline: LoadResult, lost: int | None) -> dict:
    """The JSON figures of one database; cases is None when the endpoint is not there."""
    throughput = round(cases.throughput, 1) if cases else None
    baseline_throughput = round(baseline.throughput, 1)
    ratio = round(cases.throughput / baseline.throughput, 3) if cases and baseline.throughput else None
    return {
        "throughput": throughput,
        "p50_ms": round(cases.latency_ms.get(50, 0.0), 2) if cases else None,
        "p99_ms": round(cases.latency_ms.get(99, 0.0), 2) if cases else None,
        "baseline_throughput": baseline_throughput,
        "ratio": ratio,
        "lost": lost,
    }


def result_line(results: dict[str, dict | None]) -> str:
    """The last line of the output: one JSON object, a key per database (null when skipped)."""
    return json.dumps({engine: results.get(engine) for engine in ENGINES if engine in results}, ensure_ascii=False)


def load_note(load: float, cpus: int) -> str:
    """The bench shares the machine: say so when something else is already using the CPUs."""
    note = f"Load average before the run: {load:.2f}"
    if load > 0.5 * cpus:
        note += " — other processes are busy, the figures below will be low and noisy"
    return note


def describe(name: str, result: LoadResult) -> str:
    others = ", ".join(f"{status}×{count}" for status, count in result.other_statuses.items()) or "none"
    errors = ", ".join(f"{name}×{count}" for name, count in result.errors.items() if count) or "none"
    latency = " ".join(f"p{p}={ms:.1f}ms" for p, ms in sorted(result.latency_ms.items()))
    per_request = result.client_cpu_s / result.requests * 1e6 if result.requests else 0
    return (
        f"  {name:<9} {result.throughput:8.1f} 201/s  ({result.created} in {result.duration_s:.1f} s)  {latency}\n"
        f"            other statuses: {others}; socket errors: {errors}; "
        f"load generator CPU {result.client_cpu_s:.2f} s ({per_request:.0f} µs/request)"
    )


def endpoint_exists(server: BenchServer, path: str) -> bool:
    url = f"{server.base_url}{path}"  # always http://127.0.0.1:<port>
    request = urllib.request.Request(url, data=b"{}", method="POST")  # noqa: S310
    request.add_header("Content-Type", "application/json")
    try:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - the local bench server
    except urllib.error.HTTPError as exc:
        return exc.code not in (404, 405)
    return True


def server_cpu_seconds(pid: int) -> float:
    """User+system CPU of the gunicorn master and its workers, from /proc (Linux only; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class Measured(NamedTuple):
    """One endpoint's slices: combined, the files of keys answered 201, the server's CPU seconds in them, and
    each slice's throughput."""

    result: LoadResult
    files: list[Path]
    server_cpu: float
    per_slice: list[float]


def interleaved(server: BenchServer, targets: list[tuple[str, str]], args: argparse.Namespace) -> dict[str, Measured]:
    """Warm up each target, then run `args.rounds` slices of each in turns, the first of a round alternating
    (A B, B A, A B ...). Returns a Measured by target name."""
    tag = secrets.token_hex(4)
    files: dict[str, list[Path]] = {name: [] for name, _path in targets}
    slices: dict[str, list[LoadResult]] = {name: [] for name, _path in targets}
    cpu = dict.fromkeys(files, 0.0)
    if args.warmup:
        for name, path in targets:
            files[name].append(server.workdir / f"{name}-warmup.keys")
            warmup = {"clients": args.clients, "seconds": args.warmup, "keys_file": files[name][-1]}
            run_wrk(url=server.base_url, path=path, tag=f"{tag}{name}w", **warmup)
    seconds = args.seconds / args.rounds
    for round_number in range(args.rounds):
        for name, path in targets if round_number % 2 == 0 else targets[::-1]:
            server.database.checkpoint()
            files[name].append(server.workdir / f"{name}-{round_number}.keys")
            cpu_before = server_cpu_seconds(server.process.pid)
            result = run_wrk(
                url=server.base_url,
                path=path,
                tag=f"{tag}{name}{round_number}",
                clients=args.clients,
                seconds=seconds,
                keys_file=files[name][-1],
            )
            cpu[name] += server_cpu_seconds(server.process.pid) - cpu_before
            slices[name].append(result)
    return {
        name: Measured(combined(slices[name]), files[name], cpu[name], [s.throughput for s in slices[name]])
        for name in files
    }


def report(name: str, measured: Measured) -> None:
    result, server_cpu = measured.result, measured.server_cpu
    print(describe(name, result))
    if result.requests:
        print(f"            server CPU {server_cpu:.2f} s ({server_cpu / result.requests * 1e6:.0f} µs/request)")
    if len(measured.per_slice) > 1:
        print(f"            slices: {' / '.join(f'{value:.0f}' for value in measured.per_slice)} 201/s")


def lost_count(server: BenchServer, target: str, files: list[Path]) -> tuple[int, int]:
    """(answered 201, lost) over all runs of one target."""
    keys_file = server.workdir / f"{target}-all.keys"
    keys = [line for path in files for line in path.read_text().splitlines() if line]
    keys_file.write_text("\n".join(keys) + "\n")
    found, distinct = server.stored(target, keys_file)
    if distinct != len(keys):
        print(f"  warning: {len(keys) - distinct} keys were answered 201 twice")
    return len(keys), distinct - found


def server_config(engine: str, args: argparse.Namespace) -> ServerConfig:
    workers, threads = DEFAULT_SERVER[engine]
    return ServerConfig(
        workers=args.workers or workers, worker_class=args.worker_class, threads=args.threads or threads
    )


def run_engine(engine: str, args: argparse.Namespace) -> dict | None:
    config = server_config(engine, args)
    server = BenchServer(engine, config)
    timing = f"{args.warmup:g} s warm-up + {args.seconds:g} s in {args.rounds} slice(s) of each endpoint"
    print(f"\n== {engine}: {config.describe()}, {args.clients} connections, {timing}", flush=True)
    try:
        server.start()
        targets = [("baseline", BASELINE_PATH)]
        if endpoint_exists(server, CASES_PATH):
            targets.append(("cases", CASES_PATH))
        else:
            print(f"  POST {CASES_PATH} is not there yet: only the baseline was measured")
        runs = interleaved(server, targets, args)
        for name, measured in runs.items():
            report(name, measured)
        baseline, baseline_files = runs["baseline"].result, runs["baseline"].files
        cases, case_files = (runs["cases"].result, runs["cases"].files) if "cases" in runs else (None, [])
        server.stop()
        answered, baseline_lost = lost_count(server, "baseline", baseline_files)
        print(f"  baseline: {answered} answered 201, {baseline_lost} not stored")
        if baseline_lost:
            raise BenchError(f"the baseline lost {baseline_lost} rows answered 201: the stack itself loses writes")
        lost = None
        if cases is not None:
            answered, lost = lost_count(server, "cases", case_files)
            print(f"  cases:    {answered} answered 201, {lost} not stored")
        return engine_summary(cases, baseline, lost)
    finally:
        server.cleanup()


def verdict(results: dict[str, dict | None]) -> list[str]:
    """One line per database on the targets of issue section 9."""
    lines = []
    for engine, figures in results.items():
        if figures is None:
            lines.append(f"{engine}: skipped")
            continue
        if figures["throughput"] is None:
            lines.append(f"{engine}: no case intake to measure")
            continue
        checks = [
            f"throughput {figures['throughput']:.0f}/s {'≥' if figures['throughput'] >= TARGET_THROUGHPUT else '<'} "
            f"{TARGET_THROUGHPUT}",
            f"ratio {figures['ratio']:.2f} {'≥' if figures['ratio'] >= TARGET_RATIO else '<'} {TARGET_RATIO}",
            f"lost {figures['lost']}",
        ]
        ok = figures["throughput"] >= TARGET_THROUGHPUT and figures["ratio"] >= TARGET_RATIO and not figures["lost"]
        lines.append(f"{engine}: {'meets' if ok else 'MISSES'} the targets ({', '.join(checks)})")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not wrk_available():
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    in_ci = os.environ.get("CI", "").lower() == "true"
    print(f"Machine: {os.cpu_count()} CPUs; load generator: wrk + bench/post.lua (one thread per connection)")
    print(load_note(os.getloadavg()[0], os.cpu_count() or 1))
    results: dict[str, dict | None] = {}
    status = 0
    for engine in ENGINES if args.only is None else (args.only,):
        try:
            results[engine] = run_engine(engine, args)
        except DatabaseUnavailable as exc:
            print(f"  {engine} skipped: {exc}")
            results[engine] = None
            if in_ci:
                status = 1
        except (BenchError, LoadError) as exc:
            print(f"  {engine} failed: {exc}", file=sys.stderr)
            results[engine] = None
            status = 1
        if results[engine] and results[engine]["lost"]:
            status = 1
    print(f"\n{load_note(os.getloadavg()[0], os.cpu_count() or 1).replace('before', 'after')}")
    for line in verdict(results):
        print(line)
    print(result_line(results))
    return status


if __name__ == "__main__":
    sys.exit(main())
