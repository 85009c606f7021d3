"""Demo data of the other areas (suggestions, duty rosters, events, …), added after the district.

Each module listed here provides `seed_demo_extension(*, now) -> str` that is deterministic, idempotent
(checks its own marker) and returns a one-line summary. A module that does not exist yet is skipped.
"""

from __future__ import annotations

import importlib
import importlib.util

EXTENSIONS = [
    "lianxin.suggestions.demo",
    "lianxin.duty.demo",
    "lianxin.events.demo",
    "lianxin.consultations.demo",
    "lianxin.voters.demo",
    "lianxin.finder.demo",
    "lianxin.topics.demo",
    "lianxin.cockpit.demo",
    "lianxin.points.demo",
    "lianxin.appraisal.demo",
]


def run_extensions(*, now) -> list[str]:
    summaries = []
    for name in EXTENSIONS:
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        summaries.append(module.seed_demo_extension(now=now))
    return summaries
