"""The cockpit stays fast at scale: on a district of 200,000 cases written by the bench's bulk path, every query of
the overview and of the first drill-down level that reads the case table, the dispatches or the deputy tables does
so through an index (a bounded range or key lookup), never a scan of the table. EXPLAIN QUERY PLAN on SQLite,
EXPLAIN (FORMAT JSON) on PostgreSQL; the next feature that adds such a query to the cockpit (an area's hook
included) fails here, not in `make bench-cockpit` months later.

PostgreSQL's real plan (statistics of the 200,000 cases) must not read the case table by a Seq Scan or a full index
scan. The deputy tables, their link tables, the deputy rollup and the dispatches (the bulk path writes none) are
checked on SQLite, where a SCAN of such a table holding more than SMALL rows fails (5,000 deputies of another district
make the deputy tables that big). Limit: PostgreSQL reads deputy tables of a few thousand rows whole by hash joins
whatever the query, so its plan cannot tell a bounded query from an unbounded one at this size; the test does not
check the deputy tables there.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.urls import reverse

from lianxin.cockpit import benchdata, periods, rollups
from lianxin.organisation.models import Deputy, Station
from lianxin.organisation.services import division_create

pytestmark = pytest.mark.django_db

CASES = 200_000
OTHERS = 5_000
SMALL = 1_000  # rows
BIG = {"cases_case"}
# The bulk path writes no dispatches: the dispatch table is checked as the small ones are.
DEPUTY = {
    "cases_dispatch",
    "organisation_deputy",
    "organisation_deputy_stations",
    "organisation_deputy_grids",
    "cockpit_deputyfigure",
}
WATCHED = BIG | DEPUTY


def _other_deputies() -> None:
    """The rest of a province platform's deputies (5,000, stationed in another district), so that the deputy tables
    have the size at which reading them whole costs, and each planner knows it."""
    other = division_create(name="外区", kind="district", code="990200")
    station = Station.objects.create(code="other-station", name="外区联络站", division=other)
    deputies = Deputy.objects.bulk_create(Deputy(code=f"other-{i}", name=f"外区代表{i}") for i in range(OTHERS))
    Deputy.stations.through.objects.bulk_create(
        Deputy.stations.through(deputy_id=d.pk, station_id=station.pk) for d in deputies
    )


def _district():
    """The bench's district (10 streets, 2 stations each, 120 grids, 120 deputies each stationed at a station and
    holding a grid), 200,000 cases over five years, the rollups of the last days built by the real job."""
    registry = benchdata.build_registry()
    _other_deputies()
    writer = getattr(benchdata, f"write_cases_{connection.vendor}")
    writer(registry, CASES, 5.0)
    today = periods.today()
    paths = rollups._division_paths()
    for bucket in rollups.all_buckets(paths):  # the last week is enough for the rollups' plans
        rollups.recompute_bucket(bucket, [today - dt.timedelta(days=n) for n in range(7)], paths)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return registry


def _captured(client, params) -> list[tuple[str, tuple]]:
    found: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            found.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(reverse("cockpit:overview"), params).status_code == 200
    return found


def _aliases(sql: str) -> dict[str, set[str]]:
    """Django's subquery aliases (U0, V0, …) and the watched tables they may stand for (one alias is reused in each
    subquery); plain table names stand for themselves."""
    found = {name: {name} for name in re.findall(r'"(\w+)"', sql) if name in WATCHED}
    for table, alias in re.findall(r'"(\w+)" ([A-Z]\d+)\b', sql):
        if table in WATCHED:
            found.setdefault(alias, set()).add(table)
    return found


def _rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        return cursor.fetchone()[0]


def _sqlite_problems(sql: str, params: tuple) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        lines = [row[-1] for row in cursor.fetchall()]
    aliases = _aliases(sql)
    problems = []
    for line in lines:
        match = re.match(r"(SCAN|SEARCH) (\S+)", line)
        if not match or match.group(2) not in aliases:
            continue
        # SEARCH … USING (COVERING) INDEX/INTEGER PRIMARY KEY (cond) is bounded; any SCAN reads the whole table
        # (or the whole of one of its indexes), which is a problem once the table is big (the planner reads a table
        # of a hundred rows whole, rightly).
        # An alias standing for several tables is flagged only when every one of them is big.
        tables = aliases[match.group(2)]
        if match.group(1) == "SCAN" and min(_rows(t) for t in tables) > SMALL:
            problems.append(f"{'/'.join(sorted(tables))}: {line} in\n      " + "\n      ".join(lines))
    return problems


def _pg_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _pg_nodes(child)


def _pg_problems(sql: str, params: tuple) -> list[str]:
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    for node in _pg_nodes(plan[0]["Plan"]):
        table = node.get("Relation Name")
        if table not in BIG:  # see the module's docstring: the deputy tables are checked on SQLite
            continue
        kind = node["Node Type"]
        if kind == "Seq Scan" or (kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node):
            problems.append(f"{table}: {kind} {node.get('Filter', '')}")
    return problems


def test_cockpit_reads_cases_and_deputies_through_bounded_index_paths(client):
    registry = _district()
    client.force_login(registry.office)
    pages = {
        "overview": {"period": "year"},
        "drill-down": {"period": "year", "division": registry.streets[3].pk},
        "overview, this month": {"period": "month"},
    }
    check = _pg_problems if connection.vendor == "postgresql" else _sqlite_problems
    problems, watched = [], 0
    for page, params in pages.items():
        for sql, args in _captured(client, params):
            if not _aliases(sql):
                continue
            watched += 1
            problems += [f"{page}: {problem}\n    {sql[:400]}" for problem in check(sql, args)]
    assert watched >= 8  # the live counts, the uptake, the deputies and their rollup, on every page
    assert not problems, "\n".join(problems)
