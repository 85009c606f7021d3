"""Django's database cache with an atomic add and incr, for counters every worker process and node share.

Django's own ``add`` counts the whole table (``SELECT COUNT(*)``) on every call and culls live entries past
MAX_ENTRIES, and its ``incr`` is a get then a set (two requests at once both read 4 and both write 5).
Here ``add`` is one upsert that only replaces an expired row, and ``incr`` reads the row locked (``FOR
UPDATE`` on PostgreSQL; SQLite's write transactions run one at a time) and writes it back in one
transaction. Expired rows are deleted by the periodic task ``purge_expired`` (never on a request).
"""

from __future__ import annotations

import base64
import contextlib
import pickle
from datetime import UTC, datetime

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


def _encode(value) -> str:
    return base64.b64encode(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)).decode("latin1")


class DatabaseCache(DjangoDatabaseCache):
    def _db(self) -> str:
        return router.db_for_write(self.cache_model_class)

    @contextlib.contextmanager
    def batch(self):
        """One transaction for several counters (one commit instead of one per counter).

        On PostgreSQL a transaction of its own commits without waiting for the disk (``synchronous_commit``
        off for it alone): every request of one address counts on the same row, so the row lock would
        otherwise be held through an fsync per request and a flood would queue every worker thread behind
        it. A crash may forget the last fraction of a second of counts, never any other data. Inside a
        caller's transaction nothing changes (its durability is the caller's)."""
        db = self._db()
        own = not connections[db].in_atomic_block
        with transaction.atomic(using=db, savepoint=False):
            if own:
                counters_commit_without_waiting(db)
            yield

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        db = self._db()
        connection = connections[db]
        quote = connection.ops.quote_name
        table, expires = quote(self._table), quote("expires")
        now = tz_now().replace(microsecond=0)
        expiry = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=UTC)
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, {expires}) VALUES (%s, %s, %s) "  # noqa: S608
                f"ON CONFLICT ({quote('cache_key')}) DO UPDATE SET {quote('value')} = excluded.{quote('value')}, "
                f"{expires} = excluded.{expires} WHERE {table}.{expires} < %s",
                [key, _encode(value), adapt(expiry.replace(microsecond=0)), adapt(now)],
            )
            return cursor.rowcount > 0

    def incr(self, key, delta=1, version=None):
        """Add delta to a stored number and return it, atomically; ValueError if the key is missing."""
        key = self.make_and_validate_key(key, version=version)
        db = self._db()
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # Inside a transaction already (batch()): the row lock lasts until its commit; no savepoint.
        atomic = contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic(using=db)
        with atomic, connection.cursor() as cursor:
            sql = f"SELECT {quote('value')} FROM {table} WHERE {quote('cache_key')} = %s{lock}"  # noqa: S608
            cursor.execute(sql, [key])
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta  # noqa: S301 - our own table
            sql = f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s"  # noqa: S608
            cursor.execute(sql, [_encode(value), key])
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)


def purge_expired() -> int:
    """Periodic (django-q schedule, hourly): delete the expired rows of the database cache."""
    cache = caches["default"]
    if not isinstance(cache, DjangoDatabaseCache):
        return 0
    db = router.db_for_write(cache.cache_model_class)
    connection = connections[db]
    table, expires = connection.ops.quote_name(cache._table), connection.ops.quote_name("expires")
    now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {expires} < %s", [now])  # noqa: S608 - quoted names
        return cursor.rowcount


def counters_commit_without_waiting(db: str = "default") -> None:
    """In a transaction of the counters' own (the outermost one), on PostgreSQL: commit without waiting for the
    disk (see DatabaseCache.batch). Inside a caller's transaction it does nothing: that durability is theirs."""
    connection = connections[db]
    if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
