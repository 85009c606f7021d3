"""Division tree services: paths stay right when a subtree moves; bad trees are refused."""

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput, NotFound
from lianxin.organisation.models import Division
from lianxin.organisation.services import division_create, division_update, station_check_reception

pytestmark = pytest.mark.django_db


def test_moving_a_community_rewrites_its_subtree_paths(district):
    division_update(actor=district.office, division_id=district.community.pk, parent=district.other_street)

    community = Division.objects.get(pk=district.community.pk)
    grid = Division.objects.get(pk=district.grid.pk)
    assert community.path == f"{district.other_street.path}{community.pk}/"
    assert grid.path == f"{community.path}{grid.pk}/"
    assert list(Division.objects.filter(path__startswith=district.street.path)) == [district.street]
    entry = AuditEntry.objects.get(action="division.updated")
    assert entry.data == {
        "changed": {"parent": [district.street.pk, district.other_street.pk]},
        "subtree_moved": 1,
    }


def test_renaming_keeps_paths_and_logs_the_change(district):
    division_update(actor=district.office, division_id=district.grid.pk, name="春晖第一网格", grid_worker="钱网格员")
    grid = Division.objects.get(pk=district.grid.pk)
    assert (grid.name, grid.grid_worker, grid.path) == ("春晖第一网格", "钱网格员", district.grid.path)
    assert AuditEntry.objects.get(action="division.updated").data["changed"]["name"] == ["春晖一网格", "春晖第一网格"]


@pytest.mark.parametrize(
    ("target", "changes", "message"),
    [
        ("street", {"parent": "grid"}, "层级不对"),
        ("street", {"kind": "district", "parent": None}, "有下级的区划不能改变层级"),
        ("community", {"parent": None}, "必须有上级"),
        ("grid", {"polygon": '{"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}'}, "坐标无效"),
        ("grid", {"polygon": '{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}'}, "多边形无效"),
        ("grid", {"lat": 95.0, "lng": 120.0}, "纬度"),
        ("grid", {"lat": 30.0}, "同时填写"),
        ("grid", {"colour": "red"}, "未知字段"),
    ],
)
def test_bad_updates_change_nothing(district, target, changes, message):
    changes = {k: getattr(district, v) if k == "parent" and v else v for k, v in changes.items()}
    division = getattr(district, target)
    before = list(Division.objects.values_list("pk", "name", "kind", "parent_id", "path", "polygon", "lat"))
    with pytest.raises(InvalidInput, match=message):
        division_update(actor=district.office, division_id=division.pk, **changes)
    assert list(Division.objects.values_list("pk", "name", "kind", "parent_id", "path", "polygon", "lat")) == before
    assert not AuditEntry.objects.filter(action="division.updated").exists()


def test_a_division_cannot_move_under_itself(district):
    second = division_create(name="第二区", kind="district")
    with pytest.raises(InvalidInput):
        division_update(actor=district.office, division_id=district.district.pk, parent=second)
    with pytest.raises(NotFound):
        division_update(actor=district.office, division_id=999999, name="x")


def test_create_validates_polygon_and_accepts_a_feature(district):
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]},
    }
    grid = division_create(name="新网格", kind="grid", parent=district.community, polygon=feature)
    assert grid.polygon["type"] == "Polygon"
    with pytest.raises(InvalidInput, match="Polygon"):
        division_create(name="坏网格", kind="grid", parent=district.community, polygon={"type": "Point"})
    assert not Division.objects.filter(name="坏网格").exists()


@pytest.mark.parametrize(
    ("rule", "weekday", "monthday", "expected"),
    [
        ("weekly", 3, 20, (3, None)),
        ("monthly", None, 20, (None, 20)),
        ("none", 3, 20, (None, None)),
        ("weekly", 0, None, "1–7"),
        ("weekly", 8, None, "1–7"),
        ("weekly", None, 5, "1–7"),
        ("monthly", None, 32, "1–31"),
        ("monthly", 2, None, "1–31"),
        ("sometimes", None, None, "无效"),
    ],
)
def test_reception_rule_needs_its_day(rule, weekday, monthday, expected):
    if isinstance(expected, tuple):
        assert station_check_reception(rule=rule, weekday=weekday, monthday=monthday) == expected
    else:
        with pytest.raises(InvalidInput, match=expected):
            station_check_reception(rule=rule, weekday=weekday, monthday=monthday)
