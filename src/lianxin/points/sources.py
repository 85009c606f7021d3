"""Where automatic points come from: one finder per activity reads another area's data and yields the evidence.

Each finder returns `Evidence` rows (deputy, day, evidence type and id, label) for everything on or after
`since` (all history when None). The ledger keeps one entry per (deputy, activity, evidence), so finders may
return the same evidence again and again: scanning is idempotent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.duty.models import DutyShift
from lianxin.organisation.models import Deputy
from lianxin.points.enums import Activity
from lianxin.suggestions.models import Cosigner, Suggestion
from lianxin.voters.enums import CheckResult, ReportStatus
from lianxin.voters.models import ContactCheck, VoterReport


@dataclass(frozen=True)
class Evidence:
    deputy_id: int
    occurred_on: dt.date
    evidence_type: str
    evidence_id: int
    label: str


def _start(since: dt.date | None) -> dt.datetime | None:
    if since is None:
        return None
    return timezone.make_aware(dt.datetime.combine(since, dt.time.min))


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def _short(text: str, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- cases: a deputy answered a matter within the 24-hour limit (我应) ----------------------------------------


def case_acknowledgements(since: dt.date | None) -> Iterator[Evidence]:
    """A deputy's acknowledgement within the limit. A deputy's own visit record is acknowledged by being
    recorded (cases.services.case_acknowledge_own_visit, its entry marked on_record): nothing was answered in
    time, so it earns nothing."""
    audits = AuditEntry.objects.filter(action="case.acknowledged", subject_type="case", actor__deputy__isnull=False)
    start = _start(since)
    if start is not None:
        audits = audits.filter(created_at__gte=start)
    rows = [
        (deputy_id, case_id, at)
        for deputy_id, case_id, at, on_record in audits.order_by("id").values_list(
            "actor__deputy__id", "subject_id", "created_at", "data__on_record"
        )
        if on_record is not True
    ]
    cases = {
        pk: (due, code, title)
        for pk, due, code, title in Case.objects.filter(pk__in={row[1] for row in rows}).values_list(
            "pk", "ack_due_at", "tracking_code", "title"
        )
    }
    for deputy_id, case_id, at in rows:
        case = cases.get(case_id)
        if case is None or case[0] is None or at > case[0]:
            continue
        yield Evidence(deputy_id, _day(at), "case", case_id, f"{case[1]} {_short(case[2])}")


# --- duty: attendance of roster shifts ----------------------------------------------------------------------


def _shifts(since: dt.date | None, state: str) -> Iterator[Evidence]:

    shifts = DutyShift.objects.filter(state=state)
    if since is not None:
        shifts = shifts.filter(date__gte=since)
    for pk, deputy_id, day, station in shifts.order_by("id").values_list("pk", "deputy_id", "date", "station__name"):
        yield Evidence(deputy_id, day, "duty_shift", pk, f"{station} {day:%Y-%m-%d} 值班")


def duty_attended(since):
    return _shifts(since, "present")


def duty_late(since):
    return _shifts(since, "late")


def duty_absent(since):
    return _shifts(since, "absent")


# --- voters: contacts confirmed by call-back, reports to voters held ----------------------------------------


def voter_contacts_verified(since: dt.date | None) -> Iterator[Evidence]:

    checks = ContactCheck.objects.filter(result=CheckResult.CONFIRMED)
    if since is not None:
        checks = checks.filter(contact__contacted_on__gte=since)
    rows = checks.order_by("id").values_list("contact_id", "contact__deputy_id", "contact__contacted_on")
    for contact_id, deputy_id, day in rows:
        yield Evidence(deputy_id, day, "voter_contact", contact_id, f"{day:%Y-%m-%d} 联系选民（回访属实）")


def voter_reports(since: dt.date | None) -> Iterator[Evidence]:

    reports = VoterReport.objects.filter(
        status__in=[ReportStatus.PUBLISHED, ReportStatus.RESULT_PUBLISHED], held_on__lte=timezone.localdate()
    )
    if since is not None:
        reports = reports.filter(held_on__gte=since)
    for pk, deputy_id, day, title in reports.order_by("id").values_list("pk", "deputy_id", "held_on", "title"):
        yield Evidence(deputy_id, day, "voter_report", pk, _short(title))


# --- suggestions: accepted (立案) suggestions, the lead and the confirmed co-signers --------------------------


def suggestions_led(since: dt.date | None) -> Iterator[Evidence]:
    rows = Suggestion.objects.filter(accepted_at__isnull=False, lead_deputy__isnull=False)
    start = _start(since)
    if start is not None:
        rows = rows.filter(accepted_at__gte=start)
    for pk, deputy_id, at, number, title in rows.order_by("id").values_list(
        "pk", "lead_deputy_id", "accepted_at", "number", "title"
    ):
        yield Evidence(deputy_id, _day(at), "suggestion", pk, _short(f"{number} {title}".strip()))


def suggestions_cosigned(since: dt.date | None) -> Iterator[Evidence]:
    rows = Cosigner.objects.filter(confirmed_at__isnull=False, suggestion__accepted_at__isnull=False)
    start = _start(since)
    if start is not None:
        rows = rows.filter(suggestion__accepted_at__gte=start)
    for deputy_id, pk, at, number, title in rows.order_by("id").values_list(
        "deputy_id", "suggestion_id", "suggestion__accepted_at", "suggestion__number", "suggestion__title"
    ):
        yield Evidence(deputy_id, _day(at), "suggestion", pk, _short(f"{number} {title}".strip()))


# --- base points: one entry per active deputy and year ------------------------------------------------------


def base_points(since: dt.date | None) -> Iterator[Evidence]:
    today = timezone.localdate()
    first = (since or today).year
    for deputy_id in Deputy.objects.filter(active=True).order_by("pk").values_list("pk", flat=True):
        for year in range(first, today.year + 1):
            yield Evidence(deputy_id, dt.date(year, 1, 1), "year", year, f"{year} 年度基础分")


FINDERS: dict[str, Callable[[dt.date | None], Iterator[Evidence]]] = {
    Activity.BASE: base_points,
    Activity.CASE_ACKNOWLEDGED: case_acknowledgements,
    Activity.DUTY_ATTENDED: duty_attended,
    Activity.DUTY_LATE: duty_late,
    Activity.DUTY_ABSENT: duty_absent,
    Activity.VOTER_CONTACT_VERIFIED: voter_contacts_verified,
    Activity.VOTER_REPORT: voter_reports,
    Activity.SUGGESTION_LEAD: suggestions_led,
    Activity.SUGGESTION_COSIGN: suggestions_cosigned,
}

# Where each kind of evidence can be opened on the work screens: (url name, argument from the entry).
EVIDENCE_LINKS: dict[str, tuple[str, str]] = {
    "case": ("cases:detail", "evidence_id"),
    "duty_shift": ("duty:shift", "evidence_id"),
    "voter_contact": ("voters:deputy", "deputy_id"),
    "voter_report": ("voters:report", "evidence_id"),
    "suggestion": ("suggestions:detail", "evidence_id"),
}
