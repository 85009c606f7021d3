"""One open consultation in the demo district: a draft regulation at the legislative contact point (基层立法联系点),
with comments approved, pending and one rejected. Deterministic (fixed seed); idempotent (its title is the marker)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from lianxin import privacy
from lianxin.accounts.models import User
from lianxin.audit.services import log_action
from lianxin.consultations.enums import AuthorKind, CommentStatus, ConsultationKind, ConsultationStatus
from lianxin.consultations.models import Article, Comment, Consultation
from lianxin.organisation.models import Deputy, Station

SEED = 7227
TITLE = "《嘉兴市电动自行车管理条例（草案）》征求意见"
SUMMARY = "市人大常委会法工委委托基层立法联系点征求意见。请对照草案逐条提出修改意见，截止后汇总报送。"
ARTICLES = [
    (
        "第一条",
        "为了加强电动自行车管理，维护道路交通秩序，保障人身和财产安全，根据有关法律、法规，结合本市实际，制定本条例。",
    ),
    ("第二条", "本市行政区域内电动自行车的生产、销售、登记、通行、停放、充电及其相关管理活动，适用本条例。"),
    ("第三条", "电动自行车应当依法登记并悬挂号牌后，方可上道路行驶。"),
    ("第四条", "驾驶电动自行车应当佩戴安全头盔；搭载十二周岁以下未成年人的，应当为其佩戴安全头盔。"),
    ("第五条", "禁止在建筑物的公共门厅、疏散走道、楼梯间、安全出口停放电动自行车或者为其充电。"),
    ("第六条", "新建住宅小区应当配套建设电动自行车集中停放场所和充电设施；既有住宅小区应当逐步建设。"),
    ("第七条", "违反本条例第五条规定的，由消防救援机构责令改正，处警告或者五百元以下罚款。"),
]
OPINIONS = [
    (2, "建议明确外地牌照电动自行车在本市行驶的过渡期和办理方式。"),
    (3, "建议对外卖、快递骑手的头盔佩戴由平台企业负责监督。"),
    (3, "头盔规定很好，建议在学校门口加强宣传检查。"),
    (4, "老旧小区没有集中充电的地方，禁止楼道充电之前应先解决充电设施。"),
    (4, "建议写明物业服务企业发现楼道停放时的劝阻义务。"),
    (5, "建议明确充电设施建设费用由谁承担，避免推诿。"),
    (5, "集中充电的收费标准应当公开，并由价格主管部门指导。"),
    (6, "罚款五百元以下幅度偏宽，建议区分首次违法和屡次违法。"),
    (0, "建议在立法目的中增加“倡导绿色出行”。"),
    (1, "建议把电动自行车的回收处置也纳入本条例。"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


@transaction.atomic
def seed_demo_extension(*, now: dt.datetime) -> str:
    station = Station.objects.filter(code="lifa").select_related("division").first()
    if station is None:
        return "意见征求：演示区不存在，跳过。"
    if Consultation.objects.filter(title=TITLE).exists():
        return "意见征求：演示数据已存在，未重复创建。"
    rng = random.Random(SEED)
    office = User.objects.filter(username="office").first()
    deputies = list(Deputy.objects.filter(stations=station).order_by("code")[:2])
    consultation = Consultation.objects.create(
        kind=ConsultationKind.DRAFT_LAW,
        title=TITLE,
        summary=SUMMARY,
        division=station.division,
        station=station,
        status=ConsultationStatus.OPEN,
        deadline=now + dt.timedelta(days=20),
        published_at=now - dt.timedelta(days=10),
        created_by=office,
    )
    articles = Article.objects.bulk_create(
        [
            Article(consultation=consultation, number=n, heading=heading, text=text)
            for n, (heading, text) in enumerate(ARTICLES, start=1)
        ]
    )
    comments = []
    for index, (article_index, body) in enumerate(OPINIONS):
        deputy = deputies[index % len(deputies)] if deputies and index in (1, 5) else None
        name = "" if deputy else rng.choice(SURNAMES) + rng.choice("某先生女士")
        phone = f"13{rng.randrange(10**9):09d}" if index % 3 == 0 else ""
        status = CommentStatus.APPROVED if index < 6 else CommentStatus.PENDING
        comments.append(
            Comment(
                consultation=consultation,
                article=articles[article_index],
                author_kind=AuthorKind.DEPUTY if deputy else AuthorKind.CITIZEN,
                deputy=deputy,
                name_enc=privacy.encrypt(name),
                name_masked=privacy.mask_name(name),
                phone_enc=privacy.encrypt(phone),
                phone_hash=privacy.keyed_hash(phone) if phone else "",
                phone_masked=privacy.mask_phone(phone),
                body=body,
                status=status,
                moderated_by=office if status == CommentStatus.APPROVED else None,
                moderated_at=now - dt.timedelta(days=1) if status == CommentStatus.APPROVED else None,
                consent_at=now - dt.timedelta(days=2),
            )
        )
    comments.append(
        Comment(
            consultation=consultation,
            article=articles[2],
            body="低价出售二手电动车，有意者联系。",
            status=CommentStatus.REJECTED,
            moderation_reason="广告信息，与条文无关",
            moderated_by=office,
            moderated_at=now - dt.timedelta(days=1),
            consent_at=now - dt.timedelta(days=3),
        )
    )
    Comment.objects.bulk_create(comments)
    log_action(
        actor=office,
        action="consultation.created",
        subject_type="consultation",
        subject_id=consultation.pk,
        data={"title": TITLE, "articles": len(articles), "published": True, "demo": True},
    )
    pending = sum(1 for c in comments if c.status == CommentStatus.PENDING)
    return f"意见征求：1 项征求中（{len(articles)} 条），意见 {len(comments)} 条（待审核 {pending} 条）。"
