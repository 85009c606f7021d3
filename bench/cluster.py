"""`make cluster-check`: more than one node, on one machine, and nothing lost when one of them stops.

Starts two web nodes (gunicorn on two ports, each in its own process group, DEBUG off, each with its own var
directory) and two task workers (`qcluster`), all on a fresh PostgreSQL database (127.0.0.1:5432), the shared cache
and the task broker on Redis (127.0.0.1:6379, db 13, flushed first), the media in one directory under a temp dir;
Debian's nginx in front (a generated config in the temp dir, a free port, both nodes upstream, X-Forwarded-For
passed, LIANXIN_TRUSTED_PROXIES=127.0.0.1). Then, through the proxy:

1. tokens for the demo logins (seed_demo) and a web session (the login form) of the office;
2. the closed loop: a citizen's intake with a photo (API) → the deputy acknowledges → the station dispatches → the
   unit claims and replies → the deputy feeds back → the citizen rates;
3. the rate limit: the same phone number sent more intakes than LIANXIN_LIMIT_INTAKE_PER_PHONE allows, spread over
   both nodes, must be refused past the limit;
4. intakes with a photo from several threads (each client address its own, as X-Forwarded-For); the node that
   served the session's login is stopped with SIGTERM (gunicorn's graceful stop) in the middle; a client retries a
   failed connection or a 502 with the same Idempotency-Key, as the API tells clients to;

and checks: every intake answered 201/200 is stored, once; every photo is readable through both nodes (directly,
before the stop) and through the proxy after it; the session still works after its node stopped; no scheduled
job ran twice (the project's schedules and probe schedules both workers race for); the rate limit counted both
nodes' requests together. Prints the figures and one JSON line; exits 1 on any loss, 2 when it cannot run.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import free_port

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "lianxin_cluster"
REDIS_URL = "redis://127.0.0.1:6379/13"
PASSWORD = "Cluster@2026check"
STATION = "jianshe"  # the demo station of the persona deputy (demo/district.py)
PHONE_LIMIT = 5  # LIANXIN_LIMIT_INTAKE_PER_PHONE's default
UNAVAILABLE = 2


class CannotRun(RuntimeError):
    """A service or program the check needs is missing (exit 2: a skip outside CI)."""


class CheckError(RuntimeError):
    """The cluster did not come up (exit 1)."""


# --- HTTP through the proxy ------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float

    def json(self):
        return json.loads(self.body)

    @property
    def upstream(self) -> str:
        return self.headers.get("x-lianxin-upstream", "")


def request(url: str, *, method="GET", data: bytes | None = None, headers=None, opener=None, timeout=30) -> Answer:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310 - our http URLs
    started = time.monotonic()
    try:
        with (opener or urllib.request.build_opener(NoRedirect)).open(req, timeout=timeout) as response:
            body, status, head = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        body, status, head = error.read(), error.code, error.headers
    return Answer(status, body, {k.lower(): v for k, v in head.items()}, time.monotonic() - started)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def jpeg(seed: int) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (96, 64), ((seed * 37) % 256, (seed * 91) % 256, 120))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


# --- The cluster ---------------------------------------------------------------------------------------------


@dataclass
class Node:
    name: str
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    workdir: Path
    workers: int = 2
    nodes: list[Node] = field(default_factory=list)
    qclusters: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    proxy_port: int = 0
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def env(self, var: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LIANXIN_") and k not in {"DATABASE_URL"}}
        env.update(
            {
                "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
                "DJANGO_SETTINGS_MODULE": "lianxin.settings",
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{PG_DB}",
                "LIANXIN_REDIS_URL": REDIS_URL,
                "LIANXIN_MEDIA_ROOT": str(self.workdir / "media"),
                "LIANXIN_VAR_DIR": str(self.workdir / var),  # nothing in it is shared between nodes
                "LIANXIN_SECRET_KEY": self.secret,
                "LIANXIN_DEBUG": "false",
                "LIANXIN_TESTING": "false",
                "LIANXIN_TASKS_SYNC": "false",
                "LIANXIN_TASK_WORKERS": "1",
                "LIANXIN_TRUSTED_PROXIES": "127.0.0.1",
                "LIANXIN_DB_CONN_MAX_AGE": "600",
                "LIANXIN_LOG_LEVEL": "WARNING",
                "LIANXIN_DEMO_PASSWORD": PASSWORD,
                # every intake of the check goes to one station; the per-phone and per-address limits stay on
                "LIANXIN_LIMIT_INTAKE_PER_STATION": "0",
            }
        )
        return env

    def manage(self, *args: str, timeout=600) -> str:
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env("var-setup"),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise CheckError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        return result.stdout

    # set-up

    def prepare(self) -> None:
        try:
            import psycopg
            import redis
        except ImportError as exc:  # pragma: no cover - both are dependencies
            raise CannotRun(str(exc)) from exc
        try:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_DB}")
        except psycopg.OperationalError as exc:
            raise CannotRun(f"PostgreSQL on 127.0.0.1:5432 is not reachable: {exc}".strip()) from exc
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
        except redis.RedisError as exc:
            raise CannotRun(f"Redis on 127.0.0.1:6379 is not reachable: {exc}") from exc
        (self.workdir / "media").mkdir(parents=True)
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("seed_demo", "--district-only", "--cases", "40")
        self.manage("shell", "-c", PROBE_SCHEDULES)

    def start(self) -> None:
        for name in ("a", "b"):
            node = Node(name, free_port())
            log = (self.workdir / f"node-{name}.log").open("w")
            node.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                [
                    str(VENV_BIN / "gunicorn"),
                    "lianxin.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{node.port}",
                    "--workers",
                    "2",
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "8",
                    "--graceful-timeout",
                    "30",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,  # gunicorn.conf.py: the access log's redacting logger
                env=self.env(f"var-{name}"),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group
            )
            self.nodes.append(node)
        for n in range(self.workers):
            log = (self.workdir / f"worker-{n + 1}.log").open("w")
            self.qclusters.append(
                subprocess.Popen(  # noqa: S603 - fixed arguments
                    [sys.executable, str(ROOT / "manage.py"), "qcluster"],
                    cwd=ROOT,
                    env=self.env(f"var-worker-{n + 1}"),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for node in self.nodes:
            self._wait(node.url + "/healthz", node.process, self.workdir / f"node-{node.name}.log")
        self.start_nginx()

    def start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        conf_dir = self.workdir / "nginx"
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (conf_dir / sub).mkdir(parents=True, exist_ok=True)
        self.proxy_port = free_port()
        conf = NGINX_CONF.format(
            dir=conf_dir,
            user="user root;" if os.geteuid() == 0 else "",  # its workers write request bodies under the temp dir
            port=self.proxy_port,
            upstreams="\n".join(f"    server 127.0.0.1:{n.port} max_fails=1 fail_timeout=10s;" for n in self.nodes),
        )
        (conf_dir / "nginx.conf").write_text(conf)
        log = (conf_dir / "stderr.log").open("w")
        self.nginx = subprocess.Popen(  # noqa: S603 - fixed arguments
            [nginx, "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf"), "-e", str(conf_dir / "error.log")],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait(self.proxy + "/healthz", self.nginx, conf_dir / "error.log")

    @staticmethod
    def _wait(url: str, process: subprocess.Popen, log: Path, timeout=60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise CheckError(f"{url}: the process exited with {process.returncode}:\n{_tail(log)}")
            try:
                if request(url, timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise CheckError(f"{url} did not answer within {timeout:.0f} s:\n{_tail(log)}")

    def stop_node(self, node: Node) -> float:
        """SIGTERM to the node's gunicorn master: it stops accepting and lets the workers finish their requests."""
        started = time.monotonic()
        node.process.send_signal(signal.SIGTERM)
        node.process.wait(timeout=60)
        return time.monotonic() - started

    def stop(self) -> None:
        processes = [n.process for n in self.nodes if n.process] + self.qclusters + ([self.nginx] if self.nginx else [])
        for process in processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)  # its own process group, started by us
                except ProcessLookupError:
                    pass
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _tail(path: Path, size: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return ""


NGINX_CONF = """
daemon off;
{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log {dir}/access.log;
  client_body_temp_path {dir}/client_body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  client_max_body_size 60m;
  upstream lianxin {{
{upstreams}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://lianxin;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
      proxy_read_timeout 60s;
      add_header X-Lianxin-Upstream $upstream_addr always;
    }}
  }}
}}
"""

# Probe schedules both workers race for (tests/tasks/schedule_probe.py writes one row per run): ONCE schedules due
# now and a minute schedule.
PROBE_SCHEDULES = """
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule
from tests.tasks.schedule_probe import CREATE
with connection.cursor() as cursor:
    cursor.execute(CREATE)
now = timezone.now()
for i in range(8):
    Schedule.objects.create(name=f"probe-once-{i}", func="tests.tasks.schedule_probe.record", args=repr(f"once-{i}"),
                            schedule_type=Schedule.ONCE, repeats=-1, next_run=now, intended_date_kwarg="due")
Schedule.objects.create(name="probe-minute", func="tests.tasks.schedule_probe.record", args=repr("minute"),
                        schedule_type=Schedule.MINUTES, minutes=1, repeats=-1, next_run=now, intended_date_kwarg="due")
"""

# --- The checks ----------------------------------------------------------------------------------------------


@dataclass
class Intake:
    key: str
    status: int = 0
    tracking_code: str = ""
    attempts: int = 0
    node: str = ""
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


class Check:
    def __init__(self, cluster: Cluster, *, intakes: int, threads: int):
        self.c = cluster
        self.total = intakes
        self.threads = threads
        self.figures: dict = {}
        self.failures: list[str] = []

    def fail(self, message: str) -> None:
        self.failures.append(message)
        print(f"FAIL: {message}", flush=True)

    # helpers

    def token(self, username: str) -> dict[str, str]:
        answer = request(
            self.c.proxy + "/api/v1/auth/token",
            method="POST",
            data=json.dumps({"username": username, "password": PASSWORD}).encode(),
            headers={"Content-Type": "application/json"},
        )
        if answer.status != 200:
            raise CheckError(f"token for {username}: {answer.status} {answer.body[:300]!r}")
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    def intake(self, *, fields: dict[str, str], photo: bytes | None, address: str, key: str, base: str = "") -> Answer:
        body, content_type = multipart(fields, [("photos", "photo.jpg", photo)] if photo else [])
        headers = {"Content-Type": content_type, "X-Forwarded-For": address, "Idempotency-Key": key}
        return request((base or self.c.proxy) + "/api/v1/cases", method="POST", data=body, headers=headers)

    def transition(self, headers, case_id: int, data: dict) -> Answer:
        return request(
            f"{self.c.proxy}/api/v1/cases/{case_id}/transitions",
            method="POST",
            data=json.dumps(data).encode(),
            headers={**headers, "Content-Type": "application/json"},
        )

    def db(self, sql: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{PG_DB}", connect_timeout=3) as conn:
            return conn.execute(sql, params).fetchall()

    # 1. tokens and a web session

    def login(self) -> None:
        self.tokens = {name: self.token(name) for name in ("deputy", "station", "unit", "office")}
        jar = http.cookiejar.CookieJar()
        self.browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        page = request(self.c.proxy + "/login/", opener=self.browser)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if page.status != 200 or not match:
            raise CheckError(f"login page: {page.status}")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match.group(1).decode(), "username": "office", "password": PASSWORD}
        ).encode()
        done = request(
            self.c.proxy + "/login/",
            method="POST",
            data=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self.c.proxy + "/login/"},
            opener=self.browser,
        )
        if done.status != 302:
            raise CheckError(f"login: {done.status} {done.body[:300]!r}")
        self.session_node = done.upstream
        work = request(self.c.proxy + "/work/cases/", opener=self.browser)
        if work.status != 200:
            raise CheckError(f"the work screen after login: {work.status}")
        self.figures["session_login_node"] = self.session_node

    def session_survives(self) -> None:
        statuses = Counter(request(self.c.proxy + "/work/cases/", opener=self.browser).status for _ in range(4))
        self.figures["session_after_stop"] = dict(statuses)
        if statuses != Counter({200: 4}):
            self.fail(f"the session made on the stopped node: {dict(statuses)} (200 expected)")

    # 2. the closed loop

    def closed_loop(self) -> None:
        started = time.monotonic()
        answer = self.intake(
            fields={
                "title": "集群检查：路灯不亮",
                "details": "建设路口的路灯坏了两周。",
                "station_code": STATION,
                "contact_name": "张三",
                "contact_phone": "13900000001",
                "consent": "true",
            },
            photo=jpeg(1),
            address="10.9.0.1",
            key=uuid.uuid4().hex,
        )
        if answer.status != 201:
            raise CheckError(f"the loop's intake: {answer.status} {answer.body[:300]!r}")
        receipt = answer.json()
        case_id = self.db("SELECT id FROM cases_case WHERE tracking_code = %s", (receipt["tracking_code"],))[0][0]
        unit_id = self.db("SELECT id FROM organisation_handlingunit WHERE code = 'zjj'")[0][0]
        t = self.tokens
        steps = [
            (t["deputy"], {"action": "acknowledge", "message": "收到，我来跟进。"}, "acknowledged"),
            (t["station"], {"action": "dispatch", "unit_id": unit_id, "request_type": "help"}, "dispatched"),
            (t["unit"], {"action": "claim"}, "claimed"),
            (t["unit"], {"action": "reply", "message": "已更换灯泡。"}, "replied"),
            (t["deputy"], {"action": "feedback", "message": "路灯修好了。"}, "fed_back"),
        ]
        nodes = {answer.upstream}
        for headers, data, status in steps:
            step = self.transition(headers, case_id, data)
            nodes.add(step.upstream)
            if step.status != 200 or step.json().get("status") != status:
                raise CheckError(f"the loop's {data['action']}: {step.status} {step.body[:300]!r}")
        code = receipt["tracking_code"]
        rated = request(
            f"{self.c.proxy}/api/v1/cases/track/{code}/rating",
            method="POST",
            data=json.dumps({"token": receipt["follow_up_token"], "rating": "satisfied"}).encode(),
            headers={"Content-Type": "application/json", "X-Forwarded-For": "10.9.0.1"},
        )
        nodes.add(rated.upstream)
        if rated.status != 200 or rated.json().get("status") != "rated":
            raise CheckError(f"the citizen's rating: {rated.status} {rated.body[:300]!r}")
        self.figures["loop"] = {"steps": len(steps) + 2, "seconds": round(time.monotonic() - started, 2)}
        self.figures["loop"]["nodes"] = len(nodes)

    # 3. the rate limit across nodes

    def rate_limit(self) -> None:
        answers = []
        for n in range(PHONE_LIMIT + 3):
            answers.append(
                self.intake(
                    fields={
                        "title": f"同一号码第{n + 1}次",
                        "details": f"检查按号码限流，第{n + 1}件。",
                        "station_code": STATION,
                        "contact_phone": "13900000002",
                        "consent": "true",
                    },
                    photo=None,
                    address=f"10.8.0.{n + 1}",
                    key=uuid.uuid4().hex,
                )
            )
        statuses = [a.status for a in answers]
        accepted_nodes = {a.upstream for a in answers if a.status == 201}
        self.figures["rate_limit"] = {
            "sent": len(answers),
            "accepted": statuses.count(201),
            "refused_429": statuses.count(429),
            "nodes_accepting": len(accepted_nodes),
        }
        if statuses != [201] * PHONE_LIMIT + [429] * 3:
            self.fail(f"per-phone limit across nodes: {statuses} (5 × 201 then 429 expected)")
        if len(accepted_nodes) < 2:
            self.fail(f"the accepted intakes of the rate-limit check all went to {accepted_nodes}")

    # 4. intakes while a node stops

    def load_with_a_node_stopping(self) -> None:
        intakes = [Intake(key=uuid.uuid4().hex) for _ in range(self.total)]
        self.sent_photos: dict[str, bytes] = {}
        stop_at = self.total // 3
        counter = {"sent": 0}
        lock = threading.Lock()
        stopped = threading.Event()
        victim = next(n for n in self.c.nodes if self.session_node.endswith(f":{n.port}"))
        self.figures["stopped_node"] = victim.name

        def stopper():
            while True:
                with lock:
                    if counter["sent"] >= stop_at:
                        break
                time.sleep(0.01)
            self.figures["stop_seconds"] = round(self.c.stop_node(victim), 2)
            stopped.set()

        def send(index: int) -> None:
            item = intakes[index]
            fields = {
                "title": f"集群检查第{index + 1}件",
                "details": f"第{index + 1}件：小区门口的井盖松动，请尽快处理。",
                "station_code": STATION,
                "contact_phone": f"139{10_000_000 + index:08d}",
                "consent": "true",
            }
            photo = jpeg(index + 10)
            address = f"10.7.{index // 10}.{index % 10 + 1}"  # ten intakes per address: under the soft limit
            with lock:
                counter["sent"] += 1
            started = time.monotonic()
            for attempt in range(1, 6):
                item.attempts = attempt
                try:
                    answer = self.intake(fields=fields, photo=photo, address=address, key=item.key)
                except OSError as exc:  # connection refused or reset: retry with the same key
                    item.errors.append(type(exc).__name__)
                    time.sleep(0.2 * attempt)
                    continue
                item.status, item.node = answer.status, answer.upstream
                if answer.status in (201, 200):
                    item.tracking_code = answer.json()["tracking_code"]
                    break
                item.errors.append(str(answer.status))
                if answer.status not in (502, 503, 504):
                    break
                time.sleep(0.2 * attempt)
            item.seconds = time.monotonic() - started

        watcher = threading.Thread(target=stopper)
        watcher.start()
        started = time.monotonic()
        with ThreadPoolExecutor(self.threads) as pool:
            list(pool.map(send, range(self.total)))
        elapsed = time.monotonic() - started
        watcher.join()
        self.intakes = intakes
        ok = [i for i in intakes if i.status in (201, 200)]
        seconds = sorted(i.seconds for i in intakes)
        self.figures["intakes"] = {
            "sent": self.total,
            "answered_ok": len(ok),
            "answered_201": sum(1 for i in intakes if i.status == 201),
            "answered_200": sum(1 for i in intakes if i.status == 200),
            "not_ok": dict(Counter(i.status for i in intakes if i.status not in (201, 200))),
            "retried": sum(1 for i in intakes if i.attempts > 1),
            "errors_seen": dict(Counter(e for i in intakes for e in i.errors)),
            "by_node": dict(Counter(i.node for i in ok)),
            "seconds": round(elapsed, 2),
            "per_second": round(len(ok) / elapsed, 1) if elapsed else 0,
            "p50_ms": round(statistics.median(seconds) * 1000, 1),
            "p95_ms": round(seconds[int(len(seconds) * 0.95) - 1] * 1000, 1),
        }
        if len(ok) != self.total:
            self.fail(f"{self.total - len(ok)} intakes were not answered 201/200 even after retries")

    def stored(self) -> None:
        ok = [i for i in self.intakes if i.tracking_code]
        rows = self.db(
            "SELECT c.tracking_code, c.idempotency_key, count(p.id) FROM cases_case c "
            "LEFT JOIN cases_casephoto p ON p.case_id = c.id WHERE c.tracking_code = ANY(%s) "
            "GROUP BY c.tracking_code, c.idempotency_key",
            ([i.tracking_code for i in ok],),
        )
        found = {code: (key, photos) for code, key, photos in rows}
        missing = [i.tracking_code for i in ok if i.tracking_code not in found]
        without_photo = [code for code, (_key, photos) in found.items() if photos != 1]
        keys = [i.key for i in self.intakes]
        per_key = self.db(
            "SELECT idempotency_key, count(*) FROM cases_case WHERE idempotency_key = ANY(%s) GROUP BY 1", (keys,)
        )
        doubled = [key for key, count in per_key if count > 1]
        self.figures["stored"] = {
            "cases": len(found),
            "lost": len(missing),
            "without_one_photo": len(without_photo),
            "stored_twice": len(doubled),
        }
        if missing:
            self.fail(f"{len(missing)} intakes answered 201/200 are not stored: {missing[:5]}")
        if without_photo:
            self.fail(f"{len(without_photo)} stored intakes do not have their one photo: {without_photo[:5]}")
        if doubled:
            self.fail(f"{len(doubled)} idempotency keys stored more than once")

    def photos_everywhere(self, *, bases: list[str], codes: list[str] | None = None) -> dict:
        """Every listed case's photo through each base URL (a node directly, or the proxy): 200, a JPEG, the same
        bytes everywhere."""
        codes = codes if codes is not None else [i.tracking_code for i in self.intakes if i.tracking_code]
        rows = self.db(
            "SELECT c.id, p.id FROM cases_case c JOIN cases_casephoto p ON p.case_id = c.id "
            "WHERE c.tracking_code = ANY(%s)",
            (codes,),
        )
        bad, read = [], 0
        for case_id, photo_id in rows:
            bodies = set()
            for base in bases:
                answer = request(f"{base}/api/v1/cases/{case_id}/photos/{photo_id}", headers=self.tokens["office"])
                read += 1
                if answer.status != 200 or not answer.body.startswith(b"\xff\xd8\xff"):
                    bad.append((case_id, base, answer.status))
                bodies.add(answer.body)
            if len(bodies) > 1:
                bad.append((case_id, "differs", 0))
        return {"photos": len(rows), "reads": read, "unreadable": len(bad), "examples": bad[:3]}

    # 5. scheduled jobs

    def schedules(self, *, wait_until: float) -> None:
        """Wait for the workers' scheduler to have run the probe schedules (it runs every 30 s), then count."""
        while time.monotonic() < wait_until:
            if len(self.db("SELECT 1 FROM schedule_probe_run WHERE name LIKE 'once-%%'")) >= 8:
                break
            time.sleep(1)
        probe = self.db("SELECT name, due, count(*) FROM schedule_probe_run GROUP BY 1, 2")
        probe_twice = [(name, due) for name, due, count in probe if count > 1]
        probe_once = {name for name, _due, _count in probe if name.startswith("once-")}
        tasks = self.db(
            "SELECT s.name, s.schedule_type, s.minutes, t.started FROM django_q_schedule s "
            'JOIN django_q_task t ON t."group" = s.name ORDER BY s.name, t.started'
        )
        twice = []
        by_name: dict[str, list] = {}
        for name, kind, minutes, started_at in tasks:
            by_name.setdefault(name, []).append((kind, minutes, started_at))
        for name, runs in by_name.items():
            kind, minutes = runs[0][0], runs[0][1]
            interval = {"I": (minutes or 1) * 60, "H": 3600, "D": 86400, "W": 7 * 86400}.get(kind, 60)
            for (_k, _m, earlier), (_k2, _m2, later) in itertools.pairwise(runs):
                if (later - earlier).total_seconds() < interval / 2:
                    twice.append(name)
        self.figures["schedules"] = {
            "project_schedules_run": len(by_name),
            "project_runs": len(tasks),
            "project_run_twice": sorted(set(twice)),
            "probe_runs": sum(count for _n, _d, count in probe),
            "probe_once_schedules_run": len(probe_once),
            "probe_run_twice": probe_twice,
        }
        if twice:
            self.fail(f"scheduled jobs ran twice for one due time: {sorted(set(twice))}")
        if probe_twice:
            self.fail(f"probe schedules ran twice for one due time: {probe_twice}")
        if len(probe_once) != 8:
            self.fail(f"{8 - len(probe_once)} of the 8 probe schedules did not run")

    def photos_before_stop(self) -> None:
        """Photos of intakes answered by each node, read directly from both nodes."""
        codes = []
        for n in range(6):
            answer = self.intake(
                fields={
                    "title": f"两个节点读照片{n}",
                    "details": "检查照片在两个节点都能读到。",
                    "station_code": STATION,
                    "contact_phone": f"1390000{n + 100:04d}",
                    "consent": "true",
                },
                photo=jpeg(500 + n),
                address=f"10.6.0.{n + 1}",
                key=uuid.uuid4().hex,
            )
            if answer.status == 201:
                codes.append((answer.json()["tracking_code"], answer.upstream))
        figures = self.photos_everywhere(bases=[n.url for n in self.c.nodes], codes=[c for c, _ in codes])
        figures["written_by_nodes"] = len({node for _, node in codes})
        self.figures["photos_both_nodes"] = figures
        if figures["unreadable"] or figures["photos"] != 6 or figures["written_by_nodes"] < 2:
            self.fail(f"photos through both nodes: {figures}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--intakes", type=int, default=240, help="intakes sent while a node stops (default 240)")
    parser.add_argument("--threads", type=int, default=12, help="concurrent clients (default 12)")
    parser.add_argument("--workers", type=int, default=2, help="task workers, qcluster processes (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, media, nginx config)")
    args = parser.parse_args(argv)

    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        print("cluster-check: nginx is not installed (apt-get install nginx)", file=sys.stderr)
        print(json.dumps({"check": "cluster", "ok": False, "error": "nginx is not installed"}))
        return UNAVAILABLE
    workdir = Path(tempfile.mkdtemp(prefix="lianxin-cluster-"))
    cluster = Cluster(workdir, workers=args.workers)
    check = Check(cluster, intakes=args.intakes, threads=args.threads)
    code = 0
    try:
        print(f"cluster-check: preparing {PG_DB} and Redis db 13 (temp dir {workdir})", flush=True)
        cluster.prepare()
        cluster.start()
        print(
            f"cluster-check: nginx :{cluster.proxy_port} → node a :{cluster.nodes[0].port}, node b "
            f":{cluster.nodes[1].port}; {args.workers} workers",
            flush=True,
        )
        check.login()
        check.closed_loop()
        check.rate_limit()
        check.photos_before_stop()
        check.load_with_a_node_stopping()
        check.stored()
        survivor = next(n for n in cluster.nodes if n.process.poll() is None)
        after = check.photos_everywhere(bases=[cluster.proxy, survivor.url])
        check.figures["photos_after_stop"] = after
        if after["unreadable"]:
            check.fail(f"photos unreadable after the stop: {after}")
        check.session_survives()
        check.schedules(wait_until=time.monotonic() + 75)
    except CannotRun as exc:
        print(f"cluster-check: {exc}", file=sys.stderr)
        print(json.dumps({"check": "cluster", "ok": False, "error": str(exc)}))
        return UNAVAILABLE
    except CheckError as exc:
        check.fail(str(exc))
        code = 1
    finally:
        cluster.stop()
        if not args.keep and not check.failures:
            shutil.rmtree(workdir, ignore_errors=True)
            drop_database()
        else:
            print(f"cluster-check: logs kept in {workdir}", file=sys.stderr)
    report(check.figures)
    ok = not check.failures and code == 0
    print(json.dumps({"check": "cluster", "ok": ok, "failures": check.failures, **check.figures}, default=str))
    return 0 if ok else 1


def drop_database() -> None:
    """The check's database goes with its temp dir (kept with --keep or after a failure, to look at)."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    except Exception as exc:  # a leftover database is only reported
        print(f"cluster-check: {PG_DB} not dropped: {exc}", file=sys.stderr)


def report(figures: dict) -> None:
    intakes = figures.get("intakes", {})
    stored = figures.get("stored", {})
    lines = [
        f"closed loop through the proxy: {figures.get('loop')}",
        f"rate limit (one phone, both nodes): {figures.get('rate_limit')}",
        f"photos read directly from both nodes: {figures.get('photos_both_nodes')}",
        f"intakes: {intakes.get('sent')} sent, {intakes.get('answered_ok')} answered "
        f"201/200 ({intakes.get('retried')} after a retry), {intakes.get('per_second')}/s, p50 "
        f"{intakes.get('p50_ms')} ms, p95 {intakes.get('p95_ms')} ms, by node {intakes.get('by_node')}",
        f"node {figures.get('stopped_node')} stopped (SIGTERM) after a third, in {figures.get('stop_seconds')} s",
        f"stored: {stored}",
        f"photos after the stop: {figures.get('photos_after_stop')}",
        f"session made on the stopped node, afterwards: {figures.get('session_after_stop')}",
        f"schedules: {figures.get('schedules')}",
    ]
    for line in lines:
        print(line)


if __name__ == "__main__":
    sys.exit(main())
