"""The duty, events and appraisal cockpit hooks: rows and figures against direct counts, scoped by division."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.appraisal import selectors as appraisal_selectors
from lianxin.appraisal import services as appraisal_services
from lianxin.appraisal.enums import RoundState
from lianxin.appraisal.models import AppraisalResult, AppraisalRound
from lianxin.cockpit import extensions
from lianxin.duty import selectors as duty_selectors
from lianxin.duty.models import DutyShift, Reception
from lianxin.events import selectors as event_selectors
from lianxin.events.enums import EventKind, EventStatus
from lianxin.events.models import Event
from lianxin.organisation.models import Deputy, HandlingUnit
from tests.points.helpers import shift

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MONTH_START = TODAY - dt.timedelta(days=20)


@pytest.fixture
def duty(district):
    """东湖: two deputies present 5 days ago, one absent 4 days ago, one planned today, a reception with 7 visitors.
    西山: one present shift and one reception (the street must not count them). One present shift last year."""
    second = Deputy.objects.create(code="d-zhou", name="周代表")
    second.stations.add(district.station)
    shift(district, TODAY - dt.timedelta(days=5), "present")
    shift(district, TODAY - dt.timedelta(days=5), "late", deputy=second)
    shift(district, TODAY - dt.timedelta(days=4), "absent")
    shift(district, TODAY, "planned")
    shift(district, TODAY - dt.timedelta(days=400), "present")
    shift(
        district, TODAY - dt.timedelta(days=3), "present", deputy=district.other_deputy, station=district.other_station
    )
    Reception.objects.create(station=district.station, date=TODAY - dt.timedelta(days=5), visitor_count=7)
    Reception.objects.create(station=district.other_station, date=TODAY - dt.timedelta(days=3), visitor_count=2)
    return district


def test_duty_rows_are_attended_shifts_per_day_and_receptions(duty, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = duty_selectors.cockpit_work_items(division=duty.street, start=MONTH_START, end=TODAY)
    day = f"{TODAY - dt.timedelta(days=5):%Y-%m-%d}"
    assert sorted((r["kind"], r["date"], r["people"]) for r in rows) == [
        ("值班", day, "周代表、王代表"),
        ("接待", day, "来访7人"),
    ]
    assert {r["place"] for r in rows} == {duty.station.name}
    everything = duty_selectors.cockpit_work_items(division=duty.district, start=MONTH_START, end=TODAY)
    assert len(everything) == 4


def test_duty_figures_match_direct_counts(duty, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        figures = duty_selectors.cockpit_figures(division=duty.street, start=MONTH_START, end=TODAY)
    values = {f["key"]: f["value"] for f in figures}
    shifts = DutyShift.objects.filter(station=duty.station, date__range=(MONTH_START, TODAY))
    attended = shifts.filter(state__in=["present", "late"])
    past = shifts.filter(date__lt=TODAY)
    assert values["duty_shifts_attended"] == attended.count() == 2
    assert values["duty_attendance_rate"] == f"{attended.count() * 100 / past.count():.1f}%" == "66.7%"
    assert values["duty_receptions"] == 1
    district_values = {
        f["key"]: f["value"]
        for f in duty_selectors.cockpit_figures(division=duty.district, start=MONTH_START, end=TODAY)
    }
    assert district_values["duty_shifts_attended"] == 3
    assert district_values["duty_receptions"] == 2
    empty = duty_selectors.cockpit_figures(division=duty.street, start=dt.date(2000, 1, 1), end=dt.date(2000, 1, 31))
    assert {f["key"]: f["value"] for f in empty}["duty_attendance_rate"] == "—"


def _event(station, title, days_ago, *, kind=EventKind.THEME, status=EventStatus.PUBLISHED, unit=None):
    start = timezone.now() - dt.timedelta(days=days_ago)
    return Event.objects.create(
        station=station,
        unit=unit,
        kind=kind,
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=30,
        status=status,
        published_at=start - dt.timedelta(days=7),
    )


def test_event_rows_are_held_events_of_the_division(district, django_assert_max_num_queries):
    _event(district.station, "垃圾分类主题活动", 2)
    _event(district.station, "住建局进站面对面", 3, kind=EventKind.STATION_VISIT, unit=district.unit)
    _event(district.station, "草稿活动", 2, status=EventStatus.DRAFT)
    _event(district.station, "已取消活动", 2, status=EventStatus.CANCELLED)
    _event(district.station, "下周的活动", -7)
    _event(district.station, "去年的活动", 400)
    _event(district.other_station, "西山活动", 2)
    with django_assert_max_num_queries(1):
        rows = event_selectors.cockpit_work_items(division=district.street, start=MONTH_START, end=TODAY)
    assert [(r["kind"], r["title"]) for r in rows] == [
        ("活动", "垃圾分类主题活动"),
        ("部门进站", f"住建局进站面对面（{district.unit.name}）"),
    ]
    assert rows[0]["people"] == "签到0人／报名0人" and rows[0]["place"] == district.station.name
    everything = event_selectors.cockpit_work_items(division=district.district, start=MONTH_START, end=TODAY)
    assert len(everything) == 3


def test_appraisal_top_three_of_the_latest_published_round(district, django_assert_max_num_queries):
    assert appraisal_selectors.cockpit_figures(division=district.district, start=MONTH_START, end=TODAY) == []
    old = appraisal_services.round_create(actor=district.office, year=TODAY.year - 1)
    latest = appraisal_services.round_create(actor=district.office, year=TODAY.year)
    AppraisalRound.objects.filter(pk__in=[old.pk, latest.pk]).update(state=RoundState.PUBLISHED)
    units = [district.unit, district.other_unit] + [
        HandlingUnit.objects.create(code=f"u{i}", name=f"区第{i}局", division=district.district) for i in range(3)
    ]
    totals = ["95.5", "80", "92.25", "70", "60"]
    for unit, total in zip(units, totals, strict=True):
        AppraisalResult.objects.create(round=latest, unit=unit, total=Decimal(total), ranked=True)
        AppraisalResult.objects.create(round=old, unit=unit, total=Decimal("50"), ranked=True, rank=1)
    for rank, result in enumerate(AppraisalResult.objects.filter(round=latest).order_by("-total"), start=1):
        result.rank = rank
        result.save()
    with django_assert_max_num_queries(2):
        figures = appraisal_selectors.cockpit_figures(division=district.district, start=MONTH_START, end=TODAY)
    assert [(f["key"], f["label"], f["value"]) for f in figures] == [
        ("appraisal_1", f"{TODAY.year}年部门评议得分第1名", f"{district.unit.name} 95.5分"),
        ("appraisal_2", f"{TODAY.year}年部门评议得分第2名", "区第0局 92.3分"),
        ("appraisal_3", f"{TODAY.year}年部门评议得分第3名", f"{district.other_unit.name} 80.0分"),
    ]
    assert figures[0]["url"] == reverse("appraisal:leaderboard", args=[TODAY.year])
    # named apart from the cockpit's case-handling ranking, with the method behind it
    assert "承办单位办件排名" in figures[0]["formula"] and latest.title in figures[0]["formula"]
    assert figures[0]["method_url"] == reverse("appraisal:leaderboard", args=[TODAY.year]) + "#method"
    # A street has no departments of its own: nothing to rank there.
    assert appraisal_selectors.cockpit_figures(division=district.street, start=MONTH_START, end=TODAY) == []
    assert "lianxin.appraisal.selectors" in extensions.available("cockpit_figures")
