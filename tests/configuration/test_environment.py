"""Every setting comes from the environment: settings.py lists each variable once (default, unit, meaning),
docs/configuration.md is that list, each app reads its values from Django settings, and a malformed value
stops the process with the variable's name."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from lianxin import configdoc
from lianxin.env import VARIABLES

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "lianxin"
CONF_MODULES = sorted(p.parent.name for p in SRC.glob("*/conf.py"))


def start(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with Django set up and only these LIANXIN_ variables (and the test flag)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("LIANXIN_") and k != "DATABASE_URL"}
    base.update(DJANGO_SETTINGS_MODULE="lianxin.settings", PYTHONPATH=str(ROOT / "src"), LIANXIN_TESTING="true")
    script = f"import django, json; django.setup(); from django.conf import settings; {code}"
    return subprocess.run(
        [sys.executable, "-c", script], env={**base, **env}, capture_output=True, text=True, check=False
    )


# --- one list, and the documentation is that list ------------------------------------------------------


def test_docs_configuration_md_is_the_list_settings_py_reads():
    written = (ROOT / "docs" / "configuration.md").read_text()
    assert written == configdoc.render(), "docs/configuration.md is out of date: run `make configuration`"
    assert str(ROOT) not in written  # nothing of this machine in the defaults


def test_every_variable_has_a_meaning_and_appears_once_in_the_documentation():
    written = (ROOT / "docs" / "configuration.md").read_text()
    documented = re.findall(r"^\| `([A-Z0-9_]+)` \|", written, flags=re.MULTILINE)
    assert sorted(documented) == sorted(VARIABLES)
    assert [v.name for v in VARIABLES.values() if not v.doc.strip()] == []


def test_every_variable_the_code_names_is_in_the_list():
    """A variable read anywhere in src/ (e.g. straight from os.environ) must be one settings.py lists."""
    named = set()
    for path in SRC.rglob("*.py"):
        named |= set(re.findall(r"\b(LIANXIN_[A-Z0-9_]*[A-Z0-9])\b", path.read_text()))
    assert named - set(VARIABLES) == set()


def test_only_the_env_module_reads_the_environment():
    readers = []
    for path in SRC.rglob("*.py"):
        if path.name == "env.py":
            continue
        text = path.read_text()
        for match in re.finditer(r"os\.environ(?:\.get)?[\[(]\s*\"(LIANXIN_\w+|DATABASE_URL)", text):
            readers.append(f"{path.relative_to(SRC)}: {match.group(1)}")
    assert readers == []


def test_no_app_keeps_its_own_default_for_a_setting():
    """`getattr(settings, NAME, default)` is how settings escaped the environment; the only three-argument
    getattr left falls back to the default settings.py registered (suggestions' conf, for a removed setting)."""
    found = []
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        if "getattr(settings" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) == 3
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "settings"
            ):
                default = node.args[2]
                registered = (
                    isinstance(default, ast.Call)
                    and isinstance(default.func, ast.Name)
                    and default.func.id == "default_of"
                )
                if not registered:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize("app", CONF_MODULES)
def test_each_conf_accessor_reads_a_setting_that_exists(app):
    module = importlib.import_module(f"lianxin.{app}.conf")
    accessors = [
        function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and not inspect.signature(function).parameters
    ]
    assert accessors
    for function in accessors:
        function()  # an AttributeError here is a setting settings.py does not read


SECTIONS = list(dict.fromkeys(v.section for v in VARIABLES.values()))
APP_LIMITS = SECTIONS[SECTIONS.index("Suggestions (lianxin.suggestions)") :]


def _by_the_rule(variable) -> bool:
    """The apps' limits (settings.py's last part); the variables before them are older than the naming rule
    (LIANXIN_ACK_HOURS sets CASE_ACK_HOURS)."""
    return variable.section in APP_LIMITS


def test_app_settings_follow_the_naming_rule():
    """An app setting NAME is read from LIANXIN_NAME (so the list tells which variable sets which setting)."""
    app_sections = [v for v in VARIABLES.values() if _by_the_rule(v)]
    assert len(app_sections) > 70
    missing = [v.name for v in app_sections if not hasattr(settings, v.name.removeprefix("LIANXIN_"))]
    assert missing == ["LIANXIN_CJK_FONT"]  # its setting is CJK_FONT_PATH (the variable's name is older)


# --- setting a variable changes the setting ----------------------------------------------------------------

JSON_SAMPLES = {
    "LIANXIN_SUGGESTION_REVIEW_STAGES": [["office", "初审"], ["chair", "主任会议"]],
    "LIANXIN_SUGGESTION_ANSWER_CATEGORIES": [["A", "解决", True, False], ["B", "计划", False, True]],
    "LIANXIN_SUGGESTION_INADMISSIBLE": [["不受理。", ["推销"]]],
}


def _other_value(variable) -> tuple[str, object]:
    """A valid value different from the default: (what goes into the environment, what the setting becomes)."""
    kind, default = variable.kind, variable.value
    if kind == "int":
        value = default + 1 if variable.maximum is None or default + 1 <= variable.maximum else default - 1
        return str(value), value
    if kind == "float":
        value = round(default + 0.05, 2) if variable.maximum is None or default + 0.05 <= variable.maximum else 0.5
        return str(value), value
    if kind == "bool":
        return ("false", False) if default else ("true", True)
    if kind == "list":
        return "老旧小区, 加装电梯", ["老旧小区", "加装电梯"]
    if kind == "int_list":
        return "5,25", [5, 25]
    if kind == "time":
        return "07:45", "07:45:00"
    if kind == "date_ranges":
        return "2027-01-05/2027-01-09,2027-03-01/2027-03-03", [
            ["2027-01-05", "2027-01-09"],
            ["2027-03-01", "2027-03-03"],
        ]
    if kind == "json":
        return json.dumps(JSON_SAMPLES[variable.name], ensure_ascii=False), JSON_SAMPLES[variable.name]
    if kind == "str":
        return "/srv/lianxin/other", "/srv/lianxin/other"
    raise AssertionError(f"no sample for {variable.name} ({kind})")


def _app_settings():
    return {v.name: v.name.removeprefix("LIANXIN_") for v in VARIABLES.values() if _by_the_rule(v)} | {
        "LIANXIN_CJK_FONT": "CJK_FONT_PATH"
    }


def test_every_app_setting_takes_its_value_from_the_environment():
    names = _app_settings()
    env, expected = {}, {}
    for variable_name, setting in names.items():
        env[variable_name], expected[setting] = _other_value(VARIABLES[variable_name])
    code = (
        f"print(json.dumps({{name: getattr(settings, name) for name in {sorted(expected)!r}}}, default=str, "
        "ensure_ascii=False))"
    )
    result = start(code, **env)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert got == expected
    assert all(got[setting] != VARIABLES[name].value for name, setting in names.items())


THROUGH_CONF = [
    ("LIANXIN_VOTERS_PAIRING_MINIMUM", "7", "lianxin.voters.conf.pairing_minimum()", 7),
    ("LIANXIN_VOTERS_PAGE_SIZE", "7", "lianxin.voters.conf.page_size()", 7),
    (
        "LIANXIN_SUGGESTION_KEY_REQUIRES_FACE_TO_FACE",
        "no",
        "lianxin.suggestions.conf.key_requires_face_to_face()",
        False,
    ),
    ("LIANXIN_SUGGESTION_WINDOW_MONTHDAYS", "25,5", "lianxin.suggestions.conf.window_monthdays()", [5, 25]),
    (
        "LIANXIN_SUGGESTION_REVIEW_STAGES",
        '[["office", "初审"]]',
        "lianxin.suggestions.conf.review_stages()",
        [["office", "初审"]],
    ),
    ("LIANXIN_DUTY_SHIFT_START", "08:30", "str(lianxin.duty.conf.shift_start())", "08:30:00"),
    ("LIANXIN_FINDER_OVERLAP_MIN_M2", "2.5", "lianxin.finder.conf.overlap_min_m2()", 2.5),
    ("LIANXIN_PERFORMANCE_SCAN_DAYS", "30", "lianxin.points.conf.scan_days()", 30),
    ("LIANXIN_REGISTRY_IMPORT_MAX_ROWS", "100", "lianxin.organisation.registry_import.max_rows()", 100),
]


def test_a_variable_reaches_the_app_through_its_conf():
    modules = sorted(
        {expression.removeprefix("str(").split("(")[0].rsplit(".", 1)[0] for *_, expression, _ in THROUGH_CONF}
    )
    expressions = ", ".join(expression for *_, expression, _ in THROUGH_CONF)
    code = f"import {', '.join(modules)}; print(json.dumps([{expressions}], ensure_ascii=False))"
    result = start(code, **{variable: value for variable, value, *_ in THROUGH_CONF})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [expected for *_, expected in THROUGH_CONF]


def test_the_suggestions_yellow_light_follows_the_cases_one_unless_set():
    result = start(
        "print(json.dumps([settings.CASE_YELLOW_AT, settings.SUGGESTION_YELLOW_AT]))", LIANXIN_YELLOW_AT="0.7"
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [0.7, 0.7]


# --- a malformed value stops the process with the variable's name ------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LIANXIN_VOTERS_PAIRING_MINIMUM", "ten"),
        ("LIANXIN_SUGGESTION_ANSWER_CATEGORIES", '[["A", "解决", true]]'),
        ("LIANXIN_DUTY_SHIFT_START", "9h"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(variable, value):
    result = start("print('started')", **{variable: value})
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ConfigError" in result.stderr and variable in result.stderr


def rejected_without_their_name(pairs: list[tuple[str, str]]) -> list[str]:
    """Read settings.py once per (variable, value); the pairs it accepts or rejects without naming the variable."""
    script = f"""
import os, runpy
from lianxin.env import ConfigError
quiet = []
for name, value in {pairs!r}:
    os.environ[name] = value
    try:
        runpy.run_path({str(SRC / "settings.py")!r})
        quiet.append(name + "=" + value + ": accepted")
    except ConfigError as exc:
        if name not in str(exc):
            quiet.append(name + ": " + str(exc))
    del os.environ[name]
print(quiet)
"""
    base = {k: v for k, v in os.environ.items() if not k.startswith("LIANXIN_") and k != "DATABASE_URL"}
    base.update(PYTHONPATH=str(ROOT / "src"), LIANXIN_TESTING="true")
    result = subprocess.run([sys.executable, "-c", script], env=base, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_out_of_range_and_ill_shaped_values_are_refused():
    assert (
        rejected_without_their_name(
            [
                ("LIANXIN_VOTERS_SAMPLE_PERCENT", "150"),
                ("LIANXIN_FINDER_OVERLAP_MIN_M2", "nan"),
                ("LIANXIN_FINDER_GAP_MIN_M2", "inf"),
                ("LIANXIN_SUGGESTION_NOT_ACCEPTED_AS_REFERENCE", "perhaps"),
                ("LIANXIN_SUGGESTION_WINDOW_MONTHDAYS", "20,32"),
                ("LIANXIN_SUGGESTION_WINDOW_MONTHDAYS", "20;21"),
                ("LIANXIN_SUGGESTION_SESSION_WINDOWS", "2027-01-09/2027-01-05"),
                ("LIANXIN_SUGGESTION_SESSION_WINDOWS", "2027-01-05"),
                ("LIANXIN_SUGGESTION_REVIEW_STAGES", "office, chair"),
                ("LIANXIN_SUGGESTION_REVIEW_STAGES", '[["office"]]'),
                ("LIANXIN_SUGGESTION_INADMISSIBLE", '[["不受理。", "推销"]]'),
                ("LIANXIN_DUTY_SHIFT_END", "25:00"),
                ("LIANXIN_COCKPIT_PAGE_SIZE", "0"),
                ("LIANXIN_EVENT_PAGE_SIZE", "201"),
            ]
        )
        == []
    )


CHECKS_EVERY_VALUE = {"bool", "int", "float", "int_list", "choice", "time", "date_ranges", "json"}


def test_every_parsed_variable_rejects_garbage_with_its_name():
    """All numbers, switches, choices, times, dates and JSON: settings.py read with one garbage value at a time."""
    names = sorted(v.name for v in VARIABLES.values() if v.kind in CHECKS_EVERY_VALUE)
    assert len(names) > 100
    assert rejected_without_their_name([(name, "not-a-value") for name in names]) == []


def test_time_and_date_parsers_give_python_values():
    assert isinstance(settings.DUTY_SHIFT_START, dt.time)
    assert settings.SUGGESTION_SESSION_WINDOWS == []
