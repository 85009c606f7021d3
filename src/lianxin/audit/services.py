"""The one door for writing audit entries (pretix's log_action pattern)."""

from __future__ import annotations

from typing import Any

from lianxin.audit.models import AuditEntry
from lianxin.rows import build, insert_row, insert_rows


def log_action(**fields: Any) -> AuditEntry:
    """Write one audit entry; the arguments are audit_entry's (keyword-only). Callers pass data already
    masked: no full phone numbers or names."""
    # one prepared INSERT (lianxin/rows.py): every change writes an entry, the ORM recompiled it each time
    return insert_row(audit_entry(**fields))


def log_actions(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Write several entries made by audit_entry() in one statement (a batch of intakes)."""
    return insert_rows(entries)


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
) -> AuditEntry:
    """The unsaved entry log_action writes (same arguments)."""
    return build(  # AuditEntry(...) without the keyword __init__'s cost (lianxin/rows.py)
        AuditEntry,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=actor_role,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        public=public,
        message=message,
        data=data or {},
        result=result,
    )
