"""Builders for the appraisal tests: real rows of the other areas, through their services."""

from __future__ import annotations

from lianxin.cases import services as case_services
from lianxin.cases.codes import follow_up_token
from tests.factories import submit_case


def handled_case(district, *, unit=None, rating: str | None = "satisfied", reply: bool = True):
    """A case dispatched to `unit` (default: district.unit), replied, fed back and (optionally) rated."""
    unit = unit or district.unit
    unit_user = district.unit_user if unit.pk == district.unit.pk else district.other_unit_user
    case = submit_case()
    case_services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到")
    case_services.case_dispatch(actor=district.office, case_id=case.pk, unit_id=unit.pk, request_type="help")
    case_services.case_claim(actor=unit_user, case_id=case.pk)
    if reply:
        case_services.case_reply(actor=unit_user, case_id=case.pk, message="已处理。")
        case_services.case_feedback(actor=district.station_staff, case_id=case.pk, message="已处理，请查看。")
        if rating:
            case_services.case_rate(
                tracking_code=case.tracking_code,
                token=follow_up_token(case.tracking_code),
                rating=rating,
                comment="还是没有解决。" if rating == "unsatisfied" else "",
            )
    case.refresh_from_db()
    return case
