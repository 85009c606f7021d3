"""Load for `make bench-intake`: wrk with bench/post.lua, and the parsing of what it reports."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

LUA_SCRIPT = Path(__file__).resolve().parent / "post.lua"


@dataclass
class LoadResult:
    """What one load run saw from the client side."""

    duration_s: float = 0.0
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    latency_ms: dict[int, float] = field(default_factory=dict)
    client_cpu_s: float = 0.0

    @property
    def created(self) -> int:
        return self.statuses.get(201, 0)

    @property
    def throughput(self) -> float:
        """Requests answered 201 per second."""
        return self.created / self.duration_s if self.duration_s else 0.0

    @property
    def other_statuses(self) -> dict[int, int]:
        return {status: count for status, count in sorted(self.statuses.items()) if status != 201}


def combined(results: list[LoadResult]) -> LoadResult:
    """One result from several slices of the same load (bench/intake.py interleaves them): counts and times
    added; each latency percentile the request-weighted mean of the slices' (an approximation of the whole)."""
    total = LoadResult()
    for result in results:
        total.duration_s += result.duration_s
        total.requests += result.requests
        total.client_cpu_s += result.client_cpu_s
        for status, count in result.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + count
        for name, count in result.errors.items():
            total.errors[name] = total.errors.get(name, 0) + count
    weights = sum(result.requests for result in results)
    for percentile in sorted({p for result in results for p in result.latency_ms}):
        total.latency_ms[percentile] = (
            sum(result.latency_ms.get(percentile, 0.0) * result.requests for result in results) / weights
            if weights
            else 0.0
        )
    return total


class LoadError(RuntimeError):
    """The load generator failed."""


ERROR_NAMES = ("connect", "read", "write", "status", "timeout")


def parse_wrk_output(text: str) -> LoadResult:
    """Read the `bench:` lines that post.lua's done() prints; everything else wrk prints is ignored."""
    result = LoadResult()
    seen = False
    for line in text.splitlines():
        if not line.startswith("bench:"):
            continue
        seen = True
        name, *values = line[len("bench:") :].split()
        numbers = [int(value) for value in values]
        if name == "duration_us":
            result.duration_s = numbers[0] / 1_000_000
        elif name == "requests":
            result.requests = numbers[0]
        elif name == "errors":
            result.errors = dict(zip(ERROR_NAMES, numbers, strict=True))
        elif name == "status":
            result.statuses[numbers[0]] = result.statuses.get(numbers[0], 0) + numbers[1]
        elif name == "latency_us":
            result.latency_ms[numbers[0]] = numbers[1] / 1000
    if not seen:
        raise ValueError("no bench: lines in the load generator's output")
    return result


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(*, url: str, path: str, tag: str, clients: int, seconds: float, keys_file: Path) -> LoadResult:
    """Run wrk with one thread per connection (see post.lua) and return what it saw."""
    command = [
        "wrk",
        f"-t{clients}",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA_SCRIPT),
        url,
        "--",
        path,
        tag,
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(  # noqa: S603 - fixed argument list
        command, env={**os.environ, "BENCH_KEYS_FILE": str(keys_file)}, capture_output=True, text=True, check=False
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise LoadError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    result = parse_wrk_output(done.stdout)
    result.client_cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result
