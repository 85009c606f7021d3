"""Retention of the audit log: entries older than LIANXIN_AUDIT_RETENTION_DAYS (default about six months, never
less than 180 days) may be purged, oldest first, leaving a checkpoint so the rest of the chain still verifies.

The purge removes a prefix of the chain in id order: every entry before the first one that is still within the
retention period (an old-dated entry written after a younger one is kept until everything before it may go).

`erase_personal_data` is the other apps' side of retention: their daily jobs that erase personal data past its
own period (cases, consultations, events), each audited here with the count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from lianxin.audit import chain
from lianxin.audit.models import AuditCheckpoint, AuditEntry
from lianxin.audit.services import log_action
from lianxin.writers import one_writer_at_a_time

MINIMUM_DAYS = 180  # also enforced by the PostgreSQL trigger (migration 0004)


@dataclass
class Purged:
    count: int
    through_id: int | None


def purge_expired(now: dt.datetime | None = None) -> Purged:
    """Delete the entries past the retention period, record a checkpoint and audit the purge (one transaction)."""
    now = now or timezone.now()
    days = max(settings.AUDIT_RETENTION_DAYS, MINIMUM_DAYS)
    cutoff = now - dt.timedelta(days=days)
    with one_writer_at_a_time(), transaction.atomic():
        chain.locked_head(connection)  # no entry is written while the prefix is cut
        first_kept = AuditEntry.objects.filter(created_at__gte=cutoff).order_by("id").values_list("id", flat=True)
        first_kept_id = first_kept.first()
        old = AuditEntry.objects.all() if first_kept_id is None else AuditEntry.objects.filter(id__lt=first_kept_id)
        last = old.order_by("-id").values_list("id", "entry_hash").first()
        if last is None:
            return Purged(0, None)
        through_id, through_hash = last
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lianxin.audit_purge_before', %s, true)", [cutoff.isoformat()])
        count, _ = AuditEntry.objects.filter(id__lte=through_id).delete()
        AuditCheckpoint.objects.create(
            purged_before=cutoff, through_id=through_id, through_hash=through_hash, purged=count
        )
        log_action(
            actor=None,
            action="audit.purged",
            subject_type="audit",
            subject_id=None,
            message=f"按保存期限（{days} 天）删除 {count} 条审计记录。",
            data={"purged": count, "through_id": through_id, "before": cutoff.isoformat(), "days": days},
        )
    return Purged(count, through_id)


def erase_personal_data(
    *,
    rows: QuerySet,
    fields: dict[str, Any],
    days: int,
    cutoff: dt.datetime,
    action: str,
    subject_type: str,
    message: str,
) -> int:
    """An app's daily erasure of personal data past its retention period (PIPL): `rows.update(**fields)` and the
    system's audit entry with the count (`message` may use {days} and {count}), written on every run, also when
    nothing was due, so every run shows in the log; one transaction. Returns the count."""
    with transaction.atomic():
        count = rows.update(**fields)
        log_action(
            actor=None,
            actor_role="system",
            action=action,
            subject_type=subject_type,
            subject_id=None,
            message=message.format(days=days, count=count),
            data={"erased": count, "days": days, "before": cutoff.isoformat()},
        )
    return count
