"""A small dataset of deputies' activity (duty shifts, receptions, voter contacts, points) on top of the cockpit's
world, and the direct counts the deputies' table must equal (the definitions of docs/cockpit.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.cockpit.periods import Period, created_q
from lianxin.duty.models import Reception
from lianxin.organisation.models import Deputy
from lianxin.points.enums import Activity, EntryState
from lianxin.points.models import PointsEntry
from lianxin.points.selectors import period_bounds, periods_covering
from lianxin.voters.models import VoterContact
from tests.points.helpers import shift

TODAY = timezone.localdate()
LAST_YEAR = dt.date(TODAY.year - 1, 6, 15)


def contact(deputy, day):
    return VoterContact.objects.create(deputy=deputy, contacted_on=day, way="visit", summary="入户走访")


def points(deputy, day, value, state=EntryState.COUNTED):
    return PointsEntry.objects.create(
        deputy=deputy,
        activity=Activity.MANUAL,
        points=Decimal(value),
        occurred_on=day,
        evidence_type="manual",
        reason="测试",
        state=state,
    )


def add_activity(world):
    """Today: 王代表 present, 周代表 late, 吴代表 absent at 东湖; 李代表 present at 西山. A reception day at each
    station with those present. Contacts: 王 2, 李 1. Points counted: 王 3 + 2.5, 李 1; a pending entry and
    everything dated last year must not count."""
    d = world.district
    zhou = Deputy.objects.create(code="d-zhou", name="周代表")
    zhou.stations.add(d.station)
    wu = Deputy.objects.create(code="d-wu", name="吴代表")
    wu.stations.add(d.station)
    shift(d, TODAY, "present")
    shift(d, TODAY, "late", deputy=zhou)
    shift(d, TODAY, "absent", deputy=wu)
    shift(d, TODAY, "present", deputy=d.other_deputy, station=d.other_station)
    shift(d, LAST_YEAR, "present")
    here = Reception.objects.create(station=d.station, date=TODAY, visitor_count=3)
    here.deputies_present.set([d.deputy, zhou])
    there = Reception.objects.create(station=d.other_station, date=TODAY, visitor_count=1)
    there.deputies_present.set([d.other_deputy])
    old = Reception.objects.create(station=d.station, date=LAST_YEAR, visitor_count=1)
    old.deputies_present.set([d.deputy])
    for deputy, day in ((d.deputy, TODAY), (d.deputy, TODAY), (d.deputy, LAST_YEAR), (d.other_deputy, TODAY)):
        contact(deputy, day)
    points(d.deputy, TODAY, "3")
    points(d.deputy, TODAY, "2.5")
    points(d.deputy, TODAY, "10", state=EntryState.PENDING)
    points(d.deputy, LAST_YEAR, "5")
    points(d.other_deputy, TODAY, "1")
    world.zhou, world.wu = zhou, wu
    return world


def direct_counts(division, deputy, period: Period) -> dict:
    """One deputy's numbers in one scope and period, counted straight from the records."""
    start, end = period.start, period.end
    cases = Case.objects.filter(created_q(period), deputy=deputy, division__path__startswith=division.path)
    shifts = deputy.duty_shifts.filter(
        station__division__path__startswith=division.path, date__range=(start, end), state__in=["present", "late"]
    )
    receptions = deputy.receptions.filter(station__division__path__startswith=division.path, date__range=(start, end))
    contacts = VoterContact.objects.filter(deputy=deputy, contacted_on__range=(start, end))
    # points are capped per quarter or year, so the cockpit reads the whole periods the dates touch (no rule, no cap
    # here): counted entries from the first touched period's start to the last one's end
    units = periods_covering(start, end)
    first, last = period_bounds(*units[0])[0], period_bounds(*units[-1])[1] - dt.timedelta(days=1)
    counted = PointsEntry.objects.filter(deputy=deputy, state="counted", occurred_on__range=(first, last))
    return {
        "cases": cases.count(),
        "visits": cases.filter(channel="visit").count(),
        "qr": cases.filter(channel="qr_deputy").count(),
        "duty_shifts": shifts.count(),
        "duty_receptions": receptions.count(),
        "voter_contacts": contacts.count(),
        "points": float(sum(counted.values_list("points", flat=True), Decimal(0))),
    }


def activity_total(counts: dict) -> int:
    """The ranking's total: matters + duty shifts attended + voter contacts."""
    return counts["cases"] + counts["duty_shifts"] + counts["voter_contacts"]
