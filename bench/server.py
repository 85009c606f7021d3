"""The production-like server of `make bench-intake`: a fresh database, migrate, seed, gunicorn."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "lianxin_bench"
PG_BENCH_URL = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"


class BenchError(RuntimeError):
    """The bench cannot go on (server did not start, migrate failed, ...)."""


class DatabaseUnavailable(BenchError):
    """PostgreSQL is not reachable: skipped outside CI, a failure under CI=true."""


@dataclass
class ServerConfig:
    workers: int = 3
    worker_class: str = "gthread"
    threads: int = 2
    conn_max_age: int = 600
    extra_env: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        threads = f" --threads {self.threads}" if self.worker_class == "gthread" else ""
        return f"gunicorn -w {self.workers} -k {self.worker_class}{threads}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BenchDatabase:
    """A fresh database for one run: a temp SQLite file (WAL), or `lianxin_bench` on local PostgreSQL."""

    def __init__(self, engine: str, workdir: Path):
        self.engine = engine
        self.workdir = workdir

    @property
    def url(self) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{self.workdir / 'bench.sqlite3'}"
        return PG_BENCH_URL

    def create(self) -> None:
        if self.engine == "postgresql":
            self._pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)", f"CREATE DATABASE {PG_BENCH_DB}")

    def checkpoint(self) -> None:
        """Write what earlier runs left in the write-ahead log into the database, so each measured run
        starts from the same state (on PostgreSQL a checkpoint falling inside one run but not the other
        made the same run vary by ±30 %)."""
        if self.engine == "postgresql":
            self._pg_admin("CHECKPOINT")
            return
        import sqlite3

        connection = sqlite3.connect(self.workdir / "bench.sqlite3", timeout=30)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()

    def drop(self) -> None:
        if self.engine == "postgresql":
            try:
                self._pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            except DatabaseUnavailable:
                pass

    @staticmethod
    def _pg_admin(*statements: str) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise DatabaseUnavailable("psycopg is not installed") from exc
        try:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
                for statement in statements:
                    conn.execute(statement)
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(f"PostgreSQL on 127.0.0.1:5432 is not reachable: {exc}".strip()) from exc


class BenchServer:
    """Owns the temp directory, the database and the gunicorn process of one engine's run."""

    def __init__(self, engine: str, config: ServerConfig):
        self.engine = engine
        self.config = config
        self.workdir = Path(tempfile.mkdtemp(prefix=f"lianxin-bench-{engine}-"))
        self.database = BenchDatabase(engine, self.workdir)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = self.workdir / "gunicorn.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("LIANXIN_") and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            {
                "PYTHONPATH": str(ROOT / "src"),
                "DJANGO_SETTINGS_MODULE": "lianxin.settings",
                "DATABASE_URL": self.database.url,
                "LIANXIN_DEBUG": "false",
                "LIANXIN_TESTING": "false",
                "LIANXIN_BENCH_ENDPOINTS": "true",
                "LIANXIN_VAR_DIR": str(self.workdir / "var"),
                "LIANXIN_SECRET_KEY": secrets.token_urlsafe(48),
                "LIANXIN_DB_CONN_MAX_AGE": str(self.config.conn_max_age),
                "LIANXIN_LOG_LEVEL": "WARNING",
                # The load generators send everything from one address: the intake is measured without the
                # rate limits (bench/flood.py measures them, with LIANXIN_THROTTLE_ENABLED=true).
                "LIANXIN_THROTTLE_ENABLED": "false",
            }
        )
        env.update(self.config.extra_env)
        return env

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - fixed argument list
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self._env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare(self) -> None:
        """Fresh database, migrated and seeded; the environment the server will run with."""
        self.database.create()
        self._env = self.env()
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("bench_seed")

    def start(self) -> None:
        self.prepare()
        cfg = self.config
        command = [
            str(VENV_BIN / "gunicorn"),
            "lianxin.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(cfg.workers),
            "--worker-class",
            cfg.worker_class,
            "--backlog",
            "2048",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
            "--logger-class",
            "lianxin.logredact.RedactingGunicornLogger",
        ]
        if cfg.worker_class == "gthread":
            command += ["--threads", str(cfg.threads)]
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
                command, cwd=ROOT, env=self._env, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            request = urllib.request.Request(f"{self.base_url}/bench/baseline", method="GET")  # noqa: S310
            try:
                urllib.request.urlopen(request, timeout=2)  # noqa: S310 - the local bench server
            except urllib.error.HTTPError as exc:
                if exc.code == 405:  # the baseline answers GET with 405: Django is up and the bench urls are on
                    return
                raise BenchError(f"GET /bench/baseline answered {exc.code}; is LIANXIN_BENCH_ENDPOINTS on?") from exc
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
                continue
        raise BenchError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stored(self, target: str, keys_file: Path) -> tuple[int, int]:
        """(found, distinct keys) of the keys in keys_file, counted in the database after the run."""
        found, total = self.manage("bench_count", "--target", target, "--keys", str(keys_file)).split()
        return int(found), int(total)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cleanup(self) -> None:
        self.stop()
        self.database.drop()
        shutil.rmtree(self.workdir, ignore_errors=True)
