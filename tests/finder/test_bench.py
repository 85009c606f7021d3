"""bench/lookup.py on a small lattice: its world is real, its lookups find the grids, its last line's keys."""

from __future__ import annotations

import random

import pytest

from bench import lookup as bench

pytestmark = pytest.mark.django_db


def test_the_bench_world_and_measure_on_a_small_lattice():
    side = bench.build_world(150, random.Random(1))
    assert side == 13
    result = bench.measure(side, 200, random.Random(2))
    assert result["grids"] == 150
    assert set(result) >= {"grids", "p50_ms", "p95_ms"}
    assert 0 < result["p50_ms"] <= result["p95_ms"]
    # 90 % of the points are on the lattice, whose last row is partly empty (150 of 13 × 13 cells).
    assert 0.7 < result["found_share"] < 0.95


def test_the_bench_refuses_nonsense_arguments():
    with pytest.raises(SystemExit):
        bench.parse_args(["--grids", "0"])
