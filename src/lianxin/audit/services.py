"""The one door for writing audit entries (pretix's log_action pattern); every entry joins the hash chain."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from lianxin.audit import chain
from lianxin.audit.models import AuditEntry
from lianxin.rows import build, insert_rows

# rows per INSERT when many entries are written at once (the demo's history): well under both databases'
# limits on parameters per statement
_CHUNK = 500


def log_action(**fields: Any) -> AuditEntry:
    """Write one audit entry; the arguments are audit_entry's (keyword-only), including `result=` ("ok",
    "denied", "failed" ...). Callers pass data already masked: no full phone numbers or names."""
    # one prepared INSERT (lianxin/rows.py): every change writes an entry, the ORM recompiled it each time
    return log_actions([audit_entry(**fields)])[0]


def log_actions(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Write entries made by audit_entry() in order: one read of the chain head under its lock for the whole
    list, the hashes computed here, then one INSERT (a batch of intakes; lianxin/groupcommit.py)."""
    if not entries:
        return entries
    if connection.in_atomic_block:
        return _chained(entries)
    with transaction.atomic():  # the chain's lock lasts until this commits (chain.py)
        return _chained(entries)


def _chained(entries: list[AuditEntry]) -> list[AuditEntry]:
    head = chain.locked_head(connection)
    for start in range(0, len(entries), _CHUNK):
        part = entries[start : start + _CHUNK]
        head = chain.seal(part, head)
        insert_rows(part)
    return entries


def audit_entry(
    *,
    actor,
    action: str,
    subject_type: str,
    subject_id: int | None,
    public: bool = False,
    message: str = "",
    data: dict[str, Any] | None = None,
    actor_role: str = "",
    result: str = "ok",
    created_at=None,
) -> AuditEntry:
    """The unsaved entry log_action writes (same arguments). `created_at` only for history written after the
    fact (the demo); otherwise now."""
    user = actor if getattr(actor, "pk", None) else None
    fields = {}
    if created_at is not None:
        fields["created_at"] = created_at
    return build(  # AuditEntry(...) without the keyword __init__'s cost (lianxin/rows.py)
        AuditEntry,
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        actor_role=actor_role,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        public=public,
        message=message,
        data=data or {},
        result=result,
        **fields,
    )
