"""The second level of the taxonomy, where the classifier is confident.

The training data has first-level labels only. Each message of a first-level class is given a second-level label
by the taxonomy's own words (weak labels; the seeded default, `organisation.taxonomy`): the second-level name and
its third-level names are cut into key phrases (at 和 / 与 / 及 / 、 / brackets) and those into words; a phrase
found whole in the message counts 3, a word of it 1; words shared by three or more second-level classes of the
same first level tell nothing and are dropped. The message takes the second-level class with the highest score
when it leads the next by at least 2; otherwise it stays unlabelled. A second model (`engine.build(characters=False,
word_min_df=2)`: word TF-IDF and the same calibrated SVM) is trained on the labelled messages over the second-level
classes with at least `MIN_EXAMPLES` of them, and is asked only for the children of the first level already
proposed. Its confidence is shown only from `settings.TRIAGE_SUBCATEGORY_CONFIDENCE` (0.7) up (docs/triage.md has
the measured share and precision).
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict

from lianxin.organisation.taxonomy import default_taxonomy
from lianxin.triage import text

SEPARATOR = "/"  # a second-level label is "first/second"
MIN_EXAMPLES = 20
LEAD = 2
_SPLIT = re.compile(r"[和与及、/（）()，,]+")
_VAGUE = {"其他", "其它", "管理", "问题", "工作", "服务", "相关", "有关", "建设", "综合"}


@functools.cache
def taxonomy() -> dict[str, dict[str, list[str]]]:
    """{first level: {second level: [its third-level names]}} of the seeded taxonomy."""
    tree: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for first, second, third in default_taxonomy():
        if first and second:
            tree[first][second].append(third)
    return {first: dict(seconds) for first, seconds in tree.items()}


def _phrases(name: str) -> set[str]:
    return {p.strip() for p in _SPLIT.split(name) if len(p.strip()) >= 2 and p.strip() not in _VAGUE}


@functools.cache
def keywords() -> dict[str, dict[str, tuple[frozenset[str], frozenset[str]]]]:
    """{first: {second: (phrases, words)}}: what the weak labels look for."""
    table = {}
    for first, seconds in taxonomy().items():
        raw = {}
        for second, thirds in seconds.items():
            if second in _VAGUE:
                continue
            phrases = _phrases(second).union(*(_phrases(t) for t in thirds))
            words = {w for p in phrases for w in text.segment(p).split() if len(w) >= 2 and w not in _VAGUE}
            raw[second] = (phrases, words)
        shared = Counter(w for _phrases_, words in raw.values() for w in words)
        table[first] = {
            second: (frozenset(phrases), frozenset(w for w in words if shared[w] < 3))
            for second, (phrases, words) in raw.items()
        }
    return table


def weak_label(tokens: str, first: str) -> str | None:
    """The second-level label ("first/second") the taxonomy's words give a message of class `first`, or None."""
    seconds = keywords().get(first)
    if not seconds:
        return None
    words = set(tokens.split())
    joined = tokens.replace(" ", "")
    scores = []
    for second, (phrases, keys) in seconds.items():
        score = 3 * sum(1 for p in phrases if p in joined) + len(words & keys)
        if score:
            scores.append((score, second))
    if not scores:
        return None
    scores.sort(reverse=True)
    best, second = scores[0]
    if len(scores) > 1 and best - scores[1][0] < LEAD:
        return None
    return f"{first}{SEPARATOR}{second}"


def weak_labels(tokens: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    """The (tokens, second-level labels) of the messages that get one, over classes with ≥ MIN_EXAMPLES."""
    pairs = [(t, weak_label(t, label)) for t, label in zip(tokens, labels, strict=True)]
    counts = Counter(label for _t, label in pairs if label)
    kept = [(t, label) for t, label in pairs if label and counts[label] >= MIN_EXAMPLES]
    return [t for t, _l in kept], [label for _t, label in kept]
