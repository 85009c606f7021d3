"""Reads of the department appraisal: rounds, the published leaderboard and its details, the opinions."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from lianxin.performance.enums import RoundState
from lianxin.performance.models import AppraisalItemResult, AppraisalOpinion, AppraisalResult, AppraisalRound


def _year(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def published_round(year) -> AppraisalRound | None:
    return AppraisalRound.objects.filter(year=_year(year), state=RoundState.PUBLISHED).first()


def published_years() -> list[int]:
    return list(AppraisalRound.objects.filter(state=RoundState.PUBLISHED).values_list("year", flat=True))


def rounds() -> QuerySet[AppraisalRound]:
    return AppraisalRound.objects.order_by("-year")


def round_by_year(year) -> AppraisalRound | None:
    return AppraisalRound.objects.filter(year=_year(year)).first()


def leaderboard(round_: AppraisalRound) -> list[AppraisalResult]:
    """The frozen results, ranked units first (by rank), then the units without enough data. Three queries."""
    results = (
        AppraisalResult.objects.filter(round=round_)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "items", queryset=AppraisalItemResult.objects.select_related("item").order_by("item__order", "item_id")
            )
        )
    )
    rows = list(results)
    return sorted(rows, key=lambda r: (not r.ranked, r.rank or 0, r.unit.code))


def item_result(round_: AppraisalRound, unit_code: str, item_id) -> AppraisalItemResult | None:
    return (
        AppraisalItemResult.objects.filter(result__round=round_, result__unit__code=unit_code, item_id=_year(item_id))
        .select_related("item", "result", "result__unit")
        .first()
    )


def opinions(round_: AppraisalRound, *, unit_id=None) -> QuerySet[AppraisalOpinion]:
    rows = AppraisalOpinion.objects.filter(round=round_).select_related("unit", "deputy").order_by("-id")
    if unit_id:
        rows = rows.filter(unit_id=_year(unit_id))
    return rows


def rated_units(round_: AppraisalRound, deputy) -> set[int]:
    return set(AppraisalOpinion.objects.filter(round=round_, deputy=deputy).values_list("unit_id", flat=True))
