"""The SQL of one citizen intake is pinned, so a regression shows; and the behaviour the fast path keeps.

In production one batch of intakes on SQLite is: BEGIN IMMEDIATE, INSERT (upsert) of their duplicate keys,
INSERT cases, SELECT the audit chain's head, INSERT audit entries, INSERT the citizens' notifications, INSERT
the one django-q task, COMMIT (the station comes from a 30 s cache): nothing per intake outside it.
In tests the transaction is a savepoint of the test's transaction and tasks run synchronously on commit.
"""

from __future__ import annotations

import secrets
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from lianxin.audit.models import AuditEntry
from lianxin.audit.services import log_action
from lianxin.cases.intake import station_cache_clear
from lianxin.cases.models import Case
from lianxin.cases.schemas import CaseReceiptOut
from lianxin.notifications import services as notification_services
from lianxin.notifications.models import Notification
from tests.api.helpers import BASE, post_json
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

VALID = {
    "title": "小区路灯不亮",
    "details": "春晖小区3栋门口路灯坏了两周。",
    "station_code": "donghu",
    "contact_name": "张三",
    "contact_phone": "13812341234",
    "consent": True,
}


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """The rate limits' counters (before the intake, in their own transaction) are tested in tests/throttle;
    what is pinned here is the intake itself, with the duplicate-intake rule's one claim in its transaction."""
    settings.THROTTLE_ENABLED = False


@pytest.fixture(autouse=True)
def _no_cached_stations():
    station_cache_clear()
    yield
    station_cache_clear()


def submit(client, data=VALID, key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return post_json(client, f"{BASE}/cases", data, **extra)


# On PostgreSQL the audit chain's head is read under a transaction-level advisory lock (audit/chain.py).
CHAIN_LOCK = ["SELECT pg_advisory_xact_lock"] if connection.vendor == "postgresql" else []


def statements(queries) -> list[str]:
    """Each statement's verb and table, e.g. 'INSERT cases_case'; savepoint names left out."""
    kinds = []
    for query in queries.captured_queries:
        words = query["sql"].replace('"', "").split()
        if words[0] == "INSERT":
            kinds.append(f"INSERT {words[2]}")
        elif words[0] == "SELECT" and "FROM" in words:
            kinds.append(f"SELECT {words[words.index('FROM') + 1]}")
        elif words[0] == "SELECT":  # a function, e.g. PostgreSQL's advisory lock
            kinds.append(f"SELECT {words[1].split('(')[0]}")
        else:
            kinds.append(" ".join(word for word in words if not word.startswith("s") or word.isupper()))
    return kinds


def test_one_intake_is_a_station_lookup_and_four_inserts(client, district, django_assert_num_queries):
    from lianxin.audit.services import log_action

    # a log with entries (the first entry of an empty log also looks for a retention checkpoint)
    log_action(actor=None, action="test.first", subject_type="case", subject_id=None)
    with django_assert_num_queries(8 + len(CHAIN_LOCK)) as queries:
        response = submit(client, key="k-1")
    assert response.status_code == 201, response.content
    assert statements(queries) == [
        "SELECT organisation_station",
        "SAVEPOINT",
        # the same text from the same source lately? claimed in the intake's own transaction, one
        # statement per batch (cases/duplicates.py); no read before it, no cache write after it
        "INSERT cases_recentintake",
        "INSERT cases_case",
        "INSERT notifications_notification",
        # the audit entries last: the chain's lock (PostgreSQL) is held from here to the COMMIT, so the
        # other intakes wait for two statements and the COMMIT, not for the whole batch
        *CHAIN_LOCK,
        "SELECT audit_auditentry",  # the audit chain's head, once per batch (audit/chain.py)
        "INSERT audit_auditentry",
        "RELEASE SAVEPOINT",
    ]


def test_with_the_station_cache_the_next_intake_runs_no_select(client, district, settings, django_assert_num_queries):
    settings.STATION_CACHE_SECONDS = 30
    assert submit(client, key="k-1").status_code == 201
    with django_assert_num_queries(7 + len(CHAIN_LOCK)) as queries:
        assert submit(client, {**VALID, "title": "另一件"}, key="k-2").status_code == 201
    # no SELECT but the audit chain's head (audit/chain.py)
    assert [kind for kind in statements(queries) if kind.startswith("SELECT")] == [
        *CHAIN_LOCK,
        "SELECT audit_auditentry",
    ]


def test_a_replay_costs_the_failed_insert_and_the_lookup(client, district, settings, django_assert_num_queries):
    settings.INTAKE_DUPLICATE_SECONDS = 0  # else the same text from the same phone is found before the key
    first = submit(client, key="k-1")
    with django_assert_num_queries(7) as queries:
        again = submit(client, key="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert statements(queries)[2:5] == ["INSERT cases_case", "ROLLBACK TO SAVEPOINT", "RELEASE SAVEPOINT"]
    assert Case.objects.count() == 1
    assert AuditEntry.objects.filter(action="case.registered").count() == 1
    assert Notification.objects.count() == 1


def test_the_receipt_is_rendered_as_the_declared_schema(client, district):
    response = submit(client, key="k-1")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert CaseReceiptOut.model_validate(body).model_dump() == body
    assert body["status"] == "registered"


# --- the station cache ---------------------------------------------------------------------------------


def test_a_deactivated_station_stops_taking_cases_when_its_cache_entry_expires(client, district, settings):
    settings.STATION_CACHE_SECONDS = 0.2
    assert submit(client, key="k-1").status_code == 201
    district.station.active = False
    district.station.save()
    # within the cache time the station still takes cases (documented: at most STATION_CACHE_SECONDS)
    assert submit(client, {**VALID, "title": "第二件"}, key="k-2").status_code == 201
    time.sleep(0.3)
    response = submit(client, {**VALID, "title": "第三件"}, key="k-3")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"station_code": ["找不到该联络站。"]}
    assert Case.objects.count() == 2


def test_without_the_cache_a_deactivated_station_is_refused_at_once(client, district, settings):
    settings.STATION_CACHE_SECONDS = 0
    assert submit(client, key="k-1").status_code == 201
    district.station.active = False
    district.station.save()
    assert submit(client, {**VALID, "title": "第二件"}, key="k-2").status_code == 422


def test_a_retry_gets_its_case_even_when_the_station_closed_since(client, district):
    first = submit(client, key="k-1")
    district.station.active = False
    district.station.save()
    again = submit(client, key="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    reused = submit(client, {**VALID, "title": "别的事"}, key="k-1")
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"


# --- the unique constraints do the checks --------------------------------------------------------------


def scripted_codes(monkeypatch, *codes: str) -> None:
    """new_tracking_code draws 8 random bytes with secrets.token_bytes: make it draw these codes, in order."""
    from lianxin.cases.codes import ALPHABET

    draws = iter(bytes(ALPHABET.index(c) for c in code.removeprefix("LX")) for code in codes)
    monkeypatch.setattr(secrets, "token_bytes", lambda n: next(draws))


def test_a_tracking_code_already_taken_is_replaced_by_a_new_one(district, monkeypatch):
    scripted_codes(monkeypatch, "LXAAAAAAAA", "LXAAAAAAAA", "LXBBBBBBBB")
    first = submit_case()
    second = submit_case(title="另一件")
    assert (first.tracking_code, second.tracking_code) == ("LXAAAAAAAA", "LXBBBBBBBB")
    assert AuditEntry.objects.filter(action="case.registered").count() == 2
    assert Notification.objects.filter(recipient_kind="citizen").count() == 2


def test_when_every_code_is_taken_nothing_is_stored(district, monkeypatch):
    scripted_codes(monkeypatch, *["LXAAAAAAAA"] * 6)
    submit_case()
    with pytest.raises(IntegrityError):
        submit_case(title="另一件")
    assert Case.objects.count() == 1
    assert AuditEntry.objects.count() == 1
    assert Notification.objects.count() == 1


# --- one task per intake, queued in the case's transaction with the ORM broker -------------------------


@pytest.fixture
def orm_broker(monkeypatch):
    """The production set-up without Redis: django-q's ORM broker on the default database, not sync."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    notification_services._transaction_broker.cache_clear()
    yield
    notification_services._transaction_broker.cache_clear()


def test_the_one_task_is_a_row_of_the_case_transaction(district, orm_broker, django_capture_on_commit_callbacks):
    from django_q.brokers import get_broker
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
        case = submit_case()
    assert callbacks == []  # nothing waits for the commit: the queue row is written with the case
    kinds = statements(queries)
    # the queue row right after the outbox rows; the audit entries last (the chain's lock lasts to the COMMIT)
    notification = kinds.index("INSERT notifications_notification")
    assert kinds[notification + 1] == "INSERT django_q_ormq"
    assert kinds[-2:] == ["INSERT audit_auditentry", "RELEASE SAVEPOINT"]
    assert OrmQ.objects.count() == 1

    [(_row_id, payload)] = get_broker().dequeue()  # what the cluster reads
    task = SignedPackage.loads(payload)
    assert task["func"] == "lianxin.notifications.tasks.deliver"
    assert import_string(task["func"])(*task["args"], **task["kwargs"]) == 2  # the citizen and the station
    citizen = Notification.objects.get(subject_type="case", subject_id=case.pk, recipient_kind="citizen")
    assert (citizen.event, citizen.state) == ("case.registered", "sent")
    staff = Notification.objects.filter(subject_type="case", subject_id=case.pk, recipient_kind="user")
    assert list(staff.values_list("recipient_user__username", "state")) == [("station", "sent")]


def test_a_rolled_back_intake_leaves_no_task(district, orm_broker):
    from django_q.models import OrmQ

    with pytest.raises(RuntimeError), transaction.atomic():
        submit_case()
        raise RuntimeError("the outer change failed")
    assert (Case.objects.count(), Notification.objects.count(), OrmQ.objects.count()) == (0, 0, 0)


# --- the bench harness's server per database ------------------------------------------------------------


def test_the_bench_runs_gunicorn_with_a_thread_per_connection_unless_told():
    from bench.intake import parse_args, server_config

    defaults = parse_args([])
    assert server_config("sqlite", defaults).describe() == "gunicorn -w 2 -k gthread --threads 16"
    assert server_config("postgresql", defaults).describe() == "gunicorn -w 2 -k gthread --threads 16"
    chosen = parse_args(["--workers", "3", "--threads", "2"])
    assert server_config("sqlite", chosen).describe() == "gunicorn -w 3 -k gthread --threads 2"
    with pytest.raises(SystemExit):
        parse_args(["--threads", "0"])


def test_a_batch_of_intakes_is_one_insert_per_table_and_one_task(district, orm_broker):
    """The group-commit batch (cases/intake.py:_store_many): each table's rows in ONE INSERT, ONE delivery
    task for the whole batch through the generic outbox, which then reaches every citizen and the station."""
    from django_q.brokers import get_broker
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    from lianxin.cases import intake

    def pending(n: int):
        sub = intake.Submission(
            title=f"路灯 {n}", details="坏了", station_code="donghu", contact_phone="13812341234", consent=True
        )
        resolved = intake.validate_submission(sub)
        case = intake._new_case(sub, resolved, None, f"batch-{n}", sub.fingerprint())
        case.tracking_code = f"LXBATCH{n:03d}"
        return intake._prepare_writes(intake._Pending(case, resolved, [], None))

    batch = [pending(n) for n in range(3)]
    log_action(actor=None, action="test.first", subject_type="case", subject_id=None)  # a chain head to read
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        intake._store_many(batch)
    assert statements(queries)[1:-1] == [
        "INSERT cases_case",
        "INSERT notifications_notification",
        "INSERT django_q_ormq",
        *CHAIN_LOCK,  # last, and held to the COMMIT: the other intakes wait only for these and the COMMIT
        "SELECT audit_auditentry",  # the audit chain's head, once per batch
        "INSERT audit_auditentry",
    ]
    assert OrmQ.objects.count() == 1
    assert Notification.objects.filter(subject_type="case", recipient_kind="citizen").count() == 3
    [(_row_id, payload)] = get_broker().dequeue()
    task = SignedPackage.loads(payload)
    assert import_string(task["func"])(*task["args"], **task["kwargs"]) == 6  # 3 citizens, the station 3 times
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}
