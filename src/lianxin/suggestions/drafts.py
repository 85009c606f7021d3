"""A draft made for the case loop: staff or a deputy convert a case (cases.services.case_convert), which
asks this service for the draft. It imports nothing of the case app's services, so the two never import
each other in a circle (suggestions/drafting.py, which does call cases.services, is not imported here)."""

from __future__ import annotations

from lianxin.suggestions.common import log
from lianxin.suggestions.models import Suggestion

TITLE_MAX = 200


def suggestion_draft_for_case(*, actor, case, lead_deputy) -> Suggestion:
    """A new draft titled and described after `case`, led by `lead_deputy` (may be None until the office
    assigns one), with its audit entry. The case service has checked the actor may convert the case and
    runs this in its transaction; it then links the case to the draft."""
    suggestion = Suggestion.objects.create(
        title=case.title[:TITLE_MAX], situation=case.details, lead_deputy=lead_deputy, created_by=actor
    )
    log(actor, suggestion, "drafted", message=suggestion.title, case_ids=[case.pk])
    return suggestion
