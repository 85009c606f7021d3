"""Changes to the organisation registry. Each writes an audit entry."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.audit.services import log_action
from lianxin.errors import InvalidInput, NotFound
from lianxin.organisation.enums import CHILD_KIND, DivisionKind, ReceptionRule
from lianxin.organisation.models import Deputy, Division

GEOJSON_AREA_TYPES = {"Polygon", "MultiPolygon"}


def _log(actor, action: str, subject_type: str, subject_id: int | None, data: dict | None = None) -> None:
    if actor is None:
        return

    log_action(actor=actor, action=action, subject_type=subject_type, subject_id=subject_id, data=data or {})


def polygon_parse(value: Any) -> dict | None:
    """A GeoJSON Polygon/MultiPolygon (or a Feature holding one) as a dict; None when empty.

    Raises InvalidInput when it is not valid JSON, not an area, or not a valid shape.
    """
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise InvalidInput(_("网格范围不是有效的 GeoJSON。"), fields={"polygon": [_("不是有效的 JSON")]})
    if not isinstance(value, dict):
        raise InvalidInput(_("网格范围不是有效的 GeoJSON。"), fields={"polygon": [_("应为 GeoJSON 对象")]})
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
    if value.get("type") not in GEOJSON_AREA_TYPES:
        raise InvalidInput(
            _("网格范围须为 Polygon 或 MultiPolygon。"), fields={"polygon": [_("须为 Polygon 或 MultiPolygon")]}
        )
    from shapely.geometry import shape  # noqa: PLC0415 — shapely loads GEOS (seconds); only polygon checks need it

    try:
        geometry = shape(value)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        raise InvalidInput(_("网格范围的坐标无效。"), fields={"polygon": [_("坐标无效")]})
    if geometry.is_empty or not geometry.is_valid:
        raise InvalidInput(_("网格范围的多边形无效（自相交或点数不足）。"), fields={"polygon": [_("多边形无效")]})
    return value


def coordinates_check(lat, lng) -> None:
    if (lat is None) != (lng is None):
        raise InvalidInput(_("纬度和经度须同时填写。"), fields={"lat": [_("须与经度同时填写")]})
    if lat is not None and not (-90 <= lat <= 90):
        raise InvalidInput(_("纬度须在 -90 到 90 之间。"), fields={"lat": [_("超出范围")]})
    if lng is not None and not (-180 <= lng <= 180):
        raise InvalidInput(_("经度须在 -180 到 180 之间。"), fields={"lng": [_("超出范围")]})


def division_check(*, kind: str, parent: Division | None, division: Division | None = None) -> None:
    """The place of a division in the tree: district at the top, each kind under the one above it."""
    if kind not in DivisionKind.values:
        raise InvalidInput(_("区划层级无效。"), fields={"kind": [_("无效")]})
    if parent is None and kind != DivisionKind.DISTRICT:
        raise InvalidInput(_("除区/县外，区划必须有上级。"), fields={"parent": [_("必填")]})
    if parent is not None and CHILD_KIND.get(parent.kind) != kind:
        raise InvalidInput(_("上级区划的层级不对。"), fields={"parent": [_("层级不对")]})
    if division is not None and division.pk and parent is not None:
        if parent.pk == division.pk or parent.path.startswith(division.path):
            raise InvalidInput(_("不能把区划移到它自己或它的下级之下。"), fields={"parent": [_("不能选自己或下级")]})
    if division is not None and division.pk and kind != division.kind and division.children.exists():
        raise InvalidInput(_("有下级的区划不能改变层级。"), fields={"kind": [_("有下级，不能改变层级")]})


@transaction.atomic
def division_create(
    *,
    name: str,
    kind: str,
    parent: Division | None = None,
    code: str = "",
    actor=None,
    polygon=None,
    lat=None,
    lng=None,
    grid_worker: str = "",
) -> Division:
    division_check(kind=kind, parent=parent)
    polygon = polygon_parse(polygon)
    coordinates_check(lat, lng)
    division = Division.objects.create(
        name=name, kind=kind, parent=parent, code=code, polygon=polygon, lat=lat, lng=lng, grid_worker=grid_worker
    )
    division.path = f"{parent.path if parent else '/'}{division.pk}/"
    division.save(update_fields=["path"])
    _log(actor, "division.created", "division", division.pk, {"name": name, "kind": kind, "code": code})
    return division


DIVISION_FIELDS = ("name", "kind", "parent", "code", "polygon", "lat", "lng", "grid_worker")


@transaction.atomic
def division_update(*, actor, division_id: int, **changes) -> Division:
    """Change a division; moving it under another parent rewrites the paths of its whole subtree."""
    unknown = set(changes) - set(DIVISION_FIELDS)
    if unknown:
        raise InvalidInput(_("未知字段：%s") % ", ".join(sorted(unknown)))
    current = Division.objects.select_for_update().filter(pk=division_id).first()
    if current is None:
        raise NotFound(_("找不到该区划。"))
    kind = changes.get("kind", current.kind)
    parent = changes.get("parent", current.parent)
    division_check(kind=kind, parent=parent, division=current)
    if "polygon" in changes:
        changes["polygon"] = polygon_parse(changes["polygon"])
    coordinates_check(changes.get("lat", current.lat), changes.get("lng", current.lng))
    before = {field: _plain(getattr(current, field)) for field in changes}
    for field, value in changes.items():
        setattr(current, field, value)
    old_path = current.path
    new_path = f"{parent.path if parent else '/'}{current.pk}/"
    current.path = new_path
    current.save()
    moved = 0
    if new_path != old_path:
        subtree = list(Division.objects.filter(path__startswith=old_path).exclude(pk=current.pk))
        for child in subtree:
            child.path = new_path + child.path[len(old_path) :]
        Division.objects.bulk_update(subtree, ["path"])
        moved = len(subtree)
    after = {field: _plain(getattr(current, field)) for field in changes}
    changed = {field: [before[field], after[field]] for field in changes if before[field] != after[field]}
    if changed or moved:
        _log(actor, "division.updated", "division", current.pk, {"changed": changed, "subtree_moved": moved})
    return current


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    return value


def division_full_names(divisions=None) -> dict[int, str]:
    """Every division's full name path, e.g. {7: "示范区/东湖街道/春晖社区"}, from one query."""
    rows = list(Division.objects.values_list("pk", "name", "path")) if divisions is None else divisions
    names = {pk: name for pk, name, _path in rows}
    result = {}
    for pk, _name, path in rows:
        parts = [int(p) for p in path.strip("/").split("/") if p]
        result[pk] = "/".join(names.get(part, "?") for part in parts)
    return result


def station_check_reception(*, rule: str, weekday: int | None, monthday: int | None) -> tuple[int | None, int | None]:
    """Weekly needs a weekday 1–7, monthly a day 1–31; the field the rule does not use is cleared."""
    if rule not in ReceptionRule.values:
        raise InvalidInput(_("接待日规则无效。"), fields={"reception_rule": [_("无效")]})
    if rule == ReceptionRule.WEEKLY:
        if weekday is None or not (1 <= weekday <= 7):
            raise InvalidInput(
                _("每周接待须填写 1–7 之间的星期（1=周一）。"), fields={"reception_weekday": [_("须为 1–7")]}
            )
        return weekday, None
    if rule == ReceptionRule.MONTHLY:
        if monthday is None or not (1 <= monthday <= 31):
            raise InvalidInput(_("每月接待须填写 1–31 之间的日期。"), fields={"reception_monthday": [_("须为 1–31")]})
        return None, monthday
    return None, None


def category_level_for(*, parent, category=None) -> int:
    """Categories are three levels deep; a category with sub-categories keeps its level."""
    level = 1 if parent is None else parent.level + 1
    if level > 3:
        raise InvalidInput(_("分类最多三级。"), fields={"parent": [_("最多三级")]})
    if category is not None and category.pk:
        walker = parent
        while walker is not None:
            if walker.pk == category.pk:
                raise InvalidInput(_("不能把分类移到它自己之下。"), fields={"parent": [_("不能选自己或下级")]})
            walker = walker.parent
        if level != category.level and category.children.exists():
            raise InvalidInput(_("有下级的分类不能改变级别。"), fields={"parent": [_("有下级，不能改变级别")]})
    return level


def deputy_set_public(*, deputy_id: int, public: bool) -> None:
    """Switch a deputy's public profile on or off (`Deputy.public`). Called by the finder's consent service
    (finder.services.deputy_publication_set), which checks the actor and records the change in its audit
    entry together with the published items."""
    Deputy.objects.filter(pk=deputy_id).update(public=bool(public))


def grid_set_deputies(*, grid_id: int, deputy_ids: list[int]) -> None:
    """Set the deputies who are a grid's contacts (the `Deputy.grids` links). Called by the finder's
    grid_assign, which checks the actor and the deputies and writes the audit entry."""
    Division.objects.get(pk=grid_id).deputies.set(deputy_ids)


def deputy_set_user(*, deputy_id: int, user_id: int | None) -> None:
    """Link a deputy to the account they log in with (`Deputy.user`), or unlink it. Called by the office's account
    services (accounts.people_services), which check the actor and the deputy and write the audit entry."""
    Deputy.objects.filter(pk=deputy_id).update(user_id=user_id)
