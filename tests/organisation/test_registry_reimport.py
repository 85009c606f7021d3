"""Re-importing the registry: blank cells keep stored values, <清空> clears, the preview lists every change
and writes nothing, station codes cannot change, bad cells are row errors that store nothing."""

import csv
import datetime as dt
import io

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput
from lianxin.organisation.models import Deputy, Division, HandlingUnit, RegistryImportDraft, Station
from lianxin.organisation.registry_import import (
    read_csv_files,
    read_workbook,
    registry_import,
    registry_import_confirm,
    registry_preview,
)
from tests.organisation.workbooks import good_sheets, workbook_bytes

pytestmark = pytest.mark.django_db

STATION_HEADER = ["编码", "名称", "所属区划", "地址", "联系电话", "开放时间", "接待日规则", "每周接待日", "每月接待日"]


def tables(sheets):
    return read_workbook(workbook_bytes(sheets))


def run(sheets, actor):
    return registry_import(actor=actor, tables=tables(sheets))


@pytest.fixture
def full_station(district):
    Station.objects.filter(code="donghu").update(
        address="东湖路1号",
        phone="0571-12345678",
        opening_hours="周一至周五 9:00-17:00",
        reception_rule="monthly",
        reception_monthday=20,
        lat=30.27,
        lng=120.15,
    )
    return Station.objects.get(code="donghu")


def snapshot(station):
    station.refresh_from_db()
    return (
        station.address,
        station.phone,
        station.opening_hours,
        station.reception_rule,
        station.reception_monthday,
        station.lat,
        station.lng,
    )


def test_a_row_with_blank_optional_cells_keeps_the_stored_values(district, full_station):
    before = snapshot(full_station)
    sheets = {"stations": [[*STATION_HEADER, "纬度", "经度"], ["donghu", "东湖街道代表联络站", "330101"] + [""] * 8]}

    result = run(sheets, district.office)

    assert result.counts["stations"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert snapshot(full_station) == before


def test_a_row_that_only_renames_changes_only_the_name(district, full_station):
    before = snapshot(full_station)
    sheets = {"stations": [STATION_HEADER, ["donghu", "东湖联络站", "330101", "", "", "", "", "", ""]]}

    result = run(sheets, district.office)

    assert result.counts["stations"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert snapshot(full_station) == before
    assert full_station.name == "东湖联络站"
    assert result.preview.changing[0].changes[0].label == "名称"
    assert len(result.preview.changing[0].changes) == 1


@pytest.mark.parametrize("marker", ["<清空>", "<clear>", "＜清空＞", "< CLEAR >"])
def test_the_clear_marker_empties_a_field_on_purpose(district, full_station, marker):
    sheets = {
        "stations": [
            [*STATION_HEADER, "纬度", "经度"],
            ["donghu", "东湖街道代表联络站", "330101", marker, marker, "", marker, "", "", marker, marker],
        ]
    }

    preview = registry_preview(actor=district.office, tables=tables(sheets))
    (row,) = preview.changing
    shown = {c.label: (c.old, c.new) for c in row.changes}
    assert shown["地址"] == ("东湖路1号", "（空）")
    assert shown["接待日规则"] == ("每月固定一天", "不固定")
    assert shown["每月接待日"] == ("20", "（空）")
    assert full_station.address == "东湖路1号"  # a preview writes nothing

    run(sheets, district.office)

    full_station.refresh_from_db()
    assert (full_station.address, full_station.phone, full_station.opening_hours) == ("", "", "周一至周五 9:00-17:00")
    assert (full_station.reception_rule, full_station.reception_monthday) == ("none", None)
    assert (full_station.lat, full_station.lng) == (None, None)


def test_blank_and_clear_apply_to_deputies_units_and_divisions(district):
    Deputy.objects.filter(code="d-wang").update(constituency="东湖选区", sector="教育", bio="简介")
    Division.objects.filter(code="G0001").update(grid_worker="赵网格员", lat=30.1, lng=120.1)
    sheets = {
        "divisions": [
            ["名称", "层级", "上级名称路径", "区划代码", "网格员", "纬度", "经度"],
            ["春晖一网格", "网格", "示范区/东湖街道/春晖社区", "G0001", "", "<清空>", "<清空>"],
        ],
        "units": [["编码", "名称", "层级", "管辖区划", "启用"], ["zjj", "区住建局", "", "330100", ""]],
        "deputies": [
            ["编码", "姓名", "代表层级", "选区", "界别/行业", "简介", "公开", "联络站编码", "网格代码"],
            ["d-wang", "王代表", "区", "", "<清空>", "", "", "", "<clear>"],
        ],
    }
    HandlingUnit.objects.filter(code="zjj").update(level="street", active=False)

    run(sheets, district.office)

    grid = Division.objects.get(code="G0001")
    assert (grid.grid_worker, grid.lat, grid.lng) == ("赵网格员", None, None)
    unit = HandlingUnit.objects.get(code="zjj")
    assert (unit.level, unit.active) == ("street", False)
    deputy = Deputy.objects.get(code="d-wang")
    assert (deputy.constituency, deputy.sector, deputy.bio, deputy.public) == ("东湖选区", "", "简介", True)
    assert list(deputy.stations.values_list("code", flat=True)) == ["donghu"]  # blank: links kept
    assert not deputy.grids.exists()  # cleared


def test_the_preview_lists_every_change_and_applies_nothing_until_confirmed(district, full_station):
    sheets = good_sheets()
    sheets["stations"].append(["donghu", "东湖街道代表联络站", "", "330101", "东湖路2号", "", "", "", "", "", ""])
    before = (Division.objects.count(), Station.objects.count(), AuditEntry.objects.count())

    preview = registry_preview(actor=district.office, tables=tables(sheets))

    assert (Division.objects.count(), Station.objects.count(), AuditEntry.objects.count()) == before
    assert preview.counts["stations"] == {"created": 1, "updated": 1, "unchanged": 0}
    assert preview.counts["divisions"] == {"created": 5, "updated": 0, "unchanged": 0}
    changed = next(r for r in preview.rows if r.entity.startswith("donghu"))
    assert (changed.kind, changed.row, changed.action) == ("stations", 3, "updated")
    assert [(c.label, c.old, c.new) for c in changed.changes] == [("地址", "东湖路1号", "东湖路2号")]
    created = next(r for r in preview.rows if r.entity.startswith("beimen"))
    assert ("所属区划", "（空）", "新城区/北门街道") in [(c.label, c.old, c.new) for c in created.changes]

    result = registry_import_confirm(actor=district.office, token=preview.token, digest=preview.digest)

    assert result.counts == preview.counts  # what was previewed is what happened
    assert Station.objects.get(code="donghu").address == "东湖路2号"
    assert not RegistryImportDraft.objects.exists()


def test_a_stale_preview_is_refused_and_writes_nothing(district, full_station):
    sheets = {"stations": [STATION_HEADER, ["donghu", "东湖街道代表联络站", "330101", "东湖路2号", "", "", "", "", ""]]}
    preview = registry_preview(actor=district.office, tables=tables(sheets))
    Station.objects.filter(code="donghu").update(address="东湖路9号")

    with pytest.raises(InvalidInput) as caught:
        registry_import_confirm(actor=district.office, token=preview.token, digest=preview.digest)

    assert caught.value.code == "preview_stale"
    assert Station.objects.get(code="donghu").address == "东湖路9号"
    assert not AuditEntry.objects.filter(action="registry.imported").exists()


def test_a_new_code_for_a_stored_station_is_refused(district):
    sheets = {"stations": [["编码", "名称", "所属区划"], ["donghu-new", "东湖街道代表联络站", "330101"]]}
    with pytest.raises(InvalidInput) as caught:
        run(sheets, district.office)
    (error,) = caught.value.fields["rows"]
    assert error.startswith(
        "【联络站】第 2 行「编码」：「东湖街道代表联络站」已有编码 donghu。联络站编码印在二维码和海报上"
    )
    assert not Station.objects.filter(code="donghu-new").exists()

    # Both rows in the sheet: two stations, the old one keeps its code.
    sheets["stations"].append(["donghu", "东湖街道代表联络站（旧）", "330101"])
    run(sheets, district.office)
    assert Station.objects.filter(code__in=["donghu", "donghu-new"]).count() == 2


BAD_CELLS = [
    ("stations", 3, "<删除>", "【联络站】第 2 行「地址」：不认识的标记「<删除>」；要清空请填 <清空>"),
    ("stations", 1, "<清空>", "【联络站】第 2 行「名称」：这一列不能清空"),
    ("stations", 0, "<clear>", "【联络站】第 2 行「编码」：这一列不能清空"),
    ("stations.csv", 3, "东湖路\x1b1号", "【联络站】第 2 行「地址」：含有不允许的控制字符。"),
    ("stations.csv", 3, "东湖路\u20281号", "【联络站】第 2 行「地址」：只能填写一行。"),
    ("stations", 1, "东湖\n联络站", "【联络站】第 2 行「名称」：只能填写一行。"),
    ("stations", 3, "路" * 6000, "【联络站】第 2 行「地址」：内容过长（超过 5000 个字符）"),
    ("stations", 3, "路" * 201, "【联络站】第 2 行「地址」：不能超过 200 个字"),
    ("stations", 8, dt.date(2026, 1, 20), "【联络站】第 2 行「每月接待日」：「2026-01-20」不是整数"),
    ("stations", 8, 20.5, "【联络站】第 2 行「每月接待日」：「20.5」不是整数"),
    ("stations", 8, "9" * 5000, "【联络站】第 2 行「每月接待日」"),
    ("stations", 6, "每年", "【联络站】第 2 行「接待日规则」：无效的取值「每年」"),
]


@pytest.mark.parametrize(("sheet", "column", "value", "expected"), BAD_CELLS)
def test_bad_cells_are_row_errors_and_store_nothing(district, full_station, sheet, column, value, expected):
    row = ["donghu", "东湖街道代表联络站", "330101", "东湖路1号", "", "", "每月", "", 20]
    row[column] = value
    before = snapshot(full_station)
    audit_before = AuditEntry.objects.count()

    if sheet.endswith(".csv"):  # openpyxl cannot even write control characters; CSV files can hold them
        out = io.StringIO()
        csv.writer(out).writerows([STATION_HEADER, row])
        upload = read_csv_files([(sheet, out.getvalue().encode())])
    else:
        upload = tables({sheet: [STATION_HEADER, row]})
    with pytest.raises(InvalidInput) as caught:
        registry_preview(actor=district.office, tables=upload)

    errors = caught.value.fields["rows"]
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected), errors
    assert snapshot(full_station) == before
    assert not RegistryImportDraft.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_the_clear_marker_on_a_yes_no_column_is_refused(district):
    sheets = {"units": [["编码", "名称", "管辖区划", "启用"], ["zjj", "区住建局", "330100", "<清空>"]]}
    with pytest.raises(InvalidInput) as caught:
        run(sheets, district.office)
    assert caught.value.fields["rows"] == ["【承办单位】第 2 行「启用」：这一列不能清空"]
