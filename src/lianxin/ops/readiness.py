"""`/readyz`: may this process be given traffic? Each check answers ok or not with a few figures; any failure is
a 503 so a load balancer or systemd's watchdog takes the node out. `/healthz` (web) only says the process answers.
"""

from __future__ import annotations

import logging
import secrets
import shutil
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from lianxin.ops.queue import queue_state
from lianxin.workdays.services import missing_years

logger = logging.getLogger(__name__)
MB = 1024 * 1024


def database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def shared_cache() -> dict:
    key, value = f"lianxin:readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, 30)
    ok = cache.get(key) == value
    cache.delete(key)
    return {"ok": ok}


def task_queue() -> dict:
    state = queue_state()
    return {
        "ok": state.lag_seconds <= settings.READY_QUEUE_LAG_SECONDS,
        "depth": state.depth,
        "lag_seconds": round(state.lag_seconds, 1),
        "max_lag_seconds": settings.READY_QUEUE_LAG_SECONDS,
    }


def disk() -> dict:
    free = shutil.disk_usage(settings.VAR_DIR).free // MB
    return {"ok": free >= settings.READY_DISK_FREE_MB, "free_mb": free, "min_free_mb": settings.READY_DISK_FREE_MB}


def calendar() -> dict:
    """The working-day calendar must hold this year's official schedule (deadlines count working days); next
    year's is only reported (the State Council publishes it in November)."""
    today = timezone.localdate()
    missing = missing_years(today)
    return {"ok": today.year not in missing, "year": today.year, "missing_years": missing}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": database,
    "cache": shared_cache,
    "task_queue": task_queue,
    "disk": disk,
    "calendar": calendar,
}


def readiness() -> tuple[bool, dict[str, dict]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # a check that cannot run is a check that failed
            logger.warning("readiness check %s failed: %s", name, exc)
            results[name] = {"ok": False, "error": type(exc).__name__}
    return all(result["ok"] for result in results.values()), results
