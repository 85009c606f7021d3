"""The pieces of bench/intake.py that need no server: wrk output parsing, the figures, the JSON line."""

import json

import pytest
from bench.intake import engine_summary, load_note, parse_args, result_line, verdict
from bench.loadgen import LoadResult, combined, parse_wrk_output

WRK_OUTPUT = """Running 15s test @ http://127.0.0.1:8000
  32 threads and 32 connections
bench:duration_us 15000000
bench:requests 9100
bench:errors 0 0 0 100 0
bench:status 201 9000
bench:status 422 100
bench:latency_us 50 25500
bench:latency_us 90 60000
bench:latency_us 99 180250
"""


def test_parse_wrk_output_reads_the_bench_lines():
    result = parse_wrk_output(WRK_OUTPUT)

    assert result.duration_s == 15.0
    assert result.requests == 9100
    assert result.statuses == {201: 9000, 422: 100}
    assert result.other_statuses == {422: 100}
    assert result.errors == {"connect": 0, "read": 0, "write": 0, "status": 100, "timeout": 0}
    assert result.latency_ms == {50: 25.5, 90: 60.0, 99: 180.25}
    assert result.created == 9000
    assert result.throughput == 600.0


def test_parse_wrk_output_without_bench_lines_is_an_error():
    with pytest.raises(ValueError, match="no bench: lines"):
        parse_wrk_output("Running 15s test @ http://127.0.0.1:8000\n")


def loaded(created, seconds, p50=10.0, p99=40.0):
    return LoadResult(duration_s=seconds, requests=created, statuses={201: created}, latency_ms={50: p50, 99: p99})


def test_engine_summary_has_the_figures_of_the_issue():
    figures = engine_summary(loaded(6000, 10, p50=12.345, p99=80.0), loaded(9000, 10), lost=0)

    assert figures == {
        "throughput": 600.0,
        "p50_ms": 12.35,
        "p99_ms": 80.0,
        "baseline_throughput": 900.0,
        "ratio": 0.667,
        "lost": 0,
    }


def test_engine_summary_without_the_case_endpoint_keeps_only_the_baseline():
    figures = engine_summary(None, loaded(9000, 10), lost=None)

    assert figures["baseline_throughput"] == 900.0
    assert [figures[key] for key in ("throughput", "p50_ms", "p99_ms", "ratio", "lost")] == [None] * 5


def test_result_line_is_one_json_object_with_null_for_a_skipped_database():
    sqlite = engine_summary(loaded(6000, 10), loaded(9000, 10), lost=0)

    line = result_line({"sqlite": sqlite, "postgresql": None})

    assert "\n" not in line
    assert json.loads(line) == {"sqlite": sqlite, "postgresql": None}
    assert list(json.loads(line)) == ["sqlite", "postgresql"]


def test_verdict_names_each_missed_target():
    good = engine_summary(loaded(6000, 10), loaded(9000, 10), lost=0)
    slow = engine_summary(loaded(1000, 10), loaded(9000, 10), lost=2)

    lines = verdict({"sqlite": good, "postgresql": slow})

    assert lines[0].startswith("sqlite: meets the targets")
    assert lines[1] == "postgresql: MISSES the targets (throughput 100/s < 500, ratio 0.11 < 0.6, lost 2)"
    assert verdict({"postgresql": None}) == ["postgresql: skipped"]


def test_parse_args_defaults_and_limits():
    args = parse_args([])
    assert (args.clients, args.seconds, args.warmup, args.rounds, args.only) == (32, 15, 3, 3, None)
    assert parse_args(["--only", "postgresql", "--clients", "8"]).clients == 8
    assert parse_args(["--rounds", "1"]).rounds == 1
    bad_ones = (["--clients", "0"], ["--seconds", "0"], ["--rounds", "0"], ["--seconds", "4", "--rounds", "5"])
    for bad in (*bad_ones, ["--only", "mysql"]):
        with pytest.raises(SystemExit):
            parse_args(bad)


def test_load_note_warns_when_the_machine_is_busy():
    assert load_note(0.3, 2) == "Load average before the run: 0.30"
    assert "other processes are busy" in load_note(1.5, 2)


def test_combined_slices_add_counts_and_weigh_latencies_by_requests():
    first = LoadResult(duration_s=5.0, requests=100, statuses={201: 90, 422: 10}, latency_ms={50: 10.0, 99: 50.0})
    second = LoadResult(duration_s=5.0, requests=300, statuses={201: 300}, latency_ms={50: 20.0, 99: 90.0})
    first.errors, second.errors = {"timeout": 1}, {"timeout": 2, "read": 1}
    first.client_cpu_s, second.client_cpu_s = 0.5, 1.5
    total = combined([first, second])
    assert (total.duration_s, total.requests, total.created, total.client_cpu_s) == (10.0, 400, 390, 2.0)
    assert total.statuses == {201: 390, 422: 10} and total.errors == {"timeout": 3, "read": 1}
    assert total.throughput == 39.0
    assert total.latency_ms == {50: 17.5, 99: 80.0}
    assert combined([]).throughput == 0.0
