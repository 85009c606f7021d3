"""Each app owns its state: no module outside an app writes that app's models (issue 11, item 1).

Read from the source (AST), no database. A module of app A "writes" a model of app B when, with a model
class imported from `lianxin.B.models` (or a value reached from one, or a value returned by a function
imported from app B), it calls a writing method (`save`, `delete`, `create`, `update`, `bulk_create`, …),
assigns an attribute of such an instance, or builds a new instance. The change belongs in a service of
app B, which app A calls. Reading another app's models (filters, counts, joins) is fine.

The check is deliberately simple (names, not types): a value is followed through assignments, loops and
`list()`-like wrappers inside one module, and function parameters annotated with a foreign model count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "lianxin"

# Modules that may write other apps' models, each with its reason. Nothing else may.
ALLOWED = {
    # The demo district: seeds every area's rows in one deterministic pass (manage.py seed_demo).
    "demo/district.py": "demo seeding",
    "demo/generate.py": "demo seeding",
    "finder/demo.py": "demo seeding (demo/extensions.py)",
    "suggestions/demo.py": "demo seeding (demo/extensions.py)",
    # The benchmark data set: bulk rows for make bench-intake and the cockpit bench, never run in production.
    "bench/management/commands/bench_seed.py": "benchmark seeding",
    "cockpit/benchdata.py": "benchmark seeding",
}
# Migrations are not scanned: a data migration works on the historical models of any app it depends on.

WRITES = {"save", "delete", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "update"}
RELATED_WRITES = {"add", "remove", "set", "clear"}  # on a related manager: instance.things.add(...)
PASS_THROUGH = {"list", "tuple", "sorted", "reversed", "iter", "next", "set", "frozenset", "enumerate"}
VALUES = {"values", "values_list", "count", "exists", "aggregate", "iterator_values"}  # plain values, not rows
ROW_INSERTS = {"insert_row", "insert_rows"}  # lianxin/rows.py
BUILD = "build"  # lianxin/rows.py: build(Model, **values) is Model(**values)


def state_fields() -> dict[str, set[str]]:
    """Each app's model field names (and attnames): setting one of those on a foreign object is a write;
    setting anything else (a label for a template) is not."""
    from django.apps import apps

    fields: dict[str, set[str]] = {}
    for model in apps.get_models():
        app = model.__module__.split(".")[1] if model.__module__.startswith("lianxin.") else None
        if app is None:
            continue
        for field in model._meta.concrete_fields:
            fields.setdefault(app, set()).update({field.name, field.attname})
    return fields


def owner(path: Path) -> str:
    """The app a module belongs to: the first folder under src/lianxin ('' for lianxin/*.py itself)."""
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else ""


def imported_app(module: str | None) -> str | None:
    parts = (module or "").split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "lianxin" else None


class Checker(ast.NodeVisitor):
    def __init__(self, app: str, fields: dict[str, set[str]] | None = None):
        self.app = app
        self.fields = fields  # None: every attribute counts (the self-tests below)
        self.models: dict[str, str] = {}  # local name -> the foreign app of the model class
        self.foreign: dict[str, str] = {}  # local name -> the foreign app of a function or module
        self.scopes: list[dict[str, str]] = [{}]  # variable -> the foreign app its value comes from
        self.problems: list[tuple[int, str]] = []

    # --- what comes from another app -------------------------------------------------------------

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        other = imported_app(node.module)
        if other is None or other == self.app:
            return
        for alias in node.names:
            name = alias.asname or alias.name
            if node.module == f"lianxin.{other}.models" or node.module.startswith(f"lianxin.{other}.models."):
                self.models[name] = other
            else:
                self.foreign[name] = other

    def tainted(self, name: str) -> str | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def origin(self, node: ast.AST) -> str | None:
        """The foreign app a value comes from: the root of an attribute/call/subscript chain."""
        while True:
            if isinstance(node, ast.Attribute | ast.Subscript | ast.Starred):
                node = node.value
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in VALUES:
                    return None
                if isinstance(func, ast.Name) and func.id in PASS_THROUGH | {BUILD}:
                    if not node.args:
                        return None
                    node = node.args[0]
                else:
                    node = func
            elif isinstance(node, ast.Name):
                return self.models.get(node.id) or self.tainted(node.id) or self.foreign.get(node.id)
            elif isinstance(node, ast.List | ast.Tuple | ast.Set):
                return next(filter(None, map(self.origin, node.elts)), None)
            elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp):
                return self.origin(node.elt)
            else:
                return None

    def taint(self, target: ast.AST, app: str | None) -> None:
        if isinstance(target, ast.Name):
            if app is None:
                self.scopes[-1].pop(target.id, None)
            else:
                self.scopes[-1][target.id] = app
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.taint(element, app)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scopes.append({})
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        for target in node.targets:
            self.check_store(target, node.lineno)
            self.taint(target, self.origin(node.value))

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.generic_visit(node)
        self.check_store(node.target, node.lineno)
        if node.value is not None:
            self.taint(node.target, self.origin(node.value))

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.generic_visit(node)
        self.check_store(node.target, node.lineno)

    def visit_For(self, node: ast.For) -> None:
        self.taint(node.target, self.origin(node.iter))
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self.taint(node.target, self.origin(node.iter))
        self.generic_visit(node)

    def visit_arg(self, node: ast.arg) -> None:
        annotation = node.annotation
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            annotation = ast.parse(annotation.value, mode="eval").body
        if annotation is not None:
            for name in ast.walk(annotation):
                if isinstance(name, ast.Name) and name.id in self.models:
                    self.scopes[-1][node.arg] = self.models[name.id]

    # --- writes ----------------------------------------------------------------------------------

    def is_state(self, app: str, attribute: str) -> bool:
        return self.fields is None or attribute in self.fields.get(app, ())

    def check_store(self, target: ast.AST, line: int) -> None:
        if isinstance(target, ast.Attribute):
            app = self.origin(target.value)
            if app is not None and self.is_state(app, target.attr):
                self.problems.append((line, f"sets {ast.unparse(target)} of a {app} object"))

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and (
            func.attr in WRITES or (func.attr in RELATED_WRITES and isinstance(func.value, ast.Attribute))
        ):
            app = self.origin(func.value)
            if app is not None and not self.is_foreign_module(func.value):
                self.problems.append((node.lineno, f"{ast.unparse(func)}(…) writes {app} state"))
        elif isinstance(func, ast.Name) and func.id in ROW_INSERTS and node.args:
            app = self.origin(node.args[0])
            if app is not None:
                self.problems.append((node.lineno, f"{func.id}({ast.unparse(node.args[0])}) writes {app} rows"))
        elif isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) > 1:
            app = self.origin(node.args[0])
            name = node.args[1]
            if app is not None and (not isinstance(name, ast.Constant) or self.is_state(app, name.value)):
                self.problems.append((node.lineno, f"setattr on a {app} object"))

    def is_foreign_module(self, node: ast.AST) -> bool:
        """`services.update(...)` on a module imported from another app: a call into its own functions."""
        return isinstance(node, ast.Name) and node.id in self.foreign and self.tainted(node.id) is None


def problems_in(path: Path, fields: dict[str, set[str]]) -> list[str]:
    checker = Checker(owner(path), fields)
    checker.visit(ast.parse(path.read_text(), filename=str(path)))
    where = path.relative_to(SRC).as_posix()
    return [f"{where}:{line}: {message}" for line, message in checker.problems]


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts and "tests" not in p.parts)


def test_no_module_writes_another_apps_models():
    fields = state_fields()
    found = [
        problem
        for path in modules()
        if path.relative_to(SRC).as_posix() not in ALLOWED
        for problem in problems_in(path, fields)
    ]
    assert found == [], "Write through the owning app's service:\n" + "\n".join(found)


def test_every_allowed_exception_is_still_needed():
    fields = state_fields()
    unneeded = [name for name in ALLOWED if not (SRC / name).exists() or not problems_in(SRC / name, fields)]
    assert unneeded == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from lianxin.cases.models import Case\nCase.objects.filter(pk=1).update(status='x')", "writes cases"),
        ("from lianxin.cases.models import Case\ndef f(c: Case):\n    c.status = 'x'", "sets c.status"),
        ("from lianxin.cases.models import Case\nc = Case.objects.get(pk=1)\nc.save()", "c.save(…) writes cases"),
        ("from lianxin.cases.models import Case\nfor c in list(Case.objects.all()):\n    c.delete()", "writes cases"),
        ("from lianxin.suggestions.models import Suggestion\nSuggestion.objects.create(title='t')", "writes"),
        (
            "from lianxin.notifications.models import Notification\nrows = [Notification(event='x')]\nNotification.objects.bulk_create(rows)",
            "writes notifications",
        ),
        (
            "from lianxin.cases.models import Case\nfrom lianxin.rows import insert_row\ninsert_row(Case(title='t'))",
            "writes cases rows",
        ),
        ("from lianxin.cases.models import Case\nc = Case(pk=1)\nc.deputies_present.add(1)", "writes cases"),
        ("from lianxin.cases.rules import visible_cases\nvisible_cases(u).filter(pk=1).update(x=1)", "writes cases"),
        (
            "from lianxin.cases.models import Case\nfrom lianxin.rows import build, insert_rows\ninsert_rows([build(Case, title='t')])",
            "writes cases rows",
        ),
    ],
)
def test_the_check_finds_each_kind_of_write(source, expected, tmp_path):
    checker = Checker("events", state_fields())
    checker.visit(ast.parse(source))
    assert any(expected in message for _line, message in checker.problems), checker.problems


@pytest.mark.parametrize(
    "source",
    [
        "from lianxin.cases.models import Case\nn = Case.objects.filter(status='x').count()",
        "from lianxin.cases import services\nservices.case_link(actor=None, case_id=1)",
        "from lianxin.events.models import Event\ns = Event.objects.get(pk=1)\ns.save()",
        "from lianxin.cases.models import Case\ncase = Case.objects.get(pk=1)\ncase.label = 'shown'",  # not a field
        "from lianxin.organisation.models import Division\ncode = grid_code(Division(pk=1, code='G1'))",
        "from lianxin.cases.models import Case\nids = list(Case.objects.values_list('pk', flat=True))\nx = {}\nx.update(a=1)",
    ],
)
def test_reading_and_calling_a_service_and_writing_ones_own_models_pass(source):
    checker = Checker("events", state_fields())
    checker.visit(ast.parse(source))
    assert checker.problems == []


def test_the_outbox_imports_no_app():
    """notifications is generic: each app renders its own messages and calls notifications.services.enqueue."""
    # throttle is infrastructure (counters in the shared cache) that the SMS cap counts with, no domain app
    allowed = {"notifications", "rows", "privacy", "env", "errors", "throttle"}
    found = []
    for path in sorted((SRC / "notifications").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                parts = (name or "").split(".")
                if parts[0] == "lianxin" and len(parts) > 1 and parts[1] not in allowed:
                    found.append(f"{path.name}: {name}")
    assert found == []
