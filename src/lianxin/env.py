"""Strict parsers for settings read from the environment, and the list of every variable read.

A value that is set but malformed stops the process with a clear message naming the variable instead
of silently falling back to a default. Each parser notes the variable it reads (its default, unit and
meaning) in `VARIABLES`, in the order `settings.py` reads them: `lianxin.configdoc` renders that list
as docs/configuration.md, and a test keeps the two equal.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass


class ConfigError(RuntimeError):
    pass


@dataclass(frozen=True)
class Variable:
    name: str
    default: str  # as shown in the documentation (Markdown)
    unit: str  # unit or accepted values, with the bounds
    doc: str
    section: str
    kind: str  # the parser: str, bool, int, float, list, int_list, choice, time, date_ranges, json
    value: object = None  # the default itself
    minimum: float | None = None
    maximum: float | None = None


VARIABLES: dict[str, Variable] = {}
_section = ["General"]


def section(title: str) -> None:
    """Variables read after this call are listed under `title` (an app or an area) in the documentation."""
    _section[0] = title


def _note(
    kind: str, name: str, default: object, unit: str, doc: str, shown: str | None, minimum=None, maximum=None
) -> None:
    if name in VARIABLES:  # the first reading (settings.py) describes it; a later re-read does not
        return
    bounds = [f"≥ {minimum}" if minimum is not None else "", f"≤ {maximum}" if maximum is not None else ""]
    bounds_text = ", ".join(b for b in bounds if b)
    if bounds_text:
        unit = f"{unit}, {bounds_text}" if unit else bounds_text
    if shown is None:
        shown = f"`{_shown(default)}`" if _shown(default) else "blank"
    VARIABLES[name] = Variable(name, shown, unit, doc, _section[0], kind, default, minimum, maximum)


def default_of(name: str):
    """The default of a variable settings.py read (for code that finds the setting itself removed, as tests do)."""
    return VARIABLES[name].value


def _shown(default: object) -> str:
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, list):
        return ",".join(str(item) for item in default)
    if isinstance(default, dt.time):
        return default.strftime("%H:%M")
    if default is None:
        return ""
    return str(default)


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value


def env_str(
    name: str, default: str | None = None, *, unit: str = "text", doc: str = "", shown: str | None = None
) -> str:
    _note("str", name, default, unit, doc, shown)
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigError(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool, *, doc: str = "", shown: str | None = None) -> bool:
    _note("bool", name, default, "true/false", doc, shown)
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be a boolean (true/false), got {value!r}")


def _bounded(name: str, number, minimum, maximum):
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name} must be >= {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ConfigError(f"{name} must be <= {maximum}, got {number}")
    return number


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    unit: str = "",
    doc: str = "",
    shown: str | None = None,
) -> int:
    _note("int", name, default, unit, doc, shown, minimum, maximum)
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {value!r}") from exc
    return _bounded(name, number, minimum, maximum)


def env_float(
    name: str,
    default: float,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    unit: str = "",
    doc: str = "",
    shown: str | None = None,
) -> float:
    _note("float", name, default, unit, doc, shown, minimum, maximum)
    value = _raw(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {value!r}") from exc
    if number != number or number in {float("inf"), float("-inf")}:
        raise ConfigError(f"{name} must be a finite number, got {value!r}")
    return _bounded(name, number, minimum, maximum)


def env_list(name: str, default: list[str], *, doc: str = "", shown: str | None = None) -> list[str]:
    _note("list", name, default, "comma-separated list", doc, shown)
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(
    name: str, default: list[int], *, minimum: int, maximum: int, doc: str = "", shown: str | None = None
) -> list[int]:
    """Comma-separated integers, each within the bounds (e.g. days of the month: "5,20")."""
    _note("int_list", name, default, "comma-separated integers", doc, shown, minimum, maximum)
    value = _raw(name)
    if value is None:
        return default
    numbers = []
    for item in value.split(","):
        try:
            numbers.append(_bounded(name, int(item), minimum, maximum))
        except ValueError as exc:
            raise ConfigError(f"{name} must be comma-separated integers, got {value!r}") from exc
    return numbers


def env_choice(name: str, default: str, choices: set[str], *, doc: str = "", shown: str | None = None) -> str:
    _note("choice", name, default, ", ".join(sorted(choices)), doc, shown)
    value = os.environ.get(name) or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


def env_time(name: str, default: str, *, doc: str = "", shown: str | None = None) -> dt.time:
    """A time of day, "HH:MM"."""
    _note("time", name, default, "HH:MM", doc, shown)
    value = _raw(name) or default
    try:
        return dt.time.fromisoformat(value.strip())
    except ValueError as exc:
        raise ConfigError(f"{name} must be a time of day (HH:MM), got {value!r}") from exc


def env_date_ranges(name: str, *, doc: str = "", shown: str | None = None) -> list[tuple[dt.date, dt.date]]:
    """Comma-separated date ranges "first/last" in ISO form (2027-01-05/2027-01-09); empty by default."""
    _note("date_ranges", name, [], "comma-separated YYYY-MM-DD/YYYY-MM-DD", doc, shown)
    value = _raw(name)
    if value is None:
        return []
    ranges = []
    for item in value.split(","):
        try:
            first, last = (dt.date.fromisoformat(part.strip()) for part in item.split("/"))
        except ValueError as exc:
            raise ConfigError(f"{name} must be date ranges YYYY-MM-DD/YYYY-MM-DD, got {item.strip()!r}") from exc
        if last < first:
            raise ConfigError(f"{name}: a range ends before it starts, got {item.strip()!r}")
        ranges.append((first, last))
    return ranges


def env_json(
    name: str, default, check: Callable[[object], bool], *, shape: str, doc: str = "", shown: str | None = None
):
    """A JSON value whose shape `check` accepts (`shape` describes it for the message and the documentation)."""
    _note("json", name, default, f"JSON: {shape}", doc, shown)
    value = _raw(name)
    if value is None:
        return default
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be JSON ({shape}): {exc}") from exc
    if not check(parsed):
        raise ConfigError(f"{name} must be JSON of the shape {shape}, got {value!r}")
    return parsed


class RowsOf:
    """Shape check for env_json: a list of rows, each a list of these types (`[str]` means a list of strings)."""

    def __init__(self, *types):
        self.types = types

    def __call__(self, value) -> bool:
        return isinstance(value, list) and all(self._row(row) for row in value)

    def _row(self, row) -> bool:
        if not isinstance(row, list) or len(row) != len(self.types):
            return False
        return all(self._cell(cell, kind) for cell, kind in zip(row, self.types, strict=True))

    @staticmethod
    def _cell(cell, kind) -> bool:
        if isinstance(kind, list):
            return isinstance(cell, list) and all(isinstance(item, kind[0]) for item in cell)
        return isinstance(cell, kind)
