"""The audit log's hash chain and `manage.py audit_verify` (both databases; the trigger on PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianxin.audit import chain
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import audit_entry, log_action, log_actions
from tests.audit.helpers import trigger_off, verify_error, verify_output
from tests.factories import make_user, submit_case

pytestmark = pytest.mark.django_db


def _entries(count: int = 5, actor=None) -> list[AuditEntry]:
    return [
        log_action(
            actor=actor,
            action="test.did",
            subject_type="case",
            subject_id=n,
            message=f"第 {n} 条",
            data={"n": n, "ratio": 0.5, "whole": 2.0, "nested": {"b": [1, "二"], "a": None}},
        )
        for n in range(count)
    ]


def test_intact_chain_verifies_with_its_count(district):
    submit_case()
    submit_case(title="第二件")
    _entries(5, actor=district.office)
    total = AuditEntry.objects.count()
    assert total >= 7
    assert f"{total} entries verified" in verify_output()
    first, second = AuditEntry.objects.order_by("id")[:2]
    assert first.prev_hash == chain.GENESIS and second.prev_hash == first.entry_hash
    assert len(first.entry_hash) == 64


def test_changed_message_is_named(district):
    entries = _entries(5)
    with trigger_off():
        AuditEntry.objects.filter(pk=entries[2].pk).update(message="改过的说明")
    error = verify_error()
    assert error.returncode == 1
    assert f"entry {entries[2].pk} " in str(error) and "test.did" in str(error) and "changed" in str(error)


def test_changed_data_or_result_is_named(district):
    entries = _entries(4)
    with trigger_off():
        AuditEntry.objects.filter(pk=entries[1].pk).update(result="denied")
    assert f"entry {entries[1].pk} " in str(verify_error())


def test_removed_middle_entry_names_the_one_after_it(district):
    entries = _entries(5)
    with trigger_off():
        AuditEntry.objects.filter(pk=entries[2].pk).delete()
    error = verify_error()
    assert f"entry {entries[3].pk} " in str(error) and "removed" in str(error)


def test_inserted_forged_entry_is_named(district):
    entries = _entries(3)
    forged = AuditEntry.objects.create(
        action="case.closed", subject_type="case", subject_id=1, prev_hash=entries[-1].entry_hash, entry_hash="0" * 64
    )
    error = verify_error()
    assert f"entry {forged.pk} " in str(error) and "case.closed" in str(error)


def test_forged_entry_in_a_gap_is_found_at_the_next_entry(district):
    entries = _entries(4)
    with trigger_off():
        AuditEntry.objects.filter(pk=entries[1].pk).delete()
    # a forged entry in the removed entry's place, with a hash computed the right way from its own content
    fake = audit_entry(actor=None, action="case.closed", subject_type="case", subject_id=9)
    fake.prev_hash = entries[0].entry_hash
    fake.entry_hash = chain.entry_digest(fake, fake.prev_hash)
    fake.pk = entries[1].pk
    fake.save(force_insert=True)
    assert f"entry {entries[2].pk} " in str(verify_error())


def test_a_batch_reads_the_chain_head_once(district):
    batch = [audit_entry(actor=None, action="test.batch", subject_type="case", subject_id=n) for n in range(10)]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        log_actions(batch)
    heads = [q for q in queries.captured_queries if "entry_hash" in q["sql"] and q["sql"].lstrip().startswith("SELECT")]
    inserts = [q for q in queries.captured_queries if q["sql"].lstrip().startswith("INSERT")]
    assert len(heads) == 1 and len(inserts) == 1
    assert [e.prev_hash for e in batch[1:]] == [e.entry_hash for e in batch[:-1]]
    assert "verified" in verify_output()


def test_renamed_and_deleted_user_keeps_the_entrys_username(district):
    clerk = make_user("clerk")
    entry = log_action(actor=clerk, actor_role="station", action="test.did", subject_type="case", subject_id=1)
    clerk.username = "clerk-renamed"
    clerk.save()
    entry.refresh_from_db()
    assert entry.actor_username == "clerk" and entry.actor_id == clerk.pk
    clerk.delete()  # on PostgreSQL the trigger lets actor_id become NULL and nothing else
    entry.refresh_from_db()
    assert entry.actor_id is None and entry.actor_username == "clerk" and entry.actor_role == "station"
    assert "verified" in verify_output()


def test_the_hash_does_not_depend_on_the_database_round_trip(district):
    entry = log_action(
        actor=district.office,
        action="test.json",
        subject_type="case",
        subject_id=None,
        data={"big": 1e20, "small": 1.5e-7, "text": "换行\n和\u3000空白", "list": [True, False, None]},
        created_at=timezone.now() - dt.timedelta(days=3),
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert chain.entry_digest(stored, stored.prev_hash) == entry.entry_hash


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_trigger_refuses_update_and_delete(district):
    entries = _entries(3)
    for attempt in (
        lambda: AuditEntry.objects.filter(pk=entries[1].pk).update(message="x"),
        lambda: AuditEntry.objects.filter(pk=entries[1].pk).delete(),
        lambda: AuditEntry.objects.filter(pk=entries[1].pk).update(actor_username="someone"),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    # the retention purge's setting does not open young entries
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lianxin.audit_purge_before', %s, true)", [timezone.now().isoformat()])
        AuditEntry.objects.filter(pk=entries[1].pk).delete()
    assert AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).count() == 3
    assert "verified" in verify_output()


def test_a_deleted_users_entries_still_name_them_in_the_case_timeline(district):
    from lianxin.cases.templatetags.case_work import actor_label

    clerk = make_user("clerk2")
    entry = log_action(actor=clerk, actor_role="station", action="case.noted", subject_type="case", subject_id=1)
    clerk.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert actor_label(entry).startswith("clerk2")
