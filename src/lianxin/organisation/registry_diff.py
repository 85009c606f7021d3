"""Compare a validated registry plan with the stored registry: per row, each field that changes.

The preview shows these changes before anything is written and the apply step writes exactly them,
so what the office confirmed is what happens. A digest of the changes lets the confirmation refuse
when the stored registry changed in between (someone else edited it after the preview).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lianxin.organisation.enums import DeputyLevel
from lianxin.organisation.models import Deputy, DeputyMandate, Division, HandlingUnit, Station
from lianxin.organisation.registry_plan import KEEP, DivisionNode, Plan, RowPlan
from lianxin.organisation.registry_sheets import SHEETS
from lianxin.organisation.routing import active_ruleset

ACTIONS = ("created", "updated", "unchanged")
MODELS = {"divisions": Division, "stations": Station, "units": HandlingUnit, "deputies": Deputy}
SHOWN_CHARS = 80
LINK_FIELDS = ("levels", "station_codes", "grids")


def _empty(value) -> bool:
    return value is None or (isinstance(value, str | list | set | tuple | dict) and len(value) == 0)


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class RowPreview:
    kind: str
    row: int
    entity: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def sheet_label(self) -> str:
        return SHEETS[self.kind].label


@dataclass
class RoutingRow:
    row: int
    category_id: int
    division: DivisionNode
    unit_code: str
    action: str = ""


@dataclass
class Preview:
    rows: list[RowPreview]
    counts: dict[str, dict[str, int]]
    digest: str
    token: str = ""

    def summary(self) -> list[tuple[str, int, int, int]]:
        """(label, created, updated, unchanged) per kind, in sheet order."""
        return [(SHEETS[key].label, c["created"], c["updated"], c["unchanged"]) for key, c in self.counts.items()]

    @property
    def changing(self) -> list[RowPreview]:
        return [row for row in self.rows if row.action != "unchanged"]

    @property
    def unchanged(self) -> list[RowPreview]:
        return [row for row in self.rows if row.action == "unchanged"]

    @property
    def has_changes(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())


def plan_diff(plan: Plan) -> Preview:
    """Set `action` and `changes` on every row of the plan and describe them for the preview."""
    differ = _Differ(plan)
    rows: list[RowPreview] = []
    counts = {key: dict.fromkeys(ACTIONS, 0) for key in plan.kinds}
    for node in plan.divisions:
        rows.append(differ.division(node))
    for kind, plans in (("stations", plan.stations), ("units", plan.units)):
        for row in plans:
            rows.append(differ.simple(kind, row))
    if plan.deputies:
        differ.load_deputy_links()
        for row in plan.deputies:
            rows.append(differ.deputy(row))
    rows.extend(differ.routing())
    for row in rows:
        counts[row.kind][row.action] += 1
    rows.sort(key=lambda r: (plan.kinds.index(r.kind), r.row))
    return Preview(rows=rows, counts=counts, digest=differ.digest())


class _Differ:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.keys: list = []
        self.levels: dict[int, set[str]] = {}
        self.station_links: dict[int, set[str]] = {}
        self.grid_links: dict[int, set[int]] = {}

    # ---- values ------------------------------------------------------------------------------------
    def stored(self, obj, name: str):
        """A stored field's value; foreign keys to divisions as the plan's node (no query per row)."""
        if name in ("division", "parent"):
            pk = getattr(obj, f"{name}_id")
            return self.plan.db_nodes[pk] if pk else None
        return getattr(obj, name)

    @staticmethod
    def key(value) -> Any:
        """A comparable, JSON-able form of a value."""
        if isinstance(value, DivisionNode):
            return ["division", value.existing.pk] if value.existing is not None else ["new", value.full_name]
        if isinstance(value, set | frozenset | list | tuple):
            return sorted(json.dumps(_Differ.key(item), sort_keys=True) for item in value)
        if isinstance(value, dict):
            return json.dumps(value, sort_keys=True)
        return value

    def show(self, kind: str, name: str, value) -> str:
        if _empty(value):
            return _("（空）")
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, DivisionNode):
            return value.full_name
        if isinstance(value, dict):
            return f"GeoJSON {value.get('type', '')}".strip()
        if name == "levels":
            return "、".join(str(DeputyLevel(level).label) for level in sorted(value))
        if isinstance(value, set | list | tuple):
            return "、".join(sorted(node.full_name if isinstance(node, DivisionNode) else str(node) for node in value))
        model = MODELS.get(kind)
        if model is not None and name in {f.name for f in model._meta.fields}:
            choices = dict(model._meta.get_field(name).flatchoices)
            if value in choices:
                return str(choices[value])
        text = str(value)
        return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"

    def label(self, kind: str, name: str) -> str:
        if name == "parent":
            return _("上级区划")
        if name == "grids":
            name = "grid_codes"
        spec = SHEETS[kind]
        if any(column.key == name for column in spec.columns):
            return spec.column(name).label
        return name

    def compare(self, kind: str, row: int, entity: str, wanted: dict, existing, read=None) -> tuple[RowPreview, dict]:
        """`wanted` against the stored object (`read(name)` overrides how a stored value is read)."""
        changes: dict[str, tuple[Any, Any]] = {}
        for name, new in wanted.items():
            if new is KEEP:
                continue
            if existing is None:
                if not _empty(new):
                    changes[name] = (None, new)
                continue
            old = read(name) if read is not None else self.stored(existing, name)
            if self.key(old) != self.key(new):
                changes[name] = (old, new)
        action = "created" if existing is None else ("updated" if changes else "unchanged")
        preview = RowPreview(kind=kind, row=row, entity=entity, action=action)
        for name, (old, new) in changes.items():
            preview.changes.append(
                FieldChange(name, self.label(kind, name), self.show(kind, name, old), self.show(kind, name, new))
            )
            self.keys.append([kind, row, name, self.key(old), self.key(new)])
        self.keys.append([kind, row, action])
        return preview, changes

    # ---- kinds ------------------------------------------------------------------------------------
    def division(self, node: DivisionNode) -> RowPreview:
        """A division row; its `parent` compares as the parent division (a new one is always a change)."""
        wanted = {"name": node.name, "kind": node.kind, "parent": node.parent, "code": node.code, **node.values}
        entity = f"{node.full_name}（{node.code}）" if node.code else node.full_name
        preview, node.changes = self.compare("divisions", node.row, entity, wanted, node.existing)
        node.action = preview.action
        return preview

    def simple(self, kind: str, row: RowPlan) -> RowPreview:
        wanted = {**row.values, "division": row.division}
        name = row.values.get("name") or ""
        preview, row.changes = self.compare(kind, row.row, f"{row.code}（{name}）", wanted, row.existing)
        row.action = preview.action
        return preview

    def load_deputy_links(self) -> None:
        for deputy_id, level in DeputyMandate.objects.values_list("deputy_id", "level"):
            self.levels.setdefault(deputy_id, set()).add(level)
        for deputy_id, code in Deputy.stations.through.objects.values_list("deputy_id", "station__code"):
            self.station_links.setdefault(deputy_id, set()).add(code)
        for deputy_id, division_id in Deputy.grids.through.objects.values_list("deputy_id", "division_id"):
            self.grid_links.setdefault(deputy_id, set()).add(division_id)

    def deputy_link(self, deputy: Deputy, name: str):
        if name == "levels":
            return self.levels.get(deputy.pk, set())
        if name == "station_codes":
            return self.station_links.get(deputy.pk, set())
        return {self.plan.db_nodes[pk] for pk in self.grid_links.get(deputy.pk, set())}

    def deputy(self, row: RowPlan) -> RowPreview:
        wanted = {
            **row.values,
            "levels": set(row.levels),
            "station_codes": KEEP if row.station_codes is None else set(row.station_codes),
            "grids": KEEP if row.grids is None else set(row.grids),
        }
        name = row.values.get("name") or ""
        existing = row.existing

        def read(field_name):
            if field_name in LINK_FIELDS:
                return self.deputy_link(existing, field_name)
            return self.stored(existing, field_name)

        preview, row.changes = self.compare("deputies", row.row, f"{row.code}（{name}）", wanted, existing, read)
        row.action = preview.action
        return preview

    def routing(self) -> list[RowPreview]:
        plan = self.plan
        if not plan.routing:
            return []
        ruleset = active_ruleset()
        current = {}
        if ruleset is not None:
            current = {(r.category_id, r.division_id): r.unit_id for r in ruleset.rules.all()}
        unit_codes = {unit.pk: code for code, unit in plan.stored_units.items()}
        rows = []
        plan.routing_rows = []
        for number, category_pk, node, unit_code in plan.routing:
            before = current.get((category_pk, node.existing.pk)) if node.existing is not None else None
            old = unit_codes.get(before) if before is not None else None
            action = "created" if before is None else ("updated" if old != unit_code else "unchanged")
            plan.routing_rows.append(RoutingRow(number, category_pk, node, unit_code, action))
            entity = f"{plan.category_names.get(category_pk, '')} × {node.full_name}"
            preview = RowPreview(kind="routing", row=number, entity=entity, action=action)
            if action != "unchanged":
                label = SHEETS["routing"].column("unit").label
                preview.changes.append(FieldChange("unit", label, old or _("（空）"), unit_code))
            self.keys.append(["routing", number, action, old, unit_code])
            rows.append(preview)
        return rows

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.keys, ensure_ascii=False, default=str).encode()).hexdigest()
