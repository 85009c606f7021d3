"""POST /api/v1/triage: the proposal, its bounds, the rate limit, and no model."""

import json

import pytest

from lianxin.organisation.models import Category

pytestmark = pytest.mark.django_db

URL = "/api/v1/triage"


def post(client, body, **extra):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **extra)


def test_proposes_a_first_level_category_with_confidence(client, triage_model):
    response = post(client, {"title": "小区路灯不亮", "details": "我们小区的路灯坏了一个月，晚上很黑，请尽快修理。"})
    assert response.status_code == 200
    body = response.json()
    assert body["category"] == "城乡建设"
    assert body["category_id"] == Category.objects.get(level=1, name="城乡建设").pk
    assert 0.5 < body["confidence"] <= 1
    assert len(body["alternatives"]) == 2
    confidences = [body["confidence"]] + [a["confidence"] for a in body["alternatives"]]
    assert confidences == sorted(confidences, reverse=True)
    assert {a["category"] for a in body["alternatives"]} <= set(triage_model.labels)
    assert body["model"] == "repository"


@pytest.mark.parametrize(
    ("title", "details", "expected"),
    [
        ("孩子上学难", "学校学位不够，孩子无法就近入学", "教育文体"),
        ("医保报销", "医保异地报销手续太麻烦，社保卡办不下来", "劳动和社会保障"),
        ("工厂排放废气", "附近化工厂夜里排放废气，气味难闻，空气污染严重", "环境保护"),
    ],
)
def test_plain_messages_land_in_their_class(client, triage_model, title, details, expected):
    assert post(client, {"title": title, "details": details}).json()["category"] == expected


@pytest.mark.parametrize(
    "body",
    [{"title": "路灯", "details": ""}, {"title": "", "details": ""}, {"title": 5}, {"details": "x" * 5001}, []],
)
def test_bad_input_is_a_422_in_the_error_shape(client, triage_model, body):
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["error"]["code"]


def test_rate_limited_per_address(client, triage_model, settings):
    settings.THROTTLE_LIMITS = {**settings.THROTTLE_LIMITS, "triage": {"address": (2, 3600)}}
    body = {"title": "小区路灯不亮", "details": "路灯坏了"}
    assert [post(client, body).status_code for _ in range(3)] == [200, 200, 429]


def test_without_a_model_it_answers_503(client, no_triage_model):
    response = post(client, {"title": "小区路灯不亮", "details": "路灯坏了"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "triage_unavailable"
