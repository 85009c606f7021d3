"""The registry workbook's layout: one sheet per kind, its columns, cell parsers and the template.

Headers may be the Chinese label or the English key of a column; sheets may be named by key
(`divisions`) or by their Chinese name (`区划`). Row 1 is the header, data starts on row 2.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lianxin.organisation.enums import DeputyLevel, DivisionKind, ReceptionRule, StationKind, UnitLevel
from lianxin.validation import strip

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")
LIST_SPLIT_RE = re.compile(r"[,，、;；\s]+")
# A cell holding this marker clears the field on purpose; a blank cell leaves the stored value as it is.
CLEAR_WORDS = {"清空", "clear"}
CLEAR_MARKER = "<清空>"
MARKER_RE = re.compile(r"^[<＜]\s*([^<>＜＞]{0,40}?)\s*[>＞]$")
TRUE_WORDS = {"是", "true", "1", "yes", "y", "公开", "启用", "在任", "√", "✓"}
FALSE_WORDS = {"否", "false", "0", "no", "n", "不公开", "停用", "×", "✗"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    example: str = ""


@dataclass(frozen=True)
class SheetSpec:
    key: str
    label: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = field(default_factory=tuple)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


SHEETS: dict[str, SheetSpec] = {
    spec.key: spec
    for spec in (
        SheetSpec(
            "divisions",
            "区划",
            (
                Column("name", "名称", True, "春晖社区"),
                Column("kind", "层级", True, "社区"),
                Column("parent_code", "上级代码", False, "330101"),
                Column("parent_name", "上级名称路径", False, ""),
                Column("code", "区划代码", False, "330101001"),
                Column("grid_worker", "网格员", False, ""),
                Column("polygon", "网格范围GeoJSON", False, ""),
                Column("lat", "纬度", False, "30.2741"),
                Column("lng", "经度", False, "120.1551"),
            ),
            ("区划", "行政区划"),
        ),
        SheetSpec(
            "stations",
            "联络站",
            (
                Column("code", "编码", True, "donghu"),
                Column("name", "名称", True, "东湖街道代表联络站"),
                Column("kind", "类型", False, "联络站"),
                Column("division", "所属区划", True, "330101"),
                Column("address", "地址", False, "东湖路1号"),
                Column("lat", "纬度", False, "30.2741"),
                Column("lng", "经度", False, "120.1551"),
                Column("opening_hours", "开放时间", False, "周一至周五 9:00-17:00"),
                Column("reception_rule", "接待日规则", False, "每月"),
                Column("reception_weekday", "每周接待日", False, ""),
                Column("reception_monthday", "每月接待日", False, "20"),
                Column("phone", "联系电话", False, "0571-12345678"),
                Column("active", "启用", False, "是"),
            ),
            ("联络站",),
        ),
        SheetSpec(
            "units",
            "承办单位",
            (
                Column("code", "编码", True, "zjj"),
                Column("name", "名称", True, "区住建局"),
                Column("level", "层级", False, "区级"),
                Column("division", "管辖区划", True, "330100"),
                Column("active", "启用", False, "是"),
            ),
            ("承办单位",),
        ),
        SheetSpec(
            "deputies",
            "代表",
            (
                Column("code", "编码", True, "d-wang"),
                Column("name", "姓名", True, "王某某"),
                Column("levels", "代表层级", True, "区,市"),
                Column("constituency", "选区", False, "东湖第一选区"),
                Column("sector", "界别/行业", False, "教育"),
                Column("bio", "简介", False, ""),
                Column("public", "公开", False, "是"),
                Column("station_codes", "联络站编码", False, "donghu"),
                Column("grid_codes", "网格代码", False, ""),
            ),
            ("代表",),
        ),
        SheetSpec(
            "routing",
            "派单规则",
            (
                Column("category", "分类路径", True, "城乡建设/城市建设和市政管理"),
                Column("division", "区划", True, "330101"),
                Column("unit", "承办单位编码", True, "zjj"),
            ),
            ("派单规则", "规则"),
        ),
        # Accounts of station staff, handling units and deputies (organisation/registry_accounts.py).
        SheetSpec(
            "accounts",
            "账号",
            (
                Column("username", "用户名", True, "zhang-san"),
                Column("display_name", "姓名", False, "张三"),
                Column("role", "角色", True, "联络站工作人员"),
                Column("station", "联络站编码", False, "donghu"),
                Column("unit", "承办单位编码", False, ""),
                Column("deputy", "代表编码", False, ""),
                Column("email", "电子邮箱", False, ""),
                Column("phone", "手机号", False, ""),
            ),
            ("账号", "用户"),
        ),
    )
}
SHEET_ORDER = ("divisions", "stations", "units", "deputies", "routing", "accounts")


def sheet_for_name(name: str) -> SheetSpec | None:
    cleaned = (name or "").strip().lower()
    for spec in SHEETS.values():
        if cleaned == spec.key or cleaned in spec.aliases:
            return spec
    return None


def header_key(spec: SheetSpec, text: str) -> str | None:
    cleaned = (text or "").strip().lower().replace(" ", "")
    for column in spec.columns:
        if cleaned in {column.key, column.label.lower().replace(" ", "")}:
            return column.key
    return None


def cell_text(value) -> str:
    """Any spreadsheet cell as stripped text; whole-number floats lose their '.0' (codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()  # a date cell: Excel stores it as midnight
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return strip(str(value))


def cell_marker(text: str) -> str | None:
    """The word inside a `<…>` marker cell ("清空" for `<清空>`), or None when the cell is not a marker."""
    found = MARKER_RE.match(text)
    return found.group(1).strip().lower() if found else None


def is_clear_marker(text: str) -> bool:
    return cell_marker(text) in CLEAR_WORDS


def _choice(value: str, enum, extra: dict[str, str]) -> str:
    cleaned = value.strip().lower()
    for choice_value, label in enum.choices:
        if cleaned in {str(choice_value).lower(), str(label).lower()}:
            return choice_value
    if cleaned in extra:
        return extra[cleaned]
    allowed = "、".join(str(label) for _value, label in enum.choices)
    raise ValueError(_("无效的取值「%(value)s」，可填：%(allowed)s") % {"value": value, "allowed": allowed})


DIVISION_KIND_WORDS = {
    "区": DivisionKind.DISTRICT,
    "县": DivisionKind.DISTRICT,
    "街道": DivisionKind.STREET,
    "乡镇": DivisionKind.STREET,
    "乡": DivisionKind.STREET,
    "镇": DivisionKind.STREET,
    "社区": DivisionKind.COMMUNITY,
    "村": DivisionKind.COMMUNITY,
}
STATION_KIND_WORDS = {"总站": StationKind.HUB, "联络室": StationKind.ROOM, "联络点": StationKind.POINT}
UNIT_LEVEL_WORDS = {
    "区": UnitLevel.DISTRICT,
    "街道": UnitLevel.STREET,
    "乡镇": UnitLevel.STREET,
    "社区": UnitLevel.COMMUNITY,
}
DEPUTY_LEVEL_WORDS = {
    "全国": DeputyLevel.NATIONAL,
    "省": DeputyLevel.PROVINCIAL,
    "市": DeputyLevel.CITY,
    "区": DeputyLevel.DISTRICT,
    "县": DeputyLevel.DISTRICT,
    "区/县": DeputyLevel.DISTRICT,
    "乡镇": DeputyLevel.TOWNSHIP,
    "乡": DeputyLevel.TOWNSHIP,
    "镇": DeputyLevel.TOWNSHIP,
}
RECEPTION_WORDS = {"每周": ReceptionRule.WEEKLY, "每月": ReceptionRule.MONTHLY, "无": ReceptionRule.NONE}


def parse_division_kind(value: str) -> str:
    return _choice(value, DivisionKind, DIVISION_KIND_WORDS)


def parse_station_kind(value: str) -> str:
    return _choice(value, StationKind, STATION_KIND_WORDS) if value else StationKind.STATION


def parse_unit_level(value: str) -> str:
    return _choice(value, UnitLevel, UNIT_LEVEL_WORDS) if value else UnitLevel.DISTRICT


def parse_reception_rule(value: str) -> str:
    return _choice(value, ReceptionRule, RECEPTION_WORDS) if value else ReceptionRule.NONE


def parse_deputy_levels(value: str) -> list[str]:
    levels = []
    for part in split_list(value):
        level = _choice(part, DeputyLevel, DEPUTY_LEVEL_WORDS)
        if level not in levels:
            levels.append(level)
    return levels


def split_list(value: str) -> list[str]:
    return [part for part in LIST_SPLIT_RE.split(value or "") if part]


def parse_bool(value: str, default: bool) -> bool:
    cleaned = value.strip().lower()
    if not cleaned:
        return default
    if cleaned in TRUE_WORDS:
        return True
    if cleaned in FALSE_WORDS:
        return False
    raise ValueError(_("无法识别的是/否值「%s」，请填“是”或“否”") % value)


def parse_float(value: str, low: float, high: float) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError(_("「%s」不是数字") % value)
    if not (low <= number <= high):
        raise ValueError(_("须在 %(low)s 到 %(high)s 之间") % {"low": low, "high": high})
    return number


def parse_int(value: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(_("「%s」不是整数") % value)


def parse_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(_("编码只能由字母、数字、短横线和下划线组成，最长 40 个字符"))
    return value


def registry_template() -> bytes:
    """A workbook with one sheet per kind: a header row of Chinese labels and one example row."""
    from openpyxl import Workbook  # noqa: PLC0415 — openpyxl is heavy and only the workbook import/export needs it
    from openpyxl.styles import Font  # noqa: PLC0415 — openpyxl is heavy and only the workbook import/export needs it

    workbook = Workbook()
    notes = workbook.active
    notes.title = "说明"
    for line in (
        "每种数据一张工作表：divisions 区划、stations 联络站、units 承办单位、deputies 代表、routing 派单规则、"
        "accounts 账号。",
        "第 1 行是列名，从第 2 行起每行一条；示例行请改成实际数据或删除。不需要的工作表可以删除。",
        "按编码（区划按区划代码，没有代码的按上级名称路径+名称）更新，重复导入不会产生重复数据。",
        "更新已有数据时，留空的单元格保持原值不变；要清空某一项，请填 <清空>（或 <clear>）。",
        "联络站和代表的编码印在二维码和海报上，创建后不能修改。",
        "上传后先显示预览：逐行列出将要新增和修改的内容，确认后才写入。",
        "「所属区划」「管辖区划」「区划」可填区划代码，或完整名称路径，如 示范区/东湖街道。",
        "层级：区、街道、乡镇、社区、村、网格；代表层级可填多个，用逗号分隔，如 区,市。",
        "派单规则的分类路径用 / 分隔，如 城乡建设/城市建设和市政管理；导入后生成新的规则版本。",
        "accounts 账号：角色填 联络站工作人员、承办单位 或 代表，"
        "并填对应的联络站编码、承办单位编码或代表编码（须在本辖区）。"
        "新账号没有密码，导入后在“账号管理”中发送或打印激活链接，由本人设置密码。",
        "有任何一处错误，整个文件都不会导入；请按错误清单改正后重新上传。",
    ):
        notes.append([line])
    bold = Font(bold=True)
    for key in SHEET_ORDER:
        spec = SHEETS[key]
        sheet = workbook.create_sheet(spec.key)
        sheet.append([column.label for column in spec.columns])
        sheet.append([column.example for column in spec.columns])
        for cell in sheet[1]:
            cell.font = bold
        for index, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[cell_letter(index)].width = max(12, len(column.label) * 2 + 4)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cell_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 — openpyxl is heavy and only the workbook import/export needs it

    return get_column_letter(index)
