"""Deputies' points over the API (the paths under /performance/ kept from the performance app). Endpoints parse
input, call services/selectors, render."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja import Status as HttpStatus

from lianxin.api.auth import token_auth
from lianxin.api.errors import errors_documented
from lianxin.api.schemas import MAX_ID
from lianxin.errors import NotFound
from lianxin.points import rules, selectors, services
from lianxin.points.enums import Activity
from lianxin.points.models import PointsEntry
from lianxin.points.schemas import (
    ApprovalIn,
    AssessmentOut,
    AssessmentQuery,
    ContestIn,
    ContestOut,
    DecisionIn,
    EntryOut,
    LedgerOut,
    LedgerQuery,
    ManualEntryIn,
    PeriodQuery,
    PublicationIn,
    PublicationOut,
    TableOut,
)

router = Router(tags=["points"])

Id = Path(..., ge=1, le=MAX_ID)


def _contest(c) -> dict:
    return {
        "id": c.pk,
        "entry_id": c.entry_id,
        "reason": c.reason,
        "state": c.state,
        "decision_note": c.decision_note,
        "raised_at": c.raised_at,
        "decided_at": c.decided_at,
    }


def _entry(e: PointsEntry) -> dict:
    return {
        "id": e.pk,
        "deputy_id": e.deputy_id,
        "activity": e.activity,
        "activity_label": str(Activity(e.activity).label),
        "points": float(e.points),
        "occurred_on": e.occurred_on,
        "state": e.state,
        "rule_version": e.rule.version if e.rule_id else None,
        "evidence_type": e.evidence_type,
        "evidence_id": e.evidence_id,
        "evidence_label": e.evidence_label,
        "evidence_url": selectors.evidence_url(e),
        "reason": e.reason,
        "contests": [_contest(c) for c in e.contests.all()],
    }


# --- points -------------------------------------------------------------------------------------------------------


@router.get(
    "/performance/points",
    auth=token_auth,
    response={200: TableOut, **errors_documented(401, 404, 422)},
    summary="代表履职积分排名（季度或全年）",
    description="人大办随时可看；领导和代表在本期公布后可看。",
)
def points_table(request: HttpRequest, filters: Query[PeriodQuery]):
    if not rules.can_open_points(request.auth):
        raise NotFound(_("找不到该积分表。"))
    published = selectors.is_published(filters.year, filters.quarter)
    if not (rules.is_office(request.auth) or published):
        raise NotFound(_("本期积分尚未公布。"))
    deputies = rules.table_deputies(request.auth, published=published)
    rows = selectors.table(deputies, year=filters.year, quarter=filters.quarter)
    items = [
        {
            "rank": r.rank,
            "deputy_id": r.deputy.pk,
            "deputy_code": r.deputy.code,
            "deputy_name": r.deputy.name,
            "total": float(r.total),
            "by_activity": {k: float(v) for k, v in r.by_activity.items()},
        }
        for r in rows
    ]
    return {"year": filters.year, "quarter": filters.quarter, "published": published, "items": items}


@router.get(
    "/performance/deputies/{deputy_id}/entries",
    auth=token_auth,
    response={200: LedgerOut, **errors_documented(401, 404, 422)},
    summary="代表的积分明细（含依据和异议）",
)
def ledger(request: HttpRequest, filters: Query[LedgerQuery], deputy_id: int = Id):
    deputy = rules.ledger_deputy(request.auth, deputy_id)
    entries = selectors.ledger(deputy, year=filters.year)
    total = entries.count()
    start = (filters.page - 1) * filters.page_size
    totals = selectors.deputy_totals(deputy, year=filters.year)
    return {
        "deputy_id": deputy.pk,
        "year": filters.year,
        "total": float(totals["year"]),
        "quarters": [float(q) for q in totals["quarters"]],
        "items": [_entry(e) for e in entries[start : start + filters.page_size]],
        "total_entries": total,
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post(
    "/performance/entries",
    auth=token_auth,
    response={201: EntryOut, **errors_documented(400, 401, 404, 422)},
    summary="人工加减分（人大办，须写理由）",
)
def manual_entry(request: HttpRequest, payload: ManualEntryIn):
    entry = services.entry_add_manual(actor=request.auth, **payload.model_dump())
    entry = selectors.ledger(entry.deputy).get(pk=entry.pk)
    return HttpStatus(201, _entry(entry))


@router.post(
    "/performance/entries/{entry_id}/contest",
    auth=token_auth,
    response={201: ContestOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="代表对本人的积分记录提出异议",
)
def contest(request: HttpRequest, payload: ContestIn, entry_id: int = Id):
    row = services.entry_contest(actor=request.auth, entry_id=entry_id, reason=payload.reason)
    return HttpStatus(201, _contest(row))


@router.post(
    "/performance/contests/{contest_id}/decision",
    auth=token_auth,
    response={200: ContestOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="人大办处理异议",
)
def contest_decision(request: HttpRequest, payload: DecisionIn, contest_id: int = Id):
    row = services.contest_decide(actor=request.auth, contest_id=contest_id, uphold=payload.uphold, note=payload.note)
    return _contest(row)


@router.post(
    "/performance/entries/{entry_id}/approval",
    auth=token_auth,
    response={200: EntryOut, **errors_documented(400, 401, 404, 409, 422)},
    summary="人大办审核需审核的积分记录",
)
def approval(request: HttpRequest, payload: ApprovalIn, entry_id: int = Id):
    entry = services.entry_decide(actor=request.auth, entry_id=entry_id, approve=payload.approve, note=payload.note)
    return _entry(selectors.ledger(entry.deputy).get(pk=entry.pk))


@router.post(
    "/performance/publications",
    auth=token_auth,
    response={200: PublicationOut, **errors_documented(400, 401, 409, 422)},
    summary="公布或撤回某季度（1–4）或全年（0）的积分表",
)
def publication(request: HttpRequest, payload: PublicationIn):
    row = services.period_publish(actor=request.auth, **payload.model_dump())
    return {"year": row.year, "quarter": row.quarter, "published": row.published, "published_at": row.published_at}


@router.get(
    "/performance/assessment",
    auth=token_auth,
    response={200: AssessmentOut, **errors_documented(401, 404, 422)},
    summary="年度履职考核（优秀/合格/不合格，未达要求的具体数字）",
)
def assessment(request: HttpRequest, filters: Query[AssessmentQuery]):
    if not rules.is_office(request.auth):
        raise NotFound(_("找不到该考核。"))
    items = selectors.assessment(rules.office_deputies(request.auth), year=filters.year, only_short=filters.short)
    return {
        "year": filters.year,
        "items": [
            {
                "deputy_id": a.deputy.pk,
                "deputy_code": a.deputy.code,
                "deputy_name": a.deputy.name,
                "total": float(a.total),
                "grade": a.grade,
                "grade_label": str(a.grade_label),
                "below_pass_points": a.below_points,
                "shortfalls": [{"metric": m, "actual": n, "minimum": k} for m, n, k in a.shortfalls],
            }
            for a in items
        ],
    }
