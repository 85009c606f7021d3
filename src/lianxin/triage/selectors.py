"""Reads of the triage area: proposals for a text or a case, and how often they were right or taken."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from lianxin.cases.models import Case, Dispatch
from lianxin.organisation.models import Category
from lianxin.triage import current, text
from lianxin.triage.models import CategorySuggestion

ALTERNATIVES = 2  # labels shown after the first


@dataclass(frozen=True)
class Choice:
    label: str
    confidence: float
    category_id: int | None


@dataclass(frozen=True)
class Proposal:
    best: Choice
    alternatives: list[Choice] = field(default_factory=list)
    model: str = ""
    sub: Choice | None = None  # the second level, only where confident (TRIAGE_SUBCATEGORY_CONFIDENCE)


def first_level_categories() -> dict[str, int]:
    """Active first-level categories by name (the classifier's labels are their names)."""
    return dict(Category.objects.filter(level=1, active=True).values_list("name", "pk"))


def second_level_categories() -> dict[tuple[str, str], int]:
    """Active second-level categories by (first-level name, name)."""
    rows = Category.objects.filter(level=2, active=True, parent__active=True).values_list("parent__name", "name", "pk")
    return {(first, name): pk for first, name, pk in rows}


def proposals(tokens: list[str], classifier) -> list[Proposal]:
    """The classifier's proposal for each message (space-separated words): the first-level category with its
    confidence and the next likely ones, and the second level only where it is confident
    (settings.TRIAGE_SUBCATEGORY_CONFIDENCE). Reads the categories once for all the messages."""
    ranked = classifier.predict_tokens(tokens)
    answers = classifier.subcategories(tokens, [labels[0][0] for labels in ranked])
    threshold = settings.TRIAGE_SUBCATEGORY_CONFIDENCE
    answers = [answer if answer and answer[1] >= threshold else None for answer in answers]
    categories = first_level_categories()
    seconds = second_level_categories() if any(answers) else {}
    name = str(classifier.meta.get("name", ""))
    found = []
    for labels, answer in zip(ranked, answers, strict=True):
        choices = [Choice(label, round(p, 4), categories.get(label)) for label, p in labels[: 1 + ALTERNATIVES]]
        best = choices[0]
        sub = Choice(answer[0], round(answer[1], 4), seconds.get((best.label, answer[0]))) if answer else None
        found.append(Proposal(best=best, alternatives=choices[1:], model=name, sub=sub))
    return found


def propose(title: str, details: str = "") -> Proposal:
    """The proposal for one text. Raises current.Unavailable when no model is built."""
    return proposals([text.message_tokens(title, details)], current.classifier())[0]


def routing_category(case: Case) -> Category | None:
    """The first-level category the routing rules use for a case that has none chosen: the stored suggestion,
    else the classifier's answer now (None without a model). Registered as the cases app's guesser."""
    stored = CategorySuggestion.objects.filter(case_id=case.pk).select_related("category").first()
    if stored is not None:
        return stored.category
    try:
        proposal = propose(case.title, case.details)
    except current.Unavailable:
        return None
    if proposal.best.category_id is None:
        return None
    return Category.objects.filter(pk=proposal.best.category_id).first()


def first_level_id(category: Category | None) -> int | None:
    walker, steps = category, 0
    while walker is not None and walker.parent_id is not None and steps < 10:
        walker, steps = walker.parent, steps + 1
    return walker.pk if walker is not None else None


@dataclass(frozen=True)
class HitRate:
    compared: int  # cases with a suggestion and a category chosen by the citizen or staff
    right: int  # of those, the suggestion's first level was the chosen category's first level
    unchosen: int  # cases with a suggestion and no chosen category
    sub_compared: int = 0  # cases with a second-level suggestion and a second-level (or deeper) category chosen
    sub_right: int = 0  # of those, the chosen category's second level was the suggested one

    @property
    def sub_percent(self) -> int | None:
        return round(100 * self.sub_right / self.sub_compared) if self.sub_compared else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.right / self.compared) if self.compared else None


def suggestion_hit_rate(*, days: int = 90, now=None) -> HitRate:
    """How often the classifier's first-level suggestion matched the category the citizen or staff chose."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    rows = CategorySuggestion.objects.filter(case__created_at__gte=since).values_list(
        "category_id",
        "subcategory_id",
        "case__category_id",
        "case__category__level",
        "case__category__parent_id",
        "case__category__parent__parent_id",
    )
    compared = right = unchosen = sub_compared = sub_right = 0
    for suggested, suggested_sub, chosen, level, parent, grandparent in rows:
        if chosen is None:
            unchosen += 1
            continue
        compared += 1
        top = grandparent or parent or chosen
        right += suggested is not None and suggested == top
        if suggested_sub is not None and level and level >= 2:
            sub_compared += 1
            sub_right += suggested_sub == (chosen if level == 2 else parent)
    return HitRate(compared, right, unchosen, sub_compared, sub_right)


@dataclass(frozen=True)
class UnitUptake:
    unit_id: int
    unit_name: str
    proposed: int  # dispatches for which the routing rules proposed this unit
    taken: int  # staff dispatched to it
    overridden: int  # staff chose another unit
    automatic: int  # dispatched without a person (auto-dispatch)

    @property
    def taken_percent(self) -> int | None:
        by_staff = self.taken + self.overridden
        return round(100 * self.taken / by_staff) if by_staff else None


def uptake_by_unit(*, days: int = 90, now=None) -> list[UnitUptake]:
    """Per proposed unit: how often the proposal was taken, overridden, or dispatched automatically (one query)."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    rows = (
        Dispatch.objects.filter(dispatched_at__gte=since, suggested_unit__isnull=False)
        .values("suggested_unit_id", "suggested_unit__name")
        .annotate(
            proposed=Count("id"),
            automatic=Count("id", filter=Q(dispatched_by__isnull=True, suggestion_taken=True)),
            taken=Count("id", filter=Q(dispatched_by__isnull=False, suggestion_taken=True)),
            overridden=Count("id", filter=Q(suggestion_taken=False)),
        )
        .order_by("-proposed", "suggested_unit__name")
    )
    return [
        UnitUptake(
            unit_id=row["suggested_unit_id"],
            unit_name=row["suggested_unit__name"],
            proposed=row["proposed"],
            taken=row["taken"],
            overridden=row["overridden"],
            automatic=row["automatic"],
        )
        for row in rows
    ]


def rule_record(rule, *, days: int = 90, now=None) -> tuple[int, int]:
    """(staff dispatches this routing rule proposed, of them taken) over the last `days` days. The rule counts
    across the table's versions: same category, division and unit."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    counts = Dispatch.objects.filter(
        routing_rule__category_id=rule.category_id,
        routing_rule__division_id=rule.division_id,
        suggested_unit_id=rule.unit_id,
        dispatched_at__gte=since,
        dispatched_by__isnull=False,
        suggestion_taken__isnull=False,
    ).aggregate(total=Count("id"), taken=Count("id", filter=Q(suggestion_taken=True)))
    return counts["total"], counts["taken"]


def cases_without_suggestion(*, days: int = 7, limit: int = 500) -> list[Case]:
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        Case.objects.filter(created_at__gte=since, category_suggestion__isnull=True)
        .only("id", "title", "details", "category_id", "status", "division_id")
        .order_by("id")[:limit]
    )
