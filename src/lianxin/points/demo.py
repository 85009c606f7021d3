"""Demo data of the points: a year of points derived from the demo district's activity (plus a few manual entries,
two contests and the published quarters).

Deterministic (fixed seed), idempotent (marker: last year's table published), a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.demo import data
from lianxin.organisation.models import Deputy, Division
from lianxin.points import services
from lianxin.points.enums import Activity
from lianxin.points.models import PointsEntry, PointsPublication

SEED = 6061
MANUAL = [
    (2, "参加区人大常委会组织的专题视察"),
    (3, "在代表小组活动中作交流发言"),
    (1, "参加代表履职培训"),
    (-1, "无故缺席代表小组活动"),
]


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def seed_demo_extension(*, now) -> str:
    if not Division.objects.filter(code=data.DISTRICT_CODE).exists():
        return "履职积分：没有演示区，跳过。"
    today = timezone.localdate(now)
    if PointsPublication.objects.filter(year=today.year - 1, quarter=0, published=True).exists():
        return "履职积分：演示数据已存在。"
    logins = {u.username: u for u in User.objects.filter(username__in=("office", "deputy"))}
    rng = random.Random(SEED)
    with transaction.atomic():
        added = services.points_scan(actor=None, since=today - dt.timedelta(days=365))
        manual, contests = _points_people(rng, logins, today)
        published = _publish_quarters(logins["office"], today)
    return (
        f"履职积分：自动生成 {sum(added.values())} 条记录，人工 {manual} 条，异议 {contests} 条，公布 {published} 期。"
    )


def _points_people(rng: random.Random, logins: dict, today: dt.date) -> tuple[int, int]:
    office, deputy_user = logins["office"], logins["deputy"]
    deputies = list(Deputy.objects.filter(active=True, code__startswith="nh-d").order_by("code"))
    manual = 0
    for deputy in rng.sample(deputies, min(8, len(deputies))):
        points, reason = rng.choice(MANUAL)
        day = today - dt.timedelta(days=rng.randrange(10, 300))
        services.entry_add_manual(actor=office, deputy_id=deputy.pk, points=points, occurred_on=day, reason=reason)
        manual += 1
    contests = 0
    persona = Deputy.objects.filter(user=deputy_user).first()
    if persona is not None:
        entries = list(
            PointsEntry.objects.filter(
                deputy=persona, activity__in=[Activity.DUTY_ABSENT, Activity.DUTY_LATE]
            ).order_by("occurred_on", "id")[:1]
        ) + list(
            PointsEntry.objects.filter(deputy=persona, activity=Activity.CASE_ACKNOWLEDGED).order_by("occurred_on")[:1]
        )
        reasons = ["当天已向联络站请假，并由李代表替班。", "该件是联络员代为回应的，我只是在场。"]
        for index, entry in enumerate(entries):
            contest = services.entry_contest(actor=deputy_user, entry_id=entry.pk, reason=reasons[index])
            contests += 1
            if index == 0:
                services.contest_decide(
                    actor=office, contest_id=contest.pk, uphold=True, note="经核实请假手续齐全，撤销该记录。"
                )
    return manual, contests


def _publish_quarters(office, today: dt.date) -> int:
    """Publish every finished quarter of the last year (and last year's table when it is over)."""
    count = 0
    current = (today.year, _quarter(today))
    year, quarter = today.year - 1, 1
    while (year, quarter) < current:
        if dt.date(year, 3 * quarter, 28) >= today - dt.timedelta(days=365):
            services.period_publish(actor=office, year=year, quarter=quarter, published=True)
            count += 1
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    services.period_publish(actor=office, year=today.year - 1, quarter=0, published=True)
    return count + 1
