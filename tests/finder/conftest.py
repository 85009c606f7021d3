"""A small mapped district for the finder tests (real rows, no mocks).

东湖街道/春晖社区 has three grids side by side and one enclave:
  春晖一网格 (G0001)  lng 120.000–120.010, lat 30.000–30.010, deputy 王代表 (public)
  春晖二网格          lng 120.010–120.020, lat 30.000–30.010 (shares an edge with 一网格)
  春晖三网格          lng 120.000–120.020, lat 30.010–30.020 with a hole 120.004–120.006 × 30.014–30.016
  湖心网格            inside that hole: 120.0045–120.0055 × 30.0145–30.0155
The street's station 东湖 is at (30.005, 120.005), receiving every Wednesday; 西山's is far away.
"""

from __future__ import annotations

import pytest

from lianxin.finder import index, search
from lianxin.organisation.enums import DivisionKind, ReceptionRule
from lianxin.organisation.models import Division, Station
from lianxin.organisation.services import division_create


def box(lng1, lat1, lng2, lat2, holes=()):
    def ring(a, b, c, d):
        return [[a, b], [c, b], [c, d], [a, d], [a, b]]

    return {"type": "Polygon", "coordinates": [ring(lng1, lat1, lng2, lat2), *[ring(*h) for h in holes]]}


@pytest.fixture(autouse=True)
def _fresh_index():
    index.forget()
    search.forget()
    yield
    index.forget()
    search.forget()


@pytest.fixture
def mapped(district):
    Division.objects.filter(pk=district.grid.pk).update(
        polygon=box(120.0, 30.0, 120.01, 30.01), grid_worker="陈网格", lat=30.005, lng=120.005
    )
    district.grid.refresh_from_db()
    second = division_create(
        name="春晖二网格", kind=DivisionKind.GRID, parent=district.community, polygon=box(120.01, 30.0, 120.02, 30.01)
    )
    third = division_create(
        name="春晖三网格",
        kind=DivisionKind.GRID,
        parent=district.community,
        polygon=box(120.0, 30.01, 120.02, 30.02, holes=[(120.004, 30.014, 120.006, 30.016)]),
    )
    enclave = division_create(
        name="湖心网格",
        kind=DivisionKind.GRID,
        parent=district.community,
        polygon=box(120.0045, 30.0145, 120.0055, 30.0155),
    )
    Station.objects.filter(pk=district.station.pk).update(
        lat=30.005, lng=120.005, address="东湖路1号", reception_rule=ReceptionRule.WEEKLY, reception_weekday=3
    )
    Station.objects.filter(pk=district.other_station.pk).update(
        lat=31.0, lng=121.0, reception_rule=ReceptionRule.MONTHLY, reception_monthday=20
    )
    district.station.refresh_from_db()
    district.other_station.refresh_from_db()
    district.second_grid, district.third_grid, district.enclave = second, third, enclave
    return district
