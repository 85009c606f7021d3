"""Pure roster arithmetic: reception days by rule, and property tests of the fair rotation."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from lianxin.duty.schedule import Slot, plan_roster, reception_days

TZ = ZoneInfo("Asia/Shanghai")
ALL_WORKING = lambda day: True  # noqa: E731


def _slots(days: list[dt.date], start_hour: int = 9, end_hour: int = 12) -> list[Slot]:
    return [
        Slot(d, dt.datetime.combine(d, dt.time(start_hour), TZ), dt.datetime.combine(d, dt.time(end_hour), TZ))
        for d in days
    ]


def test_monthly_day_is_kept_on_weekends_and_clamped_to_short_months():
    days = reception_days(
        rule="monthly",
        weekday=None,
        monthday=31,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 4, 30),
        is_working_day=lambda d: d.weekday() < 5,
    )
    assert days == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 4, 30)]
    # 2026-01-31 is a Saturday: kept (每月不见不散).
    assert days[0].weekday() == 5


def test_weekly_day_skips_official_holidays_only():
    holiday = dt.date(2026, 10, 7)  # a Wednesday in the National Day week
    days = reception_days(
        rule="weekly",
        weekday=3,
        monthday=None,
        start=dt.date(2026, 9, 28),
        end=dt.date(2026, 10, 20),
        is_working_day=lambda d: d != holiday,
    )
    assert days == [dt.date(2026, 9, 30), dt.date(2026, 10, 14)]


def test_no_rule_and_bad_rule_values_give_no_days():
    for rule, weekday, monthday in (
        ("none", None, None),
        ("weekly", 9, None),
        ("monthly", None, 0),
        ("monthly", None, 40),
    ):
        assert (
            reception_days(
                rule=rule,
                weekday=weekday,
                monthday=monthday,
                start=dt.date(2026, 1, 1),
                end=dt.date(2026, 12, 31),
                is_working_day=ALL_WORKING,
            )
            == []
        )


days_strategy = st.lists(
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31)), min_size=1, max_size=60, unique=True
)


@settings(max_examples=80, deadline=None)
@given(days=days_strategy, n=st.integers(1, 12), per_shift=st.integers(1, 4))
def test_fair_rotation_without_constraints(days, n, per_shift):
    deputies = list(range(1, n + 1))
    slots = _slots(days)
    minimum = (len(slots) * min(per_shift, n)) // n
    plan = plan_roster(slots=slots, deputies=deputies, per_shift=per_shift, minimum=minimum)
    counts = plan.counts
    # Fair: counts differ by at most one; everyone reaches the minimum the days allow; no day understaffed
    # unless there are fewer deputies than places.
    assert max(counts.values()) - min(counts.values()) <= 1
    assert plan.short == {}
    assert sum(counts.values()) == len(slots) * min(per_shift, n)
    assert bool(plan.understaffed) == (per_shift > n)
    # Never twice on one day.
    pairs = [(slot.date, d) for slot, d in plan.assignments]
    assert len(pairs) == len(set(pairs))


@st.composite
def constrained(draw):
    days = draw(days_strategy)
    n = draw(st.integers(1, 8))
    deputies = list(range(1, n + 1))
    unavailable = {}
    for d in deputies:
        ranges = draw(st.lists(st.tuples(st.sampled_from(days), st.integers(0, 30)), max_size=3))
        unavailable[d] = [(a, a + dt.timedelta(days=k)) for a, k in ranges]
    busy = {}
    for d in deputies:
        others = draw(st.lists(st.tuples(st.sampled_from(days), st.integers(7, 16)), max_size=5))
        busy[d] = [
            (dt.datetime.combine(day, dt.time(h), TZ), dt.datetime.combine(day, dt.time(h + 2), TZ))
            for day, h in others
        ]
    return days, deputies, unavailable, busy, draw(st.integers(1, 3))


@settings(max_examples=80, deadline=None)
@given(data=constrained())
def test_respects_unavailability_and_never_double_books(data):
    days, deputies, unavailable, busy, per_shift = data
    slots = _slots(days)
    plan = plan_roster(
        slots=slots, deputies=deputies, per_shift=per_shift, minimum=1, unavailable=unavailable, busy=busy
    )
    intervals: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {d: list(busy[d]) for d in deputies}
    per_day: dict[dt.date, int] = {}
    for slot, deputy in plan.assignments:
        assert not any(a <= slot.date <= b for a, b in unavailable[deputy]), "placed on a declared unavailable day"
        for start, end in intervals[deputy]:
            assert not (slot.starts_at < end and start < slot.ends_at), "deputy in two places at once"
        intervals[deputy].append((slot.starts_at, slot.ends_at))
        per_day[slot.date] = per_day.get(slot.date, 0) + 1
    for slot in slots:
        assert per_day.get(slot.date, 0) <= per_shift
        if per_day.get(slot.date, 0) < per_shift:
            assert slot in plan.understaffed

    # Counts of two deputies who were free on every day never differ by more than one.
    def always_free(d):
        return all(
            not any(a <= s.date <= b for a, b in unavailable[d])
            and not any(s.starts_at < e and b < s.ends_at for b, e in busy[d])
            for s in slots
        )

    free = [d for d in deputies if always_free(d)]
    if len(free) >= 2:
        values = [plan.counts[d] for d in free]
        assert max(values) - min(values) <= 1


def test_scarce_availability_is_used_first():
    """A deputy free on one day only gets that day rather than being crowded out by always-free colleagues."""
    days = [dt.date(2026, 1, d) for d in (5, 12, 19, 26)]
    unavailable = {3: [(dt.date(2026, 1, 10), dt.date(2026, 1, 31))]}  # deputy 3 is free on the 5th only
    plan = plan_roster(slots=_slots(days), deputies=[1, 2, 3], per_shift=1, minimum=1, unavailable=unavailable)
    assert plan.counts == {1: 2, 2: 1, 3: 1}
    assert plan.short == {}
    assert [d for s, d in plan.assignments if s.date == dt.date(2026, 1, 5)] == [3]
