"""The same text from the same source within the window is one case (cases/duplicates.py): the key is claimed in
the intake's own transaction, once per batch, and lives in the cases app's RecentIntake until the window ends."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases import duplicates, intake
from lianxin.cases.models import Case, RecentIntake
from lianxin.notifications.models import Notification
from tests.api.helpers import BASE, post_json
from tests.factories import jpeg_upload

BODY = {
    "title": "井盖松动",
    "details": "春晖路口的井盖松动，车过时响声很大。",
    "station_code": "donghu",
    "contact_phone": "13712345678",
    "consent": True,
}


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.THROTTLE_ENABLED = False


def submit(client, body=BODY, **extra):
    return post_json(client, f"{BASE}/cases", body, **extra)


def _pending(district, n: int, key: str | None, title: str = "路灯坏了") -> intake._Pending:
    sub = intake.Submission(title=title, details="三栋门口", station_code=district.station.code, consent=True)
    resolved = intake.validate_submission(sub)
    case = intake._new_case(sub, resolved, None, None, sub.fingerprint())
    case.tracking_code = f"LXDUP{n:05d}"
    return intake._prepare_writes(intake._Pending(case, resolved, [], None, duplicate_key=key))


@pytest.mark.django_db
def test_a_batch_claims_its_keys_in_one_statement_and_a_repeat_inside_it_gets_the_first_case(district):
    batch = [_pending(district, 1, "a" * 40), _pending(district, 2, "b" * 40), _pending(district, 3, "a" * 40)]
    with CaptureQueriesContext(connection) as queries:
        stored = intake._store_many(batch)
    assert [(case.tracking_code, created) for case, created in stored] == [
        ("LXDUP00001", True),
        ("LXDUP00002", True),
        ("LXDUP00001", False),
    ]
    assert stored[2][0] is stored[0][0]
    claims = [q["sql"] for q in queries.captured_queries if "cases_recentintake" in q["sql"]]
    assert len(claims) == 1 and claims[0].startswith("INSERT")
    assert sorted(Case.objects.values_list("tracking_code", flat=True)) == ["LXDUP00001", "LXDUP00002"]
    assert AuditEntry.objects.filter(action="case.registered").count() == 2
    assert dict(RecentIntake.objects.values_list("key", "tracking_code")) == {
        "a" * 40: "LXDUP00001",
        "b" * 40: "LXDUP00002",
    }


@pytest.mark.django_db
def test_a_batch_of_repeats_only_stores_nothing(district):
    [(first, created)] = intake._store_many([_pending(district, 1, "c" * 40)])
    assert created
    stored = intake._store_many([_pending(district, 2, "c" * 40), _pending(district, 3, "c" * 40)])
    assert [(case.pk, created) for case, created in stored] == [(first.pk, False), (first.pk, False)]
    assert Case.objects.count() == 1 and AuditEntry.objects.filter(action="case.registered").count() == 1


@pytest.mark.django_db
def test_after_the_window_the_same_text_is_a_new_case_and_takes_the_key(client, district):
    first = submit(client).json()["tracking_code"]
    RecentIntake.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    again = submit(client)
    assert again.status_code == 201
    assert again.json()["tracking_code"] != first
    assert list(RecentIntake.objects.values_list("tracking_code", flat=True)) == [again.json()["tracking_code"]]
    assert submit(client).json()["tracking_code"] == again.json()["tracking_code"]  # and holds it anew


@pytest.mark.django_db
def test_the_window_is_the_setting(client, district, settings):
    settings.INTAKE_DUPLICATE_SECONDS = 120
    before = timezone.now()
    submit(client)
    expires = RecentIntake.objects.get().expires_at
    assert before + dt.timedelta(seconds=120) <= expires <= timezone.now() + dt.timedelta(seconds=120)


@pytest.mark.django_db
def test_a_key_whose_case_is_gone_is_taken_over_by_the_next_intake(client, district):
    first = submit(client).json()["tracking_code"]
    Case.objects.filter(tracking_code=first).delete()
    again = submit(client)
    assert again.status_code == 201
    assert list(RecentIntake.objects.values_list("tracking_code", flat=True)) == [again.json()["tracking_code"]]
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_within_the_window_a_repeat_gets_its_case_even_when_the_station_closed_since(client, district, settings):
    settings.STATION_CACHE_SECONDS = 0
    first = submit(client)
    district.station.active = False
    district.station.save()
    again = submit(client)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert submit(client, {**BODY, "title": "另一件"}).status_code == 422  # anything else is refused


@pytest.mark.django_db
def test_a_repeat_with_photos_keeps_no_file(client, district, settings):
    form = {**{k: str(v) for k, v in BODY.items() if k != "consent"}, "consent": "true"}
    first = client.post(f"{BASE}/cases", {**form, "photos": [jpeg_upload("a.jpg")]})
    again = client.post(f"{BASE}/cases", {**form, "photos": [jpeg_upload("b.jpg")]})
    assert (first.status_code, again.status_code) == (201, 200)
    case = Case.objects.get()
    assert case.photos.count() == 1
    files = [p for p in (settings.MEDIA_ROOT / "cases").rglob("*") if p.is_file()]
    assert [p.name for p in files] == [case.photos.get().image.name.rsplit("/", 1)[-1]]


@pytest.mark.django_db
def test_off_no_key_is_kept(client, district, settings):
    settings.INTAKE_DUPLICATE_SECONDS = 0
    assert [submit(client).status_code for _ in range(2)] == [201, 201]
    assert not RecentIntake.objects.exists()


@pytest.mark.django_db
def test_the_hourly_purge_deletes_only_ended_windows(district):
    now = timezone.now()
    RecentIntake.objects.create(key="old", tracking_code="LX1", expires_at=now - dt.timedelta(seconds=1))
    RecentIntake.objects.create(key="live", tracking_code="LX2", expires_at=now + dt.timedelta(seconds=60))
    assert duplicates.purge_expired(now) == 1
    assert list(RecentIntake.objects.values_list("key", flat=True)) == ["live"]


@pytest.mark.django_db
def test_the_purge_is_scheduled_hourly():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="cases.purge_recent_intakes")
    assert (schedule.func, schedule.schedule_type) == ("lianxin.cases.duplicates.purge_expired", Schedule.HOURLY)


@pytest.mark.django_db(transaction=True)
def test_the_same_text_sent_at_once_from_several_threads_is_one_case():
    """Whatever the batches (lianxin/groupcommit.py), each thread is answered with the one case."""
    from tests.factories import make_district

    district = make_district()
    start = threading.Barrier(6)
    results: dict[int, object] = {}

    def send(n: int):
        try:
            sub = intake.Submission(
                title="同一件事",
                details="同时提交",
                station_code=district.station.code,
                contact_phone="13700001111",
                consent=True,
            )
            key = duplicates.duplicate_key(
                phone="13700001111",
                address="",
                station_code=sub.station_code,
                deputy_code="",
                grid_code="",
                title=sub.title,
                details=sub.details,
            )
            start.wait(10)
            results[n] = intake.case_register(submission=sub, duplicate_key=key)
        except Exception as exc:
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    case = Case.objects.get()
    assert sorted((result[0].pk, result[1]) for result in results.values()) == [(case.pk, False)] * 5 + [
        (case.pk, True)
    ]
    assert AuditEntry.objects.filter(action="case.registered").count() == 1
    assert Notification.objects.filter(subject_type="case", recipient_kind="citizen").count() == 1
