"""`make serve`: the production server on this machine, supervised as one process.

1. `manage.py serve_check`: refuses to start (exit 3, naming the variable) without LIANXIN_SECRET_KEY,
   LIANXIN_FIELD_KEY, LIANXIN_SITE_URL or with DEBUG on (lianxin/ops/checks.py);
2. `manage.py migrate`, then `collectstatic` (hashed names, gzip and brotli copies: LIANXIN_STATIC_MANIFEST);
3. gunicorn (gunicorn.conf.py: gthread 2 × 16 on LIANXIN_WEB_HOST:PORT) and the django-q2 cluster (`qcluster`:
   the task workers and the scheduler), side by side.

SIGTERM / SIGINT are passed to both (SIGHUP reloads gunicorn); when either ends, the other is stopped and this
script exits with a non-zero code, so systemd, a container runtime or the shell sees the failure. The two systemd
units of deploy/ run the same pieces as separate services instead.

    PORT=8080 .venv/bin/python scripts/serve.py        # or: make serve PORT=8080
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STOP_SECONDS = 30


def log(message: str) -> None:
    print(f"serve: {message}", file=sys.stderr, flush=True)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    env.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    env.setdefault("LIANXIN_STATIC_MANIFEST", "true")
    var_dir = Path(env.get("LIANXIN_VAR_DIR") or ROOT / "var")
    metrics_dir = Path(env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(var_dir / "prometheus")))
    # prometheus-client's multi-process files of an earlier run would be added to this one's counters
    metrics_dir.mkdir(parents=True, exist_ok=True)
    for stale in metrics_dir.glob("*.db"):
        stale.unlink()
    return env


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        log(f"manage.py {args[0]} failed (exit {result.returncode}); not serving")
        sys.exit(result.returncode)


def stop(processes: dict[str, subprocess.Popen], sig: int = signal.SIGTERM) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(sig)
    deadline = time.monotonic() + STOP_SECONDS
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop within {STOP_SECONDS} s: killed")
            process.kill()
            process.wait()


def main() -> int:
    env = environment()
    manage(env, "serve_check")
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")

    received: list[int] = []

    def forward(signum, _frame):
        received.append(signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)

    processes = {
        "web": subprocess.Popen(  # noqa: S603 - fixed argument list
            [PYTHON, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"), "--access-logfile", "-"],
            cwd=ROOT,
            env=env,
        ),
        "worker": subprocess.Popen([PYTHON, str(ROOT / "manage.py"), "qcluster"], cwd=ROOT, env=env),  # noqa: S603
    }
    log(f"web (gunicorn, pid {processes['web'].pid}) and worker (qcluster, pid {processes['worker'].pid}) started")
    while True:
        while received:
            signum = received.pop(0)
            if signum == signal.SIGHUP:
                processes["web"].send_signal(signal.SIGHUP)  # gunicorn reloads its workers
                continue
            log(f"{signal.Signals(signum).name}: stopping")
            stop(processes)
            return 0
        for name, process in processes.items():
            code = process.poll()
            if code is not None:
                log(f"{name} exited with {code}: stopping the other")
                stop(processes)
                return code or 1
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
