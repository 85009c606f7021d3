"""Demo data of the suggestions area: suggestions in every state, from drafts to closed after a second
assignment, some built from the demo district's cases, all moved there through the real services.

Deterministic (fixed seed and a fixed list), idempotent (marker: any suggestion of the demo district), fast.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from lianxin.accounts.enums import Role
from lianxin.accounts.models import User
from lianxin.cases.models import Case
from lianxin.demo import data
from lianxin.demo.district import PERSONA_STATION
from lianxin.organisation.models import Category, Deputy, Division, HandlingUnit
from lianxin.suggestions import tasks
from lianxin.suggestions.models import Suggestion
from lianxin.suggestions.selectors import convertible_cases
from lianxin.suggestions.services import suggestion_create, suggestion_transition

SEED = 3303
# (title, category, lead unit, co-units, final state, answer category, linked cases, lead = persona deputy);
# a suggestion with linked cases is led by a deputy of a station that has acknowledged cases to spare.
PLAN = [
    ("关于加快老旧小区加装电梯的建议", "城乡建设", "zjj", ["zrzy"], "closed", "A", 2, True),
    ("关于学校周边上下学时段交通疏导的建议", "交通运输", "jtj", ["gaj", "jyj"], "closed", "A", 0, False),
    ("关于增设社区老年食堂的建议", "民政", "mzj", [], "following", "B", 1, True),
    ("关于城郊河道黑臭水体整治的建议", "环境保护", "sthj", ["nyj"], "answered", "B", 0, False),
    ("关于规范共享单车停放的建议", "城乡建设", "cgj", ["jtj"], "answered", "A", 1, True),
    ("关于提高灵活就业人员社保补贴的建议", "劳动和社会保障", "rsj", ["czj"], "rechecking", "C", 0, False),
    ("关于增加社区卫生服务中心夜间门诊的建议", "卫生计生", "wjw", ["ybj"], "second_assigned", "C", 0, True),
    ("关于农贸市场改造提升的建议", "城乡建设", "scjg", ["zjj"], "handling", "", 0, False),
    ("关于新建小区配套幼儿园移交的建议", "教育文体", "jyj", ["zrzy"], "handling_key", "", 1, True),
    ("关于完善公交线网覆盖新建小区的建议", "交通运输", "jtj", [], "assigned", "", 0, False),
    ("关于设立应急避难场所标识的建议", "城乡建设", "yjj", ["zjj"], "assigned_overdue", "", 0, True),
    ("关于推进垃圾分类定时定点投放的建议", "环境保护", "cgj", ["sthj"], "extension", "", 0, False),
    ("关于建设全民健身步道的建议", "教育文体", "wgl", [], "accepted", "", 0, True),
    ("关于整治夜间施工噪声扰民的建议", "环境保护", "sthj", [], "reviewing_2", "", 0, False),
    ("关于扩大家庭医生签约服务的建议", "卫生计生", "wjw", [], "reviewing_1", "", 0, True),
    ("关于规范电动自行车充电设施的建议", "城乡建设", "yjj", [], "reviewing", "", 1, True),
    ("关于推广社区居家养老服务的建议", "民政", "mzj", [], "merged", "", 0, False),
    ("关于解决某小区物业纠纷的建议", "城乡建设", "zjj", [], "not_accepted", "", 0, False),
    ("关于开展青少年心理健康教育的建议", "教育文体", "jyj", [], "returned", "", 0, True),
    ("关于增设公共停车泊位的建议", "交通运输", "jtj", [], "queued", "", 0, True),
    ("关于改善农村道路照明的建议", "农村农业", "nyj", [], "draft", "", 0, True),
    ("关于加强校园食品安全监管的建议", "教育文体", "scjg", [], "draft_joint", "", 0, True),
]
SITUATIONS = [
    "群众多次在联络站接待日反映该问题，涉及周边多个小区，居民意见较大。",
    "经代表走访调研，问题由来已久，影响群众日常生活和出行安全。",
    "相关部门曾进行过整治，但效果不持久，群众希望建立长效机制。",
]
PROPOSALS = [
    "一是开展专项排查，摸清底数；二是制定年度实施计划，明确责任单位和完成时限；三是建立定期通报机制。",
    "建议相关部门统筹资金，优先解决群众反映集中的点位，并向社会公布进度。",
    "建议建立部门联动机制，落实属地责任，每季度向代表反馈办理情况。",
]
ANSWERS = {
    "A": "经研究，已将该事项列入今年民生实事项目，现已全部完成，并建立了长效管理机制。",
    "B": "该事项已列入明年工作计划，目前正在开展前期调研和方案设计，预计年底前启动实施。",
    "C": "受资金和用地条件限制，近期难以全面实施，我局将积极争取政策支持，条件成熟时予以解决。",
}


def _marker() -> bool:
    return Suggestion.objects.filter(division__code=data.DISTRICT_CODE).exists()


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _unit_user(unit: HandlingUnit) -> User:
    return (
        User.objects.filter(memberships__role=Role.UNIT, memberships__unit=unit, memberships__active=True)
        .order_by("pk")
        .first()
    )


def _deputy_user(deputy: Deputy) -> User:
    """Other deputies act through background accounts that cannot log in (like the demo's unit handlers)."""
    if deputy.user_id:
        return deputy.user
    user = User(username=f"deputy-{deputy.code}", display_name=deputy.name)
    user.set_unusable_password()
    user.save()
    deputy.user = user
    deputy.save(update_fields=["user"])
    return user


def _category(name: str) -> Category | None:
    return (
        Category.objects.filter(level=1, name=name).first() or Category.objects.filter(level=1).order_by("pk").first()
    )


def _step(user, s, action: str, **data_):
    return suggestion_transition(actor=user, suggestion_id=s.pk, action=action, data=data_)


def _drive(spec, rng, people, used_cases: set[int]) -> Suggestion:
    title, category, lead, co, target, answer_category, n_cases, persona = spec
    deputy_user = people["deputy"] if persona else rng.choice(people["deputies"])
    office, units = people["office"], people["units"]
    cases = []
    if n_cases and people["case_leads"]:
        # Suggestions from cases are led by deputies of stations with acknowledged cases to spare.
        deputy_user, pool = people["case_leads"].pop(0)
        cases = [c for c in pool if c.pk not in used_cases][:n_cases]
    used_cases.update(c.pk for c in cases)
    category_obj = _category(category)
    s = suggestion_create(
        actor=deputy_user,
        data={
            "title": title,
            "situation": rng.choice(SITUATIONS),
            "proposals": rng.choice(PROPOSALS),
            "category_id": category_obj.pk if category_obj else None,
            "urgency": "群众反映集中，问题亟待解决。",
            "breadth": "涉及辖区多个社区的群众。",
            "importance": "关系群众切身利益和城市治理水平。",
            "case_ids": [c.pk for c in cases],
        },
    )
    if target.startswith("draft"):
        if target == "draft_joint":
            for other in rng.sample(people["deputies"], 2):
                if other.pk != deputy_user.pk:
                    _step(deputy_user, s, "add_cosigner", deputy_id=Deputy.objects.get(user=other).pk)
        return s
    if target == "queued":
        today = timezone.localdate()
        with override_settings(SUGGESTION_WINDOW_MONTHDAYS=[1 if today.day != 1 else 2], SUGGESTION_SESSION_WINDOWS=[]):
            _step(deputy_user, s, "submit")
        return s
    _step(deputy_user, s, "submit")
    if target == "returned":
        _step(office, s, "return_for_revision", message="请补充调研数据和具体实施路径。")
        return s
    if target == "not_accepted":
        _step(office, s, "not_accept", reason="属于具体的物业服务纠纷，建议通过人民调解或诉讼渠道解决。")
        return s
    if target == "merged":
        _step(office, s, "merge", target_id=people["merge_target"].pk, message="属同一事项，并案办理。")
        return s
    stages = {"reviewing": 0, "reviewing_1": 1, "reviewing_2": 2}
    if target in stages:
        for _ in range(stages[target]):
            _step(office, s, "accept")
        return s
    for _ in range(3):
        _step(office, s, "accept")
    if target == "accepted":
        people["merge_target"] = s
        return s
    _step(office, s, "assign", mode="lead", lead_unit_id=units[lead].pk, co_unit_ids=[units[c].pk for c in co])
    if target == "handling_key":
        _step(office, s, "mark_key", leader_id=people["leader"].pk, message="列入常委会领导包抓。")
    if target.startswith("assigned"):
        if target == "assigned_overdue":
            past = timezone.now() - dt.timedelta(days=9)
            s.assignments.update(assigned_at=past, sign_due_at=past + dt.timedelta(days=7))
            Suggestion.objects.filter(pk=s.pk).update(assigned_at=past)
        return s
    lead_user = _unit_user(units[lead])
    for code in [lead, *co]:
        _step(_unit_user(units[code]), s, "sign")
    if target in ("handling", "handling_key", "extension"):
        if target == "handling_key":
            today = timezone.localdate().isoformat()
            _step(
                people["leader"],
                s,
                "record_supervision",
                kind="onsite",
                happened_on=today,
                note="现场察看幼儿园建设进度。",
            )
            _step(
                lead_user, s, "record_contact", kind="face_to_face", happened_on=today, note="与领衔代表面商移交方案。"
            )
        if target == "extension":
            _step(lead_user, s, "request_extension", months=2, reason="涉及多部门协调，需延期答复。")
        return s
    today = timezone.localdate().isoformat()
    for code in co:
        _step(_unit_user(units[code]), s, "send_opinion", message="我单位将积极配合主办单位做好相关工作。")
    _step(
        lead_user,
        s,
        "record_contact",
        kind=rng.choice(["phone", "visit", "face_to_face"]),
        happened_on=today,
        note="就办理方案征求领衔代表意见。",
    )
    answer = {"category": answer_category, "text": ANSWERS[answer_category], "signed_by": "单位负责人"}
    _step(lead_user, s, "answer", **answer)
    if target == "answered":
        return s
    if target == "closed":
        _step(deputy_user, s, "rate", rating=rng.choice(["satisfied", "basically_satisfied"]))
        return s
    if target == "following":
        _step(deputy_user, s, "rate", rating="basically_satisfied", comment="希望尽快落实。")
        return s
    _step(deputy_user, s, "rate", rating="unsatisfied", comment="答复过于原则，没有具体措施和时间表。")
    if target == "rechecking":
        return s
    _step(
        office,
        s,
        "second_assign",
        message="复核认为答复不够具体，请重新研究提出措施。",
        mode="lead",
        lead_unit_id=units[lead].pk,
    )
    _step(lead_user, s, "sign")
    _step(lead_user, s, "record_contact", kind="face_to_face", happened_on=today, note="再次面商。")
    _step(
        lead_user,
        s,
        "answer",
        category="A",
        text="经重新研究，已调整排班，两个社区卫生服务中心开设夜间门诊。",
        signed_by="单位负责人",
    )
    _step(deputy_user, s, "rate", rating="basically_satisfied")
    return s


def seed_demo_extension(*, now) -> str:
    if _marker():
        return "代表建议：已存在，未重复添加。"
    rng = random.Random(SEED)
    units = {u.code: u for u in HandlingUnit.objects.filter(code__in={c for p in PLAN for c in [p[2], *p[3]]})}
    persona = _user("deputy")
    others = list(
        Deputy.objects.filter(active=True, stations__division__path__startswith=_district_path())
        .exclude(user=persona)
        .distinct()
        .order_by("code")[:6]
    )
    with transaction.atomic(), override_settings(SUGGESTION_WINDOW_MONTHDAYS=list(range(1, 32))):
        people = {
            "deputy": persona,
            "deputies": [_deputy_user(d) for d in others],
            "office": _user("office"),
            "leader": _user("leader"),
            "units": units,
            "case_leads": _case_leads(persona),
        }
        used: set[int] = set()
        made = [_drive(spec, rng, people, used) for spec in PLAN]
    tasks.recompute_lights(now)
    states = sorted({s.state for s in Suggestion.objects.filter(pk__in=[m.pk for m in made])})
    return f"代表建议：{len(made)} 件（{len(states)} 种状态），关联民意件 {len(used)} 件。"


def _case_leads(persona: User) -> list[tuple[User, list]]:
    """(deputy account, acknowledged cases it may convert) at stations other than the station persona's, which
    keeps its own waiting work; returned or escalated cases stay where the case demo put them."""

    stations = (
        Case.objects.filter(status="acknowledged", station__division__path__startswith=_district_path())
        .exclude(station__code=PERSONA_STATION)
        .values("station_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "station_id")[:4]
    )
    leads = []
    for row in stations:
        deputy = (
            Deputy.objects.filter(stations=row["station_id"], active=True)
            .exclude(user=persona)
            .order_by("code")
            .first()
        )
        if deputy is None:
            continue
        user = _deputy_user(deputy)
        pool = [
            c
            for c in convertible_cases(user, limit=80)
            if c.status == "acknowledged" and c.station_id == row["station_id"]
        ]
        if pool:
            leads.append((user, sorted(pool, key=lambda c: c.pk)))
    return leads


def _district_path() -> str:

    district = Division.objects.filter(code=data.DISTRICT_CODE).first()
    return district.path if district else "/-/"
