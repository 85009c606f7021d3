"""The demo: the finder's extension adds consent choices and portraits once, and the demo map answers."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from lianxin.finder import selectors
from lianxin.finder.geo import shape_of
from lianxin.finder.models import DeputyPublication
from lianxin.organisation.models import Deputy, Division

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_adds_the_finder_data_once_and_the_map_answers(client):
    out = io.StringIO()
    call_command("seed_demo", cases=200, stdout=out)
    assert "找代表：" in out.getvalue() and "位代表的公开选项" in out.getvalue()
    rows = DeputyPublication.objects.count()
    assert rows == Deputy.objects.filter(public=True, active=True).count() > 0
    out = io.StringIO()
    call_command("seed_demo", cases=200, stdout=out)
    assert DeputyPublication.objects.count() == rows

    grid = Division.objects.filter(kind="grid", polygon__isnull=False, deputies__public=True).order_by("id").first()
    inside = shape_of(grid.polygon).representative_point()
    result = selectors.lookup(inside.y, inside.x)
    assert result["grid"]["id"] == grid.pk
    assert result["grid"]["grid_worker"] and result["grid"]["deputies"]
    assert result["station"] is not None and result["station"]["distance_m"] < 10_000
    page = client.get("/find/", {"q": "nh"})  # pinyin of 南湖
    assert page.status_code == 200
    assert client.get(f"/g/{selectors.grid_code(grid)}").status_code == 200
