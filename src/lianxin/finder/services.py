"""Finder changes: import grids from GeoJSON, assign deputies and the grid worker, publication consent.

Each function is one transaction, takes `actor=` explicitly, checks the actor's scope (a foreign object is
a 404) and writes an audit entry. Grid polygons are written through the organisation's division services
(which audit each division); every change bumps `GridVersion` so the lookup index is rebuilt.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lianxin import validation
from lianxin.accounts.selectors import user_deputy
from lianxin.audit.services import log_action
from lianxin.errors import InvalidInput, NotFound
from lianxin.finder import conf, geo, rules
from lianxin.finder.models import PUBLICATION_FLAGS, DeputyPublication, GridVersion
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Deputy, Division
from lianxin.organisation.services import deputy_set_public, division_create, division_update, grid_set_deputies

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,12}$")
NAME_MAX = 100
WORKER_MAX = 50
GRID_DEPUTIES_MAX = 30


def grid_version_bump() -> int:
    """Tell every process that the grids changed (their lookup index is rebuilt on the next lookup)."""
    GridVersion.objects.get_or_create(pk=1)
    GridVersion.objects.filter(pk=1).update(version=F("version") + 1)
    return GridVersion.objects.get(pk=1).version


# --- GeoJSON import ---------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    name: str
    community: Division
    code: str
    grid_worker: str | None
    geometry: dict
    shape: object
    existing: Division | None = None


def _parse_collection(data) -> list:
    if isinstance(data, bytes | bytearray):
        if len(data) > conf.geojson_max_bytes():
            raise InvalidInput(
                _("文件太大（上限 %(mb)d MB）。") % {"mb": conf.geojson_max_bytes() // (1024 * 1024)},
                fields={"file": [_("文件太大")]},
            )
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(_("文件不是 UTF-8 编码的 GeoJSON。"), fields={"file": [_("编码不对")]})
    if isinstance(data, str):
        if not data.strip():
            raise InvalidInput(_("文件是空的。"), fields={"file": [_("文件是空的")]})
        try:
            data = json.loads(data)
        except ValueError:
            raise InvalidInput(_("文件不是有效的 JSON。"), fields={"file": [_("不是有效的 JSON")]})
    is_collection = isinstance(data, dict) and data.get("type") == "FeatureCollection"
    if not is_collection or not isinstance(data.get("features"), list):
        raise InvalidInput(
            _("须为 GeoJSON FeatureCollection（含 features 列表）。"), fields={"file": [_("不是 FeatureCollection")]}
        )
    features = data["features"]
    if not features:
        raise InvalidInput(_("文件中没有网格。"), fields={"file": [_("没有要素")]})
    if len(features) > conf.geojson_max_features():
        raise InvalidInput(
            _("一次最多导入 %(n)d 个网格。") % {"n": conf.geojson_max_features()}, fields={"file": [_("网格太多")]}
        )
    return features


def _text(properties: dict, key: str) -> str:
    value = properties.get(key)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return value.strip() if isinstance(value, str) else "\x00"  # "\x00": wrong type, reported by the caller


def _read_rows(features: list, within: Division) -> list[_Row]:
    communities = list(
        Division.objects.filter(kind=DivisionKind.COMMUNITY, path__startswith=within.path).only("id", "name", "code")
    )
    by_code = {c.code: c for c in communities if c.code}
    by_name: dict[str, list[Division]] = {}
    for community in communities:
        by_name.setdefault(community.name, []).append(community)
    grids = list(
        Division.objects.filter(kind=DivisionKind.GRID, path__startswith=within.path).only(
            "id", "name", "code", "parent"
        )
    )
    grid_by_code = {g.code: g for g in grids if g.code}
    grid_by_key = {(g.parent_id, g.name): g for g in grids}
    wanted_codes = {
        f["properties"]["code"]
        for f in features
        if isinstance(f, dict)
        and isinstance(f.get("properties"), dict)
        and isinstance(f["properties"].get("code"), str)
    }
    taken_codes = set(Division.objects.filter(code__in=wanted_codes).values_list("code", flat=True))
    errors: list[str] = []
    rows: list[_Row] = []
    seen: dict[object, int] = {}
    for number, feature in enumerate(features, start=1):
        problems: list[str] = []
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(_("第 %(n)d 个要素：不是 GeoJSON Feature") % {"n": number})
            continue
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        name = _text(properties, "name")
        label = _("第 %(n)d 个网格") % {"n": number}
        if name and name != "\x00":
            label = _("第 %(n)d 个网格“%(name)s”") % {"n": number, "name": name}
        if not name or name == "\x00":
            problems.append(_("缺少名称（properties.name）"))
        elif len(name) > NAME_MAX:
            problems.append(_("名称超过 %(n)d 个字") % {"n": NAME_MAX})
        code = _text(properties, "code")
        if code and not CODE_RE.match(code):
            problems.append(_("编码只能是 1–12 位字母、数字、横线或下划线"))
            code = ""
        worker = _text(properties, "grid_worker") if "grid_worker" in properties else None
        if worker is not None and (worker == "\x00" or len(worker) > WORKER_MAX):
            problems.append(_("网格员姓名无效（最多 %(n)d 个字）") % {"n": WORKER_MAX})
        community = _community_of(properties, by_code, by_name, problems)
        shape, geometry_problems = geo.geometry_problems(feature.get("geometry"))
        problems += geometry_problems
        existing = None
        if community is not None and name and not problems:
            existing = grid_by_code.get(code) if code else grid_by_key.get((community.pk, name))
            if existing is not None and code and existing.parent_id != community.pk:
                problems.append(_("编码 %(code)s 已属于另一个社区的网格") % {"code": code})
            elif existing is None and code in taken_codes:
                problems.append(_("编码 %(code)s 已被其他区划使用") % {"code": code})
            key = code or (community.pk, name)
            if key in seen:
                problems.append(_("与第 %(n)d 个要素重复") % {"n": seen[key]})
            seen[key] = number
        if problems:
            errors.append(f"{label}：" + "；".join(problems))
            continue
        rows.append(_Row(number, name, community, code, worker, feature["geometry"], shape, existing))
    if errors:
        raise InvalidInput(
            _("GeoJSON 有 %(n)d 处问题，未导入任何网格。") % {"n": len(errors)}, fields={"features": errors}
        )
    return rows


def _community_of(properties: dict, by_code: dict, by_name: dict, problems: list[str]) -> Division | None:
    code = _text(properties, "community_code")
    name = _text(properties, "community")
    if code and code != "\x00":
        community = by_code.get(code)
        if community is None:
            problems.append(_("本辖区内没有编码为 %(code)s 的社区") % {"code": code})
        return community
    if not name or name == "\x00":
        problems.append(_("缺少所属社区（properties.community 或 community_code）"))
        return None
    matches = by_name.get(name, [])
    if not matches:
        problems.append(_("本辖区内没有名为“%(name)s”的社区") % {"name": name})
        return None
    if len(matches) > 1:
        problems.append(_("有多个名为“%(name)s”的社区，请用 community_code 指明") % {"name": name})
        return None
    return matches[0]


def _check_shapes(rows: list[_Row], *, allow_gaps: bool) -> list[str]:
    replaced = {row.existing.pk for row in rows if row.existing is not None}
    names = dict(Division.objects.filter(kind=DivisionKind.COMMUNITY).values_list("id", "name"))
    shapes = [geo.GridShape(row.name, row.community.name, row.shape, new=True) for row in rows]
    touched = {row.community.pk for row in rows}
    others = (
        Division.objects.filter(kind=DivisionKind.GRID, polygon__isnull=False)
        .exclude(pk__in=replaced)
        .values_list("name", "parent_id", "polygon")
    )
    for name, parent_id, polygon in others.iterator(chunk_size=2000):
        shape = geo.shape_of(polygon)
        if shape is not None:
            shapes.append(geo.GridShape(name, names.get(parent_id, ""), shape, new=False, key=parent_id))
    overlaps = geo.overlaps(shapes, min_m2=conf.overlap_min_m2())
    in_touched = [s for s in shapes if s.new or s.key in touched]
    gaps = geo.gaps(in_touched, min_m2=conf.gap_min_m2())
    fields = {}
    if overlaps:
        fields["overlaps"] = overlaps
    if gaps and not allow_gaps:
        fields["gaps"] = gaps
    if fields:
        count = sum(len(v) for v in fields.values())
        raise InvalidInput(_("网格有 %(n)d 处重叠或空隙，未导入任何网格。") % {"n": count}, fields=fields)
    return gaps


@transaction.atomic
def grids_import(*, actor, within_id: int, data, allow_gaps: bool = False) -> ImportResult:
    """Create or update the grids of a FeatureCollection under `within` (a district or street the actor manages).

    Each feature: geometry Polygon/MultiPolygon; properties `name`, `community` (name) or `community_code`,
    optional `code` and `grid_worker`. A grid is matched by code, else by community and name. Invalid rings,
    overlaps and gaps (unless `allow_gaps`) are reported by name and nothing is stored.
    """
    within = rules.division_for(actor, within_id)
    features = _parse_collection(data)
    rows = _read_rows(features, within)
    gaps = _check_shapes(rows, allow_gaps=allow_gaps)
    result = ImportResult(warnings=gaps)
    for row in rows:
        if row.existing is None:
            division_create(
                actor=actor,
                name=row.name,
                kind=DivisionKind.GRID,
                parent=row.community,
                code=row.code,
                polygon=row.geometry,
                grid_worker=row.grid_worker or "",
                lat=round(row.shape.representative_point().y, 6),
                lng=round(row.shape.representative_point().x, 6),
            )
            result.created += 1
        else:
            changes = {"polygon": row.geometry}
            if row.grid_worker is not None:
                changes["grid_worker"] = row.grid_worker
            division_update(actor=actor, division_id=row.existing.pk, **changes)
            result.updated += 1
    grid_version_bump()
    log_action(
        actor=actor,
        action="finder.grids_imported",
        subject_type="division",
        subject_id=within.pk,
        data={"created": result.created, "updated": result.updated, "gaps_allowed": len(gaps)},
    )
    return result


# --- deputies and the grid worker of a grid -----------------------------------------------------------------


@transaction.atomic
def grid_assign(*, actor, grid_id, deputy_ids: list, grid_worker: str) -> Division:
    """Set the deputies (of any level) and the grid worker of one grid."""
    grid = rules.division_for(actor, grid_id, kinds={DivisionKind.GRID})
    if not isinstance(grid_worker, str) or len(grid_worker.strip()) > WORKER_MAX:
        raise InvalidInput(_("网格员姓名最多 %(n)d 个字。") % {"n": WORKER_MAX}, fields={"grid_worker": [_("太长")]})
    worker = validation.text(grid_worker, field="grid_worker", label=_("网格员姓名"), max_length=WORKER_MAX)
    try:
        wanted = sorted({int(pk) for pk in deputy_ids})
    except (TypeError, ValueError):
        raise InvalidInput(_("代表选择无效。"), fields={"deputies": [_("无效")]})
    if len(wanted) > GRID_DEPUTIES_MAX:
        raise InvalidInput(
            _("一个网格最多 %(n)d 位联系代表。") % {"n": GRID_DEPUTIES_MAX}, fields={"deputies": [_("太多")]}
        )
    deputies = list(Deputy.objects.filter(pk__in=wanted, active=True))
    if len(deputies) != len(wanted):
        raise InvalidInput(_("有的代表不存在或已不在任。"), fields={"deputies": [_("无效")]})
    before = sorted(grid.deputies.values_list("code", flat=True))
    grid_set_deputies(grid_id=grid.pk, deputy_ids=[d.pk for d in deputies])
    after = sorted(d.code for d in deputies)
    if worker != grid.grid_worker:
        grid = division_update(actor=actor, division_id=grid.pk, grid_worker=worker)
    if before != after:
        grid_version_bump()
        log_action(
            actor=actor,
            action="finder.grid_deputies_set",
            subject_type="division",
            subject_id=grid.pk,
            data={"before": before, "after": after},
        )
    return grid


# --- what a deputy agreed to publish ------------------------------------------------------------------------


def _deputy_for(actor, deputy_id) -> Deputy:
    own = user_deputy(actor)
    if own is not None and str(own.pk) == str(deputy_id):
        return own
    if not str(deputy_id).isdigit():
        raise NotFound(_("找不到该代表。"))
    deputy = rules.visible_deputies(actor).filter(pk=int(deputy_id)).first()
    if deputy is None:
        raise NotFound(_("找不到该代表。"))
    return deputy


@transaction.atomic
def deputy_publication_set(*, actor, deputy_id, public: bool, flags: dict) -> DeputyPublication:
    """Record a deputy's consent: the master switch `Deputy.public` and each published item.

    The deputy themself, or staff managing their station or grid (recording a signed consent form)."""
    deputy = _deputy_for(actor, deputy_id)
    unknown = set(flags) - set(PUBLICATION_FLAGS)
    if unknown:
        raise InvalidInput(_("未知的公开选项：%s") % _("、").join(sorted(unknown)), fields={"flags": [_("未知")]})
    if not isinstance(public, bool) or not all(isinstance(v, bool) for v in flags.values()):
        raise InvalidInput(_("公开选项须为是或否。"), fields={"flags": [_("须为是或否")]})
    publication = DeputyPublication.objects.select_for_update().filter(deputy=deputy).first()
    before = {name: getattr(publication, name) if publication else deputy.public for name in PUBLICATION_FLAGS}
    before["public"] = deputy.public
    if publication is None:
        publication = DeputyPublication(deputy=deputy, **dict.fromkeys(PUBLICATION_FLAGS, deputy.public))
    for name, value in flags.items():
        setattr(publication, name, value)
    publication.save()
    if deputy.public != public:
        deputy_set_public(deputy_id=deputy.pk, public=public)
        deputy.public = public
    after = {name: getattr(publication, name) for name in PUBLICATION_FLAGS}
    after["public"] = public
    changed = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changed:
        grid_version_bump()
        log_action(
            actor=actor,
            action="finder.publication_set",
            subject_type="deputy",
            subject_id=deputy.pk,
            data={"changed": changed},
        )
    return publication
