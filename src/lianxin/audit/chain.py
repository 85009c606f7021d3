"""The hash chain of the audit log: each entry's hash covers its own fields and the previous entry's hash.

`entry_hash = sha256(canonical([prev_hash, created_at, actor_username, actor_role, action, subject_type,
subject_id, public, message, data, result]))`. The canonical form is JSON with sorted keys, no spaces,
UTF-8, times in UTC with microseconds and numbers as they come back from either database (an integral
float is written as an integer: PostgreSQL's jsonb turns 1e20 into 100000000000000000000). The actor's
foreign key is not covered (deleting a user sets it to NULL); the username and role snapshot are.

Writers take the chain head under a lock and hash their entries in order (`seal`):
- PostgreSQL: a transaction-level advisory lock, held until the transaction ends, then the last entry's hash
  is read (a fresh statement after the lock is granted sees the previous holder's commit);
- SQLite: every write transaction begins IMMEDIATE (settings), so the database's one write lock is held.
Entries are written in the order their ids are given, so the chain runs in id order; a rolled-back
transaction leaves a gap in the ids but not in the chain.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from typing import Any

from lianxin.audit.models import AuditCheckpoint

# Any constant shared by every writer of the chain ("LXAUDIT1" as a 64-bit integer).
ADVISORY_LOCK_KEY = 0x4C58415544495431
GENESIS = ""  # the previous hash of the very first entry (or of the first after a purge: the checkpoint's)
HASHED_FIELDS = (
    "created_at",
    "actor_username",
    "actor_role",
    "action",
    "subject_type",
    "subject_id",
    "public",
    "message",
    "data",
    "result",
)


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        # integral: the exact integer of its shortest decimal form (1e20 -> 10**20), as jsonb gives it back
        return int(decimal.Decimal(repr(value))) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return str(value)


def digest(values: dict[str, Any], prev_hash: str) -> str:
    """The hash of an entry given its hashed fields (by name) and the previous entry's hash."""
    payload = [prev_hash, *(_plain(values[name]) for name in HASHED_FIELDS)]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def entry_digest(entry, prev_hash: str) -> str:
    return digest({name: getattr(entry, name) for name in HASHED_FIELDS}, prev_hash)


def locked_head(connection) -> str:
    """Lock the chain for the rest of the current transaction and return the last entry's hash.
    Call inside a transaction."""
    table = connection.ops.quote_name("audit_auditentry")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        cursor.execute(f"SELECT entry_hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608 - our table
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    # an emptied log continues from its last checkpoint
    last = AuditCheckpoint.objects.order_by("-through_id").values_list("through_hash", flat=True).first()
    return last or GENESIS


def seal(entries: list, prev_hash: str) -> str:
    """Set prev_hash and entry_hash of unsaved entries in order; return the new head."""
    for entry in entries:
        entry.prev_hash = prev_hash
        entry.entry_hash = prev_hash = entry_digest(entry, prev_hash)
    return prev_hash
