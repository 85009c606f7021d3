"""The cockpit JSON API and the demo extension."""

import pytest
from django.core.management import call_command

from lianxin.accounts.services import api_token_issue
from lianxin.cases.models import Case
from lianxin.cockpit.models import CaseFigure, RollupState
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def test_api_overview_with_token_and_scope(client, district):
    submit_case()
    submit_case(station_code="xishan")
    from lianxin.cockpit import rollups

    rollups.refresh()
    url = "/api/v1/cockpit/overview"
    key, _token = api_token_issue(user=district.office)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = client.get(url, {"period": "year"}, **auth).json()
    assert body["totals"]["total"] == 2 and len(body["children"]) == 2
    street = client.get(url, {"division": district.street.pk}, **auth).json()
    assert street["totals"]["total"] == 1
    assert client.get(url).status_code == 401
    bad = client.get(url, {"period": "decade"}, **auth)
    assert bad.status_code == 422 and bad.json()["error"]["message"] == "没有这个统计期间。"
    staff_key, _token = api_token_issue(user=district.station_staff)
    foreign = client.get(url, {"division": district.other_street.pk}, HTTP_AUTHORIZATION=f"Bearer {staff_key}")
    assert foreign.status_code == 404 and foreign.json()["error"]["code"]
    unit_key, _token = api_token_issue(user=district.unit_user)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {unit_key}").status_code == 404


def test_demo_extension_builds_the_cockpit_once(db):
    call_command("seed_demo", cases=200, verbosity=0)
    rows = CaseFigure.objects.count()
    assert rows > 0
    state = RollupState.objects.get()
    assert state.last_rebuild_at is not None
    district_total = sum(CaseFigure.objects.filter(grain="d").values_list("total", flat=True))
    assert district_total == Case.objects.count()
    call_command("seed_demo", cases=200, verbosity=0)
    assert CaseFigure.objects.count() == rows
    assert RollupState.objects.get().last_rebuild_at == state.last_rebuild_at
