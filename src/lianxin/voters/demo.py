"""Demo data of the voters area: pairings, a year of contacts with monthly call-back samples, and one
published report to voters with its ratings (plus one still open for rating by the persona deputy).

Deterministic (fixed seed), idempotent (marker: any household of a demo-district deputy), a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from lianxin import privacy
from lianxin.accounts.models import User
from lianxin.cases.enums import Rating
from lianxin.demo import data
from lianxin.errors import NotAllowed
from lianxin.organisation.models import Deputy, Division
from lianxin.privacy import mask_address
from lianxin.voters.enums import CheckResult, ContactWay, ReportStatus
from lianxin.voters.models import ContactCheck, Household, ReportRating, VoterContact, VoterReport
from lianxin.voters.report_services import report_result_publish
from lianxin.voters.services import contact_sample_draw, month_start
from lianxin.voters.tasks import monthly_seed

SEED = 4085
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN = "建国华明丽芳伟强敏静秀英军平刚桂兰玉梅海燕志红霞金凤德福永春"
SUMMARIES = [
    "入户走访，了解家庭生活和身体情况，宣传医保缴费政策。",
    "电话问候，询问小区加装电梯进展，反映意见已记下。",
    "微信沟通，转发社区养老服务补贴申请指南。",
    "参加网格座谈会，听取居民对垃圾分类投放点设置的意见。",
    "入户走访，老人独居，提醒冬季用电用气安全。",
    "电话联系，了解孩子入学情况，解答学区划分问题。",
]
RAISED = [
    "",
    "",
    "",
    "小区门口路灯不亮，晚上出行不便。",
    "楼道堆放杂物，存在消防隐患。",
    "希望增加公交班次，早高峰等车时间长。",
]
REPORT_TEXT = (
    "各位选民：\n\n本人当选区人大代表以来，坚持每月到联络站接待群众，结对联系本选区 12 户家庭，"
    "全年走访、电话、微信联系选民 {contacts} 次，收集意见建议 {raised} 条，均已转交办理并反馈。"
    "提出代表建议 3 件，涉及老旧小区加装电梯、学校周边交通和社区养老服务。\n\n"
    "不足之处：联系青年选民偏少，下一步将通过网上联络站加强联系。恳请大家评议。"
)
COMMENTS = [
    "经常来小区走访，办事认真。",
    "电梯的事情跟进得很及时，满意。",
    "希望多来几次，晚上来也行。",
    "路灯问题解决了，谢谢代表。",
    "反映的停车难问题还没有结果。",
    "",
    "",
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random, used: set[str]) -> str:
    while True:
        phone = rng.choice(("138", "139", "158", "186", "137")) + f"{rng.randrange(10**8):08d}"
        if phone not in used:
            used.add(phone)
            return phone


def seed_demo_extension(*, now) -> str:
    deputies = list(
        Deputy.objects.filter(code__startswith="nh-d", active=True).prefetch_related("grids").order_by("code")
    )
    if not deputies:
        return "联系选民：没有演示代表，跳过。"
    if Household.objects.filter(deputy__in=deputies).exists():
        return "联系选民：演示数据已存在，未重复添加。"
    rng = random.Random(SEED)
    today = timezone.localtime(now).date()
    fallback_grids = list(Division.objects.filter(kind="grid").order_by("path")[:20])
    with transaction.atomic():
        households = _pairings(rng, deputies, fallback_grids, today)
        contacts = _contacts(rng, deputies, households, today)
        draws, checked = _samples(rng, today)
        ratings = _reports(rng, deputies, now, today)
    return (
        f"联系选民：结对 {len(households)} 户，联系记录 {contacts} 条，抽查 {draws} 个月（回访 {checked} 条），"
        f"述职 2 场（已公布结果 1 场，评议 {ratings} 条）。"
    )


def _pairings(rng, deputies, fallback_grids, today) -> list[Household]:
    rows: list[Household] = []
    used: set[str] = set()
    for index, deputy in enumerate(deputies):
        grids = list(deputy.grids.all()) or fallback_grids
        # A few deputies stay below the minimum, so the office's list has something to show.
        count = rng.randint(4, 8) if index % 13 == 5 else rng.randint(10, 13)
        for _ in range(count):
            road, number = rng.choice(data.ROAD_NAMES), rng.randint(1, 300)
            address = f"{road}{number}号{rng.randint(1, 20)}幢{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
            name, phone = _name(rng), _phone(rng, used)
            rows.append(
                Household(
                    deputy=deputy,
                    grid=rng.choice(grids),
                    address_enc=privacy.encrypt(address),
                    address_masked=mask_address(address),
                    head_name_enc=privacy.encrypt(name),
                    head_name_masked=privacy.mask_name(name),
                    head_phone_enc=privacy.encrypt(phone),
                    head_phone_masked=privacy.mask_phone(phone),
                    head_phone_hash=privacy.keyed_hash(phone),
                    paired_on=today - dt.timedelta(days=rng.randint(380, 900)),
                )
            )
    return Household.objects.bulk_create(rows)


def _contacts(rng, deputies, households, today) -> int:
    by_deputy: dict[int, list[Household]] = {}
    for household in households:
        by_deputy.setdefault(household.deputy_id, []).append(household)
    rows = []
    for deputy in deputies:
        own = by_deputy.get(deputy.pk, [])
        for month_back in range(12):
            first = month_start(month_start(today) - dt.timedelta(days=30 * month_back))
            for _ in range(rng.randint(1, 3)):
                day = first + dt.timedelta(days=rng.randint(0, 27))
                if day > today:
                    continue
                rows.append(
                    VoterContact(
                        deputy=deputy,
                        household=rng.choice(own) if own else None,
                        contacted_on=day,
                        way=rng.choice(ContactWay.values),
                        summary=rng.choice(SUMMARIES),
                        raised=rng.choice(RAISED),
                    )
                )
    VoterContact.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _samples(rng, today) -> tuple[int, int]:
    """The scheduled monthly draws of the last eleven months, with the office's call-back results."""
    draws = 0
    current = month_start(today)
    for month_back in range(11, 0, -1):
        month = month_start(current - dt.timedelta(days=30 * month_back - 15))
        try:
            contact_sample_draw(actor=None, month=month, seed=monthly_seed(month))
        except NotAllowed:
            continue
        draws += 1
    office = User.objects.filter(username="office").first()
    checks = list(ContactCheck.objects.filter(contact__deputy__code__startswith="nh-d").order_by("id"))
    weights = [(CheckResult.CONFIRMED, 0.85), (CheckResult.UNREACHABLE, 0.1), (CheckResult.NOT_CONFIRMED, 0.05)]
    checked = []
    for check in checks[: max(len(checks) - 4, 0)]:  # the latest few are still waiting for a call
        check.result = rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]
        check.note = "" if check.result == CheckResult.CONFIRMED else "回访时户主表示近期未见代表。"
        check.checked_by = office
        check.checked_at = timezone.now()
        checked.append(check)
    ContactCheck.objects.bulk_update(checked, ["result", "note", "checked_by", "checked_at"])
    return draws, len(checked)


def _reports(rng, deputies, now, today) -> int:
    persona = next((d for d in deputies if d.name == "沈建华"), deputies[0])
    office = User.objects.filter(username="office").first()
    contacts = VoterContact.objects.filter(deputy=persona)
    text = REPORT_TEXT.format(contacts=contacts.count(), raised=contacts.exclude(raised="").count())
    held = today - dt.timedelta(days=40)
    closed = VoterReport.objects.create(
        deputy=persona,
        title=f"{persona.name}代表{held.year}年度向选民述职",
        held_on=held,
        place="建设街道代表联络站",
        text=text,
        rating_closes_at=now - dt.timedelta(days=26),
        status=ReportStatus.PUBLISHED,
        published_at=now - dt.timedelta(days=40),
        created_by=office,
    )
    used: set[str] = set()
    rows = []
    for _ in range(46):
        phone, rating = _phone(rng, used), rng.choices(Rating.values, [0.7, 0.22, 0.08])[0]
        name = _name(rng) if rng.random() < 0.4 else ""
        rows.append(
            ReportRating(
                report=closed,
                phone_hash=privacy.keyed_hash(phone),
                phone_enc=privacy.encrypt(phone),
                phone_masked=privacy.mask_phone(phone),
                name_enc=privacy.encrypt(name),
                name_masked=privacy.mask_name(name),
                rating=rating,
                comment=rng.choice(COMMENTS),
            )
        )
    ReportRating.objects.bulk_create(rows)

    report_result_publish(actor=None, report_id=closed.pk, now=now)
    other = deputies[1] if deputies[0] == persona else deputies[0]
    VoterReport.objects.create(
        deputy=other,
        title=f"{other.name}代表向选民述职",
        held_on=today - dt.timedelta(days=2),
        place="社区议事厅",
        text=REPORT_TEXT.format(contacts=18, raised=4),
        rating_closes_at=now + dt.timedelta(days=12),
        status=ReportStatus.PUBLISHED,
        published_at=now - dt.timedelta(days=2),
        created_by=office,
    )
    return len(rows)
