"""Deputies' activity on the overview: matters, duty shifts attended, reception days, voter contacts and points per
deputy, against direct counts; every number links to a list of exactly that much; scoping per persona; the query
count does not grow with the number of deputies."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.cockpit.periods import preset_period
from lianxin.organisation.models import Deputy
from lianxin.points import services as points_services
from lianxin.points.selectors import period_label, periods_covering
from tests.cockpit.activity import TODAY, activity_total, contact, direct_counts, points
from tests.cockpit.test_views import OVERVIEW_QUERIES
from tests.points.helpers import shift

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("cockpit:overview")


def _expected(division, deputy) -> dict:
    """Direct counts for one deputy and one scope over this year."""
    return direct_counts(division, deputy, preset_period("year"))


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
        assert row["_total"] == activity_total(expected)
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
        return float(response.context["dated_points"])  # the capped points of the periods the dates touch
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


DEPUTY_PAGES = {"voter_contacts": "voters:deputy", "points": "points:deputy"}


def test_a_deputy_outside_the_viewers_reach_gets_no_link_to_a_page_that_would_404(client, activity):
    """李代表 (西山) and 赵代表 (no station, no grid) are listed because matters of 东湖 were raised through them. The
    voters page and the ledger of a deputy outside the viewer's reach answer 404, so their numbers are not linked
    there; every other number still links to exactly that much; no query per deputy."""
    from lianxin.accounts.enums import Role
    from lianxin.cockpit import rollups
    from tests.factories import make_user, submit_case

    d = activity.district
    street_office = make_user("street_office", Role.OFFICE, division=d.street)
    client.force_login(street_office)
    client.get(OVERVIEW)  # warm up
    before = _count_queries(client)
    zhao = Deputy.objects.create(code="d-zhao", name="赵代表")
    contact(zhao, TODAY)
    points(zhao, TODAY, "2")
    for deputy in (d.other_deputy, zhao):
        submit_case(
            station_code="", deputy_code=deputy.code, channel="visit", grid_code=d.grid.code, title="走访：路灯不亮"
        )
    rollups.rebuild_all()
    for viewer, division, outside in (
        (street_office, d.street, {"李代表", "赵代表"}),
        (d.office, d.district, {"赵代表"}),
    ):
        client.force_login(viewer)
        rows = client.get(OVERVIEW, {"period": "year", "division": division.pk}).context["data"].deputies
        assert outside < {r.name for r in rows}
        closed = set()
        for row in rows:
            cells = {c.key: c for c in row.cells}
            assert cells["cases"].url and _follow(client, cells["cases"].url, "cases") == cells["cases"].value
            for key, name in DEPUTY_PAGES.items():
                opens = client.get(reverse(name, args=[row.id])).status_code  # the page's own rule
                assert opens in (200, 404)
                assert bool(cells[key].url) == (opens == 200), (viewer, row.name, key)
                if cells[key].url:
                    assert _follow(client, cells[key].url, key) == cells[key].value, (row.name, key)
                else:
                    closed.add(row.name)
        assert closed == outside
    client.force_login(street_office)
    assert _count_queries(client) == before <= OVERVIEW_QUERIES


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


def test_an_unpublished_period_is_not_shown_to_a_leader(client, activity):
    """Leaders see published points tables only (the points page's rule): the cockpit shows them no points of an
    unpublished period and says so; once the office publishes the year, they see the office's figure."""
    d = activity.district
    client.force_login(d.office)
    office = _table(client.get(OVERVIEW, {"period": "year"}))
    assert office["王代表"]["points"] == 5.5
    client.force_login(d.leader)
    response = client.get(OVERVIEW, {"period": "year"})
    leader = _table(response)
    assert all(row.get("points", 0) == 0 for row in leader.values())
    column = next(c for c in response.context["data"].deputy_columns if c.key == "points")
    assert column.period == "未公布" and "未公布的期间" in column.formula
    assert "5.5" not in response.content.decode()
    for quarter in range(5):
        points_services.period_publish(actor=d.office, year=TODAY.year, quarter=quarter, published=True)
    response = client.get(OVERVIEW, {"period": "year"})
    assert _table(response)["王代表"]["points"] == 5.5
    column = next(c for c in response.context["data"].deputy_columns if c.key == "points")
    year = preset_period("year")
    assert (
        column.period == period_label(periods_covering(year.start, year.end))
        and 'class="small text-muted fw-normal column-period"' in response.content.decode()
    )


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
        contact(deputy, TODAY)
        points(deputy, TODAY, "1")
    assert _count_queries(client) == before
    assert len(client.get(OVERVIEW, {"period": "year"}).context["data"].deputies) == 10
