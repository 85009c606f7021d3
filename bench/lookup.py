"""`make bench-lookup`: time of `GET /api/v1/lookup` (the selector behind it) with 10,000 grids.

Builds a fresh SQLite database in a temporary folder with a lattice of synthetic grids (squares, every
tenth with a hole), stations and deputies assigned to grids, builds the spatial index once (reported
apart), then times whole lookups — index query, the grid, its community and street, its public deputies
and the nearest station with its next reception day — at random points, inside and outside the grids.
The last line is one JSON object: {"grids", "p50_ms", "p95_ms", ...}. Target: p50 under 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 5.0
CELL = 0.002  # degrees: a grid is about 200 m × 190 m
ORIGIN = (30.0, 120.0)  # lat, lng of the lattice's corner


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=10_000, help="number of grids (default 10000)")
    parser.add_argument("--lookups", type=int, default=3000, help="timed lookups (default 3000)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    if args.grids < 1 or args.lookups < 1:
        parser.error("--grids and --lookups must be at least 1")
    return args


def setup_django(folder: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("LIANXIN_TESTING", "true")
    os.environ.setdefault("LIANXIN_SQLITE_SYNCHRONOUS", "NORMAL")  # a throw-away database
    os.environ["LIANXIN_MEDIA_ROOT"] = f"{folder}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def square(lat: float, lng: float, size: float, hole: bool) -> dict:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    rings = [ring]
    if hole:
        a, b = size * 0.4, size * 0.6
        rings.append(
            [[lng + a, lat + a], [lng + a, lat + b], [lng + b, lat + b], [lng + b, lat + a], [lng + a, lat + a]]
        )
    return {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in r] for r in rings]}


def build_world(grid_count: int, rng: random.Random) -> int:
    """A district, streets of 10 communities, communities of up to 100 grids; returns the lattice side."""
    from django.db import transaction

    from lianxin.organisation.enums import DeputyLevel, DivisionKind, ReceptionRule
    from lianxin.organisation.models import Deputy, DeputyMandate, Division, Station

    side = max(1, int(grid_count**0.5 + 0.999))
    per_community = 100
    with transaction.atomic():
        district = Division.objects.create(name="基准区", kind=DivisionKind.DISTRICT)
        district.path = f"/{district.pk}/"
        district.save(update_fields=["path"])
        communities: list[Division] = []
        streets: list[Division] = []
        community_total = (grid_count + per_community - 1) // per_community
        for s in range((community_total + 9) // 10):
            street = Division.objects.create(name=f"第{s + 1}街道", kind=DivisionKind.STREET, parent=district)
            street.path = f"{district.path}{street.pk}/"
            street.save(update_fields=["path"])
            streets.append(street)
            for c in range(10):
                if len(communities) == community_total:
                    break
                community = Division.objects.create(
                    name=f"第{s + 1}-{c + 1}社区", kind=DivisionKind.COMMUNITY, parent=street
                )
                community.path = f"{street.path}{community.pk}/"
                community.save(update_fields=["path"])
                communities.append(community)
        grids = []
        for i in range(grid_count):
            row, col = divmod(i, side)
            lat, lng = ORIGIN[0] + row * CELL, ORIGIN[1] + col * CELL
            community = communities[i // per_community]
            grids.append(
                Division(
                    name=f"网格{i + 1}",
                    kind=DivisionKind.GRID,
                    parent=community,
                    polygon=square(lat, lng, CELL, hole=i % 10 == 0),
                    lat=lat + CELL / 4,
                    lng=lng + CELL / 4,
                    grid_worker=f"网格员{i + 1}",
                )
            )
        grids = Division.objects.bulk_create(grids, batch_size=2000)
        paths = {c.pk: c.path for c in communities}
        for grid in grids:
            grid.path = f"{paths[grid.parent_id]}{grid.pk}/"
        Division.objects.bulk_update(grids, ["path"], batch_size=2000)
        stations = [
            Station(
                code=f"bench-s{n}",
                name=f"第{n + 1}联络站",
                division=street,
                lat=ORIGIN[0] + rng.uniform(0, side * CELL),
                lng=ORIGIN[1] + rng.uniform(0, side * CELL),
                reception_rule=ReceptionRule.WEEKLY if n % 2 else ReceptionRule.MONTHLY,
                reception_weekday=(n % 7) + 1 if n % 2 else None,
                reception_monthday=None if n % 2 else (n % 28) + 1,
            )
            for n, street in enumerate(streets * 5)
        ]
        Station.objects.bulk_create(stations)
        deputies = Deputy.objects.bulk_create(
            [Deputy(code=f"bench-d{n}", name=f"代表{n}", public=n % 10 != 0) for n in range(grid_count // 5 + 1)]
        )
        levels = list(DeputyLevel.values)
        DeputyMandate.objects.bulk_create(
            [DeputyMandate(deputy=d, level=levels[n % len(levels)]) for n, d in enumerate(deputies)]
        )
        through = Deputy.grids.through
        links = [through(deputy_id=deputies[i // 5].pk, division_id=g.pk) for i, g in enumerate(grids)]
        links += [through(deputy_id=rng.choice(deputies).pk, division_id=g.pk) for g in grids[::3]]
        through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    return side


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(side: int, lookups: int, rng: random.Random) -> dict:
    """Time whole lookups at random points (10 % just outside the lattice)."""
    from lianxin.finder import index, selectors

    index.forget()
    started = time.perf_counter()
    built = index.grid_index()
    selectors.fill_cards(built)
    build_s = time.perf_counter() - started
    span = side * CELL
    points = []
    for _n in range(lookups):
        if rng.random() < 0.1:
            points.append((ORIGIN[0] - rng.uniform(0.001, 0.01), ORIGIN[1] + rng.uniform(0, span)))
        else:
            points.append((ORIGIN[0] + rng.uniform(0, span), ORIGIN[1] + rng.uniform(0, span)))
    for lat, lng in points[:50]:  # warm the connection and caches
        selectors.lookup(lat, lng)
    timings, index_timings, found = [], [], 0
    for lat, lng in points:
        t0 = time.perf_counter()
        result = selectors.lookup(lat, lng)
        timings.append((time.perf_counter() - t0) * 1000)
        found += result["found"]
        t1 = time.perf_counter()
        built.grid_at(lat, lng)
        index_timings.append((time.perf_counter() - t1) * 1000)
    return {
        "grids": built.size,
        "p50_ms": round(statistics.median(timings), 3),
        "p95_ms": round(percentile(timings, 95), 3),
        "index_p50_ms": round(statistics.median(index_timings), 4),
        "build_s": round(build_s, 2),
        "found_share": round(found / len(points), 3),
        "lookups": len(points),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="lianxin-bench-lookup-") as folder:
        setup_django(folder)
        started = time.perf_counter()
        side = build_world(args.grids, rng)
        print(f"Built {args.grids} grids ({side}×{side} lattice) in {time.perf_counter() - started:.1f} s")
        result = measure(side, args.lookups, rng)
    verdict = "meets" if result["p50_ms"] < TARGET_MS else "MISSES"
    print(
        f"Index and grid cards built in {result['build_s']} s; {result['lookups']} lookups, "
        f"{result['found_share']:.0%} inside a grid: "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms (index alone p50 {result['index_p50_ms']} ms) "
        f"— {verdict} the {TARGET_MS:g} ms target"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
