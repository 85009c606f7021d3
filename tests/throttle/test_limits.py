"""Rate limits on the anonymous endpoints: counted in the shared cache, 429 with Retry-After past them."""

import threading

import pytest
from django.core.cache import cache

from lianxin.cases.codes import follow_up_token
from lianxin.cases.models import Case
from lianxin.throttle import limits
from tests.api.helpers import BASE, assert_error, post_json
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def _case(n: int, phone: str = "") -> dict:
    return {
        "title": f"路灯不亮 {n}",
        "details": f"春晖小区{n}栋门口路灯坏了。",
        "station_code": "donghu",
        "contact_phone": phone,
        "consent": True,
    }


def _limits(settings, scope: str, **rules):
    settings.THROTTLE_LIMITS = {**settings.THROTTLE_LIMITS, scope: rules}


def test_a_flood_from_one_address_gets_429_past_the_limit_and_stores_nothing_more(client, district, settings):
    _limits(settings, "intake", address=(5, 3600))
    answers = [post_json(client, f"{BASE}/cases", _case(n), REMOTE_ADDR="10.1.1.1").status_code for n in range(8)]
    assert answers == [201] * 5 + [429] * 3
    assert Case.objects.count() == 5
    # Another address is not held back by it.
    assert post_json(client, f"{BASE}/cases", _case(99), REMOTE_ADDR="10.1.1.2").status_code == 201


def test_the_refusal_says_when_to_come_back_in_the_callers_language(client, district, settings):
    _limits(settings, "intake", address=(1, 3600))
    post_json(client, f"{BASE}/cases", _case(1))
    refused = post_json(client, f"{BASE}/cases", _case(2), HTTP_ACCEPT_LANGUAGE="zh-hans")
    error = assert_error(refused, 429, "throttled")
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert "频繁" in error["message"]
    english = post_json(client, f"{BASE}/cases", _case(3), HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many" in assert_error(english, 429, "throttled")["message"]
    assert english["Retry-After"]


def test_one_phone_number_is_limited_across_addresses(client, district, settings):
    _limits(settings, "intake", address=(100, 3600), phone=(2, 3600))
    answers = [
        post_json(client, f"{BASE}/cases", _case(n, "13812340000"), REMOTE_ADDR=f"10.2.0.{n}").status_code
        for n in range(4)
    ]
    assert answers == [201, 201, 429, 429]
    assert Case.objects.count() == 2
    assert post_json(client, f"{BASE}/cases", _case(9, "13812349999"), REMOTE_ADDR="10.2.0.9").status_code == 201


def test_guessing_the_token_of_one_tracking_code_is_limited_from_any_address(client, district, settings):
    _limits(settings, "track", address=(1000, 3600), code=(3, 3600))
    case = submit_case()
    answers = [
        client.get(f"{BASE}/cases/track/{case.tracking_code}", {"token": f"guess{n}"}, REMOTE_ADDR=f"10.3.0.{n}")
        for n in range(5)
    ]
    assert [a.status_code for a in answers] == [404, 404, 404, 429, 429]
    assert answers[-1]["Retry-After"]
    # The web tracking page counts under the same code.
    page = client.get(f"/track/{case.tracking_code}", {"token": follow_up_token(case.tracking_code)})
    assert page.status_code == 429
    assert page["Retry-After"]


def test_the_client_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    settings.TRUSTED_PROXIES = []
    assert limits.client_address(request) == "192.0.2.1"  # anybody can send the header
    settings.TRUSTED_PROXIES = ["192.0.2.1"]
    assert limits.client_address(request) == "203.0.113.9"
    forged = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert limits.client_address(forged) == "203.0.113.9"  # the address the proxy saw, not the client's claim


@pytest.mark.django_db(transaction=True)
def test_counts_are_shared_by_every_cache_client_and_database_connection():
    """Two clients (another thread: its own database connection and cache instance) count together."""
    cache.clear()
    assert limits.hit({"rl:test:shared": 60}) == {"rl:test:shared": 1}
    seen = {}

    def other_worker():
        from django.core.cache import caches
        from django.db import connection

        seen["count"] = limits.hit({"rl:test:shared": 60})["rl:test:shared"]
        seen["other_cache"] = caches["default"] is not cache
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    thread.join()
    assert seen == {"count": 2, "other_cache": True}
    assert limits.hit({"rl:test:shared": 60}) == {"rl:test:shared": 3}
    cache.clear()


def test_increments_are_atomic_under_concurrent_workers_in_one_window(settings):
    """Django's DatabaseCache.incr is a get then a set; ours reads the row locked and never loses a count."""
    cache.add("rl:test:atomic", 0, 60)
    for _ in range(10):
        cache.incr("rl:test:atomic")
    assert cache.get("rl:test:atomic") == 10
    assert cache.add("rl:test:atomic", 0, 60) is False  # add never resets a live counter


def test_other_anonymous_endpoints_are_limited(client, district, settings):
    _limits(settings, "lookup", address=(2, 3600))
    for _ in range(2):
        assert client.get(f"{BASE}/finder/search", {"q": "春晖"}).status_code == 200
    assert_error(client.get(f"{BASE}/finder/search", {"q": "春晖"}), 429, "throttled")
    assert_error(client.get(f"{BASE}/lookup", {"lat": 30.2, "lng": 120.1}), 429, "throttled")


def test_event_sign_up_pages_answer_429_past_the_code_limit(client, district, settings):
    _limits(settings, "signup_view", address=(100, 3600), code=(1, 3600))
    assert client.get("/events/signup/NOPE/", {"token": "x"}).status_code in (404, 429)
    refused = client.get("/events/signup/NOPE/", {"token": "x"})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert client.post("/events/signup/NOPE/cancel", {"token": "x"}).status_code == 429


def test_a_flooding_address_does_not_use_up_the_stations_allowance(client, district, settings):
    _limits(settings, "intake", address=(3, 3600), target=(6, 3600))
    flood = [post_json(client, f"{BASE}/cases", _case(n), REMOTE_ADDR="10.4.0.1").status_code for n in range(10)]
    assert flood == [201] * 3 + [429] * 7
    others = [post_json(client, f"{BASE}/cases", _case(20 + n), REMOTE_ADDR="10.4.0.2").status_code for n in range(4)]
    assert others == [201, 201, 201, 429]  # the station's 6 per hour, counting only what the address let through


def test_expired_counters_are_purged_by_the_periodic_task():
    from lianxin.throttle.cache import purge_expired

    cache.add("rl:test:old", 5, 1)
    cache.add("rl:test:live", 5, 600)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE lianxin_cache SET expires = %s WHERE cache_key LIKE %s", ["2000-01-01 00:00:00", "%old"])
    assert purge_expired() == 1
    assert cache.get("rl:test:live") == 5


@pytest.mark.django_db(transaction=True)
def test_counters_alone_commit_without_waiting_for_the_disk_on_postgresql_but_a_callers_transaction_keeps_it():
    """A flood counts on one row: its commits must not wait for an fsync each (bench-flood on PostgreSQL went
    from 21 s to 7 s); the durability of a transaction the counter joins (an intake's) is left as it is."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")

    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    with cache.batch():
        limits.hit({"rl:test:durability": 60})
        assert setting() == "off"
    assert setting() == "on"
    with transaction.atomic(), cache.batch():
        limits.hit({"rl:test:durability": 60})
        assert setting() == "on"
    # the group commit's batch of counts, in its own transaction / in a caller's
    with transaction.atomic():
        limits._hit_many([{"rl:test:durability": 60}])
        assert setting() == "off"
    with transaction.atomic(), transaction.atomic():
        limits._hit_many([{"rl:test:durability": 60}])
        assert setting() == "on"


def test_the_counts_of_requests_arriving_together_share_one_statement_per_key_and_come_out_in_order():
    """A batch of requests' counts (lianxin/groupcommit.py): each key incremented once by how many count under it,
    each request handed the count it would have had alone, one after the other."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    limits.hit({"rl:test:a": 60})
    with CaptureQueriesContext(connection) as queries:
        counts = limits._hit_many([{"rl:test:a": 60, "rl:test:b": 60}, {"rl:test:a": 60}, {"rl:test:b": 60}])
    assert counts == [{"rl:test:a": 2, "rl:test:b": 1}, {"rl:test:a": 3}, {"rl:test:b": 2}]
    assert (cache.get("rl:test:a"), cache.get("rl:test:b")) == (3, 2)
    # per key, however many requests count under it: the add, and the incr's locked read and write
    assert len([q for q in queries.captured_queries if "lianxin_cache" in q["sql"]]) == 2 * 3
    assert limits.hit({"rl:test:a": 60}) == {"rl:test:a": 4}


@pytest.mark.django_db(transaction=True)
def test_counts_from_many_threads_at_once_are_each_request_s_own():
    """Whatever the batches, N requests at once under one key get the counts 1..N, each once."""
    from django.db import connection

    cache.clear()
    start = threading.Barrier(8)
    counts = []

    def request():
        try:
            start.wait(10)
            counts.append(limits.hit({"rl:test:many": 60})["rl:test:many"])
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(counts) == list(range(1, 9))
    assert cache.get("rl:test:many") == 8
    cache.clear()


def test_the_login_log_gets_an_ip_address_or_none(rf):
    """django-axes stores the address as an IP (inet on PostgreSQL): a login made in code has no REMOTE_ADDR,
    and "unknown" made every such login fail there."""
    request = rf.get("/")
    request.META["REMOTE_ADDR"] = ""
    assert limits.client_address(request) == "unknown" and limits.login_address(request) is None
    request.META["REMOTE_ADDR"] = "192.0.2.7"
    assert limits.login_address(request) == "192.0.2.7"
