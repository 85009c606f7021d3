"""Keep the rollup tables right: recompute the (day, street) buckets that changed, from outside the case code.

A bucket is every case registered on one local day whose place (`Case.division`) lies under one street (or
sits at the district itself, or has no place). Recomputing a bucket deletes its rows and re-aggregates it
from the cases with one INSERT … SELECT per table, so running it twice, or on a bucket that did not change,
is harmless. Month rows are re-aggregated from the day rows of the months touched.

What changed is found from watermarks (see docs/cockpit.md): audit entries of cases and cases registered
since the last run (both indexed on created_at, re-read with an overlap for transactions that committed
late), plus an occasional sweep of Case.updated_at for changes made without an audit entry.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.cockpit import conf
from lianxin.cockpit.measures import LIVE_MEASURES
from lianxin.cockpit.models import (
    GRAIN_DAY,
    GRAIN_MONTH,
    ROLLUPS,
    CaseFigure,
    DeputyFigure,
    OverdueFigure,
    PlaceFigure,
    RollupState,
    UnitFigure,
)
from lianxin.organisation.models import Division

logger = logging.getLogger("lianxin.cockpit")

CATEGORY_L1 = Coalesce("category__parent__parent_id", "category__parent_id", "category_id")
# rollup key field -> expression over Case
KEY_EXPRESSIONS = {
    CaseFigure: {"station_id": models.F("station_id"), "category_id": CATEGORY_L1},
    UnitFigure: {"unit_id": models.F("current_unit_id")},
    DeputyFigure: {"deputy_id": models.F("deputy_id")},
    PlaceFigure: {"division_id": models.F("division_id")},
}
# Only cases that have the key count in these tables (a case without a unit is in no unit's figures).
KEY_REQUIRED = {UnitFigure: Q(current_unit_id__isnull=False), DeputyFigure: Q(deputy_id__isnull=False)}


@dataclass(frozen=True)
class Bucket:
    district_id: int | None
    street_id: int | None


def bucket_of_path(path: str | None) -> Bucket:
    """The bucket of a case placed at the division with this materialised path ('/1/5/17/')."""
    parts = [int(p) for p in (path or "").strip("/").split("/") if p]
    return Bucket(parts[0] if parts else None, parts[1] if len(parts) > 1 else None)


def _bucket_rows_q(bucket: Bucket) -> Q:
    q = Q(district_id=bucket.district_id) if bucket.district_id is not None else Q(district_id__isnull=True)
    return q & (Q(street_id=bucket.street_id) if bucket.street_id is not None else Q(street_id__isnull=True))


def _bucket_cases_q(bucket: Bucket, paths: dict[int, str]) -> Q:
    if bucket.street_id is not None:
        return Q(division__path__startswith=paths[bucket.street_id])
    if bucket.district_id is not None:
        return Q(division_id=bucket.district_id)
    return Q(division__isnull=True)


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def day_ranges(days) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days merged into [first, last] ranges."""
    ranges: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if ranges and (day - ranges[-1][1]).days == 1:
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(a, b) for a, b in ranges]


def _created_q(ranges) -> Q:
    q = Q(pk__in=[])
    for first, last in ranges:
        q |= Q(created_at__gte=local_midnight(first), created_at__lt=local_midnight(last + dt.timedelta(days=1)))
    return q


def _days_q(ranges) -> Q:
    q = Q(pk__in=[])
    for first, last in ranges:
        q |= Q(day__gte=first, day__lte=last)
    return q


def _aggregate_days(model, bucket: Bucket, cases_q: Q, ranges) -> int:
    keys = KEY_EXPRESSIONS[model]
    qs = Case.objects.filter(cases_q)
    if ranges is not None:
        qs = qs.filter(_created_q(ranges))
    if model in KEY_REQUIRED:
        qs = qs.filter(KEY_REQUIRED[model])
    counts = {
        f"m_{name}": Count("pk", filter=q) if q is not None else Count("pk") for name, q in model.MEASURES.items()
    }
    qs = (
        qs.annotate(k_day=TruncDate("created_at"), **{f"k_{name}": expr for name, expr in keys.items()})
        .values("k_day", *[f"k_{name}" for name in keys])
        .annotate(**counts)
        .order_by()
    )
    constants = {"grain": GRAIN_DAY, "district_id": bucket.district_id, "street_id": bucket.street_id}
    return _insert_select(model, constants, qs, ["day", *keys], list(model.MEASURES))


def _insert_select(model, constants, queryset, key_fields, measure_fields) -> int:
    """INSERT INTO model (constants…, fields…) SELECT constants, sub.k_<key>…, sub.m_<measure>… FROM (queryset) sub."""
    sql, params = queryset.query.sql_with_params()
    qn = connection.ops.quote_name
    fields = [*constants, *key_fields, *measure_fields]
    target = ", ".join(qn(model._meta.get_field(name).column) for name in fields)
    source = [f"sub.{qn('k_' + k)}" for k in key_fields] + [f"sub.{qn('m_' + m)}" for m in measure_fields]
    select = ", ".join(["%s"] * len(constants) + source)
    statement = f"INSERT INTO {qn(model._meta.db_table)} ({target}) SELECT {select} FROM ({sql}) sub"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [*constants.values(), *params])
        return max(cursor.rowcount, 0)


def _aggregate_months(model, bucket: Bucket, months: list[dt.date] | None) -> None:
    rows = model.objects.filter(_bucket_rows_q(bucket), grain=GRAIN_DAY)
    old = model.objects.filter(_bucket_rows_q(bucket), grain=GRAIN_MONTH)
    if months is not None:
        ranges = [(m, _month_end(m)) for m in months]
        rows = rows.filter(_days_q(ranges))
        old = old.filter(day__in=months)
    old.delete()
    qs = (
        rows.annotate(k_day=TruncMonth("day"), **{f"k_{name}": models.F(name) for name in model.KEYS})
        .values("k_day", *[f"k_{name}" for name in model.KEYS])
        .annotate(**{f"m_{name}": Sum(name) for name in model.MEASURES})
        .order_by()
    )
    constants = {"grain": GRAIN_MONTH, "district_id": bucket.district_id, "street_id": bucket.street_id}
    _insert_select(model, constants, qs, ["day", *model.KEYS], list(model.MEASURES))


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def recompute_bucket(bucket: Bucket, days: list[dt.date] | None, paths: dict[int, str]) -> None:
    """Recompute one bucket for the given local days (None: all of its history), every table, in one transaction."""
    ranges = None if days is None else day_ranges(days)
    months = None if days is None else sorted({d.replace(day=1) for d in days})
    cases_q = _bucket_cases_q(bucket, paths)
    with transaction.atomic():
        for model in ROLLUPS:
            old = model.objects.filter(_bucket_rows_q(bucket), grain=GRAIN_DAY)
            if ranges is not None:
                old = old.filter(_days_q(ranges))
            old.delete()
            _aggregate_days(model, bucket, cases_q, ranges)
            _aggregate_months(model, bucket, months)


def _division_paths() -> dict[int, str]:
    return dict(Division.objects.values_list("pk", "path"))


def all_buckets(paths: dict[int, str]) -> list[Bucket]:
    buckets = {bucket_of_path(path) for path in paths.values()}
    buckets |= {Bucket(b.district_id, None) for b in list(buckets)}
    buckets.add(Bucket(None, None))
    return sorted(buckets, key=lambda b: (b.district_id or 0, b.street_id or 0))


def refresh_overdue(paths: dict[int, str] | None = None) -> int:
    """Rebuild the overdue snapshot from the cases' current lights (indexed), in one transaction."""
    paths = paths if paths is not None else _division_paths()
    live = Q(pk__in=[])
    for q in LIVE_MEASURES.values():
        live |= q
    rows = (
        Case.objects.filter(live)
        .annotate(cat=CATEGORY_L1)
        .values("division_id", "station_id", "cat")
        .annotate(**{name: Count("pk", filter=q) for name, q in LIVE_MEASURES.items()})
        .order_by()
    )
    merged: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LIVE_MEASURES, 0))
    for row in rows:
        bucket = bucket_of_path(paths.get(row["division_id"]))
        key = (bucket.district_id, bucket.street_id, row["station_id"], row["cat"])
        for name in LIVE_MEASURES:
            merged[key][name] += row[name]
    with transaction.atomic():
        OverdueFigure.objects.all().delete()
        OverdueFigure.objects.bulk_create(
            [
                OverdueFigure(district_id=d, street_id=s, station_id=st, category_id=c, **counts)
                for (d, s, st, c), counts in merged.items()
            ],
            batch_size=2000,
        )
    return len(merged)


def rebuild_all(now: dt.datetime | None = None) -> int:
    """Recompute every bucket from scratch (first run, nightly, or after a registry change)."""
    now = now or timezone.now()
    started = time.monotonic()
    last_audit_id = AuditEntry.objects.aggregate(m=models.Max("pk"))["m"] or 0  # read before the cases
    paths = _division_paths()
    buckets = all_buckets(paths)
    for bucket in buckets:
        recompute_bucket(bucket, None, paths)
    with transaction.atomic():
        for model in ROLLUPS:  # buckets of divisions that no longer exist
            model.objects.exclude(Q(street_id__isnull=True) | Q(street_id__in=list(paths))).delete()
    refresh_overdue(paths)
    state = _state()
    state.watermark = now
    state.last_sweep_at = now
    state.last_run_at = now
    state.last_rebuild_at = now
    state.last_audit_id = last_audit_id
    state.last_buckets = len(buckets)
    state.last_seconds = time.monotonic() - started
    state.save()
    return len(buckets)


def _state() -> RollupState:
    state, _created = RollupState.objects.get_or_create(name="cases")
    return state


def _dirty_from_cases(qs, paths, dirty: dict[Bucket, set[dt.date]]) -> None:
    tz = timezone.get_current_timezone()
    for division_id, created_at in qs.values_list("division_id", "created_at").iterator(chunk_size=5000):
        dirty[bucket_of_path(paths.get(division_id))].add(created_at.astimezone(tz).date())


def refresh(now: dt.datetime | None = None) -> dict:
    """The periodic job: recompute the buckets touched since the last run; the first run rebuilds everything."""
    now = now or timezone.now()
    state = _state()
    if state.watermark is None:
        return {"rebuilt": rebuild_all(now), "buckets": 0}
    started = time.monotonic()
    paths = _division_paths()
    since = state.watermark - dt.timedelta(seconds=conf.refresh_overlap_seconds())
    dirty: dict[Bucket, set[dt.date]] = defaultdict(set)
    _dirty_from_cases(Case.objects.filter(created_at__gte=since), paths, dirty)
    audit = AuditEntry.objects.filter(subject_type="case").filter(
        Q(created_at__gte=since) | Q(pk__gt=state.last_audit_id)
    )
    last_audit_id = audit.aggregate(m=models.Max("pk"))["m"] or state.last_audit_id
    case_ids = sorted(set(audit.values_list("subject_id", flat=True)) - {None})
    for i in range(0, len(case_ids), 5000):
        _dirty_from_cases(Case.objects.filter(pk__in=case_ids[i : i + 5000]), paths, dirty)
    swept = state.last_sweep_at is None or now - state.last_sweep_at >= dt.timedelta(minutes=conf.sweep_minutes())
    if swept:
        sweep_since = (state.last_sweep_at or since) - dt.timedelta(seconds=conf.refresh_overlap_seconds())
        _dirty_from_cases(Case.objects.filter(updated_at__gte=sweep_since), paths, dirty)
    for bucket, days in dirty.items():
        recompute_bucket(bucket, sorted(days), paths)
    refresh_overdue(paths)
    state.watermark = now
    state.last_audit_id = max(last_audit_id, state.last_audit_id)
    state.last_run_at = now
    if swept:
        state.last_sweep_at = now
    state.last_buckets = sum(len(days) for days in dirty.values())
    state.last_seconds = time.monotonic() - started
    state.save()
    return {"rebuilt": 0, "buckets": state.last_buckets}


def first_case_day() -> dt.date | None:
    first = Case.objects.aggregate(m=Min("created_at"))["m"]
    return timezone.localtime(first).date() if first else None
