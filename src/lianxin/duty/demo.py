"""Demo data of the duty area: a year of rosters for every station with a reception rule (half past, half
ahead), attendance of the past shifts, past receptions with their walk-in matters, and a pending swap.

Deterministic (fixed seed, dates relative to `now`), idempotent (skips when the demo has any shift).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.cases.enums import Channel
from lianxin.cases.models import Case
from lianxin.duty import reception, services
from lianxin.duty.enums import CheckInMethod, ShiftState
from lianxin.duty.models import DutyShift, Reception, Unavailability
from lianxin.errors import DomainError
from lianxin.organisation.enums import ReceptionRule
from lianxin.organisation.models import Deputy, Division, Station

SEED = 4201
DISTRICT_CODE = "330402"
NOTES = [
    "群众来访集中反映小区停车、加装电梯问题，代表逐一记录并当场解释相关政策。",
    "接待来访群众，了解老旧小区改造进度诉求，约定一周内反馈。",
    "围绕农贸市场周边交通秩序听取意见，代表建议街道牵头协调。",
    "反映养老服务、社区食堂的意见较多，已汇总转交街道。",
    "来访群众咨询医保报销政策，代表现场答疑。",
]


def seed_demo_extension(*, now: dt.datetime) -> str:
    office = User.objects.filter(username="office").first()
    stations = list(
        Station.objects.filter(division__path__startswith=_district_path(), active=True)
        .exclude(reception_rule=ReceptionRule.NONE)
        .order_by("code")
    )
    if office is None or not stations:
        return "值班接待：未找到演示区，跳过。"
    if DutyShift.objects.filter(station__in=stations).exists():
        return "值班接待：演示排班已存在，未重复创建。"
    rng = random.Random(SEED)
    today = timezone.localtime(now).date()
    start, end = today - dt.timedelta(days=182), today + dt.timedelta(days=182)
    created = receptions = matters = 0
    with transaction.atomic():
        _declare_unavailability(rng, office, stations, today)
        for station in stations:
            try:
                result = services.roster_generate(
                    actor=office, station_id=station.pk, start=start, end=end, allow_past=True
                )
            except DomainError:
                continue  # a station without deputies: nothing to plan
            created += result.created
        _attendance(rng, stations, now)
        receptions, matters = _receptions(rng, office, stations, today)
        matters += _registered_matters(office)
        _pending_swap(today)
    return (
        f"值班接待：{len(stations)} 个站一年排班 {created} 个值班，{receptions} 次接待登记，关联 {matters} 件来访事项。"
    )


def _district_path() -> str:

    district = Division.objects.filter(code=DISTRICT_CODE).first()
    return district.path if district else "/nonexistent/"


def _declare_unavailability(rng: random.Random, office, stations, today: dt.date) -> None:
    deputies = list(Deputy.objects.filter(stations__in=stations, active=True).distinct().order_by("code"))
    for deputy in rng.sample(deputies, min(6, len(deputies))):
        first = today + dt.timedelta(days=rng.randint(10, 150))
        Unavailability.objects.create(
            deputy=deputy,
            start=first,
            end=first + dt.timedelta(days=rng.randint(3, 20)),
            reason="外出学习",
            created_by=office,
        )


def _attendance(rng: random.Random, stations, now: dt.datetime) -> None:
    """Past shifts: most checked in by scanning, some late, a few confirmed by staff, a few absent.
    Written in bulk (demo history); live attendance goes through duty.attendance."""
    past = list(DutyShift.objects.filter(station__in=stations, ends_at__lt=now).order_by("pk"))
    for shift in past:
        roll = rng.random()
        if roll < 0.06:
            shift.state = ShiftState.ABSENT
            continue
        late = rng.randint(16, 40) if roll < 0.14 else 0
        shift.state = ShiftState.LATE if late else ShiftState.PRESENT
        shift.late_minutes = late
        shift.check_in_method = CheckInMethod.STAFF if roll > 0.9 else CheckInMethod.SCAN
        shift.checked_in_at = shift.starts_at + dt.timedelta(minutes=late or -rng.randint(0, 20))
    DutyShift.objects.bulk_update(past, ["state", "late_minutes", "check_in_method", "checked_in_at"], batch_size=500)


def _receptions(rng: random.Random, office, stations, today: dt.date) -> tuple[int, int]:
    count = linked = 0
    for station in stations:
        days = sorted(set(DutyShift.objects.filter(station=station, date__lt=today).values_list("date", flat=True)))
        walk_ins: dict[dt.date, list[Case]] = {}
        for case in Case.objects.filter(station=station, channel=Channel.WALK_IN).only("pk", "created_at"):
            walk_ins.setdefault(timezone.localtime(case.created_at).date(), []).append(case)
        for day in days:
            record, _created = reception.reception_record(
                actor=office,
                station_id=station.pk,
                date=day,
                deputy_ids=reception.attended_deputy_ids(station, day),
                visitor_count=rng.randint(2, 14),
                notes=rng.choice(NOTES),
            )
            same_day = walk_ins.get(day, [])
            if same_day:
                record.cases.add(*same_day)
                linked += len(same_day)
            count += 1
    return count, linked


MATTERS = [
    ("建设路菜场门口人行道破损", "菜场门口人行道砖块松动，老人买菜容易绊倒，希望尽快修补。", ""),
    (
        "咨询城乡居民医保缴费",
        "来访群众咨询今年城乡居民医保缴费时间和标准。",
        "代表当场说明了缴费时间和渠道，并留下社区联系电话。",
    ),
    ("小区楼道堆放杂物", "3 幢楼道长期堆放杂物，存在消防隐患。", ""),
    ("公交站台缺少遮雨棚", "建设路口公交站台没有遮雨棚，下雨天候车不便。", ""),
]


def _registered_matters(office) -> int:
    """Matters entered in the register of the demo station's last receptions, through the real intake."""
    records = list(Reception.objects.filter(station__code="jianshe").order_by("-date")[:2])
    count = 0
    for index, record in enumerate(records):
        for title, details, answer in MATTERS[index * 2 : index * 2 + 2]:
            fields = {"title": title, "details": details, "request_type": "help", "consent": True, "anonymous": True}
            reception.reception_add_matter(actor=office, reception_id=record.pk, fields=fields, answer=answer)
            count += 1
    return count


def _pending_swap(today: dt.date) -> None:
    """The demo deputy asks to hand one of their next shifts to a colleague (shows on the staff screen)."""
    user = User.objects.filter(username="deputy").first()
    deputy = Deputy.objects.filter(user=user).first() if user else None
    if deputy is None:
        return
    for shift in DutyShift.objects.filter(deputy=deputy, date__gt=today + dt.timedelta(days=3)).order_by("starts_at")[
        :5
    ]:
        for colleague in (
            Deputy.objects.filter(stations=shift.station, active=True).exclude(pk=deputy.pk).order_by("code")
        ):
            try:
                services.swap_request(
                    actor=user, shift_id=shift.pk, to_deputy_id=colleague.pk, reason="当天参加市人代会专题调研"
                )
            except DomainError:
                continue
            return
