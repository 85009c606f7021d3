"""Every error message is translated when it is raised: no Chinese literal in a `raise` outside gettext."""

import ast
import re
from pathlib import Path

import lianxin

SRC = Path(lianxin.__file__).parent
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "_lazy"}


def _is_gettext(node: ast.AST) -> bool:
    func = getattr(node, "func", None)
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return isinstance(node, ast.Call) and name in GETTEXT


def _plain_literals(node: ast.AST):
    """Chinese string literals under `node` that are not the argument of a gettext call."""
    if _is_gettext(node):
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value):
        yield node
        return
    if isinstance(node, ast.JoinedStr) and CJK.search(
        "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    ):
        yield node
        return
    for child in ast.iter_child_nodes(node):
        yield from _plain_literals(child)


def _module_constants(tree: ast.Module) -> set[str]:
    """Names bound at module level to a plain Chinese literal."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(True for _ in _plain_literals(node.value)):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return names


def plain_messages(source: str, path: str = "<string>") -> list[str]:
    tree = ast.parse(source)
    constants = _module_constants(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue
        literals = list(_plain_literals(node.exc))
        names = [n for n in ast.walk(node.exc) if isinstance(n, ast.Name) and n.id in constants]
        found += [f"{path}:{item.lineno}: {ast.unparse(item)[:60]}" for item in literals + names]
    return found


def test_the_check_finds_plain_messages():
    assert plain_messages('raise InvalidInput("请填写标题。")')
    assert plain_messages('raise InvalidInput(_("标题"), fields={"t": [f"{n}个字"]})')
    assert plain_messages('MESSAGE = "不对"\ndef f():\n    raise NotAllowed(MESSAGE)')
    assert not plain_messages('raise InvalidInput(_("请填写%(label)s。") % {"label": _("标题")})')
    assert not plain_messages('raise ValueError("bad value")')


def test_no_plain_chinese_message_is_raised():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found += plain_messages(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))
    assert found == []
