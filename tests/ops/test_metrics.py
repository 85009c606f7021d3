"""/metrics: Prometheus' text format for the configured addresses only (anyone else: 404), with the request
counters and the figures read from the database."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
from prometheus_client.parser import text_string_to_metric_families

from lianxin.cases.enums import Light
from lianxin.cases.models import Case
from lianxin.notifications.models import Notification
from lianxin.throttle.limits import client_address
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def samples(response) -> dict[tuple[str, tuple], float]:
    text = response.content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.mark.parametrize(
    ("peer", "forwarded"),
    [
        ("203.0.113.7", ""),
        ("10.1.2.3", "127.0.0.1"),  # a forwarded address is believed only from a trusted proxy
        ("127.0.0.1", "203.0.113.7"),  # through the local nginx (trusted): the client outside
    ],
)
def test_others_do_not_see_it(client, settings, peer, forwarded):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    response = client.get("/metrics", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 404
    assert b"lianxin_" not in response.content


def test_a_configured_network_sees_it(client, settings):
    settings.METRICS_ALLOWED = ["10.8.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.8.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_counters_and_figures(client, district):
    first = submit_case()
    submit_case(channel="web", title="另一件事", details="楼道堆放杂物，存在消防隐患，请处理。")
    Case.objects.filter(pk=first.pk).update(light=Light.RED, handling_division=district.street)
    Notification.objects.create(
        channel="sms", recipient_kind="citizen", event="x", subject="s", body="b", state="failed"
    )
    client.get("/healthz")
    client.get("/no-such-page/")
    before = samples(client.get("/metrics"))
    after = samples(client.get("/metrics"))

    assert after[("lianxin_intakes_total", (("channel", "qr_station"),))] == 1
    assert after[("lianxin_intakes_total", (("channel", "web"),))] == 1
    assert after[("lianxin_cases_overdue", (("level", "street"),))] == 1
    assert after[("lianxin_cases_overdue", (("level", "grid"),))] == 0
    assert after[("lianxin_notification_failures_total", ())] == 1
    assert after[("lianxin_notifications", (("state", "failed"),))] == 1
    assert after[("lianxin_task_queue_depth", ())] == 0
    assert after[("lianxin_task_queue_lag_seconds", ())] == 0
    requests = ("lianxin_http_requests_total", (("method", "GET"), ("status", "200")))
    assert after[requests] == before[requests] + 1  # the scrape between the two
    assert after[("lianxin_http_requests_total", (("method", "GET"), ("status", "404")))] >= 1


def test_failed_logins_are_counted_against_the_same_address_as_the_rate_limits(settings):
    """django-axes (and the account entries of the audit log) take the client address from the rate limits' rule."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    factory = RequestFactory()
    behind_proxy = factory.post("/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    forged = factory.post("/login/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert get_client_ip_address(behind_proxy) == client_address(behind_proxy) == "198.51.100.4"
    assert get_client_ip_address(forged) == client_address(forged) == "203.0.113.9"
