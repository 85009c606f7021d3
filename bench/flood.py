"""`make bench-flood`: a burst of anonymous intakes from one address, and a well-behaved client meanwhile.

Sends --count (default 2,000) `POST /api/v1/cases` from 127.0.0.1 with --concurrency connections, each with
its own text and phone number (so the duplicate rule does not fold them), while another client on
127.0.0.2 submits one case and then, every --interval seconds, searches the finder
(`GET /api/v1/finder/search`), looking its case up (`GET /api/v1/cases/track/<code>`) every tenth time (a
tracking code's own limit is 60 an hour: polling it 20 times a second would not be well-behaved).
Reports how many intakes were stored (201), folded (200), refused (429, and how many of those asked for the
challenge) or failed otherwise, and the other client's p50/p99 latency during the burst.

Against a running server: `bench/flood.py --url http://127.0.0.1:8000 --station <code>` (the server must
see the two loopback addresses, i.e. no proxy in between, or list it in LIANXIN_TRUSTED_PROXIES).
Without --url a production-like server (gunicorn, DEBUG off, a fresh SQLite database, limits on) is
started as for `make bench-intake`. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="", help="a running server (default: start one)")
    parser.add_argument("--station", default="", help="station code to submit to (default: the bench station)")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between the good client's requests")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    return parser.parse_args(argv)


class Client:
    """One keep-alive HTTP connection from a chosen local address."""

    def __init__(self, url: str, source: str):
        parts = urlsplit(url)
        self.host, self.port, self.source = parts.hostname, parts.port or 80, source
        self.connection = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=60, source_address=(self.source, 0)
                )
            try:
                data = json.dumps(body).encode() if body is not None else None
                headers = {"Content-Type": "application/json"} if data else {}
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                raw = response.read()
                try:
                    payload = json.loads(raw) if raw else {}
                except ValueError:
                    payload = {}
                return response.status, payload
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    return 0, {}
        return 0, {}


def _intake(n: int, station: str) -> dict:
    return {
        "title": f"洪水测试 {n}",
        "details": f"第 {n} 条自动提交的内容。",
        "station_code": station,
        "contact_phone": f"139{n:08d}",
        "consent": True,
    }


def flood(url: str, station: str, count: int, concurrency: int, interval: float) -> dict:
    good = Client(url, "127.0.0.2")
    status, receipt = good.request("POST", "/api/v1/cases", {**_intake(10**7, station), "contact_phone": "13700000000"})
    if status not in (200, 201):
        raise SystemExit(f"the well-behaved client could not submit a case ({status} {receipt})")
    track = f"/api/v1/cases/track/{receipt['tracking_code']}?token={receipt['follow_up_token']}"
    answers: Counter = Counter()
    lock = threading.Lock()
    next_n = iter(range(count))
    done = threading.Event()
    latencies: list[float] = []
    good_errors = Counter()

    def flooder() -> None:
        client = Client(url, "127.0.0.1")
        while True:
            with lock:
                n = next(next_n, None)
            if n is None:
                return
            status, body = client.request("POST", "/api/v1/cases", _intake(n, station))
            code = body.get("error", {}).get("code", "") if isinstance(body, dict) else ""
            with lock:
                answers[f"{status} {code}".strip()] += 1

    def well_behaved() -> None:
        sent = 0
        while not done.is_set():
            started = time.perf_counter()
            path = track if sent % 10 == 0 else "/api/v1/finder/search?q=chsq"
            sent += 1
            status, _body = good.request("GET", path)
            latencies.append((time.perf_counter() - started) * 1000)
            good_errors[status] += 1
            time.sleep(interval)

    watcher = threading.Thread(target=well_behaved)
    watcher.start()
    started = time.perf_counter()
    workers = [threading.Thread(target=flooder) for _ in range(concurrency)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    done.set()
    watcher.join()
    refused = sum(v for k, v in answers.items() if k.startswith("429"))
    ordered = sorted(latencies)
    return {
        "sent": count,
        "seconds": round(elapsed, 1),
        "stored": answers.get("201", 0),
        "same_case": answers.get("200", 0),
        "refused": refused,
        "challenge_required": answers.get("429 challenge_required", 0),
        "other": {k: v for k, v in answers.items() if k not in {"201", "200"} and not k.startswith("429")},
        "good_client_requests": len(latencies),
        "good_client_statuses": dict(good_errors),
        "good_client_p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "good_client_p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1) if ordered else None,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.url:
        result = flood(args.url, args.station or "bench", args.count, args.concurrency, args.interval)
        print(json.dumps(result, ensure_ascii=False))
        return 0
    from bench.server import BenchServer, ServerConfig

    server = BenchServer(args.engine, ServerConfig(extra_env={"LIANXIN_THROTTLE_ENABLED": "true"}))
    try:
        server.start()
        result = flood(server.base_url, args.station or "bench", args.count, args.concurrency, args.interval)
        result["server"] = f"{server.config.describe()}, {args.engine}"
    finally:
        server.cleanup()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
