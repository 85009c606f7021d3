"""Hot issues (热点问题): the matters of the last N days grouped by place and keyword (for a district the place
is the street, for a street the community).

heat = Σ over the group's cases of 0.5 ^ (age in days ÷ half-life)  +  the number of different people
(one person = one phone hash; an anonymous case counts as its own person). Keywords come from jieba over the
titles, without generic words; a keyword whose cases mostly repeat a stronger keyword's at the same place is
dropped, so one cluster shows once. Computed by a periodic job into HotIssue, per district and street.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.cockpit import conf
from lianxin.cockpit.models import HotIssue
from lianxin.organisation.models import Division

STOPWORDS = frozenset(
    """问题 反映 希望 请求 建议 关于 要求 情况 处理 解决 相关 部门 有关 进行 存在 没有 不能 一直 现在 目前 非常 严重
    影响 居民 群众 附近 我们 他们 这个 那个 一下 已经 还是 可以 需要 什么 怎么 为什么 多次 长期 经常 市民 业主 咨询
    投诉 举报 求助 帮助 尽快 及时 能否 是否 无人 门口 周边 一个 几个 小区 家庭 新村 花园 家园 公寓
    社区 村民 不合理 时候 地方 人员 工作人员""".split()
)
OVERLAP = 0.7


@dataclass
class Group:
    place_id: int | None
    keyword: str
    cases: set[int] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    recency: float = 0.0
    last_at: dt.datetime | None = None
    titles: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.recency + len(self.people)


# Civic words jieba's general dictionary splits badly; a district can extend the list with COCKPIT_HOT_LEXICON.
LEXICON = """路灯 垃圾 噪音 停车难 停车 加装电梯 井盖 漏水 积水 断网 宽带 低保 医保 社保 油烟 盲道
    物业 遮雨棚 篮球场 基站
    拖欠工资 人行道 信号灯 红绿灯 违建 违章建筑 占道经营 广场舞 化粪池 下水道 窨井 电动车 充电桩 适老化 老年卡 公交
    菜场 菜市场 自来水 燃气 暖气 绿化 树木 消防通道 楼道 围墙 路面 坑洼 养老 托育 学位 入学""".split()
KEEP_FLAGS = frozenset({"n", "nz", "vn", "an", "ng"})


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba  # noqa: PLC0415 — jieba takes seconds to import; only hot-issue extraction needs it
    import jieba.posseg  # noqa: PLC0415 — jieba takes seconds to import; only hot-issue extraction needs it

    jieba.setLogLevel(logging.WARNING)

    for word in [*LEXICON, *settings.COCKPIT_HOT_LEXICON]:
        jieba.add_word(word, freq=20000, tag="n")
    return jieba.posseg


def keywords(title: str, place_words: frozenset[str] = frozenset()) -> set[str]:
    """Nouns of a title (not place or person names, not generic words, not the names of our divisions)."""
    words = set()
    for token in _tokenizer().cut(title or "", HMM=False):
        word = token.word.strip()
        if len(word) < 2 or token.flag not in KEEP_FLAGS or word.isascii() or word.isdigit():
            continue
        if word in STOPWORDS or word in place_words:
            continue
        words.add(word)
    return words


def place_words() -> frozenset[str]:
    """Words of the divisions' own names (春晖社区 → 春晖), which say where, not what."""
    words = set()
    for name in Division.objects.values_list("name", flat=True):
        words |= {t.word for t in _tokenizer().cut(name, HMM=False) if len(t.word) >= 2}
    return frozenset(words)


def _places(path: str) -> list[tuple[int, int | None]]:
    """(scope, place) pairs of a case: in a district's list the place is the street, in a street's the community."""
    parts = [int(p) for p in (path or "").strip("/").split("/") if p]
    pairs = []
    for level, scope in enumerate(parts[:2]):
        below = parts[level + 1 : level + 2]
        pairs.append((scope, below[0] if below else scope))
    return pairs


def compute(now: dt.datetime | None = None) -> dict[int, list[Group]]:
    """{scope division id: its hot issues, hottest first}."""
    now = now or timezone.now()
    days, half_life, size = conf.hot_days(), conf.hot_half_life_days(), conf.hot_size()
    rows = Case.objects.filter(created_at__gte=now - dt.timedelta(days=days)).values_list(
        "pk", "title", "division__path", "created_at", "contact_phone_hash"
    )
    groups: dict[int, dict[tuple, Group]] = defaultdict(dict)
    places = place_words()
    for pk, title, path, created_at, phone_hash in rows.iterator(chunk_size=2000):
        age = max((now - created_at).total_seconds() / 86400, 0.0)
        weight = math.pow(0.5, age / half_life)
        for word in keywords(title, places):
            for scope, place in _places(path):
                group = groups[scope].setdefault((place, word), Group(place, word))
                group.cases.add(pk)
                group.people.add(phone_hash or f"case:{pk}")
                group.recency += weight
                group.last_at = max(group.last_at or created_at, created_at)
                if len(group.titles) < 3 and title not in group.titles:
                    group.titles.append(title)
    result = {}
    for scope, by_key in groups.items():
        ranked = sorted(by_key.values(), key=lambda g: (-g.score, -len(g.cases), g.keyword))
        chosen: list[Group] = []
        for group in ranked:
            if len(group.cases) < 2:
                continue
            if any(
                other.place_id == group.place_id and len(group.cases & other.cases) >= OVERLAP * len(group.cases)
                for other in chosen
            ):
                continue
            chosen.append(group)
            if len(chosen) >= size:
                break
        result[scope] = chosen
    return result


def refresh_hot_issues(now: dt.datetime | None = None) -> int:
    """Recompute and store the hot issues of every district and street; the previous batch is replaced."""
    now = now or timezone.now()
    result = compute(now)
    names = dict(Division.objects.values_list("pk", "name"))
    rows = [
        HotIssue(
            computed_at=now,
            scope_id=scope,
            place_id=group.place_id,
            place_name=names.get(group.place_id, "")[:200],
            keyword=group.keyword[:30],
            cases=len(group.cases),
            people=len(group.people),
            last_at=group.last_at,
            score=round(group.score, 3),
            sample_titles=group.titles,
            rank=rank,
        )
        for scope, groups in result.items()
        for rank, group in enumerate(groups, start=1)
    ]
    with transaction.atomic():
        HotIssue.objects.all().delete()
        HotIssue.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
