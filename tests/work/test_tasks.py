"""The periodic jobs: traffic lights, closing unrated cases, overdue reminders; and their django-q schedules."""

import datetime as dt

import pytest
from django.utils import timezone
from django_q.models import Schedule

from lianxin.audit.models import AuditEntry
from lianxin.cases import services, tasks
from lianxin.cases.models import Case
from lianxin.notifications.models import Notification
from tests.factories import submit_case
from tests.work.helpers import case_at

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def _shift(case, **deltas):
    """Move the case's clocks into the past by the given timedeltas (field=delta)."""
    values = {name: getattr(case, name) - delta for name, delta in deltas.items()}
    Case.objects.filter(pk=case.pk).update(**values)
    case.refresh_from_db()
    return case


def test_recompute_lights_sets_each_light_with_one_update_per_value(district, django_assert_num_queries):
    now = timezone.now()
    green = submit_case()
    yellow = _shift(submit_case(), created_at=20 * HOUR, ack_due_at=20 * HOUR)  # 20 of 24 h gone: 83 %
    red = _shift(submit_case(), created_at=30 * HOUR, ack_due_at=30 * HOUR)
    red_too = _shift(submit_case(), created_at=25 * HOUR, ack_due_at=25 * HOUR)
    claimed = case_at(district, "claimed")
    claimed_red = _shift(claimed, dispatched_at=dt.timedelta(days=60), handle_due_at=dt.timedelta(days=60))
    done = case_at(district, "fed_back")
    Case.objects.filter(pk=done.pk).update(light="red")  # stale light on a case without a running clock
    assert Case.objects.get(pk=green.pk).light == "green"

    with django_assert_num_queries(4):  # one read, one UPDATE for red, one for yellow, one for none
        changed = tasks.recompute_lights(now)
    assert {k: sorted(v) for k, v in changed.items()} == {
        "yellow": [yellow.pk],
        "red": sorted([red.pk, red_too.pk, claimed_red.pk]),
        "none": [done.pk],
    }
    lights = dict(Case.objects.values_list("pk", "light"))
    assert (lights[green.pk], lights[yellow.pk], lights[red.pk], lights[claimed_red.pk], lights[done.pk]) == (
        "green",
        "yellow",
        "red",
        "red",
        "none",
    )
    with django_assert_num_queries(1):  # nothing changed: nothing written
        assert tasks.recompute_lights(now) == {}


def test_close_unrated_cases_closes_only_those_past_the_rating_window(district):
    due = _shift(case_at(district, "fed_back"), rating_due_at=dt.timedelta(days=30))
    waiting = case_at(district, "fed_back")
    assert tasks.close_unrated_cases() == 1
    due.refresh_from_db()
    waiting.refresh_from_db()
    assert (due.status, due.closed_unrated, due.rating) == ("closed", True, "")
    assert waiting.status == "fed_back"
    assert AuditEntry.objects.filter(action="case.closed_unrated").count() == 1
    assert tasks.close_unrated_cases() == 0


def test_remind_overdue_notifies_the_people_holding_the_case_once(district):
    late = _shift(submit_case(), created_at=30 * HOUR, ack_due_at=30 * HOUR, due_at=30 * HOUR)
    # Raised through the deputy's own QR code: no station; the street's station covers the deputy's grid.
    late_for_deputy = _shift(
        submit_case(station_code="", deputy_code="d-wang", channel="qr_deputy"),
        created_at=30 * HOUR,
        ack_due_at=30 * HOUR,
        due_at=30 * HOUR,
    )
    late_at_unit = _shift(
        case_at(district, "dispatched"),
        dispatched_at=dt.timedelta(days=5),
        claim_due_at=dt.timedelta(days=5),
        due_at=dt.timedelta(days=5),
    )
    on_time = submit_case()
    tasks.recompute_lights()
    assert tasks.remind_overdue() == 3

    def recipients(case):
        return set(
            Notification.objects.filter(subject_type="case", subject_id=case.pk, event="case.overdue").values_list(
                "recipient_user__username", flat=True
            )
        )

    assert recipients(late) == {"station"}
    assert recipients(late_for_deputy) == {"station", "deputy"}
    assert recipients(late_at_unit) == {"station", "unit"}
    assert recipients(on_time) == set()
    assert tasks.remind_overdue() == 0  # already reminded for this deadline

    # An approved extension moves the deadline; when that one passes too, a new reminder goes out.
    case = case_at(district, "claimed")
    services.case_request_extension(actor=district.unit_user, case_id=case.pk, workdays=2, reason="协调")
    services.case_decide_extension(actor=district.station_staff, case_id=case.pk, approve=True)
    case.refresh_from_db()
    _shift(case, dispatched_at=dt.timedelta(days=60), handle_due_at=dt.timedelta(days=60), due_at=dt.timedelta(days=60))
    tasks.recompute_lights()
    assert tasks.remind_overdue() == 1
    assert recipients(case) == {"station", "unit"}


def test_jobs_are_scheduled_every_ten_minutes():
    # the hourly purge of expired duplicate-intake keys (cases/duplicates.py) is not one of the ten-minute jobs
    schedules = {
        s.func: s for s in Schedule.objects.filter(name__startswith="cases.").exclude(name="cases.purge_recent_intakes")
    }
    assert sorted(schedules) == [
        "lianxin.cases.tasks.close_unrated_cases",
        "lianxin.cases.tasks.recompute_lights",
        "lianxin.cases.tasks.remind_overdue",
    ]
    assert {(s.schedule_type, s.minutes, s.repeats) for s in schedules.values()} == {(Schedule.MINUTES, 10, -1)}
