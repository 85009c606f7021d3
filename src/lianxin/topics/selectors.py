"""Reads of the topics app: open matters like the one being typed (report page), likely duplicates of a case (work
screen), the hot issues for the cockpit (its hook `cockpit_hot_issues`) and the monthly list (每月一题)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.cases.rules import visible_cases
from lianxin.cases.support import supportable_cases
from lianxin.organisation.models import Division
from lianxin.topics import conf, duplicates
from lianxin.topics.models import HotTopic, MonthlyTopic, Period

CANDIDATES_MAX = 300  # open matters of one place compared at most (the latest)


def _near(queryset, division: Division | None):
    """Open matters of the same place: the division's street (its subtree), else the division itself."""
    if division is None:
        return queryset.none()
    parts = [p for p in division.path.strip("/").split("/") if p]
    root = "/" + "/".join(parts[:2]) + "/" if len(parts) >= 2 else division.path
    since = timezone.now() - dt.timedelta(days=conf.duplicate_days())
    return queryset.filter(division__path__startswith=root, created_at__gte=since).order_by("-created_at")


def _ranked(title: str, details: str, cases: list[Case]) -> list[tuple[Case, float]]:
    documents = [duplicates.document(c.title, c.details) for c in cases]
    found = duplicates.most_similar(
        duplicates.document(title, details),
        documents,
        threshold=conf.duplicate_similarity(),
        limit=conf.duplicate_shown(),
    )
    return [(cases[i], score) for i, score in found]


def similar_open_cases(*, title: str, details: str, division: Division | None) -> list[tuple[Case, float]]:
    """Open matters near the same place with a similar text, most alike first (the report page's question
    "是否与以下问题相同？")."""
    if not (title or "").strip():
        return []
    cases = list(
        _near(supportable_cases(), division).only("pk", "title", "details", "status", "supporters", "created_at")[
            :CANDIDATES_MAX
        ]
    )
    return _ranked(title, details, cases)


def likely_duplicates(*, user, case: Case) -> list[tuple[Case, float]]:
    """Open matters the user sees, from any channel, near the same place and alike to `case` (not itself, not
    already merged)."""
    division = Division.objects.filter(pk=case.division_id).first()
    queryset = visible_cases(user).filter(pk__in=supportable_cases().values("pk")).exclude(pk=case.pk)
    cases = list(_near(queryset, division).select_related("division")[:CANDIDATES_MAX])
    return _ranked(case.title, case.details, cases)


def _latest(scope_id: int, period: str) -> list[HotTopic]:
    return list(HotTopic.objects.filter(scope_id=scope_id, period=period).order_by("rank"))


def cockpit_hot_issues(*, division: Division) -> list[dict]:
    """The cockpit's hook: the hot issues of `division` (district or street), hottest first, read by one query."""
    return [
        {
            "label": topic.label,
            "place_name": topic.place,
            "keyword": topic.what,
            "cases": topic.cases,
            "people": topic.citizens,
            "supporters": topic.supporters,
            "score": topic.heat,
            "titles": topic.titles,
        }
        for topic in _latest(division.pk, Period.RECENT)
    ]


def monthly_candidates(division: Division) -> list[HotTopic]:
    return _latest(division.pk, Period.MONTH)


def monthly_taken(division: Division) -> list[MonthlyTopic]:
    return list(MonthlyTopic.objects.filter(scope_id=division.pk)[:24])
