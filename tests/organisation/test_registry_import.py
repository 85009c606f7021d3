"""Registry import: all of it or nothing, row errors in Chinese, idempotent by code."""

import copy
import csv
import io

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput
from lianxin.organisation.models import (
    Deputy,
    DeputyMandate,
    Division,
    HandlingUnit,
    RoutingRule,
    RoutingRuleSet,
    Station,
)
from lianxin.organisation.registry_import import read_csv_files, read_workbook, registry_import, registry_read_upload
from lianxin.organisation.registry_sheets import registry_template
from tests.organisation.workbooks import good_sheets, workbook_bytes

pytestmark = pytest.mark.django_db


def counts():
    return {
        "divisions": Division.objects.count(),
        "stations": Station.objects.count(),
        "units": HandlingUnit.objects.count(),
        "deputies": Deputy.objects.count(),
        "mandates": DeputyMandate.objects.count(),
        "rulesets": RoutingRuleSet.objects.count(),
        "rules": RoutingRule.objects.count(),
    }


def run(sheets, actor):
    return registry_import(actor=actor, tables=read_workbook(workbook_bytes(sheets)))


def test_happy_path_creates_everything_with_paths_and_links(district):
    result = run(good_sheets(), district.office)

    assert result.counts == {
        "divisions": {"created": 5, "updated": 0, "unchanged": 0},
        "stations": {"created": 1, "updated": 0, "unchanged": 0},
        "units": {"created": 2, "updated": 0, "unchanged": 0},
        "deputies": {"created": 1, "updated": 0, "unchanged": 0},
        "routing": {"created": 2, "updated": 0, "unchanged": 0},
    }
    top = Division.objects.get(code="330200")
    street = Division.objects.get(code="330201")
    grid = Division.objects.get(code="G2001")
    community = grid.parent
    assert (street.parent, community.name, community.parent) == (top, "北门社区", street)
    assert grid.path == f"/{top.pk}/{street.pk}/{community.pk}/{grid.pk}/"
    assert grid.polygon["type"] == "Polygon"
    assert grid.grid_worker == "赵网格员"
    assert Division.objects.get(code="330202").parent == top  # found by its name path
    station = Station.objects.get(code="beimen")
    assert (station.division, station.reception_rule, station.reception_monthday) == (street, "monthly", 20)
    assert HandlingUnit.objects.get(code="xc-bm").level == "street"
    deputy = Deputy.objects.get(code="d-zhao")
    assert deputy.public is True
    assert sorted(deputy.mandates.values_list("level", flat=True)) == ["city", "district"]
    assert list(deputy.stations.all()) == [station]
    assert list(deputy.grids.all()) == [grid]
    ruleset = RoutingRuleSet.objects.get(active=True)
    assert (ruleset.version, result.routing_version, ruleset.rules.count()) == (1, 1, 2)
    entry = AuditEntry.objects.get(action="registry.imported")
    assert entry.actor == district.office
    assert entry.data["counts"]["divisions"]["created"] == 5


def test_reimport_updates_by_code_instead_of_duplicating(district):
    run(good_sheets(), district.office)
    before = counts()

    again = run(good_sheets(), district.office)

    assert counts() == before
    assert again.counts["divisions"] == {"created": 0, "updated": 0, "unchanged": 5}
    assert again.counts["deputies"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert again.counts["routing"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert again.routing_version is None  # nothing changed, no new version

    changed = good_sheets()
    changed["divisions"][2][0] = "北门街道（新）"
    changed["deputies"][1][2] = "区"
    changed["routing"][1][2] = "xc-bm"
    third = run(changed, district.office)

    assert counts()["divisions"] == before["divisions"]
    assert Division.objects.get(code="330201").name == "北门街道（新）"
    assert list(Deputy.objects.get(code="d-zhao").mandates.values_list("level", flat=True)) == ["district"]
    assert third.counts["divisions"]["updated"] == 1
    assert third.counts["routing"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert third.routing_version == 2
    assert RoutingRuleSet.objects.filter(active=True).get().version == 2


def test_moving_a_street_in_the_sheet_rewrites_the_subtree_paths(district):
    sheets = good_sheets()
    sheets["divisions"].append(["旧城区", "区", "", "", "330300", "", "", "", ""])
    run(sheets, district.office)
    sheets["divisions"][2][2] = "330300"  # 北门街道 moves to 旧城区 with its community and grid
    result = run(sheets, district.office)

    assert result.counts["divisions"] == {"created": 0, "updated": 1, "unchanged": 5}
    old_town = Division.objects.get(code="330300")
    grid = Division.objects.get(code="G2001")
    assert grid.parent.parent.parent == old_town
    assert grid.path.startswith(old_town.path)
    assert grid.parent.path.startswith(old_town.path)


BAD_ROWS = [
    ("divisions", 2, 0, "", "【区划】第 3 行「名称」：必填"),
    ("divisions", 3, 0, "", "【区划】第 4 行「名称」：必填"),
    ("divisions", 2, 2, "330199", "【区划】第 3 行「上级代码」：找不到 330199"),
    ("divisions", 3, 4, "330201", "【区划】第 4 行「区划代码」：「330201」与第 3 行重复"),
    ("divisions", 2, 1, "省", "【区划】第 3 行「层级」：无效的取值「省」"),
    ("divisions", 5, 6, '{"type": "Point", "coordinates": [1, 2]}', "【区划】第 6 行「网格范围GeoJSON」：网格范围须为"),
    ("divisions", 5, 6, "{not json", "【区划】第 6 行「网格范围GeoJSON」：网格范围不是有效的 GeoJSON"),
    ("divisions", 2, 7, "北纬30", "【区划】第 3 行「纬度」：「北纬30」不是数字"),
    ("stations", 1, 8, "每周", "【联络站】第 2 行「每周接待日」：每周接待须填写 1–7"),
    ("units", 1, 4, "也许", "【承办单位】第 2 行「启用」：无法识别的是/否值「也许」"),
    ("deputies", 1, 6, "maybe", "【代表】第 2 行「公开」：无法识别的是/否值「maybe」"),
    ("deputies", 1, 7, "beimen,nowhere", "【代表】第 2 行「联络站编码」：找不到联络站 nowhere"),
    ("deputies", 1, 8, "330201", "【代表】第 2 行「网格代码」：「北门街道」不是网格"),
    ("deputies", 1, 0, "d zhao!", "【代表】第 2 行「编码」：编码只能由字母"),
    ("routing", 1, 0, "城乡建设/不存在的分类", "【routing】"),
    ("routing", 2, 2, "no-such-unit", "【派单规则】第 3 行「承办单位编码」：找不到承办单位 no-such-unit"),
]


@pytest.mark.parametrize(("sheet", "row", "column", "value", "expected"), BAD_ROWS)
def test_any_bad_row_imports_nothing_and_names_the_row(district, sheet, row, column, value, expected):
    sheets = good_sheets()
    sheets[sheet][row][column] = value
    before = counts()
    audit_before = AuditEntry.objects.count()

    with pytest.raises(InvalidInput) as caught:
        run(sheets, district.office)

    assert counts() == before
    assert AuditEntry.objects.count() == audit_before
    errors = caught.value.fields["rows"]
    assert caught.value.code == "import_invalid"
    if expected == "【routing】":  # the category cell quotes the value
        assert errors == ["【派单规则】第 2 行「分类路径」：找不到分类「城乡建设/不存在的分类」"]
    else:
        assert len(errors) == 1, errors
        assert errors[0].startswith(expected), errors


def test_all_errors_are_collected_in_one_pass(district):
    sheets = good_sheets()
    sheets["divisions"][2][0] = ""
    sheets["units"][1][3] = "999999"
    sheets["deputies"][1][2] = ""
    with pytest.raises(InvalidInput) as caught:
        run(sheets, district.office)
    errors = caught.value.fields["rows"]
    assert "【承办单位】第 2 行「管辖区划」：找不到 999999" in errors
    assert "【代表】第 2 行「代表层级」：必填" in errors
    assert "【区划】第 3 行「名称」：必填" in errors
    assert caught.value.message.startswith("导入失败")


def test_wrong_parent_kind_and_district_with_parent_are_refused(district):
    sheets = good_sheets()
    sheets["divisions"][4][2] = "330200"  # a community directly under the district
    with pytest.raises(InvalidInput) as caught:
        run(sheets, district.office)
    assert caught.value.fields["rows"] == ["【区划】第 5 行「上级代码」：上级「新城区」是区/县，不能作为社区/村的上级"]

    sheets = good_sheets()
    sheets["divisions"][1][2] = "330100"  # a district with a parent; its subtree is not reported again
    with pytest.raises(InvalidInput) as caught:
        run(sheets, district.office)
    assert caught.value.fields["rows"] == ["【区划】第 2 行「上级代码」：区/县是最高一级，不能填写上级"]


def test_unknown_column_and_missing_required_column_are_reported(district):
    sheets = {"units": [["编码", "名字", "管辖区划"], ["u1", "某单位", "330100"]]}
    with pytest.raises(InvalidInput) as caught:
        run(sheets, district.office)
    assert caught.value.fields["rows"] == [
        "【承办单位】第 1 行第 2 列：不认识的列名「名字」",
        "【承办单位】缺少必填列「名称」",
    ]


def test_existing_registry_rows_can_be_referenced(district):
    sheets = {
        "units": [["编码", "名称", "管辖区划"], ["dh-office", "东湖街道办", "示范区/东湖街道"]],
        "deputies": [
            ["编码", "姓名", "代表层级", "联络站编码", "网格代码"],
            ["d-new", "新代表", "乡镇", "donghu", "G0001"],
        ],
    }
    result = run(sheets, district.office)
    assert result.counts["units"]["created"] == 1
    assert HandlingUnit.objects.get(code="dh-office").division == district.street
    assert list(Deputy.objects.get(code="d-new").grids.all()) == [district.grid]


def test_a_text_file_renamed_xlsx_gets_a_clear_error(district):
    before = counts()
    for data in (b"name,kind\n\xe7\xa4\xba,district\n", b"PK\x03\x04 not really a zip file"):
        with pytest.raises(InvalidInput) as caught:
            registry_read_upload([("registry.xlsx", data)])
        assert caught.value.code == "not_xlsx"
        assert "不是有效的 Excel 工作簿" in caught.value.message
    assert counts() == before


def test_size_limit_and_empty_and_mixed_uploads(district, settings):
    with pytest.raises(InvalidInput, match="请选择"):
        registry_read_upload([])
    with pytest.raises(InvalidInput, match="不要混合"):
        registry_read_upload([("a.csv", b"x"), ("b.xlsx", b"PK")])
    with pytest.raises(InvalidInput, match="没有可导入的数据行"):
        registry_import(
            actor=district.office, tables=read_workbook(workbook_bytes({"units": [["编码", "名称", "管辖区划"]]}))
        )
    settings.REGISTRY_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(InvalidInput, match="文件超过 10 MB"):
        registry_read_upload([("registry.xlsx", b"PK\x03\x04" + b"0" * (10 * 1024 * 1024))])


def test_csv_files_import_the_same_as_a_workbook(district):
    sheets = copy.deepcopy(good_sheets())

    def as_csv(rows, encoding="utf-8-sig"):
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue().encode(encoding)

    files = [
        ("divisions.csv", as_csv(sheets["divisions"])),
        ("联络站.csv", as_csv(sheets["stations"], "gb18030")),
    ]
    result = registry_import(actor=district.office, tables=read_csv_files(files))
    assert result.counts["divisions"]["created"] == 5
    assert Station.objects.get(code="beimen").division.code == "330201"

    with pytest.raises(InvalidInput) as caught:
        read_csv_files([("people.csv", b"a,b\n")])
    assert "名称不对" in caught.value.fields["rows"][0]


def test_the_template_workbook_reads_back_with_every_sheet(district):
    tables = read_workbook(registry_template())
    assert sorted(tables) == ["accounts", "deputies", "divisions", "routing", "stations", "units"]
    assert tables["stations"][0][0] == 2
    assert tables["stations"][0][1]["code"] == "donghu"
