"""Filters of the suggestion list for the office and leaders (GET parameters): the suggestions behind one figure of
the cockpit (驾驶舱) — a division by the cockpit's scope rule, a period of submission, handed to units, an outcome.

A bad value is reported in a sentence and that filter is left out; nothing here can fail with a 500.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from lianxin.organisation.models import Division
from lianxin.suggestions import metrics
from lianxin.suggestions.rules import division_q

PARAMS = ("division", "submitted_from", "submitted_to", "assigned", "outcome")


def submitted_q(start: dt.date | None, end: dt.date | None) -> Q:
    """Submitted on the local days [start, end] (either end may be open)."""
    q = Q(submitted_at__isnull=False)
    if start is not None:
        q &= Q(submitted_at__gte=metrics._bounds(start, start)[0])
    if end is not None:
        q &= Q(submitted_at__lt=metrics._bounds(end, end)[1])
    return q


@dataclass(frozen=True)
class ListFilters:
    division: Division | None = None
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    assigned: bool = False
    outcome: str = ""
    errors: list[str] = field(default_factory=list, compare=False)

    @property
    def active(self) -> bool:
        return bool(self.query())

    def q(self) -> Q:
        q = Q()
        if self.division is not None:
            q &= division_q(self.division)
        if self.submitted_from or self.submitted_to:
            q &= submitted_q(self.submitted_from, self.submitted_to)
        if self.assigned:
            q &= metrics.outcome_q("assigned")
        if self.outcome:
            q &= metrics.outcome_q(self.outcome)
        return q

    def query(self) -> dict[str, str]:
        """The filters as GET parameters (kept by the tabs, the search and the pages)."""
        params = {
            "division": str(self.division.pk) if self.division else "",
            "submitted_from": self.submitted_from.isoformat() if self.submitted_from else "",
            "submitted_to": self.submitted_to.isoformat() if self.submitted_to else "",
            "assigned": "1" if self.assigned else "",
            "outcome": self.outcome,
        }
        return {k: v for k, v in params.items() if v}

    def description(self) -> list[str]:
        parts = []
        if self.division is not None:
            parts.append(_("区划：%(name)s") % {"name": self.division.name})
        if self.submitted_from or self.submitted_to:
            parts.append(
                _("提交日期：%(start)s 至 %(end)s")
                % {"start": self.submitted_from or "…", "end": self.submitted_to or "…"}
            )
        if self.assigned:
            parts.append(str(metrics.OUTCOME_LABELS["assigned"]))
        if self.outcome:
            parts.append(str(metrics.OUTCOME_LABELS[self.outcome]))
        return parts


def _date(value: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        errors.append(_("日期格式不正确（应为 2026-01-01 这样的格式），已忽略该日期。"))
        return None


def parse(params) -> ListFilters:
    """The filters of a request's GET parameters; each bad value is left out with a message in `errors`."""
    errors: list[str] = []
    division = None
    raw = (params.get("division") or "").strip()
    if raw:
        if raw.isdigit() and len(raw) < 19:
            division = Division.objects.filter(pk=int(raw)).first()
        if division is None:
            errors.append(_("找不到该区划，已忽略区划条件。"))
    start = _date(params.get("submitted_from") or "", errors)
    end = _date(params.get("submitted_to") or "", errors)
    if start and end and start > end:
        errors.append(_("开始日期不能晚于结束日期，已忽略日期条件。"))
        start = end = None
    assigned = (params.get("assigned") or "") == "1"
    outcome = (params.get("outcome") or "").strip()
    if outcome and outcome not in metrics.OUTCOME_LABELS:
        errors.append(_("没有这个办理结果条件，已忽略。"))
        outcome = ""
    return ListFilters(division, start, end, assigned, outcome, errors)
