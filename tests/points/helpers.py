"""Builders for the points and appraisal tests: real rows of the other areas (through their services where it is cheap)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lianxin.cases import services as case_services
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


def ensure_defaults() -> None:
    """Transactional (browser) tests flush the tables between tests, data-migration rows included: put the
    seeded defaults back with the migration's own function (it only adds what is missing)."""
    import importlib

    from lianxin.appraisal.models import AppraisalItemDefault
    from lianxin.points.models import AssessmentRequirement, AssessmentStandard, PointsRule

    defaults = importlib.import_module("lianxin.performance.migrations.0002_defaults")
    defaults.seed_models(PointsRule, AssessmentStandard, AssessmentRequirement, AppraisalItemDefault)
