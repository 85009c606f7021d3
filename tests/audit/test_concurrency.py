"""Two threads append to the chain at once on PostgreSQL: the advisory lock keeps one chain, in id order."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from lianxin.audit.models import AuditEntry
from lianxin.audit.services import audit_entry, log_action, log_actions
from tests.audit.helpers import verify_output

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
]


def _writer(name: str, rounds: int, start: threading.Barrier, errors: list) -> None:
    try:
        start.wait()
        for n in range(rounds):
            if n % 3 == 0:  # a batch, as the group-commit intake writes them
                log_actions(
                    [
                        audit_entry(actor=None, action=f"test.{name}", subject_type="case", subject_id=n)
                        for _ in range(3)
                    ]
                )
            else:
                with transaction.atomic():  # a service's transaction: the entry, then more work before COMMIT
                    log_action(actor=None, action=f"test.{name}", subject_type="case", subject_id=n)
                    AuditEntry.objects.filter(action=f"test.{name}").count()
    except Exception as exc:  # reported to the test
        errors.append(exc)
    finally:
        connections.close_all()


def test_two_threads_write_one_unbroken_chain():
    start = threading.Barrier(2)
    errors: list = []
    threads = [threading.Thread(target=_writer, args=(name, 40, start, errors)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.filter(action__in=["test.a", "test.b"]).count() == 2 * (14 * 3 + 26)
    hashes = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes))  # no two entries hang on the same predecessor (no fork)
    assert f"{AuditEntry.objects.count()} entries verified" in verify_output()
    assert connection.vendor == "postgresql"
