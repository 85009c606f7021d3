"""Search streets, communities and grids by name or by pinyin (full, e.g. "chunhui", or initials, "chsq").

The pinyin of every name is computed once per process with pypinyin and kept with the grid version, so a
search is a scan of a few thousand short strings in memory.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from lianxin.finder import conf
from lianxin.finder.index import current_version
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Division

SEARCH_KINDS = (DivisionKind.STREET, DivisionKind.COMMUNITY, DivisionKind.GRID)
QUERY_MAX = 40
LETTERS = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str
    name: str
    parent_name: str
    pinyin: str
    initials: str


@dataclass
class _Names:
    version: int
    built_at: float
    entries: list[Entry]


_lock = threading.Lock()
_names: _Names | None = None


def pinyin_of(name: str) -> tuple[str, str]:
    """('chunhuishequ', 'chsq') for '春晖社区'; letters and digits are kept as they are."""
    syllables = [s.lower() for s in lazy_pinyin(name, errors="default") if s.strip()]
    full = re.sub(r"[^a-z0-9]", "", "".join(syllables))
    initials = re.sub(r"[^a-z0-9]", "", "".join(s[0] for s in syllables if s))
    return full, initials


def _build(version: int) -> _Names:
    rows = list(Division.objects.filter(kind__in=SEARCH_KINDS).values_list("id", "kind", "name", "parent_id"))
    names = dict(Division.objects.values_list("id", "name"))
    entries = []
    for pk, kind, name, parent_id in rows:
        full, initials = pinyin_of(name)
        entries.append(Entry(pk, kind, name, names.get(parent_id, ""), full, initials))
    return _Names(version, time.monotonic(), entries)


def _entries() -> list[Entry]:
    global _names
    version = current_version()
    with _lock:
        stale = _names is None or time.monotonic() - _names.built_at >= conf.index_ttl_seconds()
        if stale or _names.version != version:
            _names = _build(version)
        return _names.entries


def forget() -> None:
    global _names
    with _lock:
        _names = None


def search(query: str) -> list[Entry]:
    """Best matches first: the name itself, then its start, then inside it, then by pinyin."""
    text = (query or "").strip()[:QUERY_MAX]
    if not text:
        return []
    letters = re.sub(r"[\s']", "", text.lower())
    by_pinyin = bool(LETTERS.match(letters))
    kind_rank = {DivisionKind.COMMUNITY: 0, DivisionKind.GRID: 1, DivisionKind.STREET: 2}
    scored = []
    for entry in _entries():
        if entry.name == text:
            rank = 0
        elif entry.name.startswith(text):
            rank = 1
        elif text in entry.name:
            rank = 2
        elif by_pinyin and (entry.pinyin.startswith(letters) or entry.initials.startswith(letters)):
            rank = 3
        elif by_pinyin and len(letters) >= 2 and (letters in entry.pinyin or letters in entry.initials):
            rank = 4
        else:
            continue
        scored.append((rank, kind_rank[entry.kind], len(entry.name), entry.id, entry))
    scored.sort(key=lambda item: item[:4])
    return [item[-1] for item in scored[: conf.search_max_results()]]
