"""Walk the audit chain in id order and report the first entry that does not fit (audit_verify)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lianxin.audit import chain
from lianxin.audit.models import AuditCheckpoint, AuditEntry

CHUNK = 5000


@dataclass
class Problem:
    entry_id: int
    created_at: object
    action: str
    what: str

    def __str__(self) -> str:
        return f"entry {self.entry_id} ({self.created_at:%Y-%m-%d %H:%M:%S%z}, {self.action}): {self.what}"


@dataclass
class Outcome:
    checked: int
    problem: Problem | None
    start: str  # where the walk began: the genesis or a checkpoint


def verify(*, chunk_size: int = CHUNK, progress: Callable[[int], None] | None = None) -> Outcome:
    """Check every entry: its hash is the hash of its own fields and the previous hash, and that previous hash
    is the one of the entry before it (or of the last retention checkpoint for the first entry left).
    Streams the table (server-side cursor on PostgreSQL), so memory stays flat for millions of rows."""
    checkpoint = AuditCheckpoint.objects.order_by("-through_id").first()
    expected = checkpoint.through_hash if checkpoint else chain.GENESIS
    start = f"checkpoint after entry {checkpoint.through_id}" if checkpoint else "genesis"
    fields = ["id", "prev_hash", "entry_hash", *chain.HASHED_FIELDS]
    checked = 0
    rows = AuditEntry.objects.order_by("id").values_list(*fields).iterator(chunk_size=chunk_size)
    for row in rows:
        entry_id, prev_hash, entry_hash, *values = row
        named = dict(zip(chain.HASHED_FIELDS, values, strict=True))
        if checkpoint is not None and entry_id <= checkpoint.through_id:
            what = "older than the retention checkpoint (it should have been purged, or was inserted)"
            return Outcome(checked, Problem(entry_id, named["created_at"], named["action"], what), start)
        if prev_hash != expected:
            what = (
                "its previous hash does not match the entry before it: an entry before it was removed or changed, "
                "or this one was inserted"
            )
            return Outcome(checked, Problem(entry_id, named["created_at"], named["action"], what), start)
        if chain.digest(named, prev_hash) != entry_hash:
            what = "its content does not match its hash: the entry was changed (or inserted without a valid hash)"
            return Outcome(checked, Problem(entry_id, named["created_at"], named["action"], what), start)
        expected = entry_hash
        checked += 1
        if progress is not None and checked % 100_000 == 0:
            progress(checked)
    return Outcome(checked, None, start)
