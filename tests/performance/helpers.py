"""Builders for the performance tests: real rows of the other areas (through their services where it is cheap)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lianxin.cases import services as case_services
from lianxin.cases.codes import follow_up_token
from lianxin.duty.models import DutyShift
from lianxin.voters.models import ContactCheck, SampleDraw, VoterContact
from tests.factories import submit_case


def shift(district, day: dt.date, state: str, *, deputy=None, station=None) -> DutyShift:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    return DutyShift.objects.create(
        station=station or district.station,
        deputy=deputy or district.deputy,
        date=day,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        state=state,
    )


def verified_contact(district, day: dt.date, result: str = "confirmed", *, deputy=None) -> VoterContact:
    contact = VoterContact.objects.create(
        deputy=deputy or district.deputy, contacted_on=day, way="visit", summary="入户走访"
    )
    draw = SampleDraw.objects.create(month=day.replace(day=1), seed=1, pool_size=1)
    ContactCheck.objects.create(draw=draw, contact=contact, result=result, checked_at=timezone.now())
    return contact


def acknowledged_case(district, *, actor=None):
    case = submit_case()
    case_services.case_acknowledge(actor=actor or district.deputy_user, case_id=case.pk, message="收到，我来跟进。")
    return case


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


def ensure_defaults() -> None:
    """Transactional (browser) tests flush the tables between tests, data-migration rows included: put the
    seeded defaults back with the migration's own function (it only adds what is missing)."""
    import importlib

    from django.apps import apps

    importlib.import_module("lianxin.performance.migrations.0002_defaults").seed(apps, None)
