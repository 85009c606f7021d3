"""Reads of the department appraisal: rounds, the round collecting opinions, the published leaderboard and its
details, the opinions; and the cockpit's figure (found at run time by lianxin.cockpit.extensions)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.appraisal.enums import RoundState
from lianxin.appraisal.models import AppraisalItemResult, AppraisalOpinion, AppraisalResult, AppraisalRound

COCKPIT_TOP = 3


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


def collecting_round(year) -> AppraisalRound | None:
    """The round of `year` collecting opinions now (its state and its opinion period), or None."""
    now = timezone.now()
    return AppraisalRound.objects.filter(
        year=_year(year), state=RoundState.COLLECTING, opinion_opens_at__lte=now, opinion_closes_at__gt=now
    ).first()


def cockpit_figures(*, division, start, end) -> list[dict]:
    """The top 3 ranked units of the latest published appraisal round (year ≤ the period's end year).

    Scope rule: only units whose own division lies in `division`'s subtree count (district departments show on
    the district cockpit; a street sees only units of its own, usually none). Two queries.
    """
    round_ = AppraisalRound.objects.filter(state=RoundState.PUBLISHED, year__lte=end.year).order_by("-year").first()
    if round_ is None:
        return []
    results = (
        AppraisalResult.objects.filter(
            round=round_, ranked=True, rank__isnull=False, unit__division__path__startswith=division.path
        )
        .order_by("rank", "unit__code")
        .values_list("rank", "unit__name", "total")[:COCKPIT_TOP]
    )
    url = reverse("appraisal:leaderboard", args=[round_.year])
    formula = _(
        "%(round)s：按评议得分排名（各评议项目得分按权重合计，含办理实绩、代表和群众评价），一年一评。"
        "与“承办单位办件排名”（按本期民意件的办复率、满意率）不是同一排名。"
    ) % {"round": round_.title}
    return [
        {
            "key": f"appraisal_{rank}",
            "label": _("%(year)d年部门评议得分第%(rank)d名") % {"year": round_.year, "rank": rank},
            "value": _("%(unit)s %(total)s分") % {"unit": name, "total": total.quantize(Decimal("0.1"), ROUND_HALF_UP)}
            if total is not None
            else name,
            "formula": formula,
            "url": url,
            "method_url": f"{url}#method",
            "public": True,  # the published leaderboard is open to everybody
        }
        for rank, name, total in results
    ]
