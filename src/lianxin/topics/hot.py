"""Hot issues (热点问题) that mean something: matters grouped by what they are about and where, over a period.

1. Each matter is a TF-IDF vector of its jieba words (title twice, then the details), so two matters about the
   same thing are near whatever words they share.
2. Average-linkage agglomerative clustering on the cosine distance, cut at `1 - similarity`: a matter joins a group
   only when it is, on average, that alike to every matter in it (no chaining through one generic word).
3. Each group is labelled "place · what": the place is the matters' own place (the division of a case; in a CSV,
   the most frequent place name found in the titles), the what is the group's most weighted words in the order
   the most typical title says them.
4. Heat = (distinct citizens + √supporters) × 0.5 ^ (days since the group's latest matter ÷ half-life).
   A citizen is one author (a case's phone hash, a CSV's user id; anonymous matters count one each);
   supporters are "me too" supporters of cases, or a CSV's likes (点赞数). The square root keeps one message
   liked a thousand times from outweighing fifty citizens writing in; the decay favours what is happening now.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from lianxin.topics import duplicates, text

# A place in a title: an anonymised region (A市, A3区, A7县) and what follows it up to a word for a town, street,
# village, estate, road, school or hospital; without a region, a named place at the start of the title.
SUFFIX = (
    r"(?:街道|镇|乡|村|社区|小区|新城|花园|家园|华苑|苑|公寓|大厦|广场|大道|路|街|中学|小学|学校|学院|大学|医院|公司|市场|"
    r"高速|铁|站|园|城)"
)
REGION = re.compile(r"[A-Z]\d*[市区县]")
AFTER_REGION = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{0,10}" + SUFFIX)  # the longest place name
AFTER_REGION_SHORT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{0,10}?" + SUFFIX)  # and the shortest
AT_START = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{2,8}?" + SUFFIX)
# Place names that only say where (a road, a street, a village), whose words are never the "what" of a label.
WHERE_ONLY = ("路", "街", "大道", "街道", "镇", "乡", "村", "社区", "小区")
GENERIC_WHAT = frozenset("小区 附近 周边 旁边 问题 相关 情况 有关 事宜 一系列".split())
FILLER = re.compile(r"^(关于|反映|投诉|举报|咨询|请问|建议|请求|要求|希望|恳请|强烈要求)+")
WHAT_WORDS = 3
CENTROID_SIMILARITY = 0.5
PLACE_SIMILARITY = 0.2
WHAT_CHARS = 14


@dataclass
class Matter:
    key: int | str
    title: str
    details: str
    at: dt.datetime
    author: str = ""
    supporters: int = 0
    place: str = ""


@dataclass
class Group:
    members: list[Matter]
    place: str = ""
    what: str = ""
    citizens: int = 0
    supporters: int = 0
    first_at: dt.datetime | None = None
    last_at: dt.datetime | None = None
    heat: float = 0.0
    titles: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.place} · {self.what}" if self.place else self.what


def heat(citizens: int, supporters: int, days_since_last: float, half_life_days: float) -> float:
    return (citizens + math.sqrt(max(supporters, 0))) * math.pow(0.5, max(days_since_last, 0.0) / half_life_days)


def _clusters(documents: list[str], similarity: float):
    import numpy as np  # noqa: PLC0415 — heavy; only when clustering
    from scipy.cluster.hierarchy import fcluster, linkage  # noqa: PLC0415
    from scipy.spatial.distance import squareform  # noqa: PLC0415

    if len(documents) == 1:
        return [[0]], None
    matrix = duplicates._vectors(documents)
    sims = (matrix @ matrix.T).toarray().astype(np.float32)
    distance = np.clip(1.0 - sims, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - similarity, criterion="distance")
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return list(groups.values()), matrix


def _join_close(groups: list[list[int]], matrix, places: list[str]) -> list[list[int]]:
    """Join groups whose centroids are at least CENTROID_SIMILARITY alike, or PLACE_SIMILARITY alike when they name
    the same place: average linkage keeps a group tight, so one matter told in two ways (the noise and the dust of
    the same mixing plant) can end in two groups that are still one issue."""
    import numpy as np  # noqa: PLC0415

    sizable = [i for i, members in enumerate(groups) if len(members) > 1]
    if len(sizable) < 2 or matrix is None:
        return groups
    centroids = np.vstack([np.asarray(matrix[groups[i]].mean(axis=0)).ravel() for i in sizable])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True) + 1e-12
    sims = centroids @ centroids.T
    parent = list(range(len(sizable)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(*np.nonzero(np.triu(sims, k=1) >= PLACE_SIMILARITY), strict=True):
        a, b = int(a), int(b)
        same_place = _shares(places[sizable[a]], places[sizable[b]])
        if sims[a, b] >= CENTROID_SIMILARITY or same_place:
            parent[root(a)] = root(b)
    joined: dict[int, list[int]] = {}
    for position, index in enumerate(sizable):
        joined.setdefault(root(position), []).extend(groups[index])
    singles = [members for i, members in enumerate(groups) if len(members) == 1]
    return list(joined.values()) + singles


def places_in(title: str) -> list[str]:
    """Place names in a title (see AFTER_REGION and AT_START)."""
    title = FILLER.sub("", text.clean(title))
    found = []
    for region in REGION.finditer(title):
        for pattern in (AFTER_REGION, AFTER_REGION_SHORT):
            after = pattern.match(title, region.end())
            found.append(region.group() + (after.group() if after else ""))
    if not found:
        start = AT_START.match(title)
        if start:
            found.append(start.group())
    return found


def _core(place: str) -> str:
    """A place without its region (A2区丽发新城 → 丽发新城); empty when it is only a region (A市 names no place)."""
    return REGION.sub("", place, count=1)


def _shares(one: str, other: str, length: int = 4) -> bool:
    """Whether two place names share `length` characters in a row (丽发新城小区 and 丽发新城 do)."""
    return any(one[i : i + length] in other for i in range(len(one) - length + 1))


def place_of(members: list[Matter]) -> str:
    """The matters' own place when they have one (most frequent); else a place named in the titles: of the names
    (without their region, so "A2区丽发新城" and "丽发新城" are one) found in at least 60 % as many titles as the
    commonest, the longest (the most specific: 伊景园滨河苑 rather than 伊景园), shown with its region."""
    own = Counter(m.place for m in members if m.place)
    if own:
        return own.most_common(1)[0][0]
    forms: dict[str, str] = {}
    for matter in members:
        for name in places_in(matter.title):
            core = _core(name) or name
            if len(name) > len(forms.get(core, "")):
                forms[core] = name
    if not forms:
        return ""
    titles = [text.clean(m.title) for m in members]
    counts = {core: sum(1 for t in titles if core in t) for core in forms}
    core = max(counts, key=lambda c: (counts[c] >= 0.6 * max(counts.values()), len(c) if _core(c) else 0, counts[c]))
    return forms[core]


def what_of(members: list[Matter], place: str) -> str:
    """The group's most frequent title words (not words of the place, nor of a road, street or village named in the
    titles), in the order the most typical title says them."""
    counts: Counter[str] = Counter()
    per_title = []
    named = " ".join({n for m in members for n in places_in(m.title) if n.endswith(WHERE_ONLY)} | {place})
    for matter in members:
        found = [w for w in dict.fromkeys(text.analyzer(matter.title)) if w not in named and w not in GENERIC_WHAT]
        per_title.append((matter.title, found))
        counts.update(found)
    if not counts:
        return FILLER.sub("", text.clean(members[0].title))[:WHAT_CHARS]
    top = [w for w, _n in counts.most_common(WHAT_WORDS * 2)][: WHAT_WORDS + 1]
    title, found = max(per_title, key=lambda item: (sum(1 for w in item[1] if w in top), -len(item[0])))
    ordered = [w for w in found if w in top]
    ordered += [w for w in top if w not in ordered]
    what = ""
    for word in ordered[:WHAT_WORDS]:
        if len(what) + len(word) > WHAT_CHARS:
            break
        what += word
    return what or FILLER.sub("", text.clean(title))[:WHAT_CHARS]


def hot_issues(
    matters: list[Matter],
    *,
    now: dt.datetime,
    half_life_days: float,
    similarity: float,
    min_citizens: int = 2,
    limit: int = 10,
) -> list[Group]:
    """The hottest groups of `matters`, hottest first."""
    if not matters:
        return []
    documents = [duplicates.document(m.title, m.details) for m in matters]
    clusters, matrix = _clusters(documents, similarity)
    places = [_core(place_of([matters[i] for i in indexes])) if len(indexes) > 1 else "" for indexes in clusters]
    groups = []
    for indexes in _join_close(clusters, matrix, places):
        members = [matters[i] for i in indexes]
        authors = {m.author or f"matter:{m.key}" for m in members}
        if len(authors) < min_citizens:
            continue
        group = Group(members=members, citizens=len(authors), supporters=sum(max(m.supporters, 0) for m in members))
        group.first_at = min(m.at for m in members)
        group.last_at = max(m.at for m in members)
        group.heat = heat(
            group.citizens, group.supporters, (now - group.last_at).total_seconds() / 86400, half_life_days
        )
        groups.append(group)
    groups.sort(key=lambda g: (-g.heat, -g.citizens, str(g.members[0].key)))
    chosen = groups[:limit]
    for group in chosen:
        group.place = place_of(group.members)
        group.what = what_of(group.members, group.place)
        group.titles = list(dict.fromkeys(text.clean(m.title) for m in group.members))[:5]
    return chosen
