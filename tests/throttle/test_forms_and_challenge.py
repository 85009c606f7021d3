"""The web form past a limit, the honeypot and time trap, the proof-of-work challenge, duplicate intakes."""

import base64
import json
import time

import altcha
import pytest
from django.core import signing

from lianxin.cases.models import Case
from lianxin.throttle import traps
from tests.api.helpers import BASE, assert_error, post_json

pytestmark = pytest.mark.django_db

FORM = {
    "title": "井盖松动有响声",
    "details": "春晖路口的井盖松动，车过时响声很大。",
    "contact_name": "李四",
    "contact_phone": "13900001111",
    "consent": "on",
}


def _limits(settings, scope: str, **rules):
    settings.THROTTLE_LIMITS = {**settings.THROTTLE_LIMITS, scope: rules}


def _drawn(seconds_ago: float) -> str:
    return signing.dumps(int((time.time() - seconds_ago) * 1000), salt="lianxin.throttle.form-drawn")


def test_the_web_form_past_the_limit_is_drawn_again_with_what_was_typed(client, district, settings):
    _limits(settings, "intake", address=(1, 3600))
    assert client.post("/s/donghu", FORM).status_code == 302
    refused = client.post("/s/donghu", {**FORM, "title": "第二个问题", "details": "写了很久的内容"})
    assert refused.status_code == 429
    assert refused["Retry-After"]
    page = refused.content.decode()
    assert "第二个问题" in page and "写了很久的内容" in page and "13900001111" in page
    assert "频繁" in page
    assert Case.objects.count() == 1


def test_a_filled_honeypot_stores_nothing_and_keeps_the_text(client, district):
    response = client.post("/s/donghu", {**FORM, traps.HONEYPOT: "http://spam.example"})
    assert response.status_code == 400
    assert FORM["details"] in response.content.decode()
    assert Case.objects.count() == 0


def test_a_form_sent_back_faster_than_a_person_types_is_refused(client, district, settings):
    settings.FORM_MIN_SECONDS = 5
    fast = client.post("/s/donghu", {**FORM, traps.DRAWN: _drawn(1)})
    assert fast.status_code == 400
    assert FORM["title"] in fast.content.decode()
    missing = client.post("/s/donghu", FORM)  # no signed drawing time at all
    assert missing.status_code == 400
    forged = client.post("/s/donghu", {**FORM, traps.DRAWN: "1700000000000"})
    assert forged.status_code == 400
    assert Case.objects.count() == 0
    assert client.post("/s/donghu", {**FORM, traps.DRAWN: _drawn(6)}).status_code == 302
    assert Case.objects.count() == 1
    # The drawn form carries both traps.
    page = client.get("/s/donghu").content.decode()
    assert f'name="{traps.HONEYPOT}"' in page and f'name="{traps.DRAWN}"' in page


def _solve(client) -> str:
    challenge = client.get(f"{BASE}/challenge").json()
    solution = altcha.solve_challenge(altcha.Challenge.from_dict(challenge))
    return base64.b64encode(json.dumps({"challenge": challenge, "solution": solution.to_dict()}).encode()).decode()


def _case(n: int) -> dict:
    return {"title": f"噪音扰民 {n}", "details": f"工地夜间施工 {n}", "station_code": "donghu", "consent": True}


def test_past_the_soft_limit_the_api_asks_for_the_challenge_and_takes_it_solved_once(client, district, settings):
    settings.CHALLENGE_COST = 10
    _limits(settings, "intake", address=(100, 3600), address_soft=(2, 3600))
    assert [post_json(client, f"{BASE}/cases", _case(n)).status_code for n in range(2)] == [201, 201]
    assert_error(post_json(client, f"{BASE}/cases", _case(3)), 429, "challenge_required")
    payload = _solve(client)
    assert post_json(client, f"{BASE}/cases", _case(4), HTTP_X_ALTCHA=payload).status_code == 201
    # A solution is good for one request only, and a made-up one for none.
    assert_error(post_json(client, f"{BASE}/cases", _case(5), HTTP_X_ALTCHA=payload), 429, "challenge_required")
    assert_error(post_json(client, f"{BASE}/cases", _case(6), HTTP_X_ALTCHA="bm9uc2Vuc2U="), 429, "challenge_required")
    assert Case.objects.count() == 3


def test_past_the_soft_limit_the_web_form_shows_the_widget_and_takes_the_solution(client, district, settings):
    settings.CHALLENGE_COST = 10
    _limits(settings, "intake", address=(100, 3600), address_soft=(1, 3600))
    assert "altcha-widget" not in client.get("/s/donghu").content.decode()
    assert client.post("/s/donghu", FORM).status_code == 302
    refused = client.post("/s/donghu", {**FORM, "title": "再反映一件"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "altcha-widget" in page and "再反映一件" in page
    assert "vendor/altcha/main/altcha.i18n.min.js" in page
    solved = client.post("/s/donghu", {**FORM, "title": "再反映一件", "altcha": _solve(client)})
    assert solved.status_code == 302
    assert Case.objects.count() == 2


def test_the_same_text_from_the_same_source_returns_the_same_case(client, district):
    body = {**_case(1), "contact_phone": "13712345678"}
    first = post_json(client, f"{BASE}/cases", body, REMOTE_ADDR="10.9.0.1")
    again = post_json(client, f"{BASE}/cases", body, REMOTE_ADDR="10.9.0.2")  # same phone, other address
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert again.json()["follow_up_token"] == first.json()["follow_up_token"]
    # Without a phone the source is the address; other text or another address is a new case.
    anonymous = _case(2)
    a = post_json(client, f"{BASE}/cases", anonymous, REMOTE_ADDR="10.9.0.3").json()["tracking_code"]
    b = post_json(client, f"{BASE}/cases", anonymous, REMOTE_ADDR="10.9.0.3").json()["tracking_code"]
    c = post_json(client, f"{BASE}/cases", anonymous, REMOTE_ADDR="10.9.0.4").json()["tracking_code"]
    d = post_json(client, f"{BASE}/cases", {**anonymous, "details": "另一件事"}, REMOTE_ADDR="10.9.0.3")
    assert a == b and c != a and d.json()["tracking_code"] not in {a, c}
    assert Case.objects.count() == 4
