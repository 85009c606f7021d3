"""Figures and list rows from the other areas (suggestions, duty, events, voters), found at run time.

An area joins the cockpit by defining, in its own `selectors.py`, any of these functions (keyword-only):

- `cockpit_figures(*, division, start, end) -> list[dict]`: headline figures for the overview, each
  `{"key", "label", "value", "formula" (optional), "url" (optional)}`; a rate gives `"value"` as a string
  such as "93.5%" and its formula. Suggestions should give their 办复率, 解决率 and 满意率 here.
- `cockpit_work_items(*, division, start, end) -> list[dict]`: rows of the work list (activities, duty shifts,
  receptions), each `{"date", "kind", "place", "title", "people"}`.
- `cockpit_suggestion_items(*, division, start, end) -> list[dict]`: rows of the suggestion list, each
  `{"date", "number", "title", "state", "unit", "deputy"}`.

`division` is a Division (district or street), `start`/`end` are dates (inclusive). A module or function
that does not exist is skipped; a function that fails is logged and skipped, so one area cannot take the
cockpit down.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

logger = logging.getLogger("lianxin.cockpit")

AREAS = [
    "lianxin.suggestions.selectors",
    "lianxin.duty.selectors",
    "lianxin.events.selectors",
    "lianxin.voters.selectors",
    "lianxin.consultations.selectors",
    "lianxin.performance.selectors",
]


def _providers(function: str):
    for name in AREAS:
        try:
            if importlib.util.find_spec(name) is None:
                continue
        except ModuleNotFoundError:
            continue
        module = importlib.import_module(name)
        provider = getattr(module, function, None)
        if callable(provider):
            yield name, provider


def _collect(function: str, *, division, start, end) -> list[dict]:
    rows: list[dict] = []
    for name, provider in _providers(function):
        try:
            result = provider(division=division, start=start, end=end)
        except Exception:  # an area's failure must not take the cockpit down
            logger.exception("cockpit extension %s.%s failed", name, function)
            continue
        rows.extend(dict(row, source=name.split(".")[1]) for row in result or [])
    return rows


def figures(*, scope, period) -> list[dict]:
    return _collect("cockpit_figures", division=scope.division, start=period.start, end=period.end)


def work_items(*, division, start, end) -> list[dict]:
    return _collect("cockpit_work_items", division=division, start=start, end=end)


def suggestion_items(*, division, start, end) -> list[dict]:
    return _collect("cockpit_suggestion_items", division=division, start=start, end=end)


def available(function: str) -> list[str]:
    return [name for name, _provider in _providers(function)]
