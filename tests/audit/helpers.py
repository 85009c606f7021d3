"""Writing to the audit table behind the application's back, as an intruder with database access would."""

from __future__ import annotations

import contextlib

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection


@contextlib.contextmanager
def trigger_off():
    """On PostgreSQL the append-only trigger is switched off for the block (inside the test's transaction, so
    it comes back with the rollback); SQLite has no trigger."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no user trigger fires (superuser)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def verify_output() -> str:
    import io

    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def verify_error() -> CommandError:
    try:
        verify_output()
    except CommandError as exc:
        return exc
    raise AssertionError("audit_verify passed a tampered chain")
