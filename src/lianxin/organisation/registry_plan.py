"""Validate the registry sheets into a plan; `registry_diff` compares it with the stored registry.

Cells of optional columns have three states: a value, blank (the stored value stays as it is) or the
clear marker `<清空>` / `<clear>` (the stored value is emptied on purpose). Only the given fields go
into a row's `values`; the diff fills in the rest from the stored object (or the model's default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lianxin.errors import InvalidInput
from lianxin.organisation.enums import CHILD_KIND, DIVISION_DEPTH, DivisionKind
from lianxin.organisation.models import Category, Deputy, Division, HandlingUnit, Station
from lianxin.organisation.registry_sheets import (
    CLEAR_MARKER,
    CLEAR_WORDS,
    SHEETS,
    cell_marker,
    parse_bool,
    parse_deputy_levels,
    parse_division_kind,
    parse_float,
    parse_int,
    parse_reception_rule,
    parse_slug,
    parse_station_kind,
    parse_unit_level,
    split_list,
)
from lianxin.organisation.services import (
    division_full_names,
    polygon_parse,
    station_check_reception,
)
from lianxin.validation import control_problem

DIVISION_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,12}$")
PATH_SPLIT_RE = re.compile(r"\s*[/／>]\s*")
MULTILINE_COLUMNS = {"bio", "polygon"}
CELL_MAX = 5000  # characters; a GeoJSON cell may hold up to POLYGON_CELL_MAX
POLYGON_CELL_MAX = 500_000


class _Keep:
    """A blank cell: the stored value stays (a new row gets the model's default)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


@dataclass(eq=False)  # compared and hashed by identity
class DivisionNode:
    """A division as the import sees it: a sheet row (new or matching a stored one) or a stored one."""

    name: str
    kind: str
    full_name: str
    row: int | None = None
    code: str = ""
    parent: DivisionNode | None = None
    existing: Division | None = None
    values: dict[str, Any] = field(default_factory=dict)
    obj: Division | None = None
    action: str = ""  # created / updated / unchanged, set by the diff
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class RowPlan:
    """A station, unit or deputy row: only the fields the sheet gives (blank cells are left out)."""

    row: int
    code: str
    values: dict[str, Any]
    existing: Any = None
    division: DivisionNode | None = None
    levels: list[str] = field(default_factory=list)
    station_codes: list[str] | None = None  # None: blank, the stored links stay
    grids: list[DivisionNode] | None = None
    action: str = ""
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def _norm_path(text: str) -> str:
    return "/".join(part for part in PATH_SPLIT_RE.split(text.strip()) if part)


class Plan:
    def __init__(self, errors):
        self.errors = errors
        self.kinds: list[str] = []
        stored = list(Division.objects.all())
        full_names = division_full_names([(d.pk, d.name, d.path) for d in stored])
        self.db_nodes = {
            d.pk: DivisionNode(name=d.name, kind=d.kind, full_name=full_names[d.pk], code=d.code, existing=d, obj=d)
            for d in stored
        }
        self.db_by_code = {d.code: d for d in stored if d.code}
        self.db_by_path = {full_names[d.pk]: d for d in stored}
        self.db_with_children = {d.parent_id for d in stored if d.parent_id}
        self.db_by_parent_name = {(d.parent_id, d.name): d for d in stored}
        self.sheet_by_code: dict[str, DivisionNode] = {}
        self.sheet_by_path: dict[str, DivisionNode] = {}
        self.sheet_by_pk: dict[int, DivisionNode] = {}
        self.divisions: list[DivisionNode] = []
        self.stations: list[RowPlan] = []
        self.units: list[RowPlan] = []
        self.deputies: list[RowPlan] = []
        self.routing: list[tuple[int, int, DivisionNode, str]] = []  # (row, category id, division, unit code)
        self.routing_rows: list = []  # RoutingRow, filled by the diff
        self.stored_stations = {s.code: s for s in Station.objects.all()}
        self.stored_units = {u.code: u for u in HandlingUnit.objects.all()}
        self.stored_deputies = {d.code: d for d in Deputy.objects.all()}
        self._bad_cells: set[str] = set()
        self._stations_by_name: dict | None = None
        # Rows that failed: references to them fail silently, so one mistake gives one error.
        self.broken_codes: dict[str, set[str]] = {"divisions": set(), "stations": set(), "units": set()}
        self.broken_names: set[tuple[int, str]] = set()
        self._row_errors = 0
        self._row_blocked = False

    def row_start(self, kind: str | None = None, number: int | None = None, record: dict | None = None) -> None:
        self._row_errors = len(self.errors)
        self._row_blocked = False
        self._bad_cells = set()
        if record is not None:
            self._check_cells(kind, number, record)

    def _check_cells(self, kind, number, record) -> None:
        """Control characters and oversized cells are row errors, whatever the column."""
        for key, value in record.items():
            limit = POLYGON_CELL_MAX if key == "polygon" else CELL_MAX
            problem = control_problem(value, label="", multiline=key in MULTILINE_COLUMNS)
            if problem is None and len(value) > limit:
                problem = _("内容过长（超过 %d 个字符）") % limit
            if problem:
                self.err(kind, number, key, problem)
                self._bad_cells.add(key)

    def row_ok(self) -> bool:
        return len(self.errors) == self._row_errors and not self._row_blocked

    def blocked(self, kind: str, value: str) -> bool:
        """Whether `value` points at a row of this import that already failed (and so was reported)."""
        if value in self.broken_codes.get(kind, ()):
            self._row_blocked = True
        elif kind == "divisions":
            parts = _norm_path(value).split("/")
            if any((depth, name) in self.broken_names for depth, name in enumerate(parts)):
                self._row_blocked = True
        return self._row_blocked

    def err(self, kind: str, row: int, column: str, message: str) -> None:
        self.errors.add(SHEETS[kind], message, row=row, column=column)

    # ---- lookups ---------------------------------------------------------------------------
    def division_ref(self, value: str) -> DivisionNode | None:
        """A division by code, or by full name path; rows of this import win over stored ones."""
        if value in self.sheet_by_code:
            return self.sheet_by_code[value]
        stored = self.db_by_code.get(value)
        if stored is None:
            path = _norm_path(value)
            if path in self.sheet_by_path:
                return self.sheet_by_path[path]
            stored = self.db_by_path.get(path)
        if stored is None:
            self.blocked("divisions", value)
            return None
        return self.sheet_by_pk.get(stored.pk) or self.db_nodes[stored.pk]

    def _cell(self, kind, number, record, key, *, clearable=True) -> tuple[str, str]:
        """("value", text), ("blank", ""), ("clear", "") or ("error", "") after reporting the problem."""
        if key in self._bad_cells:
            return "error", ""
        text = record.get(key, "")
        if not text:
            return "blank", ""
        marker = cell_marker(text)
        if marker is None:
            return "value", text
        if marker not in CLEAR_WORDS:
            self.err(
                kind,
                number,
                key,
                _("不认识的标记「%(text)s」；要清空请填 %(clear)s") % {"text": text, "clear": CLEAR_MARKER},
            )
            return "error", ""
        if not clearable:
            self.err(kind, number, key, _("这一列不能清空"))
            return "error", ""
        return "clear", ""

    def _required(self, kind, number, record, key) -> str:
        state, text = self._cell(kind, number, record, key, clearable=False)
        if state == "blank":
            self.err(kind, number, key, _("必填"))
        return text

    def _text(self, kind, number, record, key, *, max_length, required=False):
        """The text of a cell; for an optional column KEEP when blank and "" when cleared."""
        if required:
            value = self._required(kind, number, record, key)
        else:
            state, value = self._cell(kind, number, record, key)
            if state in ("blank", "error"):
                return KEEP
        if len(value) > max_length:
            self.err(kind, number, key, _("不能超过 %d 个字") % max_length)
        return value

    def _parse(self, kind, number, key, parser, *args):
        try:
            return parser(*args), True
        except ValueError as exc:
            self.err(kind, number, key, str(exc))
            return None, False

    def _optional(self, kind, number, record, key, parser, *args, cleared=None, clearable=True):
        """A parsed optional cell: KEEP when blank (or wrong), `cleared` for the clear marker."""
        state, text = self._cell(kind, number, record, key, clearable=clearable)
        if state == "clear":
            return cleared
        if state != "value":
            return KEEP
        value, ok = self._parse(kind, number, key, parser, text, *args)
        return value if ok else KEEP

    def _coordinates(self, kind, number, record) -> dict[str, Any]:
        return {
            "lat": self._optional(kind, number, record, "lat", parse_float, -90, 90),
            "lng": self._optional(kind, number, record, "lng", parse_float, -180, 180),
        }

    def _coordinates_merged(self, kind, number, values, existing) -> None:
        """Latitude and longitude, after blanks take the stored values, are both set or both empty."""
        lat, lng = (_merged(values, existing, name) for name in ("lat", "lng"))
        if (lat is None) != (lng is None):
            self.err(kind, number, "lat", _("纬度和经度须同时填写"))

    def _unique(self, kind, seen: dict, number, key, value) -> bool:
        if value in seen:
            self.err(kind, number, key, _("「%(value)s」与第 %(row)d 行重复") % {"value": value, "row": seen[value]})
            return False
        seen[value] = number
        return True

    # ---- divisions -------------------------------------------------------------------------
    def add_divisions(self, rows) -> None:
        key = "divisions"
        parsed = []
        seen_codes: dict[str, int] = {}
        for number, record in rows:
            self.row_start(key, number, record)
            name = self._text(key, number, record, "name", max_length=100, required=True)
            kind = None
            kind_text = self._required(key, number, record, "kind")
            if kind_text:
                kind, _ok = self._parse(key, number, "kind", parse_division_kind, kind_text)
            _state, code = self._cell(key, number, record, "code", clearable=False)
            if code and not DIVISION_CODE_RE.match(code):
                self.err(key, number, "code", _("区划代码只能是 1–12 位字母或数字"))
            elif code:
                self._unique(key, seen_codes, number, "code", code)
            values = self._coordinates(key, number, record)
            values["polygon"] = self._optional(key, number, record, "polygon", _polygon)
            values["grid_worker"] = self._text(key, number, record, "grid_worker", max_length=50)
            for column in ("parent_code", "parent_name"):
                self._cell(key, number, record, column, clearable=False)
            if self.row_ok():
                values = {name_: value for name_, value in values.items() if value is not KEEP}
                parsed.append((number, record, name, kind, code, values))
            else:
                self._division_broken(code, kind, name)
        parsed.sort(key=lambda item: DIVISION_DEPTH[item[3]])
        matched: dict[int, int] = {}
        for number, record, name, kind, code, values in parsed:
            self.row_start()
            node = self._division_node(number, record, name, kind, code, values, matched)
            if node is not None:
                self._coordinates_merged(key, number, values, node.existing)
            if node is None or not self.row_ok():
                self._division_broken(code, kind, name)
                continue
            self.divisions.append(node)
            self.sheet_by_path[node.full_name] = node
            if node.code:
                self.sheet_by_code[node.code] = node
            if node.existing is not None:
                self.sheet_by_pk[node.existing.pk] = node

    def _division_broken(self, code, kind, name) -> None:
        if code:
            self.broken_codes["divisions"].add(code)
        if kind and name:
            self.broken_names.add((DIVISION_DEPTH[kind], name))

    def _division_node(self, number, record, name, kind, code, values, matched) -> DivisionNode | None:
        key = "divisions"
        parent = self._division_parent(number, record, kind)
        if parent is False:
            return None
        full_name = f"{parent.full_name}/{name}" if parent else name
        existing = self.db_by_code.get(code) if code else None
        if existing is None and (parent is None or parent.existing is not None):
            # No code match: the same name under the same stored parent is the same division.
            by_name = self.db_by_parent_name.get((parent.existing.pk if parent else None, name))
            if by_name is not None and (not code or not by_name.code):
                existing = by_name
        if code and code in self.db_by_code and self.db_by_code[code] is not existing:
            self.err(key, number, "code", _("区划代码已被「%s」使用") % self.db_by_code[code].name)
            return None
        if existing is not None:
            if existing.pk in matched:
                self.err(key, number, "name", _("与第 %d 行指向同一个区划") % matched[existing.pk])
                return None
            matched[existing.pk] = number
            if existing.kind != kind and existing.pk in self.db_with_children:
                self.err(key, number, "kind", _("「%s」已有下级区划，不能改变层级") % existing.name)
                return None
        if full_name in self.sheet_by_path:
            self.err(key, number, "name", _("与第 %d 行的完整名称相同") % self.sheet_by_path[full_name].row)
            return None
        return DivisionNode(
            name=name,
            kind=kind,
            full_name=full_name,
            row=number,
            code=code or (existing.code if existing else ""),
            parent=parent,
            existing=existing,
            values=values,
        )

    def _division_parent(self, number, record, kind):
        """The parent node, None for a district, or False after reporting an error."""
        parent_code, parent_name = record.get("parent_code", ""), record.get("parent_name", "")
        column = "parent_code" if parent_code or not parent_name else "parent_name"
        if kind == DivisionKind.DISTRICT:
            if parent_code or parent_name:
                self.err("divisions", number, column, _("区/县是最高一级，不能填写上级"))
                return False
            return None
        if not parent_code and not parent_name:
            self.err("divisions", number, "parent_code", _("必填（或填写「上级名称路径」）"))
            return False
        value = parent_code or parent_name
        parent = self.division_ref(value)
        if parent is None:
            if not self._row_blocked:
                self.err("divisions", number, column, _("找不到 %s") % value)
            return False
        if CHILD_KIND.get(parent.kind) != kind:
            self.err(
                "divisions",
                number,
                column,
                _("上级「%(name)s」是%(kind)s，不能作为%(child)s的上级")
                % {
                    "name": parent.name,
                    "kind": DivisionKind(parent.kind).label,
                    "child": DivisionKind(kind).label,
                },
            )
            return False
        return parent

    # ---- stations, units, deputies ---------------------------------------------------------
    def _division_column(self, kind, number, record, key) -> DivisionNode | None:
        value = self._required(kind, number, record, key)
        if not value:
            return None
        node = self.division_ref(value)
        if node is None and not self._row_blocked:
            self.err(kind, number, key, _("找不到 %s") % value)
        return node

    def add_stations(self, rows) -> None:
        kind = "stations"
        seen: dict[str, int] = {}
        sheet_codes = {record.get("code", "") for _number, record in rows}
        for number, record in rows:
            self.row_start(kind, number, record)
            code = self._code(kind, number, record, seen)
            existing = self.stored_stations.get(code)
            values = {
                "name": self._text(kind, number, record, "name", max_length=100, required=True),
                "address": self._text(kind, number, record, "address", max_length=200),
                "opening_hours": self._text(kind, number, record, "opening_hours", max_length=200),
                "phone": self._text(kind, number, record, "phone", max_length=30),
                "kind": self._optional(kind, number, record, "kind", parse_station_kind, clearable=False),
                "active": self._optional(kind, number, record, "active", parse_bool, True, clearable=False),
                **self._coordinates(kind, number, record),
            }
            division = self._division_column(kind, number, record, "division")
            rule = self._optional(kind, number, record, "reception_rule", parse_reception_rule, cleared="none")
            weekday = self._optional(kind, number, record, "reception_weekday", parse_int)
            monthday = self._optional(kind, number, record, "reception_monthday", parse_int)
            values = {name: value for name, value in values.items() if value is not KEEP}
            if self.row_ok():
                given = {"reception_rule": rule, "reception_weekday": weekday, "reception_monthday": monthday}
                given = {name: value for name, value in given.items() if value is not KEEP}
                try:
                    weekday, monthday = station_check_reception(
                        rule=_merged(given, existing, "reception_rule", "none"),
                        weekday=_merged(given, existing, "reception_weekday"),
                        monthday=_merged(given, existing, "reception_monthday"),
                    )
                except InvalidInput as exc:
                    self.err(kind, number, next(iter(exc.fields), "reception_rule"), exc.message)
                else:
                    values.update(given, reception_weekday=weekday, reception_monthday=monthday)
                self._coordinates_merged(kind, number, values, existing)
            if existing is None and self.row_ok():
                self._station_renamed(number, code, values["name"], division, sheet_codes)
            if self.row_ok():
                self.stations.append(
                    RowPlan(row=number, code=code, values=values, division=division, existing=existing)
                )
            elif code:
                self.broken_codes["stations"].add(code)

    def _station_renamed(self, number, code, name, division, sheet_codes) -> None:
        """A new code on a row that names a stored station of the same division reads as a code change:
        refused, because the code is printed on QR codes and posters (docs/registry.md)."""
        if division is None or division.existing is None:
            return
        if self._stations_by_name is None:
            self._stations_by_name = {}
            for stored in self.stored_stations.values():
                self._stations_by_name.setdefault((stored.name, stored.division_id), []).append(stored)
        for stored in self._stations_by_name.get((name, division.existing.pk), ()):
            if stored.code not in sheet_codes:
                self.err(
                    "stations",
                    number,
                    "code",
                    _(
                        "「%(name)s」已有编码 %(old)s。联络站编码印在二维码和海报上，不能改为 %(new)s；"
                        "请保留原编码（如确是另一个联络站，请换一个名称）"
                    )
                    % {"name": name, "old": stored.code, "new": code},
                )
                return

    def add_units(self, rows) -> None:
        kind = "units"
        seen: dict[str, int] = {}
        for number, record in rows:
            self.row_start(kind, number, record)
            code = self._code(kind, number, record, seen)
            values = {
                "name": self._text(kind, number, record, "name", max_length=100, required=True),
                "level": self._optional(kind, number, record, "level", parse_unit_level, clearable=False),
                "active": self._optional(kind, number, record, "active", parse_bool, True, clearable=False),
            }
            values = {name: value for name, value in values.items() if value is not KEEP}
            division = self._division_column(kind, number, record, "division")
            if self.row_ok():
                existing = self.stored_units.get(code)
                self.units.append(RowPlan(row=number, code=code, values=values, division=division, existing=existing))
            elif code:
                self.broken_codes["units"].add(code)

    def add_deputies(self, rows) -> None:
        kind = "deputies"
        seen: dict[str, int] = {}
        station_codes = {plan.code for plan in self.stations} | set(self.stored_stations)
        for number, record in rows:
            self.row_start(kind, number, record)
            code = self._code(kind, number, record, seen)
            values = {
                "name": self._text(kind, number, record, "name", max_length=50, required=True),
                "constituency": self._text(kind, number, record, "constituency", max_length=100),
                "sector": self._text(kind, number, record, "sector", max_length=100),
                "bio": self._text(kind, number, record, "bio", max_length=2000),
                "public": self._optional(kind, number, record, "public", parse_bool, False, clearable=False),
            }
            values = {name: value for name, value in values.items() if value is not KEEP}
            levels = []
            levels_text = self._required(kind, number, record, "levels")
            if levels_text:
                levels, _ok = self._parse(kind, number, "levels", parse_deputy_levels, levels_text)
            stations = self._optional(kind, number, record, "station_codes", split_list, cleared=[])
            for station_code in stations if stations is not KEEP else ():
                if station_code not in station_codes and not self.blocked("stations", station_code):
                    self.err(kind, number, "station_codes", _("找不到联络站 %s") % station_code)
            grids = self._optional(kind, number, record, "grid_codes", split_list, cleared=[])
            grid_nodes = None if grids is KEEP else []
            for grid_code in grids if grids is not KEEP else ():
                node = self.division_ref(grid_code)
                if node is None:
                    if not self._row_blocked:
                        self.err(kind, number, "grid_codes", _("找不到网格 %s") % grid_code)
                elif node.kind != DivisionKind.GRID:
                    self.err(kind, number, "grid_codes", _("「%s」不是网格") % node.name)
                else:
                    grid_nodes.append(node)
            if self.row_ok():
                self.deputies.append(
                    RowPlan(
                        row=number,
                        code=code,
                        values=values,
                        existing=self.stored_deputies.get(code),
                        levels=levels,
                        station_codes=None if stations is KEEP else stations,
                        grids=grid_nodes,
                    )
                )

    def _code(self, kind, number, record, seen) -> str:
        code = self._required(kind, number, record, "code")
        if not code:
            return ""
        try:
            parse_slug(code)
        except ValueError as exc:
            self.err(kind, number, "code", str(exc))
            return code
        self._unique(kind, seen, number, "code", code)
        return code

    # ---- routing ---------------------------------------------------------------------------
    def add_routing(self, rows) -> None:
        kind = "routing"
        categories = list(Category.objects.values_list("pk", "name", "parent_id"))
        by_pk = {pk: (name, parent_id) for pk, name, parent_id in categories}

        def full(pk):
            names = []
            while pk is not None and len(names) < 5:
                name, pk = by_pk[pk]
                names.append(name)
            return "/".join(reversed(names))

        category_by_path = {full(pk): pk for pk in by_pk}
        self.category_names = {pk: path for path, pk in category_by_path.items()}
        units = {code: unit.active for code, unit in self.stored_units.items()}
        for plan in self.units:
            units[plan.code] = plan.values.get("active", units.get(plan.code, True))
        seen: dict[tuple, int] = {}
        for number, record in rows:
            self.row_start(kind, number, record)
            category_pk = None
            category_text = self._required(kind, number, record, "category")
            if category_text:
                category_pk = category_by_path.get(_norm_path(category_text))
                if category_pk is None:
                    self.err(kind, number, "category", _("找不到分类「%s」") % category_text)
            division = self._division_column(kind, number, record, "division")
            unit_code = self._required(kind, number, record, "unit")
            if not unit_code:
                pass
            elif unit_code not in units:
                if not self.blocked("units", unit_code):
                    self.err(kind, number, "unit", _("找不到承办单位 %s") % unit_code)
            elif not units[unit_code]:
                self.err(kind, number, "unit", _("承办单位 %s 已停用") % unit_code)
            if self.row_ok():
                key = (category_pk, division.existing.pk if division.existing else id(division))
                if key in seen:
                    self.err(kind, number, "category", _("分类和区划与第 %d 行相同") % seen[key])
                else:
                    seen[key] = number
                    self.routing.append((number, category_pk, division, unit_code))


def _merged(values: dict, existing, name: str, default=None):
    """The value a field will have: the row's when given, else the stored one, else the default."""
    if name in values:
        return values[name]
    if existing is not None:
        return getattr(existing, name)
    return default


def _polygon(text: str) -> dict | None:
    try:
        return polygon_parse(text)
    except InvalidInput as exc:
        raise ValueError(exc.message)


def build_plan(tables, errors) -> Plan:
    plan = Plan(errors)
    steps = (
        ("divisions", plan.add_divisions),
        ("stations", plan.add_stations),
        ("units", plan.add_units),
        ("deputies", plan.add_deputies),
        ("routing", plan.add_routing),
    )
    for key, step in steps:
        if key in tables:
            plan.kinds.append(key)
            step(tables[key])
    return plan
