"""gunicorn reads this file from the working directory (the checkout): `make serve` (scripts/serve.py) and
deploy/lianxin-web.service start it there; options given on the command line win over these.

Every value comes from lianxin.settings, read from the environment with the strict parsers (a malformed variable
stops gunicorn with its name; docs/configuration.md lists them): the worker model measured in docs/benchmarks.md
(gthread, LIANXIN_WEB_WORKERS × LIANXIN_WEB_THREADS, default 2 × 16), the address (LIANXIN_WEB_HOST, PORT), and
the logger: the access log never shows a follow-up token (lianxin/logredact.py), as JSON with LIANXIN_LOG_JSON.
"""

from prometheus_client import multiprocess

from lianxin import settings as lianxin_settings

wsgi_app = "lianxin.wsgi:application"
_host = lianxin_settings.WEB_HOST
bind = [f"[{_host}]:{lianxin_settings.WEB_PORT}" if ":" in _host else f"{_host}:{lianxin_settings.WEB_PORT}"]
worker_class = "gthread"
workers = lianxin_settings.WEB_WORKERS
threads = lianxin_settings.WEB_THREADS
backlog = 2048
keepalive = 30  # nginx keeps its upstream connections open (deploy/nginx-lianxin.conf)
graceful_timeout = 30
# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), which two servers of the
# same user (a test beside a bench) would fight over; the servers are driven by signals (scripts/serve.py, systemd).
control_socket_disable = True
logger_class = (
    "lianxin.logredact.JsonGunicornLogger" if lianxin_settings.LOG_JSON else "lianxin.logredact.RedactingGunicornLogger"
)
if lianxin_settings.TRUSTED_PROXIES:  # X-Forwarded-Proto only from the proxies Django believes too
    forwarded_allow_ips = ",".join(lianxin_settings.TRUSTED_PROXIES)


def child_exit(server, worker):
    """A worker that ended leaves its counters to /metrics' sum; its live gauges are dropped."""
    if lianxin_settings.METRICS_MULTIPROC_DIR:
        multiprocess.mark_process_dead(worker.pid, lianxin_settings.METRICS_MULTIPROC_DIR)
