"""lianxin.groupcommit: concurrent writes share one transaction; one write's failure sinks no other."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from lianxin.audit.models import AuditEntry
from lianxin.audit.services import log_action
from lianxin.groupcommit import GroupCommit as StoreGroup


def GroupCommit():  # a group whose items are callables, each stored by calling it
    return StoreGroup(lambda items: [item() for item in items])


pytestmark = pytest.mark.django_db(transaction=True)


def entry(n: int):
    return log_action(actor=None, action="test.group", subject_type="case", subject_id=n)


def run_in_threads(group: GroupCommit, writes: dict[int, object], hold_first: threading.Event) -> dict[int, object]:
    """Run each write from its own thread; the first to lead blocks in its write until all are queued."""
    outcomes: dict[int, object] = {}

    def call(n, write):
        try:
            outcomes[n] = group.run(write)
        except Exception as exc:  # what the caller of run() would see
            outcomes[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(n, w)) for n, w in writes.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while len(group._queue) < len(writes) - 1 and time.monotonic() < deadline:
        time.sleep(0.01)  # the leader is inside its first batch; everyone else is queued behind it
    hold_first.set()
    for thread in threads:
        thread.join(10)
    return outcomes


def leader_write(n: int, hold: threading.Event):
    def write():
        hold.wait(10)
        return entry(n).subject_id

    return write


def test_writes_queued_while_a_batch_commits_go_together_in_the_next_one():
    group, hold = GroupCommit(), threading.Event()
    writes = {0: leader_write(0, hold)}
    writes.update({n: (lambda n=n: entry(n).subject_id) for n in range(1, 8)})
    outcomes = run_in_threads(group, writes, hold)
    assert outcomes == {n: n for n in range(8)}  # every caller got its own write's result
    assert sorted(AuditEntry.objects.filter(action="test.group").values_list("subject_id", flat=True)) == list(range(8))
    # The first write is alone in its batch (nothing was queued yet); at most one more batch of the rest
    # per writer that arrived after the second batch began. At least one batch held several writes.
    assert group.writes == 8 and group.batches < 8 and group.retried == 0


def test_a_failing_write_fails_alone_and_the_others_of_its_batch_are_committed():
    group, hold = GroupCommit(), threading.Event()

    def duplicate():
        raise IntegrityError("UNIQUE constraint failed (test)")

    writes = {
        0: leader_write(0, hold),
        1: (lambda: entry(1).subject_id),
        2: duplicate,
        3: (lambda: entry(3).subject_id),
    }
    outcomes = run_in_threads(group, writes, hold)
    assert isinstance(outcomes[2], IntegrityError)
    assert {n: outcomes[n] for n in (0, 1, 3)} == {0: 0, 1: 1, 3: 3}
    stored = AuditEntry.objects.filter(action="test.group").values_list("subject_id", flat=True)
    assert sorted(stored) == [0, 1, 3]  # each stored once: the failed batch was rolled back, then rerun alone
    assert group.retried == 3


def test_alone_a_write_is_its_own_transaction_and_its_error_is_raised_with_nothing_stored():
    group = GroupCommit()

    def half_then_fail():
        entry(1)
        raise ValueError("bad input after the first row")

    with pytest.raises(ValueError, match="bad input"):
        group.run(half_then_fail)
    assert not AuditEntry.objects.filter(action="test.group").exists()
    assert group.run(lambda: entry(2).subject_id) == 2
    assert (group.batches, group.writes) == (1, 1)


def test_inside_an_outer_transaction_the_write_joins_it_and_rolls_back_with_it():
    group = GroupCommit()
    with pytest.raises(RuntimeError), transaction.atomic():
        group.run(lambda: entry(1))
        raise RuntimeError("the outer transaction fails")
    assert not AuditEntry.objects.filter(action="test.group").exists()
    assert group.batches == 0  # never went through the queue


def test_concurrent_intakes_are_stored_whole_each_with_its_entry_notification_and_delivery(monkeypatch):
    """Real intakes from several threads: whatever the batches, each case has its audit entry, its citizen
    notification (delivered by the batch's one task) and its own tracking code. (A replayed key inside a batch is
    the failing-write case above; its lookup is not raced here: the in-memory test database locks whole tables.)"""
    from lianxin.cases import intake
    from lianxin.cases.models import Case
    from lianxin.groupcommit import GroupCommit as Group
    from lianxin.notifications.models import Notification
    from tests.factories import make_district

    district = make_district()
    group = Group(intake._store_many)
    others = intake.groupcommit.group  # the rate limits' counts (the SMS cap of the delivery) keep their own
    monkeypatch.setattr(
        intake.groupcommit, "group", lambda name, store: group if name == "intake" else others(name, store)
    )
    start = threading.Barrier(6)
    results: dict[int, object] = {}

    def submit(n: int, key: str):
        try:
            start.wait(10)
            sub = intake.Submission(
                title=f"路灯 {n}",
                details="路灯坏了",
                station_code=district.station.code,
                contact_phone=f"138123456{n:02d}",  # a phone each: the SMS cap per number is not what this tests
                consent=True,
            )
            results[n] = intake.case_register(submission=sub, idempotency_key=key)
        except Exception as exc:
            results[n] = exc
        finally:
            connection.close()

    keys = {n: f"k{n}" for n in range(6)}
    threads = [threading.Thread(target=submit, args=(n, key)) for n, key in keys.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert all(isinstance(result, tuple) and result[1] for result in results.values()), results
    cases = Case.objects.filter(station=district.station)
    assert sorted(case.pk for case, _created in results.values()) == sorted(cases.values_list("pk", flat=True))
    assert cases.count() == 6 and len(set(cases.values_list("tracking_code", flat=True))) == 6
    for case in cases:
        assert AuditEntry.objects.filter(action="case.registered", subject_id=case.pk).count() == 1
        citizen = Notification.objects.get(subject_type="case", subject_id=case.pk, recipient_kind="citizen")
        assert citizen.state == Notification.State.SENT  # the batch's task ran after the commit
    assert group.writes == 6 and group.retried == 0


def test_a_batch_with_a_replayed_key_stores_nothing():
    from lianxin.cases import intake
    from lianxin.cases.models import Case
    from tests.factories import make_district

    district = make_district()

    def pending(n: int, key: str):
        sub = intake.Submission(title=f"路灯 {n}", details="坏了", station_code=district.station.code, consent=True)
        resolved = intake.validate_submission(sub)
        case = intake._new_case(sub, resolved, None, key, sub.fingerprint())
        case.tracking_code = f"LXBATCH{n:03d}"
        return intake._prepare_writes(intake._Pending(case, resolved, [], None))

    with pytest.raises(IntegrityError), transaction.atomic():
        intake._store_many([pending(1, "same"), pending(2, "other"), pending(3, "same")])
    assert not Case.objects.exists() and not AuditEntry.objects.filter(action="case.registered").exists()
    stored = intake._store_many([pending(4, "a"), pending(5, "b")])
    assert [(case.tracking_code, created) for case, created in stored] == [("LXBATCH004", True), ("LXBATCH005", True)]
