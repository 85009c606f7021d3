"""Concurrent sign-ups never overbook: real threads, each with its own database connection.

On SQLite the threads work on a file copy of the test database (the in-memory test database uses a shared
cache whose table locks fail at once instead of waiting, which no deployment has); the settings open every
transaction with BEGIN IMMEDIATE, so writers queue on the file lock. On PostgreSQL (CI runs the suite there
too) the threads share the test database and queue on the event row's lock (select_for_update).
"""

import sqlite3
import threading

import pytest
from django.db import connection, connections

from lianxin.errors import DomainError
from lianxin.events import services
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16


def _file_copy(tmp_path) -> str | None:
    """On SQLite, copy the (committed) test database to a file the threads can share; None on PostgreSQL."""
    if connection.vendor != "sqlite":
        return None
    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return str(path)


def _run_concurrently(db_file: str | None, calls) -> list:
    """Start every call at the same moment (a barrier), each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            if db_file is not None:
                own = connections["default"]  # this thread's own connection object, not yet connected
                own.settings_dict = {**own.settings_dict, "NAME": db_file}
            barrier.wait(timeout=30)
            results[index] = call()
        except DomainError as exc:
            results[index] = exc.code
        except Exception as exc:  # a database error would be a bug: keep it to fail the test with it
            results[index] = exc
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _status_counts(db_file: str | None, event_id: int) -> dict[str, int]:
    sql = "SELECT status, COUNT(*) FROM events_signup WHERE event_id = %s GROUP BY status"
    if db_file is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [event_id])
            return dict(cursor.fetchall())
    with sqlite3.connect(db_file) as raw:
        return dict(raw.execute(sql.replace("%s", "?"), [event_id]).fetchall())


def test_concurrent_sign_ups_fill_the_places_exactly_then_the_waitlist(district, tmp_path, settings):
    settings.EVENT_WAITLIST_MAX = 4
    event = make_event(district, capacity=5)
    db_file = _file_copy(tmp_path)

    def call(n):
        return lambda: (
            services.signup_create(event_id=event.pk, name=f"市民{n}", phone=f"1390000{n:04d}", consent=True).status
        )

    results = _run_concurrently(db_file, [call(n) for n in range(THREADS)])

    assert sorted(map(str, results)) == sorted(["confirmed"] * 5 + ["waitlisted"] * 4 + ["full"] * 7)
    assert _status_counts(db_file, event.pk) == {"confirmed": 5, "waitlisted": 4}


def test_concurrent_sign_ups_of_one_phone_make_one_sign_up(district, tmp_path):
    event = make_event(district, capacity=50)
    db_file = _file_copy(tmp_path)

    def call():
        return services.signup_create(event_id=event.pk, name="张三", phone="13912345678", consent=True).status

    results = _run_concurrently(db_file, [call for _ in range(8)])

    assert sorted(map(str, results)) == ["already_signed_up"] * 7 + ["confirmed"]
    assert _status_counts(db_file, event.pk) == {"confirmed": 1}
