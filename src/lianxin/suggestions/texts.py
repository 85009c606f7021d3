"""The sentences of a suggestion's timeline that the system words itself, rendered from each entry's data in the
reader's language (audit/texts.py). The entries keep in `message` only what a person wrote (a review opinion,
a comment), shown below the sentence; entries written before (no `words_only` in their data) show the Chinese
sentence stored then."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lianxin import dates
from lianxin.audit import texts
from lianxin.cases.enums import Rating
from lianxin.suggestions import conf
from lianxin.suggestions.enums import UnitRole


def _stage(index) -> str:
    stages = conf.review_stages()
    if not isinstance(index, int) or not 0 <= index < len(stages):
        raise KeyError("stage")
    return stages[index][1]


def _submitted(data: dict) -> str:
    return _("编号 %(number)s，进入%(stage)s。") % {"number": data["number"], "stage": _stage(0)}


def _review_passed(data: dict) -> str:
    index = data["stage_index"]
    return _("%(passed)s通过，进入%(next)s。") % {"passed": _stage(index), "next": _stage(index + 1)}


def _accepted(data: dict) -> str:
    return _("%(passed)s通过，立案待交办。") % {"passed": _stage(data["stage_index"])}


def _returned(data: dict) -> str:
    return _("%(stage)s：退回修改。") % {"stage": _stage(data["stage_index"])}


def _queued(data: dict) -> str:
    day = dt.date.fromisoformat(data["queued_for"][:10])
    return _("当前不在提交窗口，将于 %(date)s 自动提交。") % {"date": dates.date_label(day)}


def _rated(data: dict) -> str:
    return _("代表评价：%(rating)s。") % {"rating": Rating(data["rating"]).label}


def _following(data: dict) -> str:
    if data.get("unrated"):
        return _("评价期满未评价，继续跟踪落实。")
    category = conf.answer_category(data["category"])
    return _("%(category)s，继续跟踪落实，直至解决。") % {"category": category.label if category else data["category"]}


def _publication(data: dict) -> str:
    return _("同意公开。") if data["public_consent"] else _("不同意公开。")


def _signed(data: dict) -> str:
    return _("%(unit)s（%(role)s）已签收。") % {"unit": data["unit"], "role": UnitRole(data["unit_role"]).label}


def _assigned(data: dict) -> str:
    units = _("；").join(
        _("%(role)s：%(unit)s") % {"role": UnitRole(u["role"]).label, "unit": u["name"]} for u in data["units"]
    )
    due = dt.date.fromisoformat(data["answer_due"][:10])
    return _("%(units)s。答复期限 %(date)s。") % {"units": units, "date": dates.date_label(due)}


def _recheck(data: dict) -> str:
    if not data.get("recheck_due_at"):
        return _("代表不满意，转代表工作机构复核。")
    due = dt.datetime.fromisoformat(data["recheck_due_at"])
    return _("代表不满意，转代表工作机构复核（复核时限 %(date)s）。") % {"date": dates.date_label(due)}


texts.register(
    {
        "suggestion.submitted": _submitted,
        "suggestion.review_passed": _review_passed,
        "suggestion.accepted": _accepted,
        "suggestion.returned_for_revision": _returned,
        "suggestion.queued": _queued,
        "suggestion.withdrawn": lambda data: _("已撤回为草稿。"),
        "suggestion.rated": _rated,
        "suggestion.recheck_started": _recheck,
        "suggestion.following": _following,
        "suggestion.publication_set": _publication,
        "suggestion.signed": _signed,
        "suggestion.assigned": _assigned,
        "suggestion.second_assigned": _assigned,
    },
    words=True,
)


def entry_text(entry) -> str:
    """What a timeline entry of a suggestion says, in the active language."""
    return texts.entry_text(entry.action, entry.data, entry.message)
