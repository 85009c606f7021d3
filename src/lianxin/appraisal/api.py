"""The department appraisal over the API: the public leaderboard and its details, entered scores, deputies'
opinions. Endpoints parse input, call services/selectors, render."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja import Status as HttpStatus

from lianxin.api.auth import token_auth
from lianxin.api.errors import errors_documented
from lianxin.api.schemas import MAX_ID
from lianxin.appraisal import compute, conf, selectors, services
from lianxin.appraisal.schemas import ItemDetailOut, LeaderboardOut, OpinionIn, OpinionOut, ScoreIn, ScoreOut
from lianxin.errors import NotFound

router = Router(tags=["appraisal"])

Id = Path(..., ge=1, le=MAX_ID)
Year = Path(..., ge=2000, le=2100)


def _published(year: int):
    round_ = selectors.published_round(year)
    if round_ is None:
        raise NotFound(_("该年度评议结果尚未公布。"))
    return round_


@router.get(
    "/appraisal/{year}",
    response={200: LeaderboardOut, **errors_documented(404, 422)},
    summary="部门工作评议排行榜（公开）",
    description="公布后任何人可查：名次、总分、各项目得分和明细地址，以及计算方法。",
)
def leaderboard(request: HttpRequest, year: int = Year):
    round_ = _published(year)
    items = list(round_.items.order_by("order", "id"))
    results = []
    for r in selectors.leaderboard(round_):
        results.append(
            {
                "unit_code": r.unit.code,
                "unit_name": r.unit.name,
                "rank": r.rank,
                "ranked": r.ranked,
                "total": None if r.total is None else float(r.total),
                "note": r.note,
                "items": [
                    {
                        "item_id": i.item_id,
                        "name": i.item.name,
                        "weight": float(i.item.weight),
                        "score": None if i.score is None else float(i.score),
                        "sample": i.sample,
                        "enough": i.enough,
                        "details_url": reverse("appraisal:detail", args=[round_.year, r.unit.code, i.item_id]),
                    }
                    for i in r.items.all()
                ],
            }
        )
    return {
        "year": round_.year,
        "title": round_.title,
        "period_start": round_.period_start,
        "period_end": round_.period_end,
        "published_at": round_.published_at,
        "min_sample": conf.appraisal_min_sample(),
        "methods": [
            {
                "item_id": i.pk,
                "name": i.name,
                "weight": float(i.weight),
                "source": i.source,
                "method": compute.formula(i, round_),
            }
            for i in items
        ],
        "results": results,
    }


@router.get(
    "/appraisal/{year}/units/{unit_code}/items/{item_id}",
    response={200: ItemDetailOut, **errors_documented(404, 422)},
    summary="排行榜某单位某项目的计算明细（公开）",
)
def item_detail(request: HttpRequest, unit_code: str, year: int = Year, item_id: int = Id):
    round_ = _published(year)
    row = selectors.item_result(round_, unit_code[:40], item_id)
    if row is None:
        raise NotFound(_("找不到该明细。"))
    return {
        "year": round_.year,
        "unit_code": row.result.unit.code,
        "unit_name": row.result.unit.name,
        "item_id": row.item_id,
        "name": row.item.name,
        "score": None if row.score is None else float(row.score),
        "sample": row.sample,
        "enough": row.enough,
        "method": compute.formula(row.item, round_),
        "details": row.details,
    }


@router.post(
    "/appraisal/{year}/scores",
    auth=token_auth,
    response={200: ScoreOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="录入评分（常委会组成人员评分项由领导录入，人大办评分项由人大办录入）",
)
def score(request: HttpRequest, payload: ScoreIn, year: int = Year):
    round_ = selectors.round_by_year(year)
    if round_ is None or not round_.items.filter(pk=payload.item_id).exists():
        raise NotFound(_("找不到该评议项目。"))
    row = services.score_enter(actor=request.auth, **payload.model_dump())
    return {"item_id": row.item_id, "unit_id": row.unit_id, "score": float(row.score), "note": row.note}


@router.post(
    "/appraisal/{year}/opinions",
    auth=token_auth,
    response={201: OpinionOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="代表在意见征集期内评议部门（每个部门一次）",
)
def opinion(request: HttpRequest, payload: OpinionIn, year: int = Year):
    row = services.opinion_submit_deputy(actor=request.auth, year=year, **payload.model_dump())
    return HttpStatus(201, {"id": row.pk, "unit_id": row.unit_id, "rating": row.rating})
