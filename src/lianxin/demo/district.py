"""Build the demo district's registry: divisions with polygons, stations, units, deputies, routing, logins."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db.models import Q

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.demo import data
from lianxin.organisation.enums import DeputyLevel, DivisionKind, ReceptionRule
from lianxin.organisation.models import (
    Category,
    Deputy,
    DeputyMandate,
    Division,
    HandlingUnit,
    RoutingRule,
    RoutingRuleSet,
    Station,
)
from lianxin.organisation.services import division_create

Box = tuple[float, float, float, float]  # south, west, north, east

PERSONA_STATION = "jianshe"
PERSONA_UNIT = "zjj"


@dataclass
class Street:
    division: Division
    code: str
    communities: list[Division] = field(default_factory=list)
    grids: list[Division] = field(default_factory=list)


@dataclass
class World:
    """Everything the case generator needs, held in memory so it queries nothing per case."""

    district: Division
    streets: list[Street]
    grids: list[Division]
    community_of: dict[int, Division]
    street_of: dict[int, Street]
    stations: dict[str, Station]
    units: dict[str, HandlingUnit]
    rules: dict[str, RoutingRule]
    categories: dict[tuple[str, str], Category]
    deputies_of_grid: dict[int, list[Deputy]]
    deputies_of_station: dict[int, list[Deputy]]
    staff_of_station: dict[int, User]
    handler_of_unit: dict[int, User]
    logins: dict[str, User]
    persona_deputy: Deputy
    first_grid_of_deputy: dict[int, Division]
    parent_of: dict[int, Division]


def polygon(box: Box) -> dict:
    """A GeoJSON Polygon (lng, lat order; exterior ring counter-clockwise, closed)."""
    s, w, n, e = box
    ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def centre(box: Box) -> tuple[float, float]:
    s, w, n, e = box
    return round((s + n) / 2, 6), round((w + e) / 2, 6)


def _cuts(rng: random.Random, low: float, high: float, parts: int) -> list[tuple[float, float]]:
    weights = [rng.uniform(0.75, 1.25) for _ in range(parts)]
    total = sum(weights)
    edges, at = [low], low
    for weight in weights[:-1]:
        at += (high - low) * weight / total
        edges.append(at)
    edges.append(high)
    return list(itertools.pairwise(edges))


def _street_boxes(rng: random.Random) -> list[Box]:
    """Tile the district's box 3 columns × 2 rows; each street one tile (no overlaps by construction)."""
    s, w, n, e = data.BBOX
    rows = _cuts(rng, s, n, 2)
    cols = _cuts(rng, w, e, 3)
    return [(rs, cw, rn, ce) for rs, rn in reversed(rows) for cw, ce in cols]


def build_divisions(rng: random.Random) -> tuple[Division, list[Street]]:
    district_box = data.BBOX
    lat, lng = centre(district_box)
    district = division_create(
        name=data.DISTRICT_NAME,
        kind=DivisionKind.DISTRICT,
        code=data.DISTRICT_CODE,
        polygon=polygon(district_box),
        lat=lat,
        lng=lng,
    )
    streets = []
    for (name, code, stats_code, communities), box in zip(data.STREETS, _street_boxes(rng), strict=True):
        lat, lng = centre(box)
        street = Street(
            division_create(
                name=name,
                kind=DivisionKind.STREET,
                parent=district,
                code=stats_code,
                polygon=polygon(box),
                lat=lat,
                lng=lng,
            ),
            code,
        )
        s, w, n, e = box
        for index, ((cw, ce), community_name) in enumerate(
            zip(_cuts(rng, w, e, len(communities)), communities, strict=True)
        ):
            cbox = (s, cw, n, ce)
            lat, lng = centre(cbox)
            community = division_create(
                name=community_name,
                kind=DivisionKind.COMMUNITY,
                parent=street.division,
                code=f"{stats_code[:9]}{index + 1:03d}",
                polygon=polygon(cbox),
                lat=lat,
                lng=lng,
            )
            street.communities.append(community)
            for g, (gs, gn) in enumerate(_cuts(rng, s, n, data.GRIDS_PER_COMMUNITY)):
                gbox = (gs, cw, gn, ce)
                lat, lng = centre(gbox)
                street.grids.append(
                    division_create(
                        name=f"{community_name}第{data.GRID_SUFFIX[g]}网格",
                        kind=DivisionKind.GRID,
                        parent=community,
                        code=f"NH{stats_code[6:9]}{index + 1:02d}{g + 1}",
                        polygon=polygon(gbox),
                        lat=lat,
                        lng=lng,
                        grid_worker=person_name(rng),
                    )
                )
        streets.append(street)
    return district, streets


def person_name(rng: random.Random) -> str:
    return rng.choice(data.SURNAMES) + "".join(rng.choice(data.GIVEN) for _ in range(rng.choice((1, 2, 2))))


def build_stations(rng: random.Random, district: Division, streets: list[Street]) -> dict[str, Station]:
    by_code = {street.code: street for street in streets}
    stations = {}
    for code, name, kind, where, (rule, day), hours in data.STATIONS:
        if where == "district":
            division, anchor = district, district
        elif "/" in where:
            street_code, index = where.split("/")
            division = anchor = by_code[street_code].communities[int(index)]
        else:
            division = anchor = by_code[where].division
        stations[code] = Station.objects.create(
            code=code,
            name=name,
            kind=kind,
            division=division,
            address=f"{data.DISTRICT_NAME}{rng.choice(data.ROAD_NAMES)}{rng.randint(1, 600)}号",
            lat=round(anchor.lat + rng.uniform(-0.004, 0.004), 6),
            lng=round(anchor.lng + rng.uniform(-0.004, 0.004), 6),
            opening_hours=hours,
            reception_rule=rule,
            reception_weekday=day if rule == ReceptionRule.WEEKLY else None,
            reception_monthday=day if rule == ReceptionRule.MONTHLY else None,
            phone=f"0573-8{rng.randint(1000000, 9999999)}",
        )
    return stations


def build_units(district: Division, streets: list[Street]) -> dict[str, HandlingUnit]:
    by_code = {street.code: street.division for street in streets}
    return {
        code: HandlingUnit.objects.create(
            code=code, name=name, level=level, division=by_code[street] if street else district
        )
        for code, name, level, street in data.UNITS
    }


def build_routing(district: Division, units: dict[str, HandlingUnit]) -> dict[str, RoutingRule]:
    RoutingRuleSet.objects.filter(active=True).update(active=False)
    version = (RoutingRuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    ruleset = RoutingRuleSet.objects.create(version=version, note="演示数据：一级分类 × 南湖区", active=True)
    level_one = {c.name: c for c in Category.objects.filter(level=1)}
    rules = RoutingRule.objects.bulk_create(
        [
            RoutingRule(ruleset=ruleset, category=level_one[name], division=district, unit=units[code])
            for name, code in data.ROUTING.items()
            if name in level_one
        ]
    )
    return {rule.category.name: rule for rule in rules}


def _levels(rng: random.Random, street_code: str) -> list[str]:
    names = [name for name, _ in data.LEVEL_WEIGHTS]
    first = rng.choices(names, weights=[w for _, w in data.LEVEL_WEIGHTS])[0]
    if first == DeputyLevel.TOWNSHIP and street_code != "daqiao":
        first = DeputyLevel.DISTRICT  # streets have no township congress; only 大桥镇 elects township deputies
    levels = [first]
    if rng.random() < 0.18:
        second = DeputyLevel.TOWNSHIP if street_code == "daqiao" else DeputyLevel.DISTRICT
        if second == first:
            second = DeputyLevel.CITY
        levels.append(second)
    return levels


def build_deputies(
    rng: random.Random, streets: list[Street], stations: dict[str, Station], total: int = 80
) -> list[Deputy]:
    """Deputies spread over the streets by their number of grids; every grid gets at least one deputy."""
    all_grids = sum(len(s.grids) for s in streets)
    shares = [max(1, round(total * len(s.grids) / all_grids)) for s in streets]
    shares[0] += total - sum(shares)
    used: set[str] = {"沈建华"}
    deputies: list[Deputy] = []
    specials = {"企业": "qiye", "农业": "nongye", "金融": "yusuan", "法律": "lifa", "科技": "jingji"}
    for street, count in zip(streets, shares, strict=True):
        station = stations[street.code]
        own: list[Deputy] = []
        for i in range(count):
            name = "沈建华" if (street.code == PERSONA_STATION and i == 0) else _unique_name(rng, used)
            sector = "社区" if name == "沈建华" else rng.choice(data.SECTORS)
            levels = [DeputyLevel.DISTRICT, DeputyLevel.CITY] if name == "沈建华" else _levels(rng, street.code)
            number = len(deputies) + len(own) + 1
            community = street.communities[i % len(street.communities)]
            org = rng.choice(data.ORGS[sector]).format(community=community.name)
            constituency = f"第{number:02d}选区（{street.division.name}）"
            deputy = Deputy.objects.create(
                code=f"nh-d{number:03d}",
                name=name,
                constituency=constituency,
                sector=sector,
                bio=data.BIO_TEMPLATES[sector].format(org=org),
                public=rng.random() < 0.9 or name == "沈建华",
            )
            DeputyMandate.objects.bulk_create(
                [DeputyMandate(deputy=deputy, level=level, constituency=constituency) for level in levels]
            )
            deputy.stations.add(station)
            extra = [stations[specials[sector]]] if sector in specials and rng.random() < 0.5 else []
            if levels[0] in (DeputyLevel.NATIONAL, DeputyLevel.PROVINCIAL, DeputyLevel.CITY):
                extra.append(stations["nanhu-hub"])
            if rng.random() < 0.15:
                extra.append(stations[rng.choice(["nanhu-online", "qiaolian", "shanghai"])])
            if extra:
                deputy.stations.add(*extra)
            own.append(deputy)
        # 四级代表进三级网格: deal the grids round-robin so each grid has a deputy; a few get a second one.
        for index, grid in enumerate(street.grids):
            grid.deputies.add(own[index % len(own)])
            if rng.random() < 0.3:
                grid.deputies.add(rng.choice(own))
        for deputy in own:
            community_ids = set(deputy.grids.values_list("parent_id", flat=True))
            for code in ("chunhui", "yazhong"):
                if stations[code].division_id in community_ids:
                    deputy.stations.add(stations[code])
        deputies.extend(own)
    return deputies


def _unique_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = person_name(rng)
        if name not in used:
            used.add(name)
            return name


def build_background_users(
    stations: dict[str, Station], units: dict[str, HandlingUnit], password: str = ""
) -> tuple[dict, dict]:
    """Staff of the other stations and handlers of the other units, named in the timeline. The handlers log in
    with the demo password; the other stations' staff are not activated yet (the office's people screen sends or
    prints their activation links)."""
    staff, handlers = {}, {}
    hashed = make_password(password) if password else None  # hashed once: PBKDF2 for every account would take minutes
    for code, station in stations.items():
        if code == PERSONA_STATION:
            continue
        user = _background_user(f"staff-{code}", f"{station.name}联络员")
        Membership.objects.create(user=user, role=Role.STATION, station=station)
        staff[station.pk] = user
    for code, unit in units.items():
        if code == PERSONA_UNIT:
            continue
        user = _background_user(f"handler-{code}", f"{unit.name}经办人", hashed)
        Membership.objects.create(user=user, role=Role.UNIT, unit=unit)
        handlers[unit.pk] = user
    return staff, handlers


def _background_user(username: str, display_name: str, hashed: str | None = None) -> User:
    user = User(username=username, display_name=display_name)
    if hashed:
        user.password = hashed
    else:
        user.set_unusable_password()
    user.save()
    return user


DEPUTY_CODE_PREFIX = "nh-d"
HANDLER_PREFIX = "handler-"


def build_deputy_logins(password: str) -> int:
    """Every demo deputy without an account gets one, named by their code (nh-d002 …), with the demo password.
    Idempotent: deputies who already have an account (the persona) are left alone. Returns how many were made."""
    hashed = make_password(password)
    made = 0
    for deputy in Deputy.objects.filter(code__startswith=DEPUTY_CODE_PREFIX, user__isnull=True).order_by("code"):
        user = User.objects.create(username=deputy.code, display_name=deputy.name, password=hashed)
        deputy.user = user
        deputy.save(update_fields=["user"])
        made += 1
    return made


def extra_logins():
    """The units' and deputies' demo accounts (besides the personas): users named handler-… and nh-d…."""
    return User.objects.filter(
        Q(username__startswith=HANDLER_PREFIX) | Q(username__startswith=DEPUTY_CODE_PREFIX, deputy__isnull=False)
    )


# --- The persona logins ----------------------------------------------------------------------------

LOGINS = ("office", "station", "deputy", "unit", "leader", "auditor", "admin")


def build_logins(
    district: Division,
    stations: dict[str, Station],
    units: dict[str, HandlingUnit],
    persona_deputy: Deputy,
    password: str,
) -> dict[str, User]:
    station, unit = stations[PERSONA_STATION], units[PERSONA_UNIT]
    logins = {
        "office": _login("office", "区人大代表工委", Role.OFFICE, password, division=district),
        "station": _login("station", "建设街道联络员", Role.STATION, password, station=station),
        "deputy": _login("deputy", persona_deputy.name, None, password),
        "unit": _login("unit", "区住建局经办人", Role.UNIT, password, unit=unit),
        "leader": _login("leader", "区人大常委会领导", Role.LEADER, password, division=district),
        "auditor": _login("auditor", "安全审计员", Role.AUDITOR, password),
        "admin": _login("admin", "系统管理员", None, password),
    }
    logins["office"].is_staff = True
    logins["office"].save(update_fields=["is_staff"])
    logins["office"].user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["organisation", "workdays"])
    )
    logins["admin"].is_staff = logins["admin"].is_superuser = True
    logins["admin"].save(update_fields=["is_staff", "is_superuser"])
    persona_deputy.user = logins["deputy"]
    persona_deputy.save(update_fields=["user"])
    return logins


def _login(username: str, display_name: str, role: str | None, password: str, **scope) -> User:
    user = User(username=username, display_name=display_name)
    user.set_password(password)
    user.save()
    if role:
        Membership.objects.create(user=user, role=role, **scope)
    return user


def reset_passwords(password: str) -> None:
    """On a second run: the logins keep working with the password of this run (and are not asked to change it),
    the units' and deputies' accounts too (made now if an earlier demo had none)."""
    for user in User.objects.filter(username__in=LOGINS):
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
    build_deputy_logins(password)
    hashed = make_password(password)
    extra_logins().update(password=hashed, must_change_password=False, is_active=True)
