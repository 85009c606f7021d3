"""Data and timings of `make bench-cockpit` (driven by bench/cockpit.py): a district with a long case history
written by the fastest path each database has (PostgreSQL COPY, SQLite executemany in big transactions), the
rollups built by the real job, then the overview and the first drill-down level timed through Django.

Never run this against a database that holds real data: it is meant for a database made for the bench.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import time
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.cases.intake import Submission, case_register
from lianxin.cases.models import Case
from lianxin.cockpit import periods, rollups, selectors
from lianxin.cockpit.rules import Scope
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Category, Deputy, Division, HandlingUnit, Station
from lianxin.organisation.services import division_create

STREETS = 10
COMMUNITIES = 4
GRIDS = 3
UNITS = 30
DEPUTIES = 120
OPEN = ["registered", "acknowledged", "dispatched", "claimed", "returned", "replied", "fed_back", "reopened"]
DONE = ["closed"] * 80 + ["rated"] * 6 + ["declined"] * 6 + ["converted"] * 3 + ["resolved"] * 5
CHANNELS = (
    ["qr_station"] * 25
    + ["qr_deputy"] * 12
    + ["web"] * 12
    + ["walk_in"] * 18
    + ["visit"] * 12
    + ["phone"] * 8
    + ["hotline_12345"] * 8
    + ["import"] * 5
)
TITLES = ["路灯不亮", "垃圾清运不及时", "小区停车难", "噪音扰民", "道路破损", "加装电梯", "自来水发黄", "宽带断网"]
# Columns written per case; every other NOT NULL column gets its constant below, or its field default (constants()).
VARYING = [
    "tracking_code", "title", "category_id", "channel", "status", "station_id", "deputy_id", "division_id",
    "handling_division_id", "created_at", "updated_at", "ack_due_at", "acknowledged_at", "current_unit_id",
    "dispatched_at", "handle_due_at", "replied_at", "resolved_at", "rating", "rated_at", "closed_at",
    "closed_unrated", "light",
]  # fmt: skip
CONSTANTS = {
    "details": "基准测试数据", "request_type": "help", "address": "", "contact_name_enc": "", "contact_phone_enc": "",
    "contact_phone_hash": "", "contact_phone_masked": "", "contact_name_masked": "", "anonymous": False,
    "idempotency_fingerprint": "", "return_count": 0, "needs_arbitration": False, "arbitrated": False,
    "urge_count": 0, "reopen_count": 0, "rating_comment": "", "decline_reason": "", "public_answer": "", "spam": False,
}  # fmt: skip


@dataclass
class Registry:
    district: Division
    streets: list[Division]
    grids_of_street: dict[int, list[int]]
    stations_of_street: dict[int, list[int]]
    categories: list[int]
    units: list[int]
    deputies: list[int]
    office: User


def build_registry() -> Registry:
    with transaction.atomic():
        district = division_create(name="基准区", kind=DivisionKind.DISTRICT, code="990100")
        streets, grids, stations = [], {}, {}
        for s in range(STREETS):
            street = division_create(name=f"第{s + 1}街道", kind=DivisionKind.STREET, parent=district)
            streets.append(street)
            grids[street.pk] = []
            for c in range(COMMUNITIES):
                community = division_create(
                    name=f"{street.name}{c + 1}社区", kind=DivisionKind.COMMUNITY, parent=street
                )
                for g in range(GRIDS):
                    lat, lng = 30 + s * 0.02, 120 + c * 0.005 + g * 0.0015
                    ring = [[lng, lat], [lng + 0.001, lat], [lng + 0.001, lat + 0.01], [lng, lat + 0.01], [lng, lat]]
                    polygon = {"type": "Polygon", "coordinates": [ring]}
                    grid = division_create(
                        name=f"{community.name}{g + 1}网格", kind=DivisionKind.GRID, parent=community, polygon=polygon
                    )
                    grids[street.pk].append(grid.pk)
            stations[street.pk] = [
                Station.objects.create(code=f"bench-{s}-{k}", name=f"{street.name}联络站{k + 1}", division=street).pk
                for k in range(2)
            ]
        units = [
            HandlingUnit.objects.create(code=f"bench-unit-{u}", name=f"区第{u + 1}局", division=district).pk
            for u in range(UNITS)
        ]
        deputies = [Deputy.objects.create(code=f"bench-d-{d}", name=f"代表{d + 1}").pk for d in range(DEPUTIES)]
        # Each deputy stationed at a station and holding a grid of the district ("四级代表进三级网格").
        all_stations = [pk for street in streets for pk in stations[street.pk]]
        all_grids = [pk for street in streets for pk in grids[street.pk]]
        Deputy.stations.through.objects.bulk_create(
            Deputy.stations.through(deputy_id=pk, station_id=all_stations[i % len(all_stations)])
            for i, pk in enumerate(deputies)
        )
        Deputy.grids.through.objects.bulk_create(
            Deputy.grids.through(deputy_id=pk, division_id=all_grids[i % len(all_grids)])
            for i, pk in enumerate(deputies)
        )
        office = User.objects.create_user(username="bench-office", password=None)
        Membership.objects.create(user=office, role=Role.OFFICE, division=district)
    categories = list(Category.objects.filter(level=3).values_list("pk", flat=True)[:300])
    return Registry(district, streets, grids, stations, categories, units, deputies, office)


def _rows(registry: Registry, total: int, years: float, seed: int, stamp):
    """Yield (varying values…) per case, oldest first; `stamp(epoch_seconds)` formats a timestamp."""
    rng = random.Random(seed)
    rnd, choice = rng.random, rng.choice
    now = time.time()
    start = now - years * 365 * 86400
    span = now - start - 60
    streets = [s.pk for s in registry.streets]
    for i in range(total):
        created = start + span * (i + rnd()) / total
        age_days = (now - created) / 86400
        street = streets[int(rnd() * len(streets))]
        status = choice(DONE) if age_days > 45 or rnd() < 0.55 else choice(OPEN)
        channel = choice(CHANNELS)
        deputy = choice(registry.deputies) if rnd() < 0.4 else None
        ack = created + rnd() * 40 * 3600 if status != "registered" else None
        dispatched = replied = resolved = rated = closed = None
        unit = rating = None
        if status == "resolved" or (status in ("closed", "rated") and rnd() < 0.2):
            resolved = (ack or created) + 3600
        elif status not in ("registered", "acknowledged", "declined", "converted"):
            dispatched = (ack or created) + 7200
            unit = choice(registry.units)
            if status in ("replied", "fed_back", "closed", "rated", "reopened"):
                replied = dispatched + rnd() * 20 * 86400
        if status in ("closed", "rated", "reopened"):
            roll = rnd()
            rating = (
                "unsatisfied"
                if status == "reopened"
                else ("satisfied" if roll < 0.7 else "basically_satisfied" if roll < 0.88 else "")
            )
            rated = (replied or resolved or created) + 86400 if rating else None
        if status in ("closed", "declined"):
            closed = (rated or replied or resolved or created) + 86400
        light = "red" if status in ("registered", "dispatched", "claimed") and age_days > 20 else (
            "green" if status in ("registered", "dispatched", "claimed") else "none")  # fmt: skip
        last = max(t for t in (created, ack, dispatched, replied, resolved, rated, closed) if t is not None)
        yield (
            f"B{i:011d}", choice(TITLES), choice(registry.categories), channel, status,
            choice(registry.stations_of_street[street]), deputy, choice(registry.grids_of_street[street]), street,
            stamp(created), stamp(min(last, now)), stamp(created + 86400), stamp(ack) if ack else None, unit,
            stamp(dispatched) if dispatched else None, stamp(dispatched + 15 * 86400) if dispatched else None,
            stamp(replied) if replied and replied < now else None, stamp(resolved) if resolved else None,
            rating or "", stamp(rated) if rated and rated < now else None, stamp(closed) if closed and closed < now
            else None, status == "closed" and not rating and rnd() < 0.5, light,
        )  # fmt: skip


def _stamper(suffix: str):
    days: dict[int, str] = {}

    def stamp(epoch: float) -> str:
        day, seconds = divmod(int(epoch), 86400)
        text = days.get(day)
        if text is None:
            text = days[day] = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
        hours, rest = divmod(seconds, 3600)
        return f"{text} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}{suffix}"

    return stamp


def constants() -> dict[str, object]:
    """CONSTANTS plus the default of every other NOT NULL column a later change added to Case (so the bulk path
    keeps working without an edit here); a NOT NULL column without a default must be named above."""
    found = dict(CONSTANTS)
    for f in Case._meta.concrete_fields:
        if f.primary_key or f.null or f.attname in VARYING or f.attname in found:
            continue
        if not f.has_default():
            raise RuntimeError(f"benchdata: Case.{f.attname} is NOT NULL without a default; add it to CONSTANTS")
        # a JSON column's default (a list, a dict) is written as its JSON text (COPY on PostgreSQL, SQLite's TEXT)
        default = f.get_default()
        found[f.attname] = json.dumps(default) if isinstance(f, models.JSONField) else default
    return found


def _columns() -> list[str]:
    fields = {f.attname: f.column for f in Case._meta.concrete_fields}
    return [fields[n] for n in VARYING] + [fields[n] for n in constants()]


def write_cases_postgresql(registry: Registry, total: int, years: float, seed: int = 7) -> None:
    """COPY into cases_case with its indexes dropped and triggers (FK checks) off, then rebuild the indexes."""
    table = Case._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
                       [table, "%pkey"])  # fmt: skip
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    fixed = "\t".join("t" if v is True else "f" if v is False else str(v) for v in constants().values())
    columns = ", ".join(_columns())
    raw = connection.connection  # psycopg connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        buffer = []
        for row in _rows(registry, total, years, seed, _stamper("+00")):
            buffer.append(
                "\t".join("\\N" if v is None else ("t" if v else "f") if isinstance(v, bool) else str(v) for v in row)
                + "\t" + fixed + "\n"
            )  # fmt: skip
            if len(buffer) >= 20000:
                copy.write("".join(buffer))
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
        cursor.execute(f"ANALYZE {table}")


def write_cases_sqlite(registry: Registry, total: int, years: float, seed: int = 7) -> None:
    columns = _columns()
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {Case._meta.db_table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    fixed = tuple(constants().values())
    rows = _rows(registry, total, years, seed, _stamper(""))
    while True:
        batch = [row + fixed for _, row in zip(range(100_000), rows, strict=False)]
        if not batch:
            break
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    cut = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return {"p50_ms": round(cut[49], 1), "p95_ms": round(cut[94], 1)}


def time_pages(registry: Registry, runs: int) -> dict:
    """Time the overview (whole district, this year) and the first drill-down level (a street) as full pages."""
    from django.test import Client  # noqa: PLC0415 — the test client is needed only by this benchmark command, not by the app

    client = Client()
    client.force_login(registry.office)
    results = {}
    pages = {
        "overview": lambda i: {"period": "year"},
        "drilldown": lambda i: {"period": "year", "division": registry.streets[i % len(registry.streets)].pk},
    }
    for name, params in pages.items():
        for i in range(3):  # warm caches
            client.get("/work/cockpit/", params(i))
        samples = []
        for i in range(runs):
            started = time.perf_counter()
            response = client.get("/work/cockpit/", params(i))
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{name} answered {response.status_code}")
        results[name] = percentiles(samples)
        results[name]["slowest_queries"] = _slowest(client, params(0))
    return results


def _slowest(client, params) -> list[list]:
    """The three slowest queries of one request: where the time goes."""
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 — the test client is needed only by this benchmark command, not by the app

    with CaptureQueriesContext(connection) as queries:
        client.get("/work/cockpit/", params)
    ranked = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    return [[round(float(q["time"]) * 1000, 1), q["sql"][:160]] for q in ranked]


def new_case_visibility(registry: Registry) -> dict:
    """Register one case through the real intake, run the per-minute job once, check the overview counts it."""

    scope, period = Scope(registry.district), periods.preset_period("today")
    before = selectors.overview(scope, period).totals["total"]
    station = Station.objects.filter(division=registry.streets[0]).first()
    submission = Submission(
        title="基准：新来的问题", details="新来的问题", channel="qr_station", station_code=station.code,
        contact_phone="13800000000", consent=True,
    )  # fmt: skip
    case_register(submission=submission)
    started = time.perf_counter()
    rollups.refresh(timezone.now())
    seconds = time.perf_counter() - started
    after = selectors.overview(scope, period).totals["total"]
    return {"refresh_s": round(seconds, 2), "visible_after_refresh": after == before + 1}
