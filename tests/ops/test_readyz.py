"""/readyz: 200 with every check's figures when the process may take traffic, 503 naming what is wrong.
/healthz only says the process answers."""

import datetime as dt

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from lianxin.workdays.models import CalendarYear
from lianxin.workdays.services import calendar_clear_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _this_year_entered():
    """The data migration seeds the years chinesecalendar knows; the test must not depend on today's date."""
    CalendarYear.objects.get_or_create(year=timezone.localdate().year)
    calendar_clear_cache()


def test_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "cache", "task_queue", "disk", "calendar"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["task_queue"] == {"ok": True, "depth": 0, "lag_seconds": 0.0, "max_lag_seconds": 300}
    assert body["checks"]["calendar"]["year"] == timezone.localdate().year


def test_healthz_answers_without_asking_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def _not_ready(client, failing: str) -> dict:
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert [name for name, check in body["checks"].items() if not check["ok"]] == [failing]
    return body["checks"][failing]


def test_a_task_waiting_longer_than_the_limit(client, settings):
    settings.READY_QUEUE_LAG_SECONDS = 60
    now = timezone.now()
    OrmQ.objects.create(key="lianxin", payload="x", lock=now - dt.timedelta(seconds=30))
    assert client.get("/readyz").status_code == 200  # waiting, but not for long
    OrmQ.objects.create(key="lianxin", payload="x", lock=now - dt.timedelta(seconds=600))
    OrmQ.objects.create(key="lianxin", payload="x", lock=now + dt.timedelta(seconds=300))  # held by a worker
    check = _not_ready(client, "task_queue")
    assert check["depth"] == 2
    assert 600 <= check["lag_seconds"] < 660


def test_too_little_disk(client, settings):
    settings.READY_DISK_FREE_MB = 10**9  # a petabyte
    check = _not_ready(client, "disk")
    assert check["min_free_mb"] == 10**9 and check["free_mb"] < 10**9


def test_this_years_calendar_missing(client):
    year = timezone.localdate().year
    CalendarYear.objects.filter(year=year).delete()
    calendar_clear_cache()
    check = _not_ready(client, "calendar")
    assert check["year"] == year and year in check["missing_years"]


def test_a_cache_that_cannot_be_reached(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    assert _not_ready(client, "cache") == {"ok": False, "error": "ConnectionError"}
