"""The pieces of `make bench-cockpit` that need no big database: arguments, percentiles, timestamps, and the
generated rows being consistent cases (the bench itself is not part of `make test`)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from bench.cockpit import parse_args

from lianxin.cockpit import benchdata


def test_arguments_have_the_issue_defaults_and_refuse_nonsense():
    args = parse_args([])
    assert (args.pg_cases, args.sqlite_cases) == (10_000_000, 1_000_000)
    for bad in (["--pg-cases", "10"], ["--runs", "1"], ["--years", "0"]):
        with pytest.raises(SystemExit):
            parse_args(bad)


def test_percentiles():
    figures = benchdata.percentiles([float(i) for i in range(1, 101)])
    assert figures == {"p50_ms": 50.5, "p95_ms": 95.0}


def test_stamps_are_utc_text_in_each_database_format():
    epoch = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC).timestamp()
    assert benchdata._stamper("+00")(epoch) == "2026-03-04 05:06:07+00"
    assert benchdata._stamper("")(epoch) == "2026-03-04 05:06:07"


def test_generated_rows_are_consistent_cases():
    registry = SimpleNamespace(
        streets=[SimpleNamespace(pk=i) for i in range(3)],
        grids_of_street={i: [100 + i] for i in range(3)},
        stations_of_street={i: [10 + i] for i in range(3)},
        categories=[7, 8],
        units=[1, 2],
        deputies=[5],
    )
    rows = list(benchdata._rows(registry, 3000, 2, 1, str))
    assert len(rows) == 3000 and len(rows[0]) == len(benchdata.VARYING)
    col = {name: i for i, name in enumerate(benchdata.VARYING)}
    created = [r[col["created_at"]] for r in rows]
    assert created == sorted(created)  # ids follow time, as in a real history
    assert len({r[col["tracking_code"]] for r in rows}) == 3000
    for r in rows:
        assert r[col["division_id"]] == 100 + r[col["handling_division_id"]]  # a grid of the case's street
        if r[col["replied_at"]] is not None:
            assert r[col["dispatched_at"]] is not None and r[col["current_unit_id"]] is not None
        if r[col["closed_unrated"]]:
            assert r[col["status"]] == "closed" and r[col["rating"]] == ""
    statuses = {r[col["status"]] for r in rows}
    assert {"closed", "registered", "dispatched", "declined"} <= statuses
