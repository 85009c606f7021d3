"""Demo data of the performance area: a year of points derived from the demo district's activity (plus a few
manual entries, two contests and the published quarters), and one department appraisal round with opinions,
entered scores and a published leaderboard.

Deterministic (fixed seed), idempotent (marker: the demo round of the current year), a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lianxin import privacy
from lianxin.accounts.models import User
from lianxin.demo import data
from lianxin.organisation.models import Deputy, Division
from lianxin.performance import appraisal_services, points_services
from lianxin.performance.enums import ENTERED_SOURCES, Activity, ItemSource, RaterKind, RoundState
from lianxin.performance.models import AppraisalOpinion, AppraisalRound, PointsEntry

SEED = 6061
MANUAL = [
    (2, "参加区人大常委会组织的专题视察"),
    (3, "在代表小组活动中作交流发言"),
    (1, "参加代表履职培训"),
    (-1, "无故缺席代表小组活动"),
]
COMMENTS = ["", "", "", "办事效率高，态度好。", "回复及时，问题解决了。", "希望多听听群众意见。", "有些事推来推去。"]
RATINGS = ["satisfied"] * 5 + ["basically_satisfied"] * 3 + ["unsatisfied", "unknown"]


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def seed_demo_extension(*, now) -> str:
    if not Division.objects.filter(code=data.DISTRICT_CODE).exists():
        return "履职积分与部门评议：没有演示区，跳过。"
    today = timezone.localdate(now)
    if AppraisalRound.objects.filter(year=today.year).exists():
        return "履职积分与部门评议：演示数据已存在。"
    logins = {u.username: u for u in User.objects.filter(username__in=("office", "leader", "deputy"))}
    rng = random.Random(SEED)
    with transaction.atomic():
        added = points_services.points_scan(actor=None, since=today - dt.timedelta(days=365))
        manual, contests = _points_people(rng, logins, today)
        published = _publish_quarters(logins["office"], today)
        round_, opinions = _appraisal(rng, logins, today)
    return (
        f"履职积分：自动生成 {sum(added.values())} 条记录，人工 {manual} 条，异议 {contests} 条，"
        f"公布 {published} 期；部门评议：{round_.year} 年度 {round_.units.count()} 个单位，"
        f"评议意见 {opinions} 份，排行榜已公布。"
    )


def _points_people(rng: random.Random, logins: dict, today: dt.date) -> tuple[int, int]:
    office, deputy_user = logins["office"], logins["deputy"]
    deputies = list(Deputy.objects.filter(active=True, code__startswith="nh-d").order_by("code"))
    manual = 0
    for deputy in rng.sample(deputies, min(8, len(deputies))):
        points, reason = rng.choice(MANUAL)
        day = today - dt.timedelta(days=rng.randrange(10, 300))
        points_services.entry_add_manual(
            actor=office, deputy_id=deputy.pk, points=points, occurred_on=day, reason=reason
        )
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
            contest = points_services.entry_contest(actor=deputy_user, entry_id=entry.pk, reason=reasons[index])
            contests += 1
            if index == 0:
                points_services.contest_decide(
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
            points_services.period_publish(actor=office, year=year, quarter=quarter, published=True)
            count += 1
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    points_services.period_publish(actor=office, year=today.year - 1, quarter=0, published=True)
    return count + 1


def _appraisal(rng: random.Random, logins: dict, today: dt.date) -> tuple[AppraisalRound, int]:
    office, leader = logins["office"], logins["leader"]
    round_ = appraisal_services.round_create(actor=office, year=today.year)
    # the demo's data spans the last twelve months: use them as the window of this round
    AppraisalRound.objects.filter(pk=round_.pk).update(period_start=today - dt.timedelta(days=365), period_end=today)
    round_.refresh_from_db()
    # few units lead many suggestions in a small demo: the office lowers that item's minimum sample (data)
    for item in round_.items.filter(source=ItemSource.SUGGESTION_HANDLING):
        appraisal_services.item_update(
            actor=office, item_id=item.pk, weight=item.weight, params={**item.params, "min_sample": 1}
        )
    appraisal_services.round_set_state(actor=office, round_id=round_.pk, state=RoundState.COLLECTING)
    units = list(round_.units.order_by("code"))
    deputies = list(Deputy.objects.filter(active=True, code__startswith="nh-d").order_by("code")[:12])
    opinions = []
    phone = 13900000000
    for unit in units:
        for _ in range(rng.randrange(4, 14)):
            phone += 1
            number = str(phone)
            opinions.append(
                AppraisalOpinion(
                    round=round_,
                    unit=unit,
                    rater_kind=RaterKind.CITIZEN,
                    phone_hash=privacy.keyed_hash(number, purpose=f"appraisal:{round_.pk}"),
                    phone_masked=privacy.mask_phone(number),
                    rating=rng.choice(RATINGS),
                    comment=rng.choice(COMMENTS),
                )
            )
        for deputy in rng.sample(deputies, min(len(deputies), rng.randrange(2, 6))):
            opinions.append(
                AppraisalOpinion(
                    round=round_,
                    unit=unit,
                    rater_kind=RaterKind.DEPUTY,
                    deputy=deputy,
                    rating=rng.choice(RATINGS),
                    comment=rng.choice(COMMENTS),
                )
            )
    AppraisalOpinion.objects.bulk_create(opinions)
    for item in round_.items.filter(source__in=ENTERED_SOURCES).order_by("order"):
        actor = leader if item.source == ItemSource.MEMBER_SCORES else office
        for unit in units:
            score = Decimal(rng.randrange(700, 980)) / 10
            appraisal_services.score_enter(actor=actor, item_id=item.pk, unit_id=unit.pk, score=score)
    appraisal_services.round_publish(actor=office, round_id=round_.pk)
    return round_, len(opinions)
