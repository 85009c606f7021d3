"""Cases in a given state, moved there through the real services by the right personas."""

from __future__ import annotations

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.models import Case
from tests.factories import submit_case


def case_at(district, status: str, **fields) -> Case:
    """A case of the district's station in `status` (registered, acknowledged, dispatched, claimed, replied,
    fed_back, with_extension)."""
    case = submit_case(**fields)
    steps = ["acknowledged", "dispatched", "claimed", "with_extension", "replied", "fed_back"]
    if status == "registered":
        return case
    if status == "replied":
        steps.remove("with_extension")
    for step in steps:
        if step == "acknowledged":
            services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到，我来跟进。")
        elif step == "dispatched":
            services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
        elif step == "claimed":
            services.case_claim(actor=district.unit_user, case_id=case.pk)
        elif step == "with_extension":
            services.case_request_extension(actor=district.unit_user, case_id=case.pk, workdays=3, reason="需要协调")
        elif step == "replied":
            services.case_reply(actor=district.unit_user, case_id=case.pk, message="已更换灯泡。")
        elif step == "fed_back":
            services.case_feedback(actor=district.deputy_user, case_id=case.pk, message="已修好。")
        if step == status:
            break
    case.refresh_from_db()
    return case


def audit_count(case) -> int:
    return AuditEntry.objects.filter(subject_type="case", subject_id=case.pk).count()
