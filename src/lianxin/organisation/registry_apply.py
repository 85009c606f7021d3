"""Write a validated and compared registry plan (called inside the import's one transaction).

Only the changes the diff found are written (`registry_diff.plan_diff` sets `action` and `changes` on
every row): a blank cell never reaches here, so it never overwrites a stored value.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianxin.organisation.models import Category, Deputy, DeputyMandate, HandlingUnit, Station
from lianxin.organisation.registry_plan import DivisionNode, Plan, RowPlan
from lianxin.organisation.routing import RuleChange, ruleset_create_version
from lianxin.organisation.services import division_create, division_update


def plan_apply(plan: Plan, actor, result) -> None:
    _apply_divisions(plan)
    _apply_simple(Station, plan.stations)
    _apply_simple(HandlingUnit, plan.units)
    _apply_deputies(plan)
    _apply_routing(plan, actor, result)
    for key in plan.kinds:
        rows = {
            "divisions": plan.divisions,
            "stations": plan.stations,
            "units": plan.units,
            "deputies": plan.deputies,
            "routing": plan.routing_rows,
        }[key]
        for row in rows:
            result.counts[key][row.action] += 1


def _resolve(value):
    return value.obj if isinstance(value, DivisionNode) else value


def _apply_divisions(plan: Plan) -> None:
    for node in plan.divisions:  # already in depth order: a parent is written before its children
        if node.action == "created":
            node.obj = division_create(
                actor=None,
                name=node.name,
                kind=node.kind,
                parent=node.parent.obj if node.parent else None,
                code=node.code,
                **node.values,
            )
        elif node.action == "updated":
            changes = {name: _resolve(new) for name, (_old, new) in node.changes.items()}
            node.obj = division_update(actor=None, division_id=node.existing.pk, **changes)
        else:
            node.obj = node.existing


def _apply_simple(model, rows: list[RowPlan]) -> None:
    for row in rows:
        if row.action == "created":
            row.existing = model.objects.create(code=row.code, division=row.division.obj, **row.values)
        elif row.action == "updated":
            _save(row.existing, row.changes)


def _save(obj, changes: dict) -> None:
    for name, (_old, new) in changes.items():
        setattr(obj, name, _resolve(new))
    if changes:
        obj.save(update_fields=list(changes))


def _apply_deputies(plan: Plan) -> None:
    codes = {code for row in plan.deputies for code in row.station_codes or ()}
    stations = Station.objects.in_bulk(codes, field_name="code")
    for row in plan.deputies:
        if row.action == "unchanged":
            continue
        links = {name: row.changes.pop(name) for name in ("levels", "station_codes", "grids") if name in row.changes}
        if row.action == "created":
            deputy = Deputy.objects.create(code=row.code, **row.values)
        else:
            deputy = row.existing
            _save(deputy, row.changes)
            row.changes.update(links)
        if "levels" in links:
            old, new = links["levels"]
            old = old or set()
            deputy.mandates.exclude(level__in=new).delete()
            DeputyMandate.objects.bulk_create(
                DeputyMandate(deputy=deputy, level=level, constituency=deputy.constituency)
                for level in row.levels
                if level not in old
            )
        if "station_codes" in links:
            deputy.stations.set([stations[code].pk for code in links["station_codes"][1]])
        if "grids" in links:
            deputy.grids.set([node.obj.pk for node in links["grids"][1]])


def _apply_routing(plan: Plan, actor, result) -> None:
    rows = plan.routing_rows
    if not any(row.action != "unchanged" for row in rows):
        return
    units = HandlingUnit.objects.in_bulk({row.unit_code for row in rows}, field_name="code")
    categories = Category.objects.in_bulk([row.category_id for row in rows])
    changes = [
        RuleChange(category=categories[row.category_id], division=row.division.obj, unit=units[row.unit_code])
        for row in rows
    ]
    new = ruleset_create_version(actor=actor, note=_("表格导入"), rules=changes)
    result.routing_version = new.version
