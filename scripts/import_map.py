"""The import map of src/lianxin, measured with the ast module (no imports run).

    python scripts/import_map.py [SRC]      # cross-app imports, import circles, inline imports
    python scripts/import_map.py --inline   # also list every inline import of our own modules

An import at module level is an edge of the module graph; an import inside a function or class body ("inline") is
counted separately. Circles are the strongly connected components of the module-level graph (imports under
`if TYPE_CHECKING:` are left out: they never run).
"""

from __future__ import annotations

import ast
import sys
from collections import Counter, defaultdict
from pathlib import Path

ARGS = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
SRC = (Path(ARGS[0]) if ARGS else Path(__file__).parent.parent / "src").resolve()
PACKAGE = "lianxin"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py")) if "migrations" not in p.parts}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path, known: set[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """(module-level targets, [(line, target)] of inline imports) among our own modules."""
    tree = ast.parse(path.read_text(), str(path))
    top: list[str] = []
    inline: list[tuple[int, str]] = []

    def targets(node) -> list[str]:
        found = []
        if isinstance(node, ast.Import):
            found = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found = [node.module]
            found += [f"{node.module}.{alias.name}" for alias in node.names if f"{node.module}.{alias.name}" in known]
        return [t for t in found if t == PACKAGE or t.startswith(PACKAGE + ".")]

    def walk(node, depth: int) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in targets(child):
                    resolved = target if target in known else target.rsplit(".", 1)[0]
                    if depth == 0:
                        top.append(resolved)
                    else:
                        inline.append((child.lineno, resolved))
            inner = depth + isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
            walk(child, inner)

    walk(tree, 0)
    return top, inline


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (SRC / PACKAGE / parts[1]).is_dir()) else "lianxin"


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main() -> None:
    found = modules()
    known = set(found)
    graph: dict[str, set[str]] = defaultdict(set)
    full: dict[str, set[str]] = defaultdict(set)
    app_edges: Counter = Counter()
    inline_all: list[tuple[str, int, str]] = []
    for name, path in found.items():
        top, inline = imports(path, known)
        for target in top:
            if target != name and not name.startswith(target + "."):
                graph[name].add(target)
        for line, target in inline:
            inline_all.append((name, line, target))
        for target in top + [t for _, t in inline]:
            if target != name and not name.startswith(target + "."):
                full[name].add(target)
        for target in top + [t for _, t in inline]:
            source_app, target_app = app_of(name), app_of(target)
            if source_app != target_app and target_app != "lianxin":
                app_edges[(source_app, target_app)] += 1
    print("# cross-app imports (importer -> imported: count, module-level and inline)")
    for (source, target), count in sorted(app_edges.items()):
        print(f"{source} -> {target}: {count}")
    print("\n# import circles (module level)")
    cycles = circles(graph)
    for cycle in cycles:
        print(" <-> ".join(cycle))
    print(f"circles: {len(cycles)}")
    print("\n# import circles counting inline imports too (the dependency is there, only deferred)")
    hidden = circles(full)
    for cycle in hidden:
        print(" <-> ".join(cycle))
    print(f"circles with inline imports: {len(hidden)}")
    statements = {(name, line) for name, line, _ in inline_all}
    print(f"inline imports of our own modules: {len(statements)} statements")
    if "--inline" in sys.argv:
        for name, line, target in inline_all:
            print(f"  {name}:{line} {target}")


if __name__ == "__main__":
    main()
