"""POST /api/v1/triage: the classifier's category for a text (staff, and the report page while a citizen types)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from lianxin.api.errors import errors_documented
from lianxin.errors import DomainError, InvalidInput
from lianxin.throttle import limits
from lianxin.triage import current, selectors
from lianxin.triage.schemas import TriageIn, TriageOut

router = Router(tags=["triage"])

MIN_CHARACTERS = 4


class TriageUnavailable(DomainError):
    status = 503
    code = "triage_unavailable"


@router.post(
    "/triage",
    auth=None,
    response={200: TriageOut, **errors_documented(400, 422, 429, 503)},
    summary="按标题和内容建议一级分类（公开，限频）",
    description=(
        "返回最可能的一级分类、置信度（已校准的概率）和其次可能的分类。建议只是建议：群众或工作人员自己选的分类"
        "优先，且与建议分开保存。标题和内容合计少于 4 个字答 422；尚未构建模型答 503 `triage_unavailable`。"
    ),
)
def triage(request: HttpRequest, payload: TriageIn):
    limits.check(request, "triage")
    title, details = payload.title.strip(), payload.details.strip()
    if len(title) + len(details) < MIN_CHARACTERS:
        raise InvalidInput(
            _("请至少输入 %(n)s 个字再获取分类建议。") % {"n": MIN_CHARACTERS}, fields={"details": [_("内容过短。")]}
        )
    try:
        proposal = selectors.propose(title, details)
    except current.Unavailable:
        raise TriageUnavailable(_("分类模型尚未构建，暂不能建议分类。")) from None
    best = proposal.best
    return {
        "category": best.label,
        "category_id": best.category_id,
        "confidence": best.confidence,
        "alternatives": [
            {"category": c.label, "category_id": c.category_id, "confidence": c.confidence}
            for c in proposal.alternatives
        ],
        "confident": best.confidence >= settings.TRIAGE_AUTO_CONFIDENCE,
        "model": proposal.model,
        "subcategory": proposal.sub.label if proposal.sub else None,
        "subcategory_id": proposal.sub.category_id if proposal.sub else None,
        "subcategory_confidence": proposal.sub.confidence if proposal.sub else None,
    }
