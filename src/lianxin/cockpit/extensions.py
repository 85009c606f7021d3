"""Figures and list rows from the other areas (suggestions, duty, events, voters, points, appraisal), found at run time.

An area joins the cockpit by defining, in its own `selectors.py`, any of these functions (keyword-only):

- `cockpit_figures(*, division, start, end) -> list[dict]`: headline figures for the overview, each
  `{"key", "label", "value", "formula" (optional), "url" (optional), "no_link" (optional: why a number has no
  link, shown on hover)}`; a rate gives `"value"` as a string
  such as "93.5%" and its formula, and may give its parts as `"numerator"`, `"denominator"` with the lists behind
  them as `"numerator_url"`, `"denominator_url"`; `"method_url"` (optional) links to how the figure is computed
  (kept for every viewer). Suggestions give their 办复率, 解决率 and 满意率 here, each linked to the suggestion list
  filtered to exactly the suggestions it counts.
- `cockpit_work_items(*, division, start, end) -> list[dict]`: rows of the work list (activities, duty shifts,
  receptions), each `{"date", "kind", "place", "title", "people"}`.
- `cockpit_suggestion_items(*, division, start, end) -> list[dict]`: rows of the suggestion list, each
  `{"date", "number", "title", "state", "unit", "deputy"}`.
- `cockpit_deputy_measures(*, division, start, end) -> list[dict]`: the columns the area adds to the deputies'
  activity table, each `{"key", "label", "formula", "in_total" (bool: counted in the activity total that ranks the
  deputies), "url" (a function deputy_id -> the list behind that deputy's number, or None), "period" (optional: the
  area's own period the numbers are of, shown under the label, when it is not exactly the cockpit's dates)}`.
- `cockpit_deputy_activity(*, division, start, end, deputy_ids) -> {deputy_id: {key: value}}`: those columns' values
  for the given deputies, in a fixed number of queries (one aggregate query per area, never one per deputy); a
  deputy left out has 0.
  An area whose numbers depend on who looks (the points: unpublished periods only for the office) declares a
  `user=None` keyword on both functions and gets the viewer (None: no viewer, show what anyone may see).
- `cockpit_links_allowed(*, user, division) -> bool`: whether `user` may open the area's lists behind the numbers
  for `division`; without it every link is shown, with it a False (or a failure) drops the area's links (except a
  figure marked `"public": True`, whose page anyone may open).
- `cockpit_linkable_deputies(*, user, division) -> QuerySet[Deputy]`: for an area whose page behind a deputy's number
  is one deputy's page with its own rule (voters, the points ledger), the deputies whose page `user` may open, as
  the area's rules say, **unevaluated**: the cockpit checks it inside its own query of the deputies (an EXISTS per
  area, no query of its own), and links a deputy's numbers of that area only when the deputy is in it. Without it
  every deputy of an allowed area is linked; a failure or anything but a queryset of deputies links none.

- `cockpit_hot_issues(*, division) -> list[dict]`: the hot issues of the division, hottest first, each `{"label"
  (place · what), "place_name", "keyword" (the what), "cases", "people", "supporters", "score" (heat), "titles"}`;
  read from the area's own table (one query). The first area that answers is shown; without one the cockpit shows
  no hot issues (topics provides them: clustering on the text, docs/triage.md).

`division` is a Division (district or street), `start`/`end` are dates (inclusive). A module or function
that does not exist is skipped; a function that fails is logged and skipped, so one area cannot take the
cockpit down.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.organisation.models import Deputy

logger = logging.getLogger("lianxin.cockpit")

AREAS = [
    "lianxin.suggestions.selectors",
    "lianxin.duty.selectors",
    "lianxin.events.selectors",
    "lianxin.voters.selectors",
    "lianxin.consultations.selectors",
    "lianxin.points.selectors",
    "lianxin.appraisal.selectors",
    "lianxin.topics.selectors",
]
URL_KEYS = ("url", "numerator_url", "denominator_url")  # method_url stays: how a figure is made is no secret
NOT_ALLOWED = _("这份清单只对管理这些联络站或记录的工作人员开放，您的账号打不开，所以这里不链接")


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


def _area(name: str) -> str:
    return name.split(".")[1]


def _call(name: str, provider, **kwargs):
    try:
        return True, provider(**kwargs)
    except Exception:  # an area's failure must not take the cockpit down
        logger.exception("cockpit extension %s.%s failed", name, provider.__name__)
        return False, None


def _collect(function: str, *, division, start, end) -> list[dict]:
    rows: list[dict] = []
    for name, provider in _providers(function):
        ok, result = _call(name, provider, division=division, start=start, end=end)
        if ok:
            rows.extend(dict(row, source=_area(name)) for row in result or [])
    return rows


def links_allowed(*, user, division) -> set[str]:
    """The areas whose lists `user` may open from this division's cockpit (no user: only areas without a gate)."""
    gated = {_area(name): provider for name, provider in _providers("cockpit_links_allowed")}
    allowed = {_area(name) for name in AREAS} - set(gated)
    if user is None:
        return allowed
    for area, provider in gated.items():
        ok, result = _call(area, provider, user=user, division=division)
        if ok and result:
            allowed.add(area)
    return allowed


def linkable_deputies(*, user, division, allowed: set[str] | None = None) -> dict:
    """{area: unevaluated QuerySet[Deputy]} for the areas in `allowed` (None: all) that restrict their deputy pages
    (fail closed: an area whose hook fails or answers anything but a queryset of deputies gets an empty one)."""

    found = {}
    for name, provider in _providers("cockpit_linkable_deputies"):
        area = _area(name)
        if allowed is not None and area not in allowed:
            continue
        ok, deputies = _call(name, provider, user=user, division=division)
        if not (ok and isinstance(deputies, QuerySet) and deputies.model is Deputy):
            if ok:
                logger.error("cockpit extension %s.cockpit_linkable_deputies gave no queryset of deputies", name)
            deputies = Deputy.objects.none()
        found[area] = deputies
    return found


def figures(*, scope, period, allowed: set[str] | None = None) -> list[dict]:
    """The areas' figures; the links of an area not in `allowed` are dropped (None keeps every link), and the figure
    then says why it has none (`no_link`, shown on hover: a figure is either a link or tells why it is not)."""
    rows = _collect("cockpit_figures", division=scope.division, start=period.start, end=period.end)
    if allowed is None:
        return rows
    return [
        row
        if row["source"] in allowed or row.get("public")
        else {**{k: v for k, v in row.items() if k not in URL_KEYS}, "no_link": str(NOT_ALLOWED)}
        for row in rows
    ]


def work_items(*, division, start, end) -> list[dict]:
    return _collect("cockpit_work_items", division=division, start=start, end=end)


def suggestion_items(*, division, start, end) -> list[dict]:
    return _collect("cockpit_suggestion_items", division=division, start=start, end=end)


@dataclass(frozen=True)
class DeputyMeasure:
    """One column of the deputies' activity table."""

    key: str
    label: str
    formula: str
    in_total: bool
    source: str
    url: Callable[[int], str] | None = None
    period: str = ""


def _declares_user(function) -> bool:
    try:
        return "user" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


_declares_user_once = functools.lru_cache(maxsize=256)(_declares_user)


def _takes_user(function) -> bool:
    """Whether an area's hook declares `user`; inspect.signature is slow (a page asks six times): once per hook."""
    try:
        return _declares_user_once(function)
    except TypeError:  # an unhashable callable
        return _declares_user(function)


def deputy_activity(
    *, division, start, end, deputy_ids: list[int], allowed: set[str] | None = None, user=None
) -> tuple[list[DeputyMeasure], dict[int, dict[str, object]]]:
    """The areas' columns of the deputies' table and their values per deputy, as `user` may see them (passed to the
    areas that declare a `user` keyword). An area whose measures or values fail is left out whole; its links are
    dropped when it is not in `allowed` (None keeps them)."""
    measures: list[DeputyMeasure] = []
    values: dict[int, dict[str, object]] = {}
    window = {"division": division, "start": start, "end": end}
    for name, provider in _providers("cockpit_deputy_activity"):
        describe = getattr(importlib.import_module(name), "cockpit_deputy_measures", None)
        if not callable(describe):
            continue
        ok, columns = _call(name, describe, **window, **({"user": user} if _takes_user(describe) else {}))
        if not ok:
            continue
        viewer = {"user": user} if _takes_user(provider) else {}
        ok, found = _call(name, provider, **window, deputy_ids=deputy_ids, **viewer) if deputy_ids else (True, {})
        if not ok:
            continue
        area = _area(name)
        linked = allowed is None or area in allowed
        for column in columns or []:
            measures.append(
                DeputyMeasure(
                    key=column["key"],
                    label=str(column["label"]),
                    formula=str(column.get("formula", "")),
                    in_total=bool(column.get("in_total")),
                    source=area,
                    url=column.get("url") if linked else None,
                    period=str(column.get("period", "")),
                )
            )
        for deputy_id, row in (found or {}).items():
            values.setdefault(deputy_id, {}).update(row)
    return measures, values


def available(function: str) -> list[str]:
    return [name for name, _provider in _providers(function)]


def hot_issues(*, division) -> list[dict] | None:
    """The hot issues from the first area that provides them (None: no area does, or it failed)."""
    for name, provider in _providers("cockpit_hot_issues"):
        ok, result = _call(name, provider, division=division)
        if ok and result is not None:
            return list(result)
    return None
