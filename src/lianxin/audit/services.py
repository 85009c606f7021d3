"""The one door for writing audit entries (pretix's log_action pattern)."""

from __future__ import annotations

from typing import Any

from lianxin.audit.models import AuditEntry
from lianxin.rows import insert_row


def log_action(
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
    """Write one audit entry. Callers pass data already masked: no full phone numbers or names."""
    # one prepared INSERT (lianxin/rows.py): every change writes an entry, the ORM recompiled it each time
    return insert_row(
        AuditEntry(
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
    )
