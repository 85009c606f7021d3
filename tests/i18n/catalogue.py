"""A small reader of the committed English catalogue (no dependency beyond the standard library)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"
# The strings of our JavaScript files (domain djangojs), served by django.views.i18n.JavaScriptCatalog.
JS_PO_PATH = LOCALE_DIR / "djangojs.po"
JS_MO_PATH = LOCALE_DIR / "djangojs.mo"
CATALOGUES = {"django": (PO_PATH, MO_PATH), "djangojs": (JS_PO_PATH, JS_MO_PATH)}

# Printf-style and brace placeholders, and HTML tags: a translation must keep every one of them.
PLACEHOLDER = re.compile(r"%\([a-zA-Z0-9_]+\)[.0-9]*[sdifr]|%[.0-9]*[sdif]|%%|\{[a-zA-Z0-9_]*\}|</?[a-zA-Z][^>]*>")
CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0
    obsolete: bool = False


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # PO strings use C escapes, which Python's literal syntax reads the same way


def read_po(path: Path = PO_PATH) -> list[Entry]:
    """Every entry of the file, the header (empty msgid) included, in file order."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            if target is not None:
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            if target is not None:
                finish()
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = None, line
        elif keyword == "msgctxt":
            if target is not None:
                finish()
            target = ("msgctxt", None)
            entry.msgctxt = ""
        elif keyword == "msgid":
            if target is not None and target[0] != "msgctxt":
                finish()
            target = ("msgid", None)
            entry.line = number
        elif keyword == "msgid_plural":
            target = ("msgid_plural", None)
            entry.msgid_plural = ""
        elif keyword == "msgstr":
            target = ("msgstr", None)
        elif keyword.startswith("msgstr["):
            target = ("msgstr_plural", int(keyword[7:-1]))
            entry.msgstr_plural[target[1]] = ""
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
        text = _unquote(rest)
        name, index = target
        if name == "msgstr_plural":
            entry.msgstr_plural[index] += text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)
    finish()
    return entries


def messages(path: Path = PO_PATH) -> list[Entry]:
    """The translatable entries: not the header, not obsolete ones."""
    return [e for e in read_po(path) if e.msgid and not e.obsolete]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def compile_if_stale() -> None:
    """Build each .mo from its .po when it is missing or older (as `make messages` does), atomically."""
    for po_path, mo_path in CATALOGUES.values():
        _compile_if_stale(po_path, mo_path)


def _compile_if_stale(po_path: Path, mo_path: Path) -> None:
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise RuntimeError("msgfmt (GNU gettext) is needed to compile the catalogue: apt-get install gettext")
    handle, temporary = tempfile.mkstemp(dir=LOCALE_DIR, suffix=".mo.tmp")
    os.close(handle)
    try:
        subprocess.run([msgfmt, "--check-format", "-o", temporary, str(po_path)], check=True, capture_output=True)
        os.replace(temporary, mo_path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


# English that keeps Chinese on purpose: a search example (citizens type Chinese names) and the weekday
# prefix that the duty roster and the holiday admin join with a Chinese numeral in code.
KEEPS_CHINESE = {"名称或拼音，如 春晖 / chunhui / ch", "周", "周%s"}


def problems(path: Path = PO_PATH) -> dict[str, list[str]]:
    """What is wrong with a catalogue, by kind; every list is empty for a finished one."""
    found: dict[str, list[str]] = {"untranslated": [], "fuzzy": [], "placeholders": [], "chinese": [], "newline": []}
    for entry in messages(path):
        where = f"line {entry.line}: {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            found["fuzzy"].append(where)
        if entry.msgid_plural is None:
            english = [entry.msgstr]
            if not entry.msgstr:
                found["untranslated"].append(where)
                continue
            if placeholders(entry.msgid) != placeholders(entry.msgstr):
                found["placeholders"].append(f"{where} -> {entry.msgstr!r}")
            if entry.msgid.endswith("\n") != entry.msgstr.endswith("\n"):
                found["newline"].append(where)
        else:
            english = list(entry.msgstr_plural.values())
            if sorted(entry.msgstr_plural) != [0, 1] or not all(english):
                found["untranslated"].append(where)
                continue
            singular, plural = entry.msgstr_plural[0], entry.msgstr_plural[1]
            # The singular may spell the number out, so it needs only a subset of the placeholders.
            if placeholders(entry.msgid_plural) != placeholders(plural) or not set(placeholders(singular)) <= set(
                placeholders(entry.msgid)
            ):
                found["placeholders"].append(f"{where} -> {english!r}")
        if entry.msgid not in KEEPS_CHINESE and any(CJK.search(text) for text in english):
            found["chinese"].append(f"{where} -> {english!r}")
    return found
