"""Periodic jobs of the case loop (django-q schedules in migration 0002_schedules, every 10 minutes).

Each job is safe to run twice and re-reads everything from the database.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.cases import deadlines, recovery, services
from lianxin.cases.enums import OPEN_STATES, Light, Status
from lianxin.cases.models import Case
from lianxin.cases.notices import SUBJECT, notify
from lianxin.notifications.models import Notification

# Above this many rows per light, the UPDATE is split so no database hits its bound-parameter limit.
UPDATE_BATCH = 5000
CLOCK_STATES = (Status.REGISTERED, Status.DISPATCHED, Status.CLAIMED)


def recompute_lights(now=None) -> dict[str, list[int]]:
    """Set Case.light of open cases from their running clock; only changed rows, one UPDATE per light value.

    Returns {light: [case ids that changed to it]}.
    """
    now = now or timezone.now()
    fields = ("pk", "status", "light", "created_at", "ack_due_at", "dispatched_at", "claim_due_at", "handle_due_at")
    changed: dict[str, list[int]] = defaultdict(list)
    rows = Case.objects.filter(status__in=sorted(OPEN_STATES)).exclude(
        status__in=sorted(set(OPEN_STATES) - set(CLOCK_STATES)), light=Light.NONE
    )
    for case in rows.only(*fields).iterator(chunk_size=2000):
        start, due = deadlines.current_phase(case)
        light = deadlines.light_for(start, due, now)
        if light != case.light:
            changed[str(light)].append(case.pk)
    for light, ids in changed.items():
        for i in range(0, len(ids), UPDATE_BATCH):
            Case.objects.filter(pk__in=ids[i : i + UPDATE_BATCH]).update(light=light)
    return dict(changed)


def close_unrated_cases(now=None) -> int:
    """Close fed-back cases whose rating window has passed, as 'not rated' (never counted as satisfied)."""
    now = now or timezone.now()
    ids = Case.objects.filter(status=Status.FED_BACK, rating_due_at__lt=now).values_list("pk", flat=True)
    closed = 0
    for case_id in list(ids):
        if services.case_close_unrated(case_id=case_id) is not None:
            closed += 1
    return closed


def _overdue_recipients(case: Case) -> list[User]:
    """Who hears that a case is overdue: staff of its station (or, without one, of the stations covering its
    division), its deputy while it awaits acknowledgement, and the unit holding it."""
    memberships = Membership.objects.filter(active=True, user__is_active=True)
    if case.station_id:
        station_q = Q(station_id=case.station_id)
    elif case.division_id:
        station_q = Q(station__division_id__in=[*case.division.ancestor_ids(), case.division_id])
    else:
        station_q = Q(pk__in=[])
    q = Q(role=Role.STATION) & station_q
    if case.status in (Status.DISPATCHED, Status.CLAIMED) and case.current_unit_id:
        q |= Q(role=Role.UNIT, unit_id=case.current_unit_id)
    ids = set(memberships.filter(q).values_list("user_id", flat=True))
    if case.status == Status.REGISTERED and case.deputy_id and case.deputy.user_id:
        ids.add(case.deputy.user_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def remind_overdue() -> int:
    """Notify once per overdue clock: red cases with no 'case.overdue' notification since their deadline passed."""
    reminded = Notification.objects.filter(
        subject_type=SUBJECT, subject_id=OuterRef("pk"), event="case.overdue", created_at__gte=OuterRef("due_at")
    )
    cases = (
        Case.objects.filter(status__in=CLOCK_STATES, light=Light.RED, due_at__isnull=False)
        .exclude(Exists(reminded))
        .select_related("deputy", "division")
    )
    count = 0
    for case in cases:
        users = _overdue_recipients(case)
        if users:
            notify(case, "case.overdue", users=users)
            count += 1
    return count


def send_follow_up_code(record_id: int) -> bool:
    """Send the SMS code of a lost-link recovery (cases/recovery.py) once its request committed."""
    return recovery.follow_up_code_deliver(record_id)
