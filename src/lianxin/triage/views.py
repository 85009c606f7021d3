"""The office's triage screen: the model in use, how often its category suggestions were right, and per unit
how often the routing proposals were taken, overridden or dispatched automatically. Platform-wide figures:
the top office only (a 404 for anyone else)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from lianxin.accounts.selectors import top_office_required
from lianxin.triage import current, selectors
from lianxin.triage.models import TriageModel

DAYS = 90


@top_office_required
def overview(request):
    try:
        meta = current.classifier().meta
    except current.Unavailable:
        meta = None
    return render(
        request,
        "triage/overview.html",
        {
            "meta": meta,
            "days": DAYS,
            "hit_rate": selectors.suggestion_hit_rate(days=DAYS),
            "units": selectors.uptake_by_unit(days=DAYS),
            "models": TriageModel.objects.defer("blob")[:10],
            "auto": settings.TRIAGE_AUTO_DISPATCH,
            "auto_confidence": settings.TRIAGE_AUTO_CONFIDENCE,
            "auto_rule_share": settings.TRIAGE_AUTO_RULE_SHARE,
            "auto_rule_min": settings.TRIAGE_AUTO_RULE_MIN,
        },
    )
