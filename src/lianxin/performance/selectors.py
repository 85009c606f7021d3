"""Reads the cockpit (驾驶舱) finds at run time (lianxin.cockpit.extensions): the department appraisal's top units
and each deputy's points in the period."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.performance.enums import EntryState, RoundState
from lianxin.performance.models import AppraisalResult, AppraisalRound, PointsEntry
from lianxin.performance.rules import ledger_deputies

COCKPIT_TOP = 3


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
    url = reverse("performance:leaderboard", args=[round_.year])
    return [
        {
            "key": f"appraisal_{rank}",
            "label": _("部门评议第%(rank)d名") % {"rank": rank},
            "value": _("%(unit)s %(total)s分") % {"unit": name, "total": total.quantize(Decimal("0.1"), ROUND_HALF_UP)}
            if total is not None
            else name,
            "formula": round_.title,
            "url": url,
            "public": True,  # the published leaderboard is open to everybody
        }
        for rank, name, total in results
    ]


def cockpit_links_allowed(*, user, division) -> bool:
    """The office over the division opens a deputy's ledger (leaders see only published tables, not ledgers)."""
    return scope_of(user, Role.OFFICE).covers(division)


def cockpit_linkable_deputies(*, user, division):
    """The deputies whose ledger `user` opens (the ledger's own rule, rules.ledger_deputy); unevaluated."""

    return ledger_deputies(user)


def cockpit_deputy_measures(*, division, start, end) -> list[dict]:
    """The deputies' table's points column: the points of the deputy's counted entries dated in the period (shown,
    not added to the activity total: points weigh the same activities). Linked to the ledger for those dates."""

    window = urlencode({"from": start.isoformat(), "to": end.isoformat(), "state": EntryState.COUNTED})
    return [
        {
            "key": "points",
            "label": _("履职积分"),
            "formula": _("本期计入的积分记录合计（按记录原值相加，未按年度或季度上限封顶）"),
            "in_total": False,
            "url": lambda deputy_id: f"{reverse('performance:deputy', args=[deputy_id])}?{window}",
        }
    ]


def cockpit_deputy_activity(*, division, start, end, deputy_ids) -> dict[int, dict[str, float]]:
    """Per deputy: the points of counted entries dated in [start, end] (entries have no place: a deputy's points
    count wherever the deputy is listed). One query."""
    rows = (
        PointsEntry.objects.filter(
            deputy_id__in=list(deputy_ids), state=EntryState.COUNTED, occurred_on__gte=start, occurred_on__lte=end
        )
        .order_by()
        .values_list("deputy_id")
        .annotate(points=Sum("points"))
    )
    return {deputy_id: {"points": float(points)} for deputy_id, points in rows if points}
