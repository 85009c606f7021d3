"""The baseline endpoint and the management commands of `make bench-intake`."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from lianxin.bench.models import BenchRow
from lianxin.bench.views import baseline
from lianxin.organisation.models import Station

pytestmark = pytest.mark.django_db


def post(body, key="k-1", content_type="application/json"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    request = RequestFactory().post("/bench/baseline", body, content_type=content_type, headers=headers)
    return baseline(request)


def test_baseline_inserts_one_row_and_answers_201():
    response = post(json.dumps({"title": " 路灯不亮 "}), key="run-1-1")

    assert response.status_code == 201
    assert json.loads(response.content) == {"idempotency_key": "run-1-1"}
    assert list(BenchRow.objects.values_list("idempotency_key", "title")) == [("run-1-1", "路灯不亮")]


@pytest.mark.parametrize(
    ("body", "key", "status"),
    [
        ("{not json", "k", 400),
        ("[1, 2]", "k", 422),
        (json.dumps({"title": ""}), "k", 422),
        (json.dumps({"title": 5}), "k", 422),
        (json.dumps({"title": "x" * 101}), "k", 422),
        (json.dumps({"title": "ok"}), None, 422),
        (json.dumps({"title": "ok"}), "k" * 101, 422),
    ],
)
def test_baseline_refuses_bad_input_and_stores_nothing(body, key, status):
    response = post(body, key=key)

    assert response.status_code == status
    assert json.loads(response.content)["detail"]
    assert BenchRow.objects.count() == 0


def test_baseline_answers_get_with_405():
    assert baseline(RequestFactory().get("/bench/baseline")).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_baseline_refuses_a_used_key_with_409():
    assert post(json.dumps({"title": "a"}), key="same").status_code == 201

    response = post(json.dumps({"title": "b"}), key="same")

    assert response.status_code == 409
    assert list(BenchRow.objects.values_list("title", flat=True)) == ["a"]


def test_bench_urls_are_off_unless_enabled(client, settings):
    # lianxin.urls is imported with BENCH_ENDPOINTS false (the default), so /bench/ does not exist.
    assert settings.BENCH_ENDPOINTS is False
    assert client.post("/bench/baseline", "{}", content_type="application/json").status_code == 404


def test_bench_seed_creates_the_bench_station_once():
    call_command("bench_seed", stdout=io.StringIO())
    call_command("bench_seed", stdout=io.StringIO())

    station = Station.objects.get(code="bench")
    assert station.active
    assert station.division.kind == "district"
    assert station.division.path == f"/{station.division.pk}/"
    assert Station.objects.count() == 1


def test_bench_count_counts_stored_keys(tmp_path, capsys):
    BenchRow.objects.create(idempotency_key="a", title="t", created_at="2026-01-01T00:00:00Z")
    BenchRow.objects.create(idempotency_key="b", title="t", created_at="2026-01-01T00:00:00Z")
    keys = tmp_path / "keys"
    keys.write_text("a\nb\nc\n\na\n")

    call_command("bench_count", "--target", "baseline", "--keys", str(keys))

    assert capsys.readouterr().out.split() == ["2", "3"]
