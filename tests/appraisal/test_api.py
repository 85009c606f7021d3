"""The public leaderboard over the API (moved from tests/performance/test_api.py; the permission table of both
apps' endpoints stays in tests/points/test_api.py)."""

import pytest
from django.utils import timezone

from lianxin.appraisal import services as appraisal_services
from lianxin.appraisal.enums import ItemSource, RoundState
from tests.api.helpers import BASE, assert_error
from tests.appraisal.helpers import handled_case

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def world(district):
    round_ = appraisal_services.round_create(actor=district.office, year=YEAR)
    appraisal_services.round_set_state(actor=district.office, round_id=round_.pk, state=RoundState.COLLECTING)
    return {"round": round_}


def test_public_leaderboard_over_the_api(district, client, world, settings):
    settings.PERFORMANCE_APPRAISAL_MIN_SAMPLE = 1
    round_ = world["round"]
    assert_error(client.get(f"{BASE}/appraisal/{YEAR}"), 404)
    for item in round_.items.exclude(source=ItemSource.CASE_HANDLING):
        appraisal_services.item_update(actor=district.office, item_id=item.pk, weight=0)
    handled_case(district, rating="basically_satisfied")
    appraisal_services.round_publish(actor=district.office, round_id=round_.pk)
    body = client.get(f"{BASE}/appraisal/{YEAR}").json()
    first = body["results"][0]
    assert (first["unit_code"], first["rank"], first["total"]) == (
        district.unit.code,
        1,
        91.0,
    )  # (100×40+100×30+70×30)/100
    assert len(body["methods"]) == 7 and body["results"][1]["ranked"] is False
    case_item = next(i for i in first["items"] if i["name"] == "民生实事办理")
    detail = client.get(f"{BASE}/appraisal/{YEAR}/units/{district.unit.code}/items/{case_item['item_id']}").json()
    assert detail["details"]["basically_satisfied"] == 1 and detail["score"] == 91.0
    assert_error(client.get(f"{BASE}/appraisal/{YEAR}/units/nope/items/{case_item['item_id']}"), 404)
