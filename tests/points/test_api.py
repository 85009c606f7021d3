"""The performance API: a permission table run for every persona, the flows, bad input in the one error shape."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.appraisal import services as appraisal_services
from lianxin.appraisal.enums import ItemSource, RoundState
from lianxin.points.enums import Activity
from lianxin.points.models import PointsContest, PointsEntry
from lianxin.points.services import points_scan
from tests.api.helpers import BASE, assert_error, bearer, post_json
from tests.points.helpers import shift

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def world(district):
    shift(district, timezone.localdate() - dt.timedelta(days=1), "present")
    points_scan()
    round_ = appraisal_services.round_create(actor=district.office, year=YEAR)
    appraisal_services.round_set_state(actor=district.office, round_id=round_.pk, state=RoundState.COLLECTING)
    entry = PointsEntry.objects.get(deputy=district.deputy, activity=Activity.DUTY_ATTENDED)
    return {"round": round_, "entry": entry}


def _requests(district, world):
    round_, entry = world["round"], world["entry"]
    members = round_.items.get(source=ItemSource.MEMBER_SCORES)
    today = timezone.localdate().isoformat()
    return {
        "table": ("get", f"{BASE}/performance/points?year={YEAR}", None),
        "ledger": ("get", f"{BASE}/performance/deputies/{district.deputy.pk}/entries?year={YEAR}", None),
        "manual": (
            "post",
            f"{BASE}/performance/entries",
            {"deputy_id": district.deputy.pk, "points": 1, "occurred_on": today, "reason": "参加视察"},
        ),
        "contest": ("post", f"{BASE}/performance/entries/{entry.pk}/contest", {"reason": "有误"}),
        "publish": ("post", f"{BASE}/performance/publications", {"year": YEAR, "quarter": 0, "published": True}),
        "assessment": ("get", f"{BASE}/performance/assessment?year={YEAR}", None),
        "member_score": (
            "post",
            f"{BASE}/appraisal/{YEAR}/scores",
            {"item_id": members.pk, "unit_id": district.unit.pk, "score": 90},
        ),
        "opinion": ("post", f"{BASE}/appraisal/{YEAR}/opinions", {"unit_id": district.unit.pk, "rating": "satisfied"}),
    }


ALLOWED = {
    "office": {"table", "ledger", "manual", "publish", "assessment"},
    "deputy_user": {"ledger", "contest", "opinion"},
    "leader": {"member_score"},
    "station_staff": set(),
    "unit_user": set(),
    "auditor": set(),
    "outsider": set(),
}
# refusals that are not a 404 because the object is visible but the action is not theirs
REFUSED = {("office", "member_score"): 409, ("leader", "publish"): 409, ("deputy_user", "publish"): 409}


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_permission_matrix(district, client, world, persona):
    headers = bearer(district.persona(persona))
    for label, (method, url, body) in _requests(district, world).items():
        if method == "get":
            response = client.get(url, **headers)
        else:
            response = post_json(client, url, body, **headers)
        if label in ALLOWED[persona]:
            assert response.status_code in (200, 201), (persona, label, response.content[:300])
        else:
            expected = REFUSED.get((persona, label), 404)
            if persona in ("station_staff", "unit_user", "auditor", "outsider") and label == "publish":
                expected = 409
            assert_error(response, expected)
    assert client.get(f"{BASE}/performance/points?year={YEAR}").status_code == 401


def test_ledger_contest_and_decision_over_the_api(district, client, world):
    entry = world["entry"]
    deputy = bearer(district.deputy_user)
    body = client.get(f"{BASE}/performance/deputies/{district.deputy.pk}/entries?year={YEAR}", **deputy).json()
    assert body["total"] == 62.0 and body["total_entries"] == 2
    duty = next(i for i in body["items"] if i["activity"] == "duty_attended")
    assert duty["evidence_url"] == f"/work/duty/shifts/{entry.evidence_id}/" and duty["rule_version"] == 1
    response = post_json(client, f"{BASE}/performance/entries/{entry.pk}/contest", {"reason": "有误"}, **deputy)
    contest_id = response.json()["id"]
    assert_error(post_json(client, f"{BASE}/performance/entries/{entry.pk}/contest", {"reason": "再"}, **deputy), 409)
    office = bearer(district.office)
    decided = post_json(
        client, f"{BASE}/performance/contests/{contest_id}/decision", {"uphold": True, "note": "属实"}, **office
    )
    assert decided.json()["state"] == "upheld"
    body = client.get(f"{BASE}/performance/deputies/{district.deputy.pk}/entries?year={YEAR}", **deputy).json()
    assert body["total"] == 60.0
    assert PointsContest.objects.get().state == "upheld"


def test_bad_input_gets_the_error_shape_and_stores_nothing(district, client, world):
    office = bearer(district.office)
    url = f"{BASE}/performance/entries"
    good = {"deputy_id": district.deputy.pk, "points": 1, "occurred_on": "2026-01-02", "reason": "x"}
    before = PointsEntry.objects.count()
    cases = [
        ({**good, "points": "abc"}, 422),
        ({**good, "points": 1.25}, 422),
        ({**good, "reason": ""}, 422),
        ({**good, "reason": "长" * 3000}, 422),
        ({**good, "deputy_id": 0}, 422),
        ({**good, "deputy_id": district.other_deputy.pk + 1000}, 404),
        ({**good, "occurred_on": "2026-02-30"}, 422),
        ([1, 2], 422),
        ("not json", 400),
    ]
    for body, status in cases:
        assert_error(post_json(client, url, body, **office), status)
    assert PointsEntry.objects.count() == before
    assert_error(client.get(f"{BASE}/performance/points?year=abc", **office), 422)
    assert_error(client.get(f"{BASE}/performance/points?year={YEAR}&quarter=9", **office), 422)
