"""Seed the demo district once; a second run finds it by its district code and only refreshes the logins."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from lianxin.accounts.models import Membership, User
from lianxin.cases.tasks import recompute_lights
from lianxin.demo import data
from lianxin.demo.district import (
    LOGINS,
    PERSONA_STATION,
    PERSONA_UNIT,
    World,
    build_background_users,
    build_deputies,
    build_deputy_logins,
    build_divisions,
    build_logins,
    build_routing,
    build_stations,
    build_units,
    reset_passwords,
)
from lianxin.demo.generate import write_cases
from lianxin.organisation.models import Category, Deputy, Division

SEED = 2026


@dataclass
class Outcome:
    created: bool
    statuses: Counter
    lights_changed: int


def demo_exists() -> bool:
    return Division.objects.filter(code=data.DISTRICT_CODE).exists()


def seed_demo(*, cases: int, password: str, now: dt.datetime) -> Outcome:
    """Create the demo district and `cases` cases, or (if it exists) reset the logins' password only."""
    if demo_exists():
        reset_passwords(password)
        return Outcome(False, Counter(), _recompute(now))
    with transaction.atomic():
        world = build_world(random.Random(SEED), password)
        statuses = write_cases(
            world, total=cases, seed=SEED, now=now, roads=data.ROAD_NAMES, station_weights=data.STATION_WEIGHTS
        )
    return Outcome(True, statuses, _recompute(now))


def _recompute(now: dt.datetime) -> int:
    """The periodic light job (cases.tasks.recompute_lights), run once so the lights are right at first login."""
    return sum(len(ids) for ids in recompute_lights(now).values())


def build_world(rng: random.Random, password: str) -> World:
    district, streets = build_divisions(rng)
    stations = build_stations(rng, district, streets)
    units = build_units(district, streets)
    rules = build_routing(district, units)
    deputies = build_deputies(rng, streets, stations)
    persona = next(d for d in deputies if d.name == "沈建华")
    logins = build_logins(district, stations, units, persona, password)
    staff, handlers = build_background_users(stations, units, password)
    build_deputy_logins(password)
    staff[stations[PERSONA_STATION].pk] = logins["station"]
    handlers[units[PERSONA_UNIT].pk] = logins["unit"]

    grids = [g for s in streets for g in s.grids]
    divisions = {district.pk: district} | {s.division.pk: s.division for s in streets}
    divisions |= {c.pk: c for s in streets for c in s.communities} | {g.pk: g for g in grids}
    street_of = {}
    for street in streets:
        for division in [street.division, *street.communities, *street.grids]:
            street_of[division.pk] = street
    deputy_by_id = {d.pk: d for d in deputies}
    deputies_of_grid: dict[int, list[Deputy]] = {}
    first_grid: dict[int, Division] = {}
    for deputy_id, grid_id in (
        Deputy.grids.through.objects.filter(deputy__in=deputies)
        .order_by("division__path")
        .values_list("deputy_id", "division_id")
    ):
        deputies_of_grid.setdefault(grid_id, []).append(deputy_by_id[deputy_id])
        first_grid.setdefault(deputy_id, divisions[grid_id])
    deputies_of_station: dict[int, list[Deputy]] = {s.pk: [] for s in stations.values()}
    for deputy_id, station_id in (
        Deputy.stations.through.objects.filter(deputy__in=deputies)
        .order_by("deputy_id", "station_id")
        .values_list("deputy_id", "station_id")
    ):
        deputies_of_station[station_id].append(deputy_by_id[deputy_id])
    categories = {}
    for category in Category.objects.filter(level__in=[1, 2]).select_related("parent"):
        key = (category.parent.name, category.name) if category.level == 2 else (category.name, "")
        categories[key] = category
    return World(
        district=district,
        streets=streets,
        grids=grids,
        community_of={g.pk: divisions[g.parent_id] for g in grids},
        street_of=street_of,
        stations=stations,
        units=units,
        rules=rules,
        categories=categories,
        deputies_of_grid=deputies_of_grid,
        deputies_of_station=deputies_of_station,
        staff_of_station=staff,
        handler_of_unit=handlers,
        logins=logins,
        persona_deputy=persona,
        first_grid_of_deputy=first_grid,
        parent_of={pk: divisions[d.parent_id] for pk, d in divisions.items() if d.parent_id},
    )


ROLE_LABELS = {"admin": "超级管理员"}


def login_rows(password: str) -> list[tuple[str, str, str, str]]:
    """(username, role, scope, password) for each demo login, read back from the database."""
    users = {u.username: u for u in User.objects.filter(username__in=LOGINS)}
    memberships = {
        m.user.username: m
        for m in Membership.objects.filter(user__username__in=LOGINS, active=True).select_related(
            "user", "division", "station", "unit"
        )
    }
    rows = []
    for username in LOGINS:
        if username not in users:
            continue
        membership = memberships.get(username)
        if membership:
            role = membership.get_role_display()
            scope = str(membership.station or membership.unit or membership.division or "审计日志（只读）")
        elif username == "deputy":
            deputy = Deputy.objects.filter(user=users[username]).prefetch_related("stations").first()
            role = "代表"
            stations = sorted(deputy.stations.all(), key=lambda s: s.code != PERSONA_STATION)
            scope = f"{deputy.name}（{deputy.code}）{stations[0].name}" + (
                f"等 {len(stations)} 站" if len(stations) > 1 else ""
            )
        else:
            role, scope = ROLE_LABELS.get(username, ""), "全部（/admin/）"
        rows.append((username, role, scope, password))
    return rows


def extra_login_rows() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(username, unit name) of the units' accounts and (username, name) of the deputies' accounts, besides the
    personas; they use the same demo password."""
    units = [
        (m.user.username, m.unit.name)
        for m in Membership.objects.filter(user__username__startswith="handler-", active=True, unit__isnull=False)
        .select_related("user", "unit")
        .order_by("user__username")
    ]
    deputies = list(
        Deputy.objects.filter(user__username__startswith="nh-d").order_by("code").values_list("user__username", "name")
    )
    return units, deputies


def qr_urls(base: str) -> list[tuple[str, str]]:
    deputy = Deputy.objects.filter(user__username="deputy").first()
    urls = [(s, f"{base}/s/{s}") for s in (PERSONA_STATION, "chunhui")]
    if deputy:
        urls.append((deputy.name, f"{base}/d/{deputy.code}"))
    return urls
