"""Point lookup: inside, on edges and corners, in holes and enclaves, outside; nearest station; index rebuilds."""

from __future__ import annotations

import datetime as dt

import pytest

from lianxin.errors import InvalidInput
from lianxin.finder import index, selectors, services
from lianxin.finder.geo import haversine_m
from lianxin.organisation.enums import DeputyLevel
from lianxin.organisation.models import Deputy, DeputyMandate, Station

pytestmark = pytest.mark.django_db


def grid_name(lat, lng):
    result = selectors.lookup(lat, lng)
    return result["grid"]["name"] if result["found"] else None


def test_a_point_inside_a_grid_gets_the_grid_its_places_deputies_and_nearest_station(mapped):
    DeputyMandate.objects.create(deputy=mapped.deputy, level=DeputyLevel.DISTRICT)
    wednesday = dt.date(2026, 5, 4)  # a Monday
    result = selectors.lookup(30.002, 120.003, today=wednesday)
    assert result["found"] is True
    assert result["message"] == ""
    grid = result["grid"]
    assert (grid["name"], grid["code"], grid["grid_worker"]) == ("春晖一网格", "G0001", "陈网格")
    assert grid["community"]["name"] == "春晖社区"
    assert grid["street"]["name"] == "东湖街道"
    assert [(d["name"], d["levels"], d["assigned_at"]) for d in grid["deputies"]] == [
        ("王代表", ["区/县人大代表"], "网格联系代表")
    ]
    assert grid["deputies"][0]["report_url"] == "/d/d-wang"
    station = result["station"]
    assert station["code"] == "donghu"
    assert station["distance_m"] == round(float(haversine_m(30.002, 120.003, 30.005, 120.005)))
    assert station["next_reception"] == dt.date(2026, 5, 6)
    assert station["reception"] == "每周周三为代表接待日"


@pytest.mark.parametrize(
    ("lat", "lng", "expected"),
    [
        (30.005, 120.015, "春晖二网格"),
        (30.005, 120.01, "春晖一网格"),  # on the shared edge: the lower id wins, never nothing
        (30.0, 120.0, "春晖一网格"),  # on the outer corner
        (30.01, 120.005, "春晖一网格"),  # on the edge shared with 三网格
        (30.012, 120.012, "春晖三网格"),
        (30.0141, 120.0041, None),  # in the hole of 三网格, outside the enclave
        (30.014, 120.005, "春晖三网格"),  # on the hole's edge: still 三网格
        (30.015, 120.005, "湖心网格"),  # the enclave inside the hole
        (29.999, 120.005, None),  # just south of everything
    ],
)
def test_edges_corners_holes_and_enclaves(mapped, lat, lng, expected):
    assert grid_name(lat, lng) == expected


def test_a_point_outside_every_grid_is_a_clear_answer_with_the_nearest_station(mapped):
    result = selectors.lookup(30.9, 120.9)
    assert result["found"] is False
    assert result["grid"] is None
    assert "不在任何网格内" in result["message"]
    assert result["station"]["code"] == "xishan"
    assert result["station"]["next_reception"] is not None


def test_no_grids_and_no_stations_at_all_is_still_an_answer(db):
    result = selectors.lookup(30.0, 120.0)
    assert (result["found"], result["grid"], result["station"]) == (False, None, None)


@pytest.mark.parametrize(
    ("lat", "lng", "field"),
    [("91", "120", "lat"), ("30", "-181", "lng"), ("nan", "120", "lat"), ("abc", "120", "lat"), (None, "1", "lat")],
)
def test_bad_coordinates_are_refused_in_chinese(db, lat, lng, field):
    with pytest.raises(InvalidInput) as caught:
        selectors.lookup(lat, lng)
    assert field in caught.value.fields
    assert "经纬度" in caught.value.message


def test_only_public_deputies_are_listed_and_community_deputies_come_after_grid_deputies(mapped):
    hidden = Deputy.objects.create(code="d-hidden", name="隐代表", public=False)
    hidden.grids.add(mapped.grid)
    community_deputy = Deputy.objects.create(code="d-zhao", name="赵代表", public=True)
    community_deputy.grids.add(mapped.community)  # 四级代表进三级网格: a deputy of the whole community
    names = [(d["name"], d["assigned_at"]) for d in selectors.lookup(30.002, 120.003)["grid"]["deputies"]]
    assert names == [("王代表", "网格联系代表"), ("赵代表", "社区联系代表")]


def test_a_lookup_costs_one_query_once_the_index_is_warm(mapped, django_assert_max_num_queries):
    selectors.lookup(30.002, 120.003)
    with django_assert_max_num_queries(1):
        result = selectors.lookup(30.005, 120.015)
    assert result["grid"]["name"] == "春晖二网格"


def test_the_index_is_rebuilt_when_a_finder_change_bumps_the_version(mapped):
    assert selectors.lookup(30.002, 120.003)["grid"]["deputies"][0]["name"] == "王代表"
    services.grid_assign(actor=mapped.office, grid_id=mapped.grid.pk, deputy_ids=[], grid_worker="新网格员")
    card = selectors.lookup(30.002, 120.003)["grid"]
    assert (card["deputies"], card["grid_worker"]) == ([], "新网格员")


def test_the_index_is_rebuilt_after_its_ttl_for_changes_made_elsewhere(mapped, settings):
    selectors.lookup(30.002, 120.003)
    Station.objects.filter(pk=mapped.station.pk).update(active=False)  # e.g. through the admin
    assert selectors.lookup(30.002, 120.003)["station"]["code"] == "donghu"  # still cached
    settings.FINDER_INDEX_TTL_SECONDS = 0
    assert selectors.lookup(30.002, 120.003)["station"]["code"] == "xishan"


def test_a_broken_stored_polygon_is_skipped_not_fatal(mapped):
    from lianxin.organisation.models import Division

    Division.objects.filter(pk=mapped.second_grid.pk).update(polygon={"type": "Polygon", "coordinates": [[[1, 2]]]})
    index.forget()
    assert grid_name(30.005, 120.015) is None
    assert grid_name(30.002, 120.003) == "春晖一网格"


@pytest.mark.parametrize(
    ("rule", "weekday", "monthday", "today", "expected"),
    [
        ("weekly", 3, None, dt.date(2026, 5, 6), dt.date(2026, 5, 6)),  # today is the day
        ("weekly", 1, None, dt.date(2026, 5, 6), dt.date(2026, 5, 11)),
        ("monthly", None, 20, dt.date(2026, 5, 21), dt.date(2026, 6, 20)),
        ("monthly", None, 31, dt.date(2026, 2, 10), dt.date(2026, 2, 28)),  # short month: its last day
        ("monthly", None, 15, dt.date(2026, 12, 16), dt.date(2027, 1, 15)),
        ("none", None, None, dt.date(2026, 5, 6), None),
    ],
)
def test_next_reception_day_from_the_rule(rule, weekday, monthday, today, expected):
    station = Station(reception_rule=rule, reception_weekday=weekday, reception_monthday=monthday)
    assert selectors.next_reception_by_rule(station, today) == expected


def test_a_grid_code_is_its_registry_code_or_g_and_its_id(mapped):
    assert selectors.grid_code(mapped.grid) == "G0001"
    assert selectors.grid_code(mapped.second_grid) == f"g{mapped.second_grid.pk}"
    assert selectors.grid_by_code(f"g{mapped.second_grid.pk}") == mapped.second_grid
    assert selectors.grid_by_code("G0001") == mapped.grid
    assert selectors.grid_by_code(f"g{mapped.grid.pk}") is None  # a grid with a code is reached by its code only
    assert selectors.grid_by_code(f"g{mapped.community.pk}") is None  # not a grid
