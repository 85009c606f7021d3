"""Demo data of the department appraisal: one round of the current year with opinions of citizens and deputies,
entered scores and a published leaderboard.

Deterministic (fixed seed), idempotent (marker: the demo round of the current year), a second or two.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lianxin import privacy
from lianxin.accounts.models import User
from lianxin.appraisal import services
from lianxin.appraisal.enums import ENTERED_SOURCES, ItemSource, RaterKind, RoundState
from lianxin.appraisal.models import AppraisalOpinion, AppraisalRound
from lianxin.demo import data
from lianxin.organisation.models import Deputy, Division

SEED = 6062
COMMENTS = ["", "", "", "办事效率高，态度好。", "回复及时，问题解决了。", "希望多听听群众意见。", "有些事推来推去。"]
RATINGS = ["satisfied"] * 5 + ["basically_satisfied"] * 3 + ["unsatisfied", "unknown"]


def seed_demo_extension(*, now) -> str:
    if not Division.objects.filter(code=data.DISTRICT_CODE).exists():
        return "部门评议：没有演示区，跳过。"
    today = timezone.localdate(now)
    if AppraisalRound.objects.filter(year=today.year).exists():
        return "部门评议：演示数据已存在。"
    logins = {u.username: u for u in User.objects.filter(username__in=("office", "leader"))}
    rng = random.Random(SEED)
    with transaction.atomic():
        round_, opinions = _appraisal(rng, logins, today)
    return f"部门评议：{round_.year} 年度 {round_.units.count()} 个单位，评议意见 {opinions} 份，排行榜已公布。"


def _appraisal(rng: random.Random, logins: dict, today: dt.date) -> tuple[AppraisalRound, int]:
    office, leader = logins["office"], logins["leader"]
    round_ = services.round_create(actor=office, year=today.year)
    # the demo's data spans the last twelve months: use them as the window of this round
    AppraisalRound.objects.filter(pk=round_.pk).update(period_start=today - dt.timedelta(days=365), period_end=today)
    round_.refresh_from_db()
    # few units lead many suggestions in a small demo: the office lowers that item's minimum sample (data)
    for item in round_.items.filter(source=ItemSource.SUGGESTION_HANDLING):
        services.item_update(actor=office, item_id=item.pk, weight=item.weight, params={**item.params, "min_sample": 1})
    services.round_set_state(actor=office, round_id=round_.pk, state=RoundState.COLLECTING)
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
            services.score_enter(actor=actor, item_id=item.pk, unit_id=unit.pk, score=score)
    services.round_publish(actor=office, round_id=round_.pk)
    return round_, len(opinions)
