"""The audit retention purge: only entries past the retention period, a prefix of the chain, with a checkpoint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from lianxin.audit.models import AuditCheckpoint, AuditEntry
from lianxin.audit.retention import purge_expired
from lianxin.audit.services import log_action
from lianxin.audit.tasks import purge_expired_entries
from tests.audit.helpers import verify_error, verify_output

pytestmark = pytest.mark.django_db


def _at(days_ago: int, action: str = "test.old") -> AuditEntry:
    return log_action(
        actor=None,
        action=action,
        subject_type="case",
        subject_id=days_ago,
        created_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_purge_removes_only_expired_entries_and_the_chain_still_verifies(settings):
    settings.AUDIT_RETENTION_DAYS = 183
    old = [_at(400), _at(300), _at(200)]
    young = [_at(100, "test.young"), _at(0, "test.young")]
    late_old = _at(250)  # old-dated but written after young entries: kept (the purge cuts a prefix only)
    purged = purge_expired()
    assert purged.count == 3 and purged.through_id == old[-1].pk
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEntry.objects.filter(pk__in=[e.pk for e in [*young, late_old]]).count() == 3
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.through_hash == old[-1].entry_hash and checkpoint.purged == 3
    record = AuditEntry.objects.get(action="audit.purged")
    assert record.data["purged"] == 3 and record.data["through_id"] == old[-1].pk
    out = verify_output()
    assert "4 entries verified" in out and f"checkpoint after entry {old[-1].pk}" in out
    assert purge_expired_entries() == 0  # nothing more is old enough: nothing deleted, nothing recorded
    assert AuditEntry.objects.filter(action="audit.purged").count() == 1


def test_retention_is_never_shorter_than_180_days(settings):
    settings.AUDIT_RETENTION_DAYS = 1  # below the floor (the environment parser refuses it too)
    kept = _at(170)
    assert purge_expired().count == 0
    assert AuditEntry.objects.filter(pk=kept.pk).exists()


def test_a_removed_first_entry_after_a_checkpoint_is_found(settings):
    _at(300)
    first_kept = _at(10)
    second = _at(5)
    purge_expired()
    from tests.audit.helpers import trigger_off

    with trigger_off():
        AuditEntry.objects.filter(pk=first_kept.pk).delete()
    assert f"entry {second.pk} " in str(verify_error())


def test_audit_verify_command_on_an_empty_log():
    out = verify_output()
    assert "0 entries verified" in out
    call_command("audit_verify", "--chunk-size", "2")
