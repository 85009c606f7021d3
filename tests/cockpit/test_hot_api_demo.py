"""Hot issues, the JSON API and the demo extension."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from lianxin.accounts.services import api_token_issue
from lianxin.cases.models import Case
from lianxin.cockpit import hot
from lianxin.cockpit.models import CaseFigure, HotIssue, RollupState
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def test_hot_issues_group_by_place_and_keyword(district):
    for i, phone in enumerate(["13800000001", "13800000002", "13800000002"]):
        submit_case(title=f"春晖小区路灯不亮{i}", contact_phone=phone, grid_code=district.grid.code)
    submit_case(title="西山村垃圾没人清运", station_code="xishan")
    submit_case(title="西山村垃圾堆放", station_code="xishan")
    old = submit_case(title="春晖小区路灯不亮很久")
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    assert hot.refresh_hot_issues() > 0
    top = HotIssue.objects.filter(scope_id=district.district.pk).order_by("rank")
    first = top[0]
    assert (first.keyword, first.place_name, first.cases, first.people) == ("路灯", "东湖街道", 3, 2)
    assert ("垃圾", "西山镇", 2) in [(h.keyword, h.place_name, h.cases) for h in top]
    # Same cluster, other words ("不亮") are not repeated for the same place.
    assert [h.keyword for h in top if h.place_name == "东湖街道"] == ["路灯"]
    street = HotIssue.objects.filter(scope_id=district.street.pk).first()
    assert street.place_name == "春晖社区"  # in a street's list the place is the community


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
    assert HotIssue.objects.exists()
    call_command("seed_demo", cases=200, verbosity=0)
    assert CaseFigure.objects.count() == rows
    assert RollupState.objects.get().last_rebuild_at == state.last_rebuild_at
