"""Reply quality: is a unit's reply an answer to the matter, or boilerplate that answers nothing, and was it on time?

Three checks, each giving a reason (none means the reply looks fine):

- `boilerplate`: what is left after taking away the greeting, "留言已收悉", "现回复如下", the thanks, dates, phone
  numbers and punctuation is shorter than `min_chars` characters (e.g. "已收悉", "感谢您对我们工作的关心").
- `deflects`: the reply only sends the citizen elsewhere (no contact left, "请拨打…咨询", "请到…办理") and says
  little else (substance shorter than `deflect_chars`).
- `unrelated`: the reply uses less than `min_overlap` of the pairs of adjacent Chinese characters of the matter's
  title, and of its title and details together — a reply about something else, or a form letter.
- `late`: replied after the deadline (a case's `due_at`; in a CSV, more than `late_days` days after the message).

The flag never stops the reply: the case service records the reasons on the case's timeline for staff and in the
audit log, and the station or office decides before the feedback goes to the citizen.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lianxin.topics import text

BOILERPLATE = [
    r"网友[“\"]?[A-Za-z0-9]*[”\"]?[:：]?",
    r"您好[!！，,。]?",
    r"你好[!！，,。]?",
    r"(您的|你的)?留言(已|我们已)?收悉[!！，,。]?",
    r"已收悉",
    r"现(将有关情况|将调查处理情况|将)?(回复|答复)如下[:：]?",
    r"感谢您?对我们工作的[^。！!]*[。！!]?",
    r"感谢您的(关心|理解|支持|监督)[^。！!]*[。！!]?",
    r"谢谢[!！。]?",
    r"\d{4}年\d{1,2}月\d{1,2}日",
    r"\d{2,4}[-—–]?\d{3,4}[-—–]?\d{4,8}",
    r"[\s　,，。、:：;；!！?？“”\"'()（）【】《》\-—…·]+",
]
_BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in BOILERPLATE))
DEFLECT = re.compile(
    r"(未|没有)(提供|填写|留下)[^。]{0,12}(联系方式|电话|身份证)|无法(查询|核实|联系|得知)|"
    r"(请|建议|可)(您)?(直接)?(拨打|致电|电话咨询|来电|前往|到)[^。]{0,30}(咨询|办理|反映|联系|查询)"
)


@dataclass(frozen=True)
class Limits:
    min_chars: int = 35
    deflect_chars: int = 60
    min_overlap: float = 0.02
    late_days: int = 30


def substance(reply: str) -> str:
    """The reply without its greeting, formulas, dates, phone numbers and punctuation."""
    return _BOILERPLATE.sub("", text.clean(reply))


_HAN = re.compile(r"[\u4e00-\u9fff]+")


def bigrams(value: str) -> set[str]:
    """Pairs of adjacent Chinese characters (no segmentation needed: fast, and robust to jieba's word choices)."""
    found = set()
    for run in _HAN.findall(value or ""):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return found - COMMON_BIGRAMS


COMMON_BIGRAMS = frozenset(
    """问题 反映 我们 您好 网友 感谢 工作 相关 部门 情况 有关 进行 关于 希望 要求 请求 领导 政府 是否 能否
    什么 怎么 没有 已经 现在 目前 一直 非常 严重 影响 居民 群众 市民 回复 答复 如下 收悉 留言 支持 理解
    监督 关心""".split()
)


def overlap(message: str, reply: str) -> float:
    """Share of the message's character pairs (without the commonest) that the reply uses."""
    asked = bigrams(message)
    if not asked:
        return 1.0
    return len(asked & bigrams(reply)) / len(asked)


def check(
    *,
    title: str,
    reply: str,
    details: str = "",
    asked_at: dt.datetime | None = None,
    replied_at: dt.datetime | None = None,
    due_at: dt.datetime | None = None,
    limits: Limits | None = None,
) -> list[str]:
    """The reasons a reply is weak (a list of codes from REASONS; empty when it looks fine)."""
    limits = limits or Limits()
    reasons = []
    core = substance(reply)
    if len(core) < limits.min_chars:
        reasons.append("boilerplate")
    elif len(core) < limits.deflect_chars and DEFLECT.search(text.clean(reply)):
        reasons.append("deflects")
    if (
        "boilerplate" not in reasons
        and overlap(title, reply) < limits.min_overlap
        and overlap(f"{title} {details}", reply) < limits.min_overlap
    ):
        reasons.append("unrelated")
    if replied_at is not None:
        if due_at is not None:
            late = replied_at > due_at
        else:
            late = asked_at is not None and (replied_at - asked_at) > dt.timedelta(days=limits.late_days)
        if late:
            reasons.append("late")
    return reasons


CONTENT_REASONS = frozenset({"boilerplate", "deflects", "unrelated"})
