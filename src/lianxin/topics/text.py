"""Words of a citizen's text for similarity: jieba's segmentation without stop words, numbers and punctuation.

Loaded lazily (jieba takes seconds to import and to build its dictionary); everything runs offline on the CPU.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

STOPWORDS = frozenset(
    """的 了 是 在 我 我们 你 您 他 她 他们 和 与 及 或 也 都 就 还 又 而 但 并 把 被 让 给 对 向 从 到 为
    以 于 之 其 这 那 这个 那个 这些 那些 一个 一些 什么 怎么 怎样 如何 为什么 是否 能否 可否 有 没有
    无 不 没 很 非常 已经 一直 现在 目前 已 请 请问 希望 要求 建议 反映 关于 问题 情况 有关 相关 部门
    领导 政府 处理 解决 尽快 及时 能 能够 可以 需要 应该 给予 进行 存在 严重 影响 市民 群众 居民 业主
    网友 您好 你好 谢谢 感谢 咨询 投诉 举报 求助 呼吁 一下 所 等 个 里 上 下 中 后 前 时 时候 年 月 日
    号 多 少 大 小 再 才 将 会 要 想 说 看 做 去 来 得 地 着 过 吗 呢 吧 啊 呀 哦 么 如果 因为 所以
    但是 而且 然后 虽然 可是 自己 大家 本人 各位 贵 此事 此 该 每 各 些 起 多次 长期 经常 至今 依然
    仍然 还是 以及 对于 由于 通过 根据 按照 以上 以下 何时 何日 为何 为啥 到底 怎么办 什么时候 多久
    能不能 可不可以 有没有 是不是 哪里""".split()
)
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CODE = re.compile(r"^[A-Za-z]+\d+$")  # anonymised or numbered codes (A2, B6, L827) say nothing of the topic
_SPACE = re.compile(r"\s+")
# The organiser's anonymised places (A市, A3区, A7县, 西地省) and real ones end in a unit word that jieba would glue
# to the next word (A市伊景园 → 市伊): keep them apart.
REGION = re.compile(r"([A-Z]\d*[省市区县])")


@lru_cache(maxsize=1)
def _jieba():
    import jieba  # noqa: PLC0415 — jieba takes seconds to import; only the topic functions need it

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def clean(value: str) -> str:
    """One line of text: scraped tabs and newlines folded to single spaces."""
    return _SPACE.sub(" ", value or "").strip()


def words(value: str) -> list[str]:
    """The content words of a text, in order (a word of one character only when it is not a stop word)."""
    result = []
    for token in _jieba().lcut(REGION.sub(r" \1 ", clean(value)), HMM=True):
        token = token.strip()
        if not token or token in STOPWORDS or not _KEEP.search(token) or token.isdigit() or _CODE.match(token):
            continue
        result.append(token)
    return result


def analyzer(value: str) -> list[str]:
    """The TF-IDF analyzer: content words of two characters or more (a single character says little in Chinese)."""
    return [w for w in words(value) if len(w) >= 2]
