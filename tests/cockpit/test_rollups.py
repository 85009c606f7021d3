"""Every figure of the rollups equals a direct count over Case, for every period, scope and breakdown; the job
picks up new cases and transitions of old ones, and gives the same tables as a full rebuild."""

import datetime as dt

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from lianxin.cases import services
from lianxin.cases.models import Case
from lianxin.cockpit import periods, rollups, selectors
from lianxin.cockpit.measures import CASE_MEASURES, measure_q
from lianxin.cockpit.models import ROLLUPS, CaseFigure, RollupState
from lianxin.cockpit.rules import Scope
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

PRESETS = ["today", "week", "month", "year", "last30"]


def _direct(scope, period, measure="total", **extra):
    qs = Case.objects.filter(scope.cases_q(), periods.created_q(period)).filter(measure_q(measure))
    return qs.filter(**extra).count()


def _periods():
    today = periods.today()
    yield from (periods.preset_period(p) for p in PRESETS)
    yield periods.Period("custom", today.replace(year=today.year - 1, month=1, day=1), today)
    yield periods.Period("custom", today.replace(year=today.year - 1, month=6, day=10), today - dt.timedelta(days=1))


def _scopes(d):
    return [Scope(d.district), Scope(d.street), Scope(d.other_street), Scope(d.street, d.station)]


def test_every_measure_equals_a_direct_count(world):
    d = world.district
    checked = 0
    for scope in _scopes(d):
        for period in _periods():
            data = selectors.overview(scope, period)
            direct = Case.objects.filter(scope.cases_q(), periods.created_q(period)).aggregate(
                **{m: Count("pk", filter=measure_q(m)) for m in CASE_MEASURES}
            )
            assert data.totals == direct, (scope, period)
            checked += 1
    assert checked == 28
    year = selectors.overview(Scope(d.district), periods.Period("custom", dt.date(2000, 1, 1), periods.today()))
    assert year.totals["total"] == Case.objects.count() == len(world.cases)


def test_definitions_on_known_cases(world):
    """Independent of the measure table: the fixture's own cases, counted by hand-written filters."""
    d, c = world.district, world.cases
    all_time = periods.Period("custom", dt.date(2000, 1, 1), periods.today())
    t = selectors.overview(Scope(d.district), all_time).totals
    assert t["satisfied"] == Case.objects.filter(rating="satisfied").count() == 1
    assert t["basically_satisfied"] == 1
    assert t["rated"] == 3  # the case closed without a rating is not rated ...
    assert t["closed_unrated"] == 1  # ... it is counted apart
    assert t["assigned"] == Case.objects.filter(dispatched_at__isnull=False).count()
    assert (
        t["declined"] == 1
        and t["s_done"] == Case.objects.filter(status__in=["rated", "closed", "declined", "converted"]).count()
    )
    assert t["resolved"] == 3  # satisfied + basically satisfied + resolved on the spot
    assert t["ch_walk_in"] == 1 and t["ch_visit"] == 1
    rates = {r.key: r for r in selectors.overview(Scope(d.district), all_time).rates}
    assert (rates["satisfaction"].numerator, rates["satisfaction"].denominator) == (1, 3)
    assert (rates["satisfaction_incl"].numerator, rates["satisfaction_incl"].denominator) == (2, 3)
    assert rates["answer_rate"].denominator == t["assigned"]
    assert c["overdue"].light == "red"


def test_breakdowns_equal_direct_counts(world):
    d = world.district
    period = periods.preset_period("year")
    data = selectors.overview(Scope(d.district), period)
    for row in data.children:
        if row.id is None:
            continue
        street = d.street if row.id == d.street.pk else d.other_street
        assert row.sums["total"] == _direct(Scope(street), period)
    for row in data.stations:
        assert row.sums["total"] == _direct(Scope(d.district), period, station_id=row.id)
    for item in data.categories:
        if item.key:
            cid = int(item.key)
            q = Q(category_id=cid) | Q(category__parent_id=cid) | Q(category__parent__parent_id=cid)
            assert item.value == Case.objects.filter(q, periods.created_q(period)).count()
        else:
            assert item.value == _direct(Scope(d.district), period, category__isnull=True)
    for item in data.status:
        assert item.value == _direct(Scope(d.district), period, f"s_{item.key}")
    assert data.overdue == Case.objects.filter(light="red").count() == 1
    assert sum(data.places.values()) == _direct(Scope(d.district), period)
    assert data.places[d.grid.pk] == _direct(Scope(d.district), period, division_id=d.grid.pk)
    head = data.headline
    assert head["today"] == _direct(Scope(d.district), periods.preset_period("today"))
    assert head["week"] == _direct(Scope(d.district), periods.preset_period("week"))
    assert head["year"] == _direct(Scope(d.district), periods.preset_period("year"))


def test_trend_sums_to_the_total(world):
    d = world.district
    for period in _periods():
        data = selectors.overview(Scope(d.district), period)
        assert sum(p.value for p in data.trend) == data.totals["total"]


def test_month_rows_are_the_sum_of_day_rows(world):
    for model in ROLLUPS:
        for month_row in model.objects.filter(grain="m"):
            days = model.objects.filter(
                grain="d",
                district_id=month_row.district_id,
                street_id=month_row.street_id,
                day__gte=month_row.day,
                day__lt=periods.next_month(month_row.day),
                **{k: getattr(month_row, k) for k in model.KEYS},
            )
            for measure in model.MEASURES:
                assert getattr(month_row, measure) == sum(getattr(r, measure) for r in days), (model, measure)


def _snapshot():
    return {
        model.__name__: sorted(repr(tuple(v for k, v in row.items() if k != "id")) for row in model.objects.values())
        for model in ROLLUPS
    }


def test_new_case_and_old_transition_are_picked_up_by_the_job(world, django_capture_on_commit_callbacks):
    d = world.district
    scope, period = Scope(d.district), periods.preset_period("year")
    before = selectors.overview(scope, period).totals["total"]
    submit_case(title="新来的问题")
    assert selectors.overview(scope, period).totals["total"] == before  # not yet: the job has not run
    rollups.refresh()
    assert selectors.overview(scope, period).totals["total"] == before + 1
    # A transition of last year's case must land in last year's bucket.
    old = world.cases["last_year"]
    last_year = periods.Period(
        "custom", timezone.localtime(old.created_at).date(), timezone.localtime(old.created_at).date()
    )
    assert selectors.overview(scope, last_year).totals["assigned"] == 0
    services.case_dispatch(actor=d.office, case_id=old.pk, unit_id=d.unit.pk)
    rollups.refresh()
    assert selectors.overview(scope, last_year).totals["assigned"] == 1
    incremental = _snapshot()
    rollups.rebuild_all()
    assert _snapshot() == incremental
    rollups.refresh()
    assert _snapshot() == incremental  # running again changes nothing


def test_first_run_rebuilds_and_state_is_kept(district):
    submit_case()
    assert not CaseFigure.objects.exists()
    result = rollups.refresh()
    assert result["rebuilt"] > 0
    assert CaseFigure.objects.filter(grain="d").get().total == 1
    state = RollupState.objects.get()
    assert state.watermark is not None and state.last_rebuild_at is not None


def test_period_split_covers_each_day_once():
    today = dt.date(2026, 5, 17)
    for start, end in [
        (dt.date(2025, 1, 15), today),
        (dt.date(2026, 5, 1), today),
        (dt.date(2026, 2, 3), dt.date(2026, 4, 2)),
        (dt.date(2026, 5, 17), today),
        (dt.date(2024, 12, 31), dt.date(2025, 2, 28)),
    ]:
        months, ranges = periods.split(periods.Period("custom", start, end), today)
        covered = set()
        for m in months:
            day = m
            while day < periods.next_month(m):
                if day <= today:
                    covered.add(day)
                day += dt.timedelta(days=1)
        for first, last in ranges:
            covered |= {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}
        wanted = {start + dt.timedelta(days=i) for i in range((min(end, today) - start).days + 1)}
        assert covered == wanted, (start, end)


def test_a_run_after_a_rebuild_has_nothing_to_do(district):
    from lianxin.audit.models import AuditEntry
    from tests.audit.helpers import trigger_off

    case = submit_case()
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Case.objects.filter(pk=case.pk).update(created_at=an_hour_ago, updated_at=an_hour_ago)
    with trigger_off():  # the past, written as it was (the audit log is append-only)
        AuditEntry.objects.update(created_at=an_hour_ago)
    rollups.rebuild_all()
    assert RollupState.objects.get().last_audit_id == AuditEntry.objects.latest("pk").pk
    assert rollups.refresh()["buckets"] == 0
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到")
    assert rollups.refresh()["buckets"] == 1
