"""Every automatic source of points, read from the other areas' real rows; scanning twice adds nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.points.enums import Activity, EntryState
from lianxin.points.models import PointsEntry
from lianxin.points.services import points_scan
from lianxin.suggestions.models import Cosigner, Suggestion
from tests.points.helpers import acknowledged_case, shift, verified_contact
from tests.voters.helpers import open_report

pytestmark = pytest.mark.django_db


def _entries(activity, deputy=None):
    rows = PointsEntry.objects.filter(activity=activity)
    if deputy is not None:
        rows = rows.filter(deputy=deputy)
    return list(rows.values_list("deputy_id", "evidence_type", "evidence_id", "points", "state"))


def test_a_matter_acknowledged_by_the_deputy_within_24_hours_scores(district):
    on_time = acknowledged_case(district)
    late = acknowledged_case(district)
    Case.objects.filter(pk=late.pk).update(ack_due_at=timezone.now() - dt.timedelta(hours=1))
    by_staff = acknowledged_case(district, actor=district.station_staff)
    points_scan()
    assert _entries(Activity.CASE_ACKNOWLEDGED) == [
        (district.deputy.pk, "case", on_time.pk, Decimal("1.0"), EntryState.COUNTED)
    ]
    assert by_staff.pk not in {row[2] for row in _entries(Activity.CASE_ACKNOWLEDGED)}


def test_a_deputys_own_visit_record_acknowledged_on_recording_earns_nothing(district):
    from lianxin.audit.models import AuditEntry
    from lianxin.cases import services as case_services
    from lianxin.cases.intake import Submission, case_register

    visit, _ = case_register(
        submission=Submission(
            channel="visit",
            deputy_code=district.deputy.code,
            division_id=district.grid.pk,
            title="排水沟",
            details="村口排水沟堵塞。",
            consent=True,
        ),
        actor=district.deputy_user,
    )
    case_services.case_acknowledge_own_visit(actor=district.deputy_user, case_id=visit.pk)
    assert AuditEntry.objects.get(action="case.acknowledged", subject_id=visit.pk).data["on_record"] is True
    answered = acknowledged_case(district)  # a matter the deputy did answer in time still scores
    points_scan()
    assert [row[2] for row in _entries(Activity.CASE_ACKNOWLEDGED)] == [answered.pk]


def test_duty_shifts_attended_late_and_absent(district):
    today = timezone.localdate()
    present = shift(district, today - dt.timedelta(days=3), "present")
    late = shift(district, today - dt.timedelta(days=2), "late")
    absent = shift(district, today - dt.timedelta(days=1), "absent")
    shift(district, today + dt.timedelta(days=7), "planned")
    points_scan()
    assert _entries(Activity.DUTY_ATTENDED) == [
        (district.deputy.pk, "duty_shift", present.pk, Decimal("2.0"), "counted")
    ]
    assert _entries(Activity.DUTY_LATE) == [(district.deputy.pk, "duty_shift", late.pk, Decimal("1.0"), "counted")]
    assert _entries(Activity.DUTY_ABSENT) == [(district.deputy.pk, "duty_shift", absent.pk, Decimal("-1.0"), "counted")]


def test_voter_contacts_confirmed_by_call_back_and_reports_held(district):
    today = timezone.localdate()
    confirmed = verified_contact(district, today - dt.timedelta(days=5))
    verified_contact(district, today - dt.timedelta(days=4), "not_confirmed")
    verified_contact(district, today - dt.timedelta(days=3), "pending")
    report = open_report(district)
    points_scan()
    assert _entries(Activity.VOTER_CONTACT_VERIFIED) == [
        (district.deputy.pk, "voter_contact", confirmed.pk, Decimal("1.0"), "counted")
    ]
    assert _entries(Activity.VOTER_REPORT) == [
        (district.deputy.pk, "voter_report", report.pk, Decimal("5.0"), "counted")
    ]


def test_accepted_suggestions_score_the_lead_and_the_confirmed_cosigners(district):
    now = timezone.now()
    accepted = Suggestion.objects.create(
        title="加装电梯", lead_deputy=district.deputy, state="accepted", accepted_at=now, number="2026-001"
    )
    Cosigner.objects.create(suggestion=accepted, deputy=district.other_deputy, confirmed_at=now)
    draft = Suggestion.objects.create(title="草稿", lead_deputy=district.other_deputy, state="draft")
    Cosigner.objects.create(suggestion=draft, deputy=district.deputy, confirmed_at=now)
    points_scan()
    assert _entries(Activity.SUGGESTION_LEAD) == [
        (district.deputy.pk, "suggestion", accepted.pk, Decimal("3.0"), "counted")
    ]
    assert _entries(Activity.SUGGESTION_COSIGN) == [
        (district.other_deputy.pk, "suggestion", accepted.pk, Decimal("1.0"), "counted")
    ]


def test_base_points_once_a_year_for_every_active_deputy(district):
    points_scan(since=timezone.localdate().replace(month=1, day=1))
    year = timezone.localdate().year
    assert sorted(_entries(Activity.BASE)) == sorted(
        [(d.pk, "year", year, Decimal("60.0"), "counted") for d in (district.deputy, district.other_deputy)]
    )


def test_scanning_twice_adds_nothing_and_the_ledger_refuses_a_duplicate(district):
    today = timezone.localdate()
    present = shift(district, today - dt.timedelta(days=1), "present")
    acknowledged_case(district)
    first = points_scan()
    assert first[Activity.DUTY_ATTENDED] == 1 and first[Activity.CASE_ACKNOWLEDGED] == 1
    count = PointsEntry.objects.count()
    assert points_scan() == {}
    assert PointsEntry.objects.count() == count
    entry = PointsEntry.objects.get(activity=Activity.DUTY_ATTENDED)
    with pytest.raises(IntegrityError):
        PointsEntry.objects.create(
            deputy=district.deputy,
            rule=entry.rule,
            activity=Activity.DUTY_ATTENDED,
            points=2,
            occurred_on=today,
            evidence_type="duty_shift",
            evidence_id=present.pk,
        )


def test_the_hourly_schedule_runs_the_scan(district):
    from django_q.models import Schedule

    from lianxin.points import tasks

    schedule = Schedule.objects.get(name="points.scan_points")
    assert (schedule.func, schedule.schedule_type) == ("lianxin.points.tasks.scan_points", "H")
    shift(district, timezone.localdate() - dt.timedelta(days=1), "present")
    assert tasks.scan_points()[Activity.DUTY_ATTENDED] == 1
    assert tasks.scan_points() == {}
