"""Reads the cockpit (驾驶舱) finds at run time (lianxin.cockpit.extensions): the department appraisal's top units."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.performance.enums import RoundState
from lianxin.performance.models import AppraisalResult, AppraisalRound

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
        }
        for rank, name, total in results
    ]
