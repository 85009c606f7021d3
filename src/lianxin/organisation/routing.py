"""Routing rules: category × division → handling unit, kept in numbered versions.

Exactly one version is active. A change never edits a version in place: it copies the active
version, applies the changes and activates the copy, so a dispatch keeps pointing at the rule
that applied when it was made.

`routing_suggest` picks the most specific rule: it walks the case's division from itself up to
the district and, for each division, the category from itself up to its first level. A rule for
a street beats a district-wide rule (small matters stay local); within one division a rule for
a third-level category beats one for its first-level class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from lianxin.audit.services import log_action
from lianxin.errors import InvalidInput, NotFound
from lianxin.organisation.models import Category, Division, HandlingUnit, RoutingRule, RoutingRuleSet


@dataclass(frozen=True)
class RuleChange:
    """Set the unit for (category, division); `unit=None` removes the rule from the new version."""

    category: Category
    division: Division
    unit: HandlingUnit | None


def active_ruleset() -> RoutingRuleSet | None:
    return RoutingRuleSet.objects.filter(active=True).order_by("-version").first()


# How often dispatchers took the rules' suggestion is counted on the cases' dispatches (an app above this one),
# which register the read when Django starts (CasesConfig.ready); unregistered, the page shows no uptake.
_uptake_reader: Callable[..., dict] | None = None
UPTAKE_DAYS = 30


def register_uptake_reader(reader: Callable[..., dict]) -> None:
    """Set `reader(days=) -> {"overall": ..., "units": [{"unit", "dispatches", "taken", "percent"}]}`."""
    global _uptake_reader
    _uptake_reader = reader


def routing_uptake(*, days: int = UPTAKE_DAYS) -> dict | None:
    """The suggestion uptake (建议采纳率) overall and per suggested unit over the last `days` days, or None."""
    return None if _uptake_reader is None else _uptake_reader(days=days)


def ruleset_versions():
    """Every version, newest first, with its rule count (one query)."""
    return RoutingRuleSet.objects.select_related("created_by").annotate(rule_count=Count("rules")).order_by("-version")


def _as_change(item) -> RuleChange:
    if isinstance(item, RuleChange):
        return item
    if isinstance(item, dict):
        return RuleChange(category=item["category"], division=item["division"], unit=item.get("unit"))
    category, division, unit = item
    return RuleChange(category=category, division=division, unit=unit)


def rule_changes_differ(changes: Iterable) -> bool:
    """Whether applying these changes to the active version would change anything."""
    current = {}
    ruleset = active_ruleset()
    if ruleset is not None:
        current = {(r.category_id, r.division_id): r.unit_id for r in ruleset.rules.all()}
    for change in map(_as_change, changes):
        key = (change.category.pk, change.division.pk)
        wanted = change.unit.pk if change.unit else None
        if current.get(key) != wanted:
            return True
    return False


@transaction.atomic
def ruleset_create_version(*, actor, note: str = "", rules: Iterable = ()) -> RoutingRuleSet:
    """Copy the active version, apply `rules` (RuleChange, dicts or tuples), activate the copy."""
    changes = [_as_change(item) for item in rules]
    note = (note or "").strip()
    if len(note) > 200:
        raise InvalidInput(_("说明不能超过 200 字。"), fields={"note": [_("过长")]})
    seen: set[tuple[int, int]] = set()
    for change in changes:
        key = (change.category.pk, change.division.pk)
        if key in seen:
            raise InvalidInput(
                _("同一分类和区划只能有一条规则：%(category)s · %(division)s")
                % {"category": change.category.name, "division": change.division.name},
                fields={"rules": [_("重复")]},
            )
        seen.add(key)
        if change.unit is not None and not change.unit.active:
            raise InvalidInput(
                _("承办单位「%s」已停用，不能用于派单规则。") % change.unit.name, fields={"rules": [_("单位已停用")]}
            )
    list(RoutingRuleSet.objects.select_for_update().filter(active=True))  # serialise concurrent versions
    previous = active_ruleset()
    table: dict[tuple[int, int], int] = {}
    if previous is not None:
        table = {(r.category_id, r.division_id): r.unit_id for r in previous.rules.all()}
    for change in changes:
        key = (change.category.pk, change.division.pk)
        if change.unit is None:
            table.pop(key, None)
        else:
            table[key] = change.unit.pk
    version = (RoutingRuleSet.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    RoutingRuleSet.objects.filter(active=True).update(active=False)
    ruleset = RoutingRuleSet.objects.create(
        version=version, note=note, active=True, created_by=actor if getattr(actor, "pk", None) else None
    )
    RoutingRule.objects.bulk_create(
        RoutingRule(ruleset=ruleset, category_id=category_id, division_id=division_id, unit_id=unit_id)
        for (category_id, division_id), unit_id in sorted(table.items())
    )

    log_action(
        actor=actor,
        action="routing.version_created",
        subject_type="routing_ruleset",
        subject_id=ruleset.pk,
        message=note,
        data={
            "version": version,
            "previous": previous.version if previous else None,
            "changes": len(changes),
            "rules": len(table),
        },
    )
    return ruleset


@transaction.atomic
def ruleset_activate(*, actor, ruleset_id: int) -> RoutingRuleSet:
    """Make an older (or newer) version the active one again, e.g. to undo a change."""
    ruleset = RoutingRuleSet.objects.select_for_update().filter(pk=ruleset_id).first()
    if ruleset is None:
        raise NotFound(_("找不到该规则版本。"))
    previous = active_ruleset()
    RoutingRuleSet.objects.filter(active=True).exclude(pk=ruleset.pk).update(active=False)
    if not ruleset.active:
        ruleset.active = True
        ruleset.save(update_fields=["active"])

    log_action(
        actor=actor,
        action="routing.version_activated",
        subject_type="routing_ruleset",
        subject_id=ruleset.pk,
        data={"version": ruleset.version, "previous": previous.version if previous else None},
    )
    return ruleset


def _category_chain(category: Category) -> list[int]:
    chain = []
    walker = category
    while walker is not None and len(chain) < 10:
        chain.append(walker.pk)
        walker = walker.parent
    return chain


def routing_suggest(category: Category | None, division: Division | None):
    """(unit, rule) of the most specific active rule for this category and division, or (None, None)."""
    if category is None or division is None:
        return None, None
    division_chain = list(reversed(division.ancestor_ids())) or [division.pk]
    category_chain = _category_chain(category)
    rules = {
        (rule.division_id, rule.category_id): rule
        for rule in RoutingRule.objects.filter(
            ruleset__active=True, division_id__in=division_chain, category_id__in=category_chain, unit__active=True
        ).select_related("unit", "ruleset")
    }
    for division_id in division_chain:
        for category_id in category_chain:
            rule = rules.get((division_id, category_id))
            if rule is not None:
                return rule.unit, rule
    return None, None
