"""Rate limits on the anonymous endpoints: fixed windows counted in the shared cache.

``check(request, scope, phone=..., target=..., code=...)`` counts the request once under each limit of the
scope (settings.THROTTLE_LIMITS) and raises Throttled (429, with the seconds to wait) past a hard limit, or
ChallengeRequired past the address's soft limit when the request carries no solved challenge.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, router
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lianxin import groupcommit
from lianxin.errors import DomainError, Refused
from lianxin.throttle import cache as throttle_cache
from lianxin.throttle import challenge


class Throttled(Refused):
    status = 429
    code = "throttled"

    def __init__(self, retry_after: int):
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(_("提交过于频繁，请 %(n)s 分钟后再试。") % {"n": minutes})
        self.retry_after = retry_after


class ChallengeRequired(Refused):
    """Past the soft limit: solve the proof-of-work challenge (GET /api/v1/challenge) and send it back."""

    status = 429
    code = "challenge_required"

    def __init__(self):
        super().__init__(_("提交较多，请先完成下方的人机验证再提交。"))
        self.retry_after = 0


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind a trusted proxy the nearest X-Forwarded-For address that is not one."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = settings.TRUSTED_PROXIES
    if not trusted or remote not in trusted:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return remote  # a forged or broken header: count the proxy itself
        if address not in trusted:
            return address
    return remote


def login_address(request: HttpRequest) -> str | None:
    """The client address for django-axes, whose log stores it as an IP address (PostgreSQL's inet): None when
    there is none (a login made in code, e.g. the test client's login(), has no REMOTE_ADDR)."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _digest(value: str) -> str:
    """Keys carry no phone number or address in clear."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:24]


def hit(keys: dict[str, int]) -> dict[str, int]:
    """Count one more under each key (key -> window seconds); the counts after it. Atomic per key.

    In the database cache the counts of the requests that arrive together in a process share one write
    transaction and one COMMIT (lianxin/groupcommit.py), as the intakes do: on SQLite a transaction per
    request queued on the one write lock and cost an fsync each. The answer waits for that COMMIT."""
    if not keys:
        return {}
    if getattr(cache, "batch", None) is None:  # Redis: each count is atomic on its own, no transaction
        return _hit_many([keys])[0]
    if connection.in_atomic_block:  # in the caller's transaction, as one of its statements (no savepoint)
        with cache.batch():
            return _hit_many([keys])[0]
    return groupcommit.group("throttle", _hit_many).run(keys)


def _hit_many(batch: list[dict[str, int]]) -> list[dict[str, int]]:
    """The counts of several requests (each {key: window seconds}) in the caller's transaction: each key
    incremented once by the number of requests counting under it (keys in sorted order: PostgreSQL's row
    locks taken in one order), and each request handed its own count, as if they had come one by one."""
    if getattr(cache, "batch", None) is not None:  # the database cache, in the group commit's own transaction
        throttle_cache.counters_commit_without_waiting(router.db_for_write(cache.cache_model_class))
    totals: dict[str, int] = {}
    windows: dict[str, int] = {}
    for keys in batch:
        for key, window in keys.items():
            totals[key] = totals.get(key, 0) + 1
            windows[key] = window
    after = {}
    for key in sorted(totals):
        cache.add(key, 0, windows[key] + 60)
        try:
            after[key] = cache.incr(key, totals[key])
        except ValueError:  # expired between add and incr (the window just ended): start again
            cache.add(key, totals[key], windows[key] + 60)
            after[key] = totals[key]
    seen: dict[str, int] = {}
    counts = []
    for keys in batch:
        mine = {}
        for key in keys:
            seen[key] = seen.get(key, 0) + 1
            mine[key] = after[key] - totals[key] + seen[key]
        counts.append(mine)
    return counts


def peek(request: HttpRequest, scope: str, kind: str = "address_soft") -> int:
    """The current count of one limit, without counting (to draw the challenge on a form)."""
    rule = settings.THROTTLE_LIMITS[scope].get(kind)
    if not settings.THROTTLE_ENABLED or not rule or not rule[0]:
        return 0
    return cache.get(_key(scope, kind, client_address(request), rule[1], time.time())) or 0


def _key(scope: str, kind: str, ident: str, window: int, now: float) -> str:
    base = kind.split("_")[0]
    return f"rl:{scope}:{base}:{window}:{int(now // window)}:{_digest(ident)}"


def challenge_due(request: HttpRequest, scope: str) -> bool:
    """Whether this client is past the soft limit of the scope (the form then shows the challenge)."""
    rule = settings.THROTTLE_LIMITS[scope].get("address_soft")
    return bool(rule and rule[0] and peek(request, scope) >= rule[0])


def _refusal(request: HttpRequest, rules: list, counts: dict[str, int], now: float) -> DomainError | None:
    over = [
        window - int(now % window)
        for kind, limit, window, key in rules
        if not kind.endswith("_soft") and counts[key] > limit
    ]
    if over:
        request.retry_after = max(over)
        return Throttled(max(over))
    if any(kind.endswith("_soft") and counts[key] > limit for kind, limit, _window, key in rules):
        if not challenge.solved(request):
            request.retry_after = 1
            return ChallengeRequired()
    return None


def check(request: HttpRequest, scope: str, *, phone: str = "", target: str = "", code: str = "") -> None:
    """Count the request under the scope's limits; raise Throttled or ChallengeRequired past them.

    The address's limits come first: a request they refuse is not counted against the phone number, the
    station or the code, so one flooding address cannot use up a station's or a citizen's allowance."""
    if not settings.THROTTLE_ENABLED:
        return
    idents = {"address": client_address(request), "phone": phone, "target": str(target or ""), "code": code}
    now = time.time()
    by_address, others = [], []
    for kind, (limit, window) in settings.THROTTLE_LIMITS[scope].items():
        base = kind.split("_")[0]
        if limit and idents[base]:
            rule = (kind, limit, window, _key(scope, kind, idents[base], window, now))
            (by_address if base == "address" else others).append(rule)
    # each hit() commits before it answers: the counts of a refused request are kept too
    refusal = _refusal(request, by_address, hit({r[3]: r[2] for r in by_address}), now)
    if refusal is None and others:
        refusal = _refusal(request, others, hit({r[3]: r[2] for r in others}), now)
    if refusal is not None:
        raise refusal


def refused_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A page (not a form) refused by a limit: the message, with the status (429)."""
    return render(request, "throttle/limited.html", {"message": exc.message}, status=exc.status)


def page_refusal(request: HttpRequest, scope: str, *, code: str = "") -> HttpResponse | None:
    """`check` for a page (not a form): None within the limits, else the refused page to return."""
    try:
        check(request, scope, code=code)
    except Refused as exc:
        return refused_page(request, exc)
    return None
