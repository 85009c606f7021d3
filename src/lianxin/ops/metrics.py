"""Prometheus metrics at `/metrics` (lianxin/ops/views.py), for the addresses in LIANXIN_METRICS_ALLOWED only.

Two kinds: the requests each process answers (a counter kept by this middleware; under gunicorn's several workers
prometheus-client's multi-process mode adds them up, PROMETHEUS_MULTIPROC_DIR), and figures read from the database
at scrape time, so every worker answers the same and a restart loses nothing: intakes by channel, the task queue's
depth and lag, open cases overdue or near due by the level that holds them, the outbox by state.
"""

from __future__ import annotations

from django.conf import settings
from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY

from lianxin.cases.selectors import case_counts_by_channel, open_case_lights_by_level
from lianxin.notifications.selectors import outbox_counts_by_state
from lianxin.ops.queue import queue_state

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
REQUESTS = Counter("lianxin_http_requests", "HTTP requests answered, by method and status.", ["method", "status"])


class RequestMetricsMiddleware:
    """First in MIDDLEWARE: counts every answer, static files, redirects and refusals included.

    The counter's labelled children are kept by (method, status): `.labels()` on every answer validates and hashes
    its keyword labels and takes the metric's lock; the child it returns is the same object every time."""

    _children: dict[tuple[str, int], object] = {}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        key = (method, response.status_code)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = REQUESTS.labels(method=method, status=str(response.status_code))
        child.inc()
        return response


class DatabaseCollector:
    """The figures read at scrape time (a few indexed counts)."""

    def collect(self):
        intakes = CounterMetricFamily(
            "lianxin_intakes", "Cases registered, by channel (every intake).", labels=["channel"]
        )
        for channel, count in sorted(case_counts_by_channel().items()):
            intakes.add_metric([channel], count)
        yield intakes

        state = queue_state()
        yield GaugeMetricFamily("lianxin_task_queue_depth", "Tasks waiting for a worker.", value=state.depth)
        yield GaugeMetricFamily(
            "lianxin_task_queue_lag_seconds", "How long the oldest waiting task has waited.", value=state.lag_seconds
        )

        lights = open_case_lights_by_level()
        levels = sorted({level for _, level in lights} | {"grid", "community", "street", "district"})
        overdue = GaugeMetricFamily(
            "lianxin_cases_overdue", "Open cases past their deadline (red), by handling level.", labels=["level"]
        )
        near_due = GaugeMetricFamily(
            "lianxin_cases_near_due", "Open cases near their deadline (yellow), by handling level.", labels=["level"]
        )
        for level in levels:
            overdue.add_metric([level or "none"], lights.get(("red", level), 0))
            near_due.add_metric([level or "none"], lights.get(("yellow", level), 0))
        yield overdue
        yield near_due

        outbox = outbox_counts_by_state()
        rows = GaugeMetricFamily(
            "lianxin_notifications", "Rows of the notification outbox, by state.", labels=["state"]
        )
        for name, count in sorted(outbox.items()):
            rows.add_metric([name], count)
        yield rows
        yield CounterMetricFamily(
            "lianxin_notification_failures",
            "Notifications given up after their delivery attempts (outbox rows in state failed).",
            value=outbox.get("failed", 0),
        )


def exposition() -> bytes:
    """The text format: this process's (or all workers') counters, then the database figures."""
    if settings.METRICS_MULTIPROC_DIR:
        processes = CollectorRegistry()
        MultiProcessCollector(processes, path=settings.METRICS_MULTIPROC_DIR)
    else:
        processes = REGISTRY
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    return generate_latest(processes) + generate_latest(database)
