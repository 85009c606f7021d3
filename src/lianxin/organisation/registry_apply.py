"""Write a validated registry plan (called inside the import's one transaction)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianxin.organisation.models import Category, Deputy, DeputyMandate, HandlingUnit, Station
from lianxin.organisation.registry_plan import Plan, RowPlan
from lianxin.organisation.routing import RuleChange, active_ruleset, ruleset_create_version
from lianxin.organisation.services import division_create, division_update


def plan_apply(plan: Plan, actor, result) -> None:
    _apply_divisions(plan, result)
    _apply_simple("stations", Station, plan.stations, result)
    _apply_simple("units", HandlingUnit, plan.units, result)
    _apply_deputies(plan, result)
    _apply_routing(plan, actor, result)


def _apply_divisions(plan: Plan, result) -> None:
    for node in plan.divisions:  # already in depth order
        parent = node.parent.obj if node.parent else None
        wanted = {"name": node.name, "kind": node.kind, "parent": parent, "code": node.code, **node.values}
        if node.existing is None:
            node.obj = division_create(actor=None, **wanted)
            result.counts["divisions"]["created"] += 1
            continue
        changes = {k: v for k, v in wanted.items() if getattr(node.existing, k) != v}
        if changes:
            node.obj = division_update(actor=None, division_id=node.existing.pk, **changes)
            result.counts["divisions"]["updated"] += 1
        else:
            node.obj = node.existing
            result.counts["divisions"]["unchanged"] += 1


def _apply_simple(key, model, plans: list[RowPlan], result) -> None:
    stored = model.objects.in_bulk([plan.code for plan in plans], field_name="code")
    for plan in plans:
        values = {**plan.values, "division": plan.division.obj}
        existing = stored.get(plan.code)
        _obj, changed = _upsert(key, model, existing, plan.code, values, result)
        if existing is not None:
            result.counts[key]["updated" if changed else "unchanged"] += 1


def _upsert(key, model, existing, code, values, result):
    if existing is None:
        result.counts[key]["created"] += 1
        return model.objects.create(code=code, **values), True
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    for name in changed:
        setattr(existing, name, values[name])
    if changed:
        existing.save(update_fields=changed)
    return existing, bool(changed)


def _apply_deputies(plan: Plan, result) -> None:
    stored = Deputy.objects.in_bulk([row.code for row in plan.deputies], field_name="code")
    stations = Station.objects.in_bulk({code for row in plan.deputies for code in row.station_codes}, field_name="code")
    for row in plan.deputies:
        existing = stored.get(row.code)
        deputy, changed = _upsert("deputies", Deputy, existing, row.code, row.values, result)
        wanted_levels = set(row.levels)
        current_levels = set(deputy.mandates.values_list("level", flat=True)) if existing else set()
        if wanted_levels != current_levels:
            changed = True
            deputy.mandates.exclude(level__in=wanted_levels).delete()
            DeputyMandate.objects.bulk_create(
                DeputyMandate(deputy=deputy, level=level, constituency=row.values["constituency"])
                for level in row.levels
                if level not in current_levels
            )
        wanted_stations = {stations[code].pk for code in row.station_codes}
        if existing is None or wanted_stations != set(deputy.stations.values_list("pk", flat=True)):
            changed = changed or existing is not None
            deputy.stations.set(wanted_stations)
        wanted_grids = {node.obj.pk for node in row.grids}
        if existing is None or wanted_grids != set(deputy.grids.values_list("pk", flat=True)):
            changed = changed or existing is not None
            deputy.grids.set(wanted_grids)
        if existing is not None:
            result.counts["deputies"]["updated" if changed else "unchanged"] += 1


def _apply_routing(plan: Plan, actor, result) -> None:
    if not plan.routing:
        return

    units = HandlingUnit.objects.in_bulk({code for *_rest, code in plan.routing}, field_name="code")
    categories = Category.objects.in_bulk([pk for _n, pk, _d, _u in plan.routing])
    changes = [
        RuleChange(category=categories[pk], division=node.obj, unit=units[code])
        for _number, pk, node, code in plan.routing
    ]
    current = {}
    ruleset = active_ruleset()
    if ruleset is not None:
        current = {(r.category_id, r.division_id): r.unit_id for r in ruleset.rules.all()}
    counts = result.counts["routing"]
    for change in changes:
        before = current.get((change.category.pk, change.division.pk))
        if before is None:
            counts["created"] += 1
        elif before != change.unit.pk:
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    if counts["created"] or counts["updated"]:
        new = ruleset_create_version(actor=actor, note=_("表格导入"), rules=changes)
        result.routing_version = new.version
