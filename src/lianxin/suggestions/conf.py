"""Every limit and list of the suggestion process (domain.md §6), read from Django settings.

settings.py reads each from the environment (`LIANXIN_SUGGESTION_*`) and lists it with its default and unit
(docs/configuration.md); nothing here is a hard rule. The three lists below are the defaults of the three
list settings (answer categories, review stages, inadmissible screens) that a district sets as JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lianxin.env import default_of


def _get(name: str):
    """The setting; when it has been removed (tests do), the default settings.py gives it."""
    return getattr(settings, name, default_of(f"LIANXIN_{name}"))


def _listed(name: str, default: list) -> list:
    """A list setting; None (not set) is the list below."""
    value = _get(name)
    return list(default if value is None else value)


@dataclass(frozen=True)
class AnswerCategory:
    code: str
    label: str
    solved: bool  # counts as solved (解决率)
    stays_open: bool  # the item stays open for follow-up answers until solved (B and C)


DEFAULT_ANSWER_CATEGORIES = [
    ("A", _("A类：已解决或采纳"), True, False),
    ("B", _("B类：正在解决或列入计划"), False, True),
    ("C", _("C类：条件限制，待以后解决"), False, True),
    ("D", _("D类：留作参考"), False, False),
]
DEFAULT_REVIEW_STAGES = [
    ("office", _("代表工作机构初审")),
    ("committees", _("专门委员会联审")),
    ("chair", _("主任会议审查")),
]
# Screens for inadmissible content: (field message, keywords). Each keyword found in the text blocks submission.
DEFAULT_INADMISSIBLE = [
    (
        "涉及代表本人或亲属的个人事项，不能作为代表建议提出。",
        ["我家", "我本人", "本人的", "我的亲属", "我儿子", "我女儿", "我爱人"],
    ),
    (
        "正在诉讼或仲裁中的事项，请通过司法途径解决，不能作为代表建议提出。",
        ["诉讼", "仲裁", "起诉", "上诉", "法院审理"],
    ),
    ("转交的信访件不能作为代表建议提出。", ["信访件", "转交信访"]),
    ("推介产品或推销的内容不能作为代表建议提出。", ["产品推介", "推销", "代理产品"]),
]


def answer_categories() -> list[AnswerCategory]:
    # The default labels are translated (in the active language when asked); a district's own list is shown as set.
    return [
        AnswerCategory(code, str(label), *rest)
        for code, label, *rest in _listed("SUGGESTION_ANSWER_CATEGORIES", DEFAULT_ANSWER_CATEGORIES)
    ]


def answer_category(code: str) -> AnswerCategory | None:
    return next((c for c in answer_categories() if c.code == code), None)


def review_stages() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in _listed("SUGGESTION_REVIEW_STAGES", DEFAULT_REVIEW_STAGES)]


def inadmissible_screens() -> list[tuple[str, list[str]]]:
    return _listed("SUGGESTION_INADMISSIBLE", DEFAULT_INADMISSIBLE)


def window_monthdays() -> list[int]:
    """Days of the month on which suggestions are submitted between sessions (default the 20th)."""
    return sorted(int(d) for d in _get("SUGGESTION_WINDOW_MONTHDAYS"))


def session_windows() -> list[tuple[dt.date, dt.date]]:
    """Congress session windows as (first day, last day); ISO strings or dates in settings."""
    windows = []
    for start, end in _get("SUGGESTION_SESSION_WINDOWS"):
        windows.append((_date(start), _date(end)))
    return sorted(windows)


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def sign_days() -> int:
    return _get("SUGGESTION_SIGN_DAYS")


def return_days() -> int:
    return _get("SUGGESTION_RETURN_DAYS")


def co_opinion_months() -> int:
    return _get("SUGGESTION_CO_OPINION_MONTHS")


def answer_months() -> int:
    return _get("SUGGESTION_ANSWER_MONTHS")


def answer_max_months() -> int:
    return _get("SUGGESTION_ANSWER_MAX_MONTHS")


def second_round_months() -> int:
    return _get("SUGGESTION_SECOND_ROUND_MONTHS")


def rating_workdays() -> int:
    return _get("SUGGESTION_RATING_WORKDAYS")


def recheck_workdays() -> int:
    """The office re-examines (复核) an answer rated 不满意 within this many working days."""
    return _get("SUGGESTION_RECHECK_WORKDAYS")


def yellow_at() -> float:
    return _get("SUGGESTION_YELLOW_AT")


def not_accepted_as_reference() -> bool:
    """A suggestion not accepted becomes a 参阅件 (for reference) when True."""
    return _get("SUGGESTION_NOT_ACCEPTED_AS_REFERENCE")


def key_requires_face_to_face() -> bool:
    """Key suggestions (重点督办) need a face-to-face meeting (面商) with the deputy before answering."""
    return _get("SUGGESTION_KEY_REQUIRES_FACE_TO_FACE")


def ranking_min_sample() -> int:
    return _get("SUGGESTION_RANKING_MIN_SAMPLE")


def text_max() -> int:
    return _get("SUGGESTION_TEXT_MAX")


def document_max_bytes() -> int:
    return _get("SUGGESTION_DOCUMENT_MAX_BYTES")


def proposals_min_chars() -> int:
    """Fewer characters than this in 具体建议 counts as 'no concrete content'."""
    return _get("SUGGESTION_PROPOSALS_MIN_CHARS")


def max_cosigners() -> int:
    return _get("SUGGESTION_MAX_COSIGNERS")


def page_size() -> int:
    return _get("SUGGESTION_PAGE_SIZE")
