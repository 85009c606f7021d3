"""GeoJSON import and export: every kind of bad file is reported by name and nothing is stored."""

from __future__ import annotations

import json

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput, NotFound
from lianxin.finder import selectors, services
from lianxin.finder.exports import grids_export
from lianxin.organisation.models import Division
from tests.finder.conftest import box

pytestmark = pytest.mark.django_db


def feature(name, geometry, community="春晖社区", **properties):
    return {"type": "Feature", "geometry": geometry, "properties": {"name": name, "community": community, **properties}}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def import_(district, *features, actor=None, **kwargs):
    return services.grids_import(
        actor=actor or district.office, within_id=district.street.pk, data=collection(*features), **kwargs
    )


def grid_count():
    return Division.objects.filter(kind="grid").count()


def test_a_valid_file_creates_and_updates_grids_and_the_lookup_sees_them_at_once(district):
    selectors.lookup(30.0, 120.0)  # the index is warm (and empty of polygons)
    result = import_(
        district,
        feature("春晖一网格", box(120.0, 30.0, 120.01, 30.01), grid_worker="陈网格"),  # matched by community + name
        feature("春晖二网格", box(120.01, 30.0, 120.02, 30.01), code="G0003"),
    )
    assert (result.created, result.updated, result.warnings) == (1, 1, [])
    district.grid.refresh_from_db()
    assert district.grid.grid_worker == "陈网格"
    assert district.grid.polygon["type"] == "Polygon"
    new = Division.objects.get(code="G0003")
    assert (new.parent, new.kind, new.path) == (district.community, "grid", f"{district.community.path}{new.pk}/")
    assert selectors.lookup(30.005, 120.015)["grid"]["code"] == "G0003"
    entry = AuditEntry.objects.get(action="finder.grids_imported")
    assert (entry.actor_id, entry.data["created"], entry.data["updated"]) == (district.office.pk, 1, 1)


def test_an_export_imports_back_unchanged(district):
    import_(district, feature("春晖一网格", box(120.0, 30.0, 120.01, 30.01), grid_worker="陈网格"))
    exported = grids_export(district.street)
    assert [f["properties"]["name"] for f in exported["features"]] == ["春晖一网格"]
    assert exported["features"][0]["properties"]["deputies"] == ["d-wang"]
    before = grid_count()
    result = services.grids_import(
        actor=district.office, within_id=district.street.pk, data=json.dumps(exported, ensure_ascii=False)
    )
    assert (result.created, result.updated, grid_count()) == (0, 1, before)


def test_invalid_rings_are_reported_by_name_and_nothing_is_stored(district):
    bowtie = {"type": "Polygon", "coordinates": [[[120, 30], [120.01, 30.01], [120.01, 30], [120, 30.01], [120, 30]]]}
    unclosed = {"type": "Polygon", "coordinates": [[[120, 30], [120.01, 30], [120.01, 30.01], [120, 30.01]]]}
    too_few = {"type": "Polygon", "coordinates": [[[120, 30], [120.01, 30], [120, 30]]]}
    out_of_range = box(120, 30, 190, 30.01)
    point = {"type": "Point", "coordinates": [120, 30]}
    before = grid_count()
    with pytest.raises(InvalidInput) as caught:
        import_(
            district,
            feature("蝴蝶网格", bowtie),
            feature("开口网格", unclosed),
            feature("三点网格", too_few),
            feature("越界网格", out_of_range),
            feature("点网格", point),
            feature("好网格", box(120.03, 30.0, 120.04, 30.01)),
        )
    errors = caught.value.fields["features"]
    assert caught.value.message == "GeoJSON 有 5 处问题，未导入任何网格。"
    assert errors[0].startswith("第 1 个网格“蝴蝶网格”：多边形无效：自相交（30.00500, 120.00500 附近）")
    assert "第 2 个网格“开口网格”：外环未闭合" in errors[1]
    assert "第 3 个网格“三点网格”：外环少于 4 个点" in errors[2]
    assert "越界网格" in errors[3] and "超出范围" in errors[3]
    assert "点网格" in errors[4] and "Polygon 或 MultiPolygon" in errors[4]
    assert grid_count() == before
    assert not AuditEntry.objects.filter(action="finder.grids_imported").exists()


def test_overlaps_are_reported_by_both_names_with_their_area(district):
    Division.objects.filter(pk=district.grid.pk).update(polygon=box(120.0, 30.0, 120.01, 30.01))
    with pytest.raises(InvalidInput) as caught:
        import_(district, feature("新网格", box(120.005, 30.0, 120.015, 30.01)))
    [message] = caught.value.fields["overlaps"]
    assert message.startswith("“新网格”与“春晖一网格”重叠约") or message.startswith("“春晖一网格”与“新网格”重叠约")
    assert "平方米" in message
    assert grid_count() == 2


def test_grids_that_only_touch_do_not_overlap(district):
    Division.objects.filter(pk=district.grid.pk).update(polygon=box(120.0, 30.0, 120.01, 30.01))
    assert import_(district, feature("邻网格", box(120.01, 30.0, 120.02, 30.01))).created == 1


def ring_of_four():
    """Four grids around an empty square in the middle: a gap."""
    return [
        feature("北网格", box(120.0, 30.02, 120.03, 30.03)),
        feature("南网格", box(120.0, 30.0, 120.03, 30.01)),
        feature("西网格", box(120.0, 30.01, 120.01, 30.02)),
        feature("东网格", box(120.02, 30.01, 120.03, 30.02)),
    ]


def test_a_gap_between_grids_is_reported_with_the_community_and_its_neighbours(district):
    with pytest.raises(InvalidInput) as caught:
        import_(district, *ring_of_four())
    [message] = caught.value.fields["gaps"]
    assert message.startswith("“春晖社区”的网格之间有空隙")
    assert "（30.01500, 120.01500 附近）" in message
    for name in ("北网格", "南网格", "西网格", "东网格"):
        assert name in message
    assert grid_count() == 2


def test_gaps_can_be_allowed_and_come_back_as_warnings(district):
    result = import_(district, *ring_of_four(), allow_gaps=True)
    assert result.created == 4
    assert len(result.warnings) == 1 and "空隙" in result.warnings[0]


def test_a_hole_inside_one_grid_is_not_a_gap(district):
    lake = box(120.0, 30.0, 120.03, 30.03, holes=[(120.01, 30.01, 120.02, 30.02)])
    assert import_(district, feature("湖边网格", lake)).warnings == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (b"", "file", "文件是空的。"),
        (b"not json", "file", "文件不是有效的 JSON。"),
        (b"\xff\xfe\x00", "file", "文件不是 UTF-8 编码的 GeoJSON。"),
        (b"[]", "file", "须为 GeoJSON FeatureCollection（含 features 列表）。"),
        (b'{"type": "FeatureCollection", "features": []}', "file", "文件中没有网格。"),
        (b'{"type": "Feature"}', "file", "须为 GeoJSON FeatureCollection（含 features 列表）。"),
    ],
)
def test_files_that_are_not_grid_collections(district, data, field, message):
    with pytest.raises(InvalidInput) as caught:
        services.grids_import(actor=district.office, within_id=district.street.pk, data=data)
    assert (caught.value.message, list(caught.value.fields)) == (message, [field])


def test_a_file_over_the_size_limit_is_refused(district, settings):
    settings.FINDER_GEOJSON_MAX_BYTES = 100
    with pytest.raises(InvalidInput, match="文件太大"):
        import_(district, feature("大网格", box(120, 30, 120.01, 30.01)))


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        ({"name": "", "community": "春晖社区"}, "缺少名称"),
        ({"name": "甲", "community": "不存在社区"}, "本辖区内没有名为“不存在社区”的社区"),
        ({"name": "甲"}, "缺少所属社区"),
        ({"name": "甲", "community_code": "999"}, "本辖区内没有编码为 999 的社区"),
        ({"name": "甲", "community": "西山村"}, "本辖区内没有名为“西山村”的社区"),  # another street's community
        ({"name": "甲", "community": "春晖社区", "code": "含 空格"}, "编码只能是"),
        ({"name": "甲", "community": "春晖社区", "grid_worker": "长" * 51}, "网格员姓名无效"),
        ({"name": ["列表"], "community": "春晖社区"}, "缺少名称"),
        ({"name": "甲" * 101, "community": "春晖社区"}, "名称超过 100 个字"),
        ({"name": "甲", "community": "春晖社区", "code": "G0002"}, "编码 G0002 已被其他区划使用"),  # another street's
        ({"name": "甲", "community": "春晖社区", "code": "330101"}, "编码 330101 已被其他区划使用"),  # the street's
    ],
)
def test_bad_properties_are_reported(district, properties, expected):
    bad = {"type": "Feature", "geometry": box(120, 30, 120.01, 30.01), "properties": properties}
    with pytest.raises(InvalidInput) as caught:
        services.grids_import(actor=district.office, within_id=district.street.pk, data=collection(bad))
    assert expected in caught.value.fields["features"][0]


def test_a_code_of_a_grid_in_another_community_of_the_area_is_refused(district):
    bad = feature("甲", box(120, 30, 120.01, 30.01), community="西山村", code="G0001")
    with pytest.raises(InvalidInput) as caught:
        services.grids_import(actor=district.office, within_id=district.district.pk, data=collection(bad))
    assert "编码 G0001 已属于另一个社区的网格" in caught.value.fields["features"][0]


def test_duplicates_in_one_file_are_reported(district):
    with pytest.raises(InvalidInput) as caught:
        import_(district, feature("甲", box(120, 30, 120.01, 30.01)), feature("甲", box(120.02, 30, 120.03, 30.01)))
    assert "与第 1 个要素重复" in caught.value.fields["features"][0]


def test_only_the_actors_own_area_can_be_imported_into(district):
    with pytest.raises(NotFound):
        import_(district, feature("甲", box(120, 30, 120.01, 30.01)), actor=district.outsider)
    for persona in ("deputy_user", "unit_user", "auditor", "leader"):
        with pytest.raises(NotFound):
            import_(district, feature("甲", box(120, 30, 120.01, 30.01)), actor=district.persona(persona))
    assert import_(district, feature("甲", box(120, 30, 120.01, 30.01)), actor=district.station_staff).created == 1


def test_the_command_line_imports_and_exports(district, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    path = tmp_path / "grids.geojson"
    path.write_bytes(collection(feature("命令行网格", box(120.05, 30.0, 120.06, 30.01))))
    out = io.StringIO()
    call_command("finder_grids", "import", str(path), within="330101", user="office", stdout=out)
    assert "新建 1 个网格" in out.getvalue()
    out = io.StringIO()
    call_command("finder_grids", "export", within=str(district.street.pk), stdout=out)
    assert [f["properties"]["name"] for f in json.loads(out.getvalue())["features"]] == ["命令行网格"]
    path.write_bytes(b"not json")
    with pytest.raises(CommandError, match="文件不是有效的 JSON"):
        call_command("finder_grids", "import", str(path), within="330101", user="office")
    with pytest.raises(CommandError):
        call_command("finder_grids", "import", str(path), within="330101", user="outsider")
