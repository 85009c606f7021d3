"""Scores of a round's items for every unit, with the numbers behind each one (domain.md §7: store the counts,
compute the rates, say which formula). A handful of grouped queries per item, whatever the number of units.

Sources:
- case_handling: dispatches of cases to the unit in the window (withdrawn and returned ones left out):
  answered rate = replied ÷ assigned; on-time rate = replied by the deadline ÷ replied; satisfaction from the
  ratings of the cases the unit holds (满意/基本满意/不满意 scored with the round's scores; "closed as not rated"
  is counted separately and never as satisfied). The item score is the weighted mean of the three (params).
- suggestion_handling: the same for suggestions the unit leads or has a split part of.
- station_visits: department visits (进站) in the window ÷ the target (params.target), at most 100.
- member_scores / office_score: the mean of the entered scores (0–100).
- survey: the opinions collected in the round, scored 100/70/30 (the round's scores); 不了解 not counted.
A rate-based item needs a minimum sample (conf.appraisal_min_sample) before it has a score; a unit is ranked
only when every item with a weight has one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.appraisal import conf
from lianxin.appraisal.enums import ItemSource, OpinionRating
from lianxin.appraisal.models import AppraisalItem, AppraisalOpinion, AppraisalRound, AppraisalScore
from lianxin.cases.enums import DispatchState, Rating
from lianxin.cases.models import Case, Dispatch
from lianxin.events.selectors import department_visits
from lianxin.suggestions.models import Assignment

HUNDRED = Decimal(100)
TWO = Decimal("0.01")
FOUR = Decimal("0.0001")
RATE_PARTS = {
    "answered": gettext_lazy("办复率"),
    "on_time": gettext_lazy("按期率"),
    "satisfaction": gettext_lazy("满意度得分"),
}


@dataclass
class ItemScore:
    item: AppraisalItem
    score: Decimal | None
    sample: int
    enough: bool
    details: dict


@dataclass
class UnitScore:
    unit: object
    items: list[ItemScore] = field(default_factory=list)
    total: Decimal | None = None
    ranked: bool = False
    rank: int | None = None
    note: str = ""


def window(round_: AppraisalRound) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(round_.period_start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(round_.period_end + dt.timedelta(days=1), dt.time.min))
    return start, end


def _q(value) -> Decimal:
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def _rate(numerator: int, denominator: int) -> Decimal | None:
    return (Decimal(numerator) / Decimal(denominator)).quantize(FOUR, rounding=ROUND_HALF_UP) if denominator else None


def rating_score(round_: AppraisalRound, satisfied: int, basic: int, unsatisfied: int) -> Decimal | None:
    rated = satisfied + basic + unsatisfied
    if not rated:
        return None
    points = (
        round_.score_satisfied * satisfied
        + round_.score_basically_satisfied * basic
        + round_.score_unsatisfied * unsatisfied
    )
    return _q(points / rated)


def min_sample(item: AppraisalItem) -> int:
    """The item's own minimum (params.min_sample, data the office may set), else the setting."""
    params = item.params if isinstance(item.params, dict) else {}
    try:
        return max(int(params.get("min_sample", conf.appraisal_min_sample())), 0)
    except (TypeError, ValueError):
        return conf.appraisal_min_sample()


def _weights(item: AppraisalItem) -> dict[str, Decimal]:
    params = item.params if isinstance(item.params, dict) else {}
    weights = {}
    for key in RATE_PARTS:
        try:
            value = Decimal(str(params.get(key, 0)))
        except ArithmeticError:
            value = Decimal(0)
        if value > 0:
            weights[key] = value
    return weights or {key: Decimal(1) for key in RATE_PARTS}


def _rates_score(round_, item, row: dict) -> ItemScore:
    """row: assigned, answered, on_time, satisfied, basically_satisfied, unsatisfied, closed_unrated."""
    answered_rate = _rate(row["answered"], row["assigned"])
    on_time_rate = _rate(row["on_time"], row["answered"])
    rated = row["satisfied"] + row["basically_satisfied"] + row["unsatisfied"]
    satisfaction = rating_score(round_, row["satisfied"], row["basically_satisfied"], row["unsatisfied"])
    parts = {
        "answered": None if answered_rate is None else answered_rate * HUNDRED,
        "on_time": None if on_time_rate is None else on_time_rate * HUNDRED,
        "satisfaction": satisfaction,
    }
    weights = _weights(item)
    used = {k: w for k, w in weights.items() if parts[k] is not None}
    sample = row["assigned"]
    enough = sample >= min_sample(item) and bool(used)
    score = _q(sum(parts[k] * w for k, w in used.items()) / sum(used.values())) if enough else None
    details = {
        **row,
        "rated": rated,
        "answered_rate": _str(answered_rate),
        "on_time_rate": _str(on_time_rate),
        "satisfaction_rate": _str(_rate(row["satisfied"], rated)),
        "satisfaction_incl_basic": _str(_rate(row["satisfied"] + row["basically_satisfied"], rated)),
        "satisfaction_score": _str(satisfaction),
        "weights": {k: str(w) for k, w in weights.items()},
        "parts_used": sorted(used),
        "min_sample": min_sample(item),
    }
    return ItemScore(item, score, sample, enough, details)


def _str(value) -> str | None:
    return None if value is None else str(value)


def _empty_rates() -> dict:
    keys = ("assigned", "answered", "on_time", "satisfied", "basically_satisfied", "unsatisfied", "closed_unrated")
    return dict.fromkeys(keys, 0)


def case_rows(unit_ids, start, end) -> dict[int, dict]:

    rows = {pk: _empty_rates() for pk in unit_ids}
    dispatches = (
        Dispatch.objects.filter(unit_id__in=unit_ids, dispatched_at__gte=start, dispatched_at__lt=end)
        .exclude(state__in=[DispatchState.WITHDRAWN, DispatchState.RETURNED])
        .order_by()
        .values("unit_id")
        .annotate(
            assigned=Count("pk"),
            answered=Count("pk", filter=Q(state=DispatchState.REPLIED)),
            on_time=Count("pk", filter=Q(state=DispatchState.REPLIED, replied_at__lte=F("handle_due_at"))),
        )
    )
    for row in dispatches:
        rows[row["unit_id"]].update(assigned=row["assigned"], answered=row["answered"], on_time=row["on_time"])
    ratings = (
        Case.objects.filter(current_unit_id__in=unit_ids, dispatched_at__gte=start, dispatched_at__lt=end)
        .order_by()
        .values("current_unit_id")
        .annotate(
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
            basically_satisfied=Count("pk", filter=Q(rating=Rating.BASICALLY_SATISFIED)),
            unsatisfied=Count("pk", filter=Q(rating=Rating.UNSATISFIED)),
            closed_unrated=Count("pk", filter=Q(closed_unrated=True, rating="")),
        )
    )
    for row in ratings:
        unit_id = row.pop("current_unit_id")
        rows[unit_id].update(row)
    return rows


def suggestion_rows(unit_ids, start, end) -> dict[int, dict]:
    rows = {pk: _empty_rates() for pk in unit_ids}
    parts = Assignment.objects.filter(
        unit_id__in=unit_ids, role__in=["lead", "split"], replaced=False, assigned_at__gte=start, assigned_at__lt=end
    ).exclude(state="returned")
    for row in (
        parts.order_by()
        .values("unit_id")
        .annotate(
            assigned=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("answer_due_at"))),
            satisfied=Count("suggestion", distinct=True, filter=Q(suggestion__rating="satisfied")),
            basically_satisfied=Count("suggestion", distinct=True, filter=Q(suggestion__rating="basically_satisfied")),
            unsatisfied=Count("suggestion", distinct=True, filter=Q(suggestion__rating="unsatisfied")),
            closed_unrated=Count(
                "suggestion", distinct=True, filter=Q(suggestion__closed_unrated=True, suggestion__rating="")
            ),
        )
    ):
        rows[row.pop("unit_id")].update(row)
    return rows


def _visits(round_, item, unit_ids, start, end) -> dict[int, ItemScore]:

    counts = department_visits(start=start, end=end)
    params = item.params if isinstance(item.params, dict) else {}
    try:
        target = max(int(params.get("target", 4)), 1)
    except (TypeError, ValueError):
        target = 4
    result = {}
    for pk in unit_ids:
        n = counts.get(pk, 0)
        score = _q(min(HUNDRED, Decimal(n) * HUNDRED / target))
        result[pk] = ItemScore(item, score, n, True, {"visits": n, "target": target})
    return result


def _entered(round_, item, unit_ids) -> dict[int, ItemScore]:
    rows = {
        row["unit_id"]: row
        for row in AppraisalScore.objects.filter(item=item, unit_id__in=unit_ids)
        .order_by()
        .values("unit_id")
        .annotate(mean=Avg("score"), n=Count("pk"))
    }
    minimum = conf.appraisal_min_scorers()
    result = {}
    for pk in unit_ids:
        row = rows.get(pk, {"mean": None, "n": 0})
        enough = row["n"] >= minimum
        score = _q(row["mean"]) if enough and row["mean"] is not None else None
        result[pk] = ItemScore(
            item, score, row["n"], enough, {"scorers": row["n"], "mean": _str(score), "min_scorers": minimum}
        )
    return result


def _survey(round_, item, unit_ids) -> dict[int, ItemScore]:
    rows = {
        row["unit_id"]: row
        for row in AppraisalOpinion.objects.filter(round=round_, unit_id__in=unit_ids)
        .order_by()
        .values("unit_id")
        .annotate(
            satisfied=Count("pk", filter=Q(rating=OpinionRating.SATISFIED)),
            basically_satisfied=Count("pk", filter=Q(rating=OpinionRating.BASICALLY_SATISFIED)),
            unsatisfied=Count("pk", filter=Q(rating=OpinionRating.UNSATISFIED)),
            unknown=Count("pk", filter=Q(rating=OpinionRating.UNKNOWN)),
            deputies=Count("pk", filter=Q(rater_kind="deputy")),
            citizens=Count("pk", filter=Q(rater_kind="citizen")),
        )
    }
    minimum = min_sample(item)
    result = {}
    for pk in unit_ids:
        row = rows.get(pk) or dict.fromkeys(
            ("satisfied", "basically_satisfied", "unsatisfied", "unknown", "deputies", "citizens"), 0
        )
        row = {k: v for k, v in row.items() if k != "unit_id"}
        rated = row["satisfied"] + row["basically_satisfied"] + row["unsatisfied"]
        enough = rated >= minimum
        score = rating_score(round_, row["satisfied"], row["basically_satisfied"], row["unsatisfied"])
        details = {**row, "rated": rated, "score": _str(score), "min_sample": minimum}
        result[pk] = ItemScore(item, score if enough else None, rated, enough, details)
    return result


def compute(round_: AppraisalRound) -> list[UnitScore]:
    """Every unit of the round with its item scores, total and rank (live, from the current data)."""
    units = list(round_.units.order_by("code"))
    unit_ids = [u.pk for u in units]
    items = list(round_.items.order_by("order", "id"))
    start, end = window(round_)
    per_item: dict[int, dict[int, ItemScore]] = {}
    cases = suggestions = None
    for item in items:
        if item.source == ItemSource.CASE_HANDLING:
            cases = cases if cases is not None else case_rows(unit_ids, start, end)
            per_item[item.pk] = {pk: _rates_score(round_, item, cases[pk]) for pk in unit_ids}
        elif item.source == ItemSource.SUGGESTION_HANDLING:
            suggestions = suggestions if suggestions is not None else suggestion_rows(unit_ids, start, end)
            per_item[item.pk] = {pk: _rates_score(round_, item, suggestions[pk]) for pk in unit_ids}
        elif item.source == ItemSource.STATION_VISITS:
            per_item[item.pk] = _visits(round_, item, unit_ids, start, end)
        elif item.source == ItemSource.SURVEY:
            per_item[item.pk] = _survey(round_, item, unit_ids)
        else:
            per_item[item.pk] = _entered(round_, item, unit_ids)
    results = []
    for unit in units:
        row = UnitScore(unit=unit, items=[per_item[item.pk][unit.pk] for item in items])
        weighted = [s for s in row.items if s.item.weight > 0]
        missing = [s.item.name for s in weighted if s.score is None]
        total_weight = sum((s.item.weight for s in weighted), Decimal(0))
        if missing:
            # in the language of whoever computes (the page's reader; the publisher for a published table)
            row.note = _("样本不足，不参与排名：%(items)s") % {"items": _("、").join(missing)}
        elif not total_weight:
            row.note = _("没有计分项目。")
        else:
            row.total = _q(sum(s.score * s.item.weight for s in weighted) / total_weight)
            row.ranked = True
        results.append(row)
    ranked = sorted((r for r in results if r.ranked), key=lambda r: (-r.total, r.unit.code))
    for index, row in enumerate(ranked):
        row.rank = ranked[index - 1].rank if index and row.total == ranked[index - 1].total else index + 1
    unranked = [r for r in results if not r.ranked]
    return ranked + unranked


def formula(item: AppraisalItem, round_: AppraisalRound) -> str:
    """The method of one item in words, in the reader's language (shown on the leaderboard and the details page)."""
    scores = _("满意 %(satisfied)s 分、基本满意 %(basically)s 分、不满意 %(unsatisfied)s 分") % {
        "satisfied": f"{round_.score_satisfied:g}",
        "basically": f"{round_.score_basically_satisfied:g}",
        "unsatisfied": f"{round_.score_unsatisfied:g}",
    }
    minimum = min_sample(item)
    if item.source in (ItemSource.CASE_HANDLING, ItemSource.SUGGESTION_HANDLING):
        what = _("交办民意件") if item.source == ItemSource.CASE_HANDLING else _("主办、分办的代表建议")
        weights = _("、").join(f"{RATE_PARTS[k]} {w:g}" for k, w in _weights(item).items())
        return _(
            "统计期内%(what)s：办复率 = 已答复 ÷ 交办（不含撤回、退回）；按期率 = 期限内答复 ÷ 已答复；"
            "满意度得分按%(scores)s取平均（未评价办结单列，不计入满意）。项目得分 = 加权平均（%(weights)s），"
            "交办不足 %(minimum)s 件不计分。"
        ) % {"what": what, "scores": scores, "weights": weights, "minimum": minimum}
    if item.source == ItemSource.STATION_VISITS:
        target = (item.params or {}).get("target", 4) if isinstance(item.params, dict) else 4
        return _("统计期内部门负责人进联络站次数 ÷ 目标 %(target)s 次 × 100，最高 100 分。") % {"target": target}
    if item.source == ItemSource.SURVEY:
        return _(
            "评议意见征集期间代表和群众测评：%(scores)s，取平均；“不了解”不计入；有效评价不足 %(minimum)s 份不计分。"
        ) % {"scores": scores, "minimum": minimum}
    if item.source == ItemSource.MEMBER_SCORES:
        return _("常委会组成人员评分（0–100）的平均分，至少 %(minimum)s 份评分。") % {
            "minimum": conf.appraisal_min_scorers()
        }
    return _("人大办评分（0–100）的平均分，至少 %(minimum)s 份评分。") % {"minimum": conf.appraisal_min_scorers()}
