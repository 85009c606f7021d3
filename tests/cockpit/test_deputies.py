"""Deputies' activity on the overview: matters, duty shifts attended, reception days, voter contacts and points per
deputy, against direct counts; every number links to a list of exactly that much; scoping per persona; the query
count does not grow with the number of deputies."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.cockpit.periods import created_q, preset_period
from lianxin.duty.models import Reception
from lianxin.organisation.models import Deputy
from lianxin.performance.enums import Activity, EntryState
from lianxin.performance.models import PointsEntry
from lianxin.voters.models import VoterContact
from tests.cockpit.test_views import OVERVIEW_QUERIES
from tests.performance.helpers import shift

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("cockpit:overview")
TODAY = timezone.localdate()
LAST_YEAR = dt.date(TODAY.year - 1, 6, 15)


def _contact(deputy, day):
    return VoterContact.objects.create(deputy=deputy, contacted_on=day, way="visit", summary="入户走访")


def _points(deputy, day, points, state=EntryState.COUNTED):
    return PointsEntry.objects.create(
        deputy=deputy,
        activity=Activity.MANUAL,
        points=Decimal(points),
        occurred_on=day,
        evidence_type="manual",
        reason="测试",
        state=state,
    )


@pytest.fixture
def activity(world):
    """This year: 王代表 present, 周代表 late, 吴代表 absent at 东湖 today; 李代表 present at 西山 today. A reception day
    at each station with those present. Contacts: 王 2, 李 1. Points counted: 王 3 + 2.5, 李 1; a pending entry and
    everything dated last year must not count."""
    d = world.district
    zhou = Deputy.objects.create(code="d-zhou", name="周代表")
    zhou.stations.add(d.station)
    wu = Deputy.objects.create(code="d-wu", name="吴代表")
    wu.stations.add(d.station)
    shift(d, TODAY, "present")
    shift(d, TODAY, "late", deputy=zhou)
    shift(d, TODAY, "absent", deputy=wu)
    shift(d, TODAY, "present", deputy=d.other_deputy, station=d.other_station)
    shift(d, LAST_YEAR, "present")
    here = Reception.objects.create(station=d.station, date=TODAY, visitor_count=3)
    here.deputies_present.set([d.deputy, zhou])
    there = Reception.objects.create(station=d.other_station, date=TODAY, visitor_count=1)
    there.deputies_present.set([d.other_deputy])
    old = Reception.objects.create(station=d.station, date=LAST_YEAR, visitor_count=1)
    old.deputies_present.set([d.deputy])
    for deputy, day in ((d.deputy, TODAY), (d.deputy, TODAY), (d.deputy, LAST_YEAR), (d.other_deputy, TODAY)):
        _contact(deputy, day)
    _points(d.deputy, TODAY, "3")
    _points(d.deputy, TODAY, "2.5")
    _points(d.deputy, TODAY, "10", state=EntryState.PENDING)
    _points(d.deputy, LAST_YEAR, "5")
    _points(d.other_deputy, TODAY, "1")
    world.zhou, world.wu = zhou, wu
    return world


def _expected(division, deputy) -> dict:
    """Direct counts for one deputy and one scope over this year (the definitions of docs/cockpit.md)."""
    year = preset_period("year")
    start, end = year.start, year.end
    cases = Case.objects.filter(created_q(year), deputy=deputy, division__path__startswith=division.path)
    shifts = deputy.duty_shifts.filter(
        station__division__path__startswith=division.path, date__range=(start, end), state__in=["present", "late"]
    )
    receptions = deputy.receptions.filter(station__division__path__startswith=division.path, date__range=(start, end))
    contacts = VoterContact.objects.filter(deputy=deputy, contacted_on__range=(start, end))
    points = sum(
        PointsEntry.objects.filter(deputy=deputy, state="counted", occurred_on__range=(start, end)).values_list(
            "points", flat=True
        ),
        Decimal(0),
    )
    return {
        "cases": cases.count(),
        "visits": cases.filter(channel="visit").count(),
        "qr": cases.filter(channel="qr_deputy").count(),
        "duty_shifts": shifts.count(),
        "duty_receptions": receptions.count(),
        "voter_contacts": contacts.count(),
        "points": float(points),
    }


def _table(response) -> dict[str, dict]:
    data = response.context["data"]
    keys = [c.key for c in data.deputy_columns]
    return {
        row.name: dict(zip(keys, [c.value for c in row.cells], strict=True)) | {"_total": row.total}
        for row in data.deputies
    }


def test_each_deputy_matches_direct_counts_in_the_district_and_a_street(client, activity):
    d = activity.district
    client.force_login(d.office)
    district = _table(client.get(OVERVIEW, {"period": "year"}))
    assert set(district) == {"王代表", "周代表", "李代表"}  # 吴代表 was absent: nothing to show
    for name, deputy in (("王代表", d.deputy), ("周代表", activity.zhou), ("李代表", d.other_deputy)):
        expected = _expected(d.district, deputy)
        row = district[name]
        assert {k: row.get(k, 0) for k in expected} == expected, name
        assert row["_total"] == expected["cases"] + expected["duty_shifts"] + expected["voter_contacts"]
    assert district["王代表"]["points"] == 5.5 and district["王代表"]["voter_contacts"] == 2
    street = _table(client.get(OVERVIEW, {"period": "year", "division": d.street.pk}))
    assert set(street) == {"王代表", "周代表"}  # 李代表 works in 西山
    assert {k: street["王代表"].get(k, 0) for k in _expected(d.street, d.deputy)} == _expected(d.street, d.deputy)
    assert set(_table(client.get(OVERVIEW, {"period": "year", "division": d.other_street.pk}))) == {"李代表"}


def test_ranked_by_activity_total_and_the_formula_says_so(client, activity, settings):
    d = activity.district
    client.force_login(d.office)
    response = client.get(OVERVIEW, {"period": "year"})
    rows = response.context["data"].deputies
    assert [r.total for r in rows] == sorted((r.total for r in rows), reverse=True)
    assert rows[0].name == "王代表"
    page = response.content.decode()
    assert "按活动合计排序：民意件 + 值班到岗 + 联系选民" in page
    assert 'title="本期在本区划联络站值班且到岗或迟到的次数"' in page
    settings.COCKPIT_RANKING_SIZE = 2
    assert len(client.get(OVERVIEW, {"period": "year"}).context["data"].deputies) == 2


def _follow(client, url: str, key: str):
    """How many items the list behind a deputy's number shows (the points ledger: the sum it shows)."""
    response = client.get(url)
    assert response.status_code == 200, url
    if key in ("cases", "visits", "qr"):
        return int(re.search(r'id="case-count">(\d+)<', response.content.decode()).group(1))
    if key == "duty_receptions":
        return len(response.context["receptions"])
    if key == "points":
        return float(response.context["dated_sum"])
    return response.context["page"].paginator.count


@pytest.mark.parametrize(
    ("persona", "division", "linked"),
    [
        ("office", "district", {"cases", "visits", "qr", "duty_shifts", "duty_receptions", "voter_contacts", "points"}),
        ("office", "street", {"cases", "visits", "qr", "duty_shifts", "duty_receptions", "voter_contacts", "points"}),
        ("station_staff", "street", {"cases", "visits", "qr", "duty_shifts", "duty_receptions"}),
        ("leader", "district", {"cases", "visits", "qr"}),
    ],
)
def test_every_deputy_number_links_to_a_list_of_that_much(client, activity, persona, division, linked):
    d = activity.district
    client.force_login(d.persona(persona))
    response = client.get(OVERVIEW, {"period": "year", "division": getattr(d, division).pk})
    rows = response.context["data"].deputies
    assert rows
    seen = set()
    for row in rows:
        for cell in row.cells:
            assert bool(cell.url) == (cell.key in linked), (row.name, cell.key)
            if cell.url:
                seen.add(cell.key)
                assert _follow(client, cell.url, cell.key) == cell.value, (row.name, cell.key, cell.url)
    assert seen == linked
    page = response.content.decode()
    for row in rows:
        for cell in row.cells:
            if cell.url:
                assert html.escape(cell.url) in page


def test_a_station_page_has_no_deputy_table(client, activity):
    d = activity.district
    client.force_login(d.office)
    response = client.get(OVERVIEW, {"period": "year", "division": d.street.pk, "station": d.station.pk})
    assert response.context["data"].deputies == []
    assert 'id="deputies"' not in response.content.decode()


def test_the_wall_screen_json_carries_the_same_numbers(client, activity):
    d = activity.district
    client.force_login(d.leader)
    page = client.get(OVERVIEW, {"period": "year"}).context["data"]
    data = client.get(reverse("cockpit:data"), {"period": "year"}).json()
    assert [r["name"] for r in data["deputies"]] == [r.name for r in page.deputies]
    first = data["deputies"][0]
    assert first["activity"] == page.deputies[0].total
    assert {m["key"]: m["value"] for m in first["measures"]} == {c.key: c.value for c in page.deputies[0].cells}
    assert all(m["url"] == "" for m in first["measures"] if m["key"] in ("duty_shifts", "voter_contacts", "points"))
    assert "活动合计" in data["deputy_formula"]


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(OVERVIEW, {"period": "year"}).status_code == 200
    return len(ctx.captured_queries)


def test_more_deputies_do_not_mean_more_queries(client, activity):
    d = activity.district
    client.force_login(d.office)
    client.get(OVERVIEW)  # warm up
    before = _count_queries(client)
    assert before <= OVERVIEW_QUERIES
    for i in range(12):
        deputy = Deputy.objects.create(code=f"d-more-{i}", name=f"新代表{i}")
        deputy.stations.add(d.station if i % 2 else d.other_station)
        shift(d, TODAY, "present", deputy=deputy, station=d.station if i % 2 else d.other_station)
        _contact(deputy, TODAY)
        _points(deputy, TODAY, "1")
    assert _count_queries(client) == before
    assert len(client.get(OVERVIEW, {"period": "year"}).context["data"].deputies) == 10
