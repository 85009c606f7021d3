"""Demo events of the demo district (南湖区): past and upcoming, with sign-ups, a waitlist, attendance, department
visits (进站) and a few matters raised at events. Deterministic (fixed seed) and idempotent (a marker event)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from lianxin import privacy
from lianxin.accounts.models import User
from lianxin.cases.codes import ALPHABET
from lianxin.events.enums import EventKind, EventStatus, SignUpStatus
from lianxin.events.models import Event, SignUp
from lianxin.events.services import event_case_register
from lianxin.organisation.models import HandlingUnit, Station

SEED = 4606
MARKER = "“民生实事”代表面对面"
STATIONS = ["jianshe", "jiefang", "xinjia", "dongzha", "qixing", "daqiao", "chunhui", "nanhu-hub"]
THEMES = [
    (EventKind.THEME, MARKER, "围绕今年民生实事项目听取群众意见，代表现场答疑。"),
    (EventKind.THEME, "垃圾分类进社区主题活动", "垃圾分类知识讲解，收集小区分类设施的意见建议。"),
    (EventKind.THEME, "老旧小区改造意见征集会", "介绍改造方案，听取居民对加装电梯、停车位的意见。"),
    (EventKind.TRAINING, "代表履职能力培训", "学习代表法和联络站工作规范，交流接待群众经验。"),
    (EventKind.TRAINING, "网格员民情收集培训", "民情二维码使用、问题登记与上报流程培训。"),
    (EventKind.THEME, "“每月20日不见不散”接待日", "代表集中接待选民，现场登记群众反映的问题。"),
]
VISITS = [
    ("zjj", "住建局长进站·局长代表面对面"),
    ("jtj", "交通运输局进站·公交线路优化面对面"),
    ("wjw", "卫健委进站·家门口看病难题面对面"),
    ("jyj", "教育局进站·学区和托育面对面"),
    ("cgj", "综合执法局进站·占道经营治理面对面"),
    ("sthj", "生态环境分局进站·河道水质面对面"),
    ("mzj", "民政局进站·居家养老服务面对面"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国华明丽芳伟强敏静秀英军平红霞德志海燕"
MATTERS = [
    ("小区加装电梯资金分摊难", "居民反映加装电梯的费用分摊方案协商不下来，希望街道出面协调。"),
    ("公交站台缺少遮雨棚", "活动中群众反映中山路公交站台没有遮雨棚，雨天候车不便。"),
    ("社区卫生服务站周末不开门", "老年人周末看病要跑很远，希望卫生服务站周末开半天。"),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _code(rng: random.Random, used: set[str]) -> str:
    while True:
        code = "HD" + "".join(rng.choice(ALPHABET) for _ in range(8))
        if code not in used:
            used.add(code)
            return code


def _sign_ups(rng: random.Random, event: Event, count: int, now: dt.datetime, used: set[str]) -> list[SignUp]:
    rows, checkins, phones = [], set(), set()
    held = event.starts_at < now
    for index in range(count):
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        while phone in phones:
            phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        phones.add(phone)
        checkin = f"{rng.randrange(10**6):06d}"
        while checkin in checkins:
            checkin = f"{rng.randrange(10**6):06d}"
        checkins.add(checkin)
        name = _name(rng)
        status = SignUpStatus.CONFIRMED if index < event.capacity else SignUpStatus.WAITLISTED
        if status == SignUpStatus.CONFIRMED and rng.random() < 0.08:
            status = SignUpStatus.CANCELLED
        attended = held and status == SignUpStatus.CONFIRMED and rng.random() < 0.85
        rows.append(
            SignUp(
                event=event,
                code=_code(rng, used),
                checkin_code=checkin,
                status=status,
                name_enc=privacy.encrypt(name),
                name_masked=privacy.mask_name(name),
                phone_enc=privacy.encrypt(phone),
                phone_hash=privacy.keyed_hash(phone),
                phone_masked=privacy.mask_phone(phone),
                consent_at=event.starts_at - dt.timedelta(days=2),
                attended_at=event.starts_at + dt.timedelta(minutes=rng.randrange(-20, 15)) if attended else None,
            )
        )
    return rows


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@transaction.atomic
def seed_demo_extension(*, now: dt.datetime) -> str:
    stations = {s.code: s for s in Station.objects.filter(code__in=STATIONS)}
    if len(stations) < len(STATIONS):
        return "活动：演示区不存在，跳过。"
    if Event.objects.filter(title=MARKER, station=stations["jianshe"]).exists():
        return "活动：演示活动已存在，未重复创建。"
    rng = random.Random(SEED)
    units = {u.code: u for u in HandlingUnit.objects.filter(code__in=[code for code, _t in VISITS])}
    staff = User.objects.filter(username="station").first()
    today = timezone.localtime(now).date()
    events: list[Event] = []
    for index, code in enumerate(STATIONS):
        # Upcoming: two theme events / trainings per station in the next four weeks.
        for offset in (3 + index % 4, 12 + index):
            rotation = THEMES[1:]
            kind, title, description = rotation[(index + offset) % len(rotation)] if events else THEMES[0]
            start = _at(today + dt.timedelta(days=offset), rng.choice([9, 14, 19]))
            events.append(_event(stations[code], kind, title, description, start, rng.choice([20, 30, 40]), now))
        # Past: one theme event per station in the last two months.
        kind, title, description = THEMES[1:][(index + 2) % (len(THEMES) - 1)]
        start = _at(today - dt.timedelta(days=5 + 6 * index), 14)
        events.append(_event(stations[code], kind, title, description, start, 40, now))
    # Department visits: held ones this year (they feed the appraisal) and two upcoming.
    for index, (unit_code, title) in enumerate(VISITS * 2):
        station = stations[STATIONS[index % 6]]
        days = -(8 + 9 * index) if index < len(VISITS) * 2 - 2 else 6 + index % 5
        start = _at(today + dt.timedelta(days=days), 9)
        events.append(
            _event(station, EventKind.STATION_VISIT, title, "部门负责人进站，与代表、群众面对面交流。", start, 30, now)
        )
        events[-1].unit = units.get(unit_code)
    events[0].capacity = 8  # the marker event is full, with a waitlist
    Event.objects.bulk_create(events)
    used: set[str] = set()
    rows: list[SignUp] = []
    for event in events:
        count = event.capacity + 3 if event.title == MARKER else rng.randrange(event.capacity // 3, event.capacity)
        rows.extend(_sign_ups(rng, event, count, now, used))
    SignUp.objects.bulk_create(rows)
    raised = 0
    if staff is not None:
        past_here = [e for e in events if e.station.code == "jianshe" and e.starts_at < now]
        for event, (title, details) in zip(past_here * 3, MATTERS, strict=False):
            event_case_register(actor=staff, event_id=event.pk, title=title, details=details, consent=True)
            raised += 1
    visits = sum(1 for e in events if e.kind == EventKind.STATION_VISIT and e.starts_at < now)
    return (
        f"活动：{len(events)} 场（部门进站已举行 {visits} 场），报名 {len(rows)} 人次，活动中登记民意件 {raised} 件。"
    )


def _event(station, kind, title, description, start, capacity, now) -> Event:
    return Event(
        station=station,
        kind=kind,
        title=title,
        description=description,
        location=f"{station.name}活动室",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=capacity,
        status=EventStatus.PUBLISHED,
        published_at=min(start - dt.timedelta(days=7), now),
    )
