"""Work screens of the department appraisal (部门工作评议): rounds, weights, scores, opinions, publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.selectors import user_deputy
from lianxin.appraisal import compute, rules, selectors, services
from lianxin.appraisal.enums import ENTERED_SOURCES, ItemSource, OpinionRating, RoundState
from lianxin.appraisal.models import AppraisalScore
from lianxin.errors import REFUSALS


def _staff(request):
    if not rules.can_open_appraisal(request.user):
        raise Http404


def _round_or_404(year):
    round_ = selectors.round_by_year(year)
    if round_ is None:
        raise Http404
    return round_


@login_required
def appraisal(request):
    _staff(request)
    context = {
        "rounds": list(selectors.rounds()),
        "office": rules.is_office(request.user),
        "next_year": timezone.localdate().year,
    }
    return render(request, "appraisal/appraisal_list.html", context)


@login_required
@require_POST
def round_create(request):
    if not rules.is_office(request.user):
        raise Http404
    try:
        round_ = services.round_create(
            actor=request.user, year=request.POST.get("year"), title=request.POST.get("title", "")
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("appraisal:appraisal")
    messages.success(request, _("已创建，默认评议项目和参评单位已带入。"))
    return redirect("appraisal:round", round_.year)


@login_required
def round_detail(request, year):
    """Items and weights, the state, and the live computed scores (a preview until publication)."""
    _staff(request)
    round_ = _round_or_404(year)
    items = list(round_.items.order_by("order", "id"))
    computed = compute.compute(round_)
    context = {
        "round": round_,
        "items": [(item, compute.formula(item, round_)) for item in items],
        "rows": computed,
        "office": rules.is_office(request.user),
        "leader": rules.is_leader(request.user),
        "entered": ENTERED_SOURCES,
        "opinion_count": round_.opinions.count(),
    }
    return render(request, "appraisal/round.html", context)


@login_required
@require_POST
def item_weight(request, year, item_id):
    if not rules.is_office(request.user):
        raise Http404
    round_ = _round_or_404(year)
    if not round_.items.filter(pk=item_id).exists():
        raise Http404
    try:
        services.item_update(actor=request.user, item_id=item_id, weight=request.POST.get("weight"))
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("权重已保存。"))
    return redirect("appraisal:round", round_.year)


@login_required
@require_POST
def round_state(request, year):
    if not rules.is_office(request.user):
        raise Http404
    round_ = _round_or_404(year)
    try:
        if request.POST.get("state") == RoundState.PUBLISHED:
            services.round_publish(actor=request.user, round_id=round_.pk)
        else:
            services.round_set_state(actor=request.user, round_id=round_.pk, state=request.POST.get("state"))
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已更新。"))
    return redirect("appraisal:round", round_.year)


@login_required
def scores(request, year, item_id):
    """Score entry for an entered item: each standing-committee member (or the office) scores every unit."""
    _staff(request)
    round_ = _round_or_404(year)
    item = round_.items.filter(pk=item_id, source__in=ENTERED_SOURCES).first()
    if item is None:
        raise Http404
    may_score = (
        rules.is_leader(request.user) if item.source == ItemSource.MEMBER_SCORES else rules.is_office(request.user)
    )
    status = 200
    if request.method == "POST":
        try:
            services.score_enter(
                actor=request.user,
                item_id=item.pk,
                unit_id=request.POST.get("unit"),
                score=request.POST.get("score"),
                note=request.POST.get("note", ""),
            )
        except REFUSALS as exc:
            messages.error(request, exc.message)
            status = 422
        else:
            messages.success(request, _("评分已保存。"))
            return redirect("appraisal:scores", round_.year, item.pk)
    mine = {s.unit_id: s for s in AppraisalScore.objects.filter(item=item, scorer=request.user)}
    units = list(round_.units.order_by("code"))
    context = {
        "round": round_,
        "item": item,
        "rows": [(unit, mine.get(unit.pk)) for unit in units],
        "may_score": may_score and round_.state != RoundState.PUBLISHED,
        "count": AppraisalScore.objects.filter(item=item).count(),
    }
    return render(request, "appraisal/scores.html", context, status=status)


@login_required
def opinions(request, year):
    _staff(request)
    round_ = _round_or_404(year)
    rows = list(selectors.opinions(round_, unit_id=request.GET.get("unit"))[:500])
    return render(request, "appraisal/opinions.html", {"round": round_, "opinions": rows})


@login_required
def rate(request, year):
    """A deputy rates the units during the opinion-collection period (one rating per unit)."""
    deputy = user_deputy(request.user)
    if deputy is None:
        raise Http404
    round_ = _round_or_404(year)
    open_round = selectors.collecting_round(round_.year)
    status = 200
    if request.method == "POST":
        try:
            services.opinion_submit_deputy(
                actor=request.user,
                year=round_.year,
                unit_id=request.POST.get("unit"),
                rating=request.POST.get("rating"),
                comment=request.POST.get("comment", ""),
            )
        except REFUSALS as exc:
            messages.error(request, exc.message)
            status = 422
        else:
            messages.success(request, _("评议已提交，谢谢。"))
            return redirect("appraisal:rate", round_.year)
    context = {
        "round": round_,
        "open": open_round is not None,
        "units": list(round_.units.order_by("code")),
        "rated": selectors.rated_units(round_, deputy),
        "ratings": OpinionRating.choices,
    }
    return render(request, "appraisal/rate.html", context, status=status)
