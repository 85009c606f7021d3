"""The same text from the same source to the same place within a short window is one case, not two.

The key is a hash of the source (the phone number given, else the client address), the station, deputy
and grid codes, the title and the details. Each public intake claims its key in its own write transaction
(lianxin/cases/intake.py): one statement for a whole batch of intakes (lianxin/groupcommit.py), a row of
this app's `RecentIntake` keyed by it, holding the case's tracking code until the window ends. A key whose
row is still live is a duplicate: that intake is answered with the case stored then. The claim is an
upsert on the key, so it is exact across processes: on SQLite the batch holds the write lock, on
PostgreSQL a second claim of the same key waits for the first transaction and then sees its row.
Rows past their window are taken over by the next claim and deleted by `purge_expired` (hourly).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import connection
from django.utils import timezone

from lianxin import privacy
from lianxin.cases.models import RecentIntake
from lianxin.rows import placeholders, prepared_cursor


def duplicate_key(
    *, phone: str, address: str, station_code: str, deputy_code: str, grid_code: str, title: str, details: str
) -> str | None:
    if not settings.INTAKE_DUPLICATE_SECONDS:
        return None
    source = privacy.normalise_phone(phone or "") or f"addr:{address}"
    body = "\x1f".join(
        [source, station_code or "", deputy_code or "", grid_code or "", (title or "").strip(), (details or "").strip()]
    )
    return hmac.new(settings.SECRET_KEY.encode(), body.encode(), hashlib.sha256).hexdigest()[:40]


def claim(codes: dict[str, str], now: dt.datetime) -> set[str]:
    """Claim each key for the case with its tracking code (key -> code), in the current transaction; return
    the keys claimed (new, or whose earlier row had expired). A key not returned is live: a duplicate.

    One INSERT … ON CONFLICT for them all, keys in sorted order (two PostgreSQL transactions claiming the
    same keys wait for each other in the same order, never in a cycle)."""
    if not codes:
        return set()
    adapt = connection.ops.adapt_datetimefield_value
    until = adapt(now + dt.timedelta(seconds=settings.INTAKE_DUPLICATE_SECONDS))
    params: list = []
    for name in sorted(codes):
        params += [name, codes[name], until]
    # through a prepared statement per batch size, as the intake's INSERTs (lianxin/rows.py)
    with prepared_cursor(connection) as cursor:
        cursor.execute(_claim_statement(connection, len(codes)), [*params, adapt(now)])
        return {row[0] for row in cursor.fetchall()}


_claim_statements: dict[tuple[str, int], str] = {}


def _claim_statement(connection, count: int) -> str:
    statement = _claim_statements.get((connection.vendor, count))
    if statement is None:
        quote = connection.ops.quote_name
        table = quote(RecentIntake._meta.db_table)
        key, code, expires = quote("key"), quote("tracking_code"), quote("expires_at")
        marks = placeholders(connection, count * 3 + 1)
        rows = ", ".join("(" + ", ".join(marks[n : n + 3]) + ")" for n in range(0, count * 3, 3))
        statement = _claim_statements[(connection.vendor, count)] = (
            f"INSERT INTO {table} ({key}, {code}, {expires}) VALUES {rows} "  # noqa: S608 - quoted names
            f"ON CONFLICT ({key}) DO UPDATE SET {code} = excluded.{code}, {expires} = excluded.{expires} "
            f"WHERE {table}.{expires} <= {marks[-1]} RETURNING {key}"
        )
    return statement


def live_codes(keys: list[str], now: dt.datetime | None = None) -> dict[str, str]:
    """key -> tracking code of the keys whose window has not ended."""
    now = now or timezone.now()
    return dict(
        RecentIntake.objects.filter(key__in=keys, expires_at__gt=now).order_by().values_list("key", "tracking_code")
    )


def take_over(key: str, tracking_code: str, now: dt.datetime) -> None:
    """The case a live key points to is gone: the key is this case's from now on."""
    until = now + dt.timedelta(seconds=settings.INTAKE_DUPLICATE_SECONDS)
    RecentIntake.objects.filter(key=key).update(tracking_code=tracking_code, expires_at=until)


def purge_expired(now: dt.datetime | None = None) -> int:
    """Periodic (django-q schedule `cases.purge_recent_intakes`, hourly): delete the keys whose window ended,
    so no source's hash is kept longer than needed. Returns the number deleted."""
    deleted, _by_model = RecentIntake.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
