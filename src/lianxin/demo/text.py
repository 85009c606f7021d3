"""Our own generator of plausible citizens' matters: templates × places × objects × problems.

Everything is drawn from the `random.Random` passed in, so the same seed gives the same texts.
Nothing here is copied from any data set; the phrases are invented for the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DURATIONS = ["两周了", "快一个月了", "好几天了", "已经三个多月", "从去年冬天到现在", "有一阵子了"]
OPENINGS = [
    "",
    "",
    "我是{community}的居民，",
    "本人住在{community}，",
    "我们{community}的几户居民反映：",
    "代表您好，",
    "您好，我想反映一个问题。",
]
ASKS = {
    "help": ["希望有关部门尽快处理。", "麻烦代表帮忙协调一下。", "请尽快派人来看看。", "盼早日解决，谢谢！"],
    "complaint": ["已经打过几次电话都没人管，希望严肃处理。", "请相关部门给个说法。", "希望尽快整改，不要再拖了。"],
    "consultation": ["请问该找哪个部门？", "想了解一下具体政策和办理流程。", "请告知大概什么时候能有结果。"],
    "report": ["请有关部门核实查处。", "希望执法部门来查一查。"],
    "suggestion": ["建议统筹考虑，列入今年的民生实事。", "建议相关部门研究可行性。", "希望代表把这个意见带上去。"],
}
IMPACTS = [
    "晚上老人小孩出行很不方便。",
    "存在安全隐患，万一出事就晚了。",
    "影响周边几百户居民的正常生活。",
    "上下班高峰特别明显。",
    "居民意见很大。",
    "夏天尤其严重。",
    "",
]


@dataclass(frozen=True)
class Topic:
    """One kind of matter; `category` is (level-1, level-2) of the seeded taxonomy."""

    key: str
    category: tuple[str, str]
    titles: tuple[tuple[str, str], ...]  # (request type, title pattern)
    objects: tuple[str, ...]
    problems: tuple[str, ...]
    details: tuple[str, ...]
    better_unit: str = ""  # where a returned case is sent next (e.g. the water company)
    rural: bool = False  # only raised in villages (村)
    pairs: tuple[tuple[str, str], ...] = ()  # (object, problem) that belong together, used instead of the product


TOPICS: tuple[Topic, ...] = (
    Topic(
        "lights",
        ("城乡建设", "城市建设和市政管理"),
        (
            ("help", "{estate}{building}栋{object}{problem}"),
            ("help", "{road}{object}{problem}"),
            ("complaint", "{estate}{object}{problem}{duration}没人修"),
        ),
        ("楼道灯", "路灯", "小区路灯", "地下车库照明"),
        ("坏了", "不亮", "时亮时不亮", "一到晚上就灭"),
        (
            "{estate}{building}栋的{object}{problem}，{duration}，物业说要等街道统一报修。",
            "{road}靠近{landmark}一段的{object}{problem}，路上黑漆漆的。",
        ),
    ),
    Topic(
        "roads",
        ("城乡建设", "城市建设和市政管理"),
        (
            ("help", "{road}{object}{problem}"),
            ("complaint", "{road}{object}{problem}多次反映未处理"),
            ("suggestion", "建议尽快修复{road}{object}"),
        ),
        ("人行道", "窨井盖", "路面", "盲道"),
        ("破损塌陷", "松动", "坑洼积水", "被占用"),
        (
            "{road}{number}号附近的{object}{problem}，{duration}，电动车经过容易摔倒。",
            "{road}与{road2}交叉口往东约五十米，{object}{problem}，下雨天积水很深。",
        ),
    ),
    Topic(
        "lift",
        ("城乡建设", "住房保障与房地产"),
        (
            ("consultation", "{estate}加装电梯政策咨询"),
            ("help", "{estate}{building}栋加装电梯协调难"),
            ("complaint", "{estate}物业服务差、{object}{problem}"),
        ),
        ("电梯", "消防通道", "屋顶"),
        ("经常故障", "堆满杂物", "漏水"),
        (
            "{estate}是老小区，{building}栋住了很多老人，想加装电梯，但低层住户有意见，希望社区帮忙协调。",
            "{estate}{building}栋{object}{problem}，{duration}，找物业几次都说没钱修。",
        ),
    ),
    Topic(
        "signals",
        ("政法", "交通管理"),
        (
            ("suggestion", "{road}与{road2}交叉口{object}{problem}"),
            ("help", "{road}{object}{problem}"),
            ("complaint", "{road}{object}{problem}，上下班堵得厉害"),
        ),
        ("红绿灯", "行人过街信号灯", "左转信号"),
        ("时间太短", "设置不合理", "坏了"),
        (
            "{road}与{road2}交叉口的{object}{problem}，老人过马路走不到一半就变灯了。",
            "每天早上七点半到八点半，{road}往{landmark}方向排队很长，{object}{problem}。",
        ),
    ),
    Topic(
        "parking",
        ("城乡建设", "城市建设和市政管理"),
        (
            ("help", "{estate}周边停车难"),
            ("report", "{road}{object}{problem}"),
            ("suggestion", "建议在{landmark}附近增设停车位"),
        ),
        ("机动车", "共享单车", "电动车"),
        ("乱停乱放", "占用消防通道", "堵住小区出入口"),
        (
            "{estate}车位严重不足，晚上车都停到{road}上，{object}{problem}。",
            "{landmark}门口{object}{problem}，行人只能走到机动车道上。",
        ),
    ),
    Topic(
        "bus",
        ("交通运输", "客货运输"),
        (
            ("suggestion", "建议{object}延伸到{estate}"),
            ("complaint", "{object}{problem}"),
            ("consultation", "{object}调整后怎么换乘"),
        ),
        (),
        (),
        (
            "{estate}附近最近的公交站要走二十分钟，{object}{problem}，老人去医院很不方便。",
            "{road}上的{object}{problem}，等车要四十分钟。",
        ),
        pairs=(("公交线路", "班次太少"), ("社区巴士", "经常不按时到站"), ("公交站台", "没有遮雨棚")),
    ),
    Topic(
        "noise",
        ("环境保护", "环境污染"),
        (
            ("complaint", "{landmark}{object}{problem}"),
            ("report", "{road}{object}{problem}"),
            ("help", "{estate}旁{object}扰民"),
        ),
        (),
        (),
        (
            "{estate}旁边的{object}{problem}，晚上十点以后还有，{duration}。",
            "{landmark}后面的{object}{problem}，窗户都不敢开。",
        ),
        pairs=(("夜间施工", "噪音太大"), ("餐馆油烟", "直排"), ("广场舞音响", "太吵"), ("小河", "发黑发臭")),
    ),
    Topic(
        "school",
        ("教育文体", "教育行政管理"),
        (
            ("consultation", "{school}入学政策咨询"),
            ("help", "{school}门口{object}{problem}"),
            ("suggestion", "建议{school}开设{object}"),
        ),
        (),
        (),
        (
            "孩子在{school}上学，{object}{problem}，家长们都很着急。",
            "我们是新居民，孩子明年上小学，想问问{school}的学区划分和需要准备的材料。",
        ),
        pairs=(("放学接送", "秩序混乱"), ("课后托管", "名额不够"), ("校门口交通", "存在安全隐患")),
    ),
    Topic(
        "sports",
        ("教育文体", "体育"),
        (("suggestion", "建议在{estate}增设{object}"), ("help", "{estate}{object}{problem}")),
        ("健身器材", "篮球场", "口袋公园", "老年活动室"),
        ("损坏", "长期锁着", "不够用"),
        (
            "{estate}的{object}{problem}，附近居民锻炼没有地方。",
            "{landmark}边上有块空地，{duration}一直荒着，建议改成{object}。",
        ),
    ),
    Topic(
        "health",
        ("卫生计生", "医政监管"),
        (
            ("help", "{clinic}{object}{problem}"),
            ("complaint", "{clinic}{object}{problem}"),
            ("consultation", "门诊慢病{object}报销政策咨询"),
        ),
        (),
        (),
        (
            "在{clinic}{object}{problem}，老人一早去排到中午。",
            "家里老人有高血压，{clinic}{object}{problem}，每次都要跑大医院。",
        ),
        pairs=(("挂号", "排队太久"), ("配药", "药品不全"), ("家庭医生", "联系不上"), ("导诊", "服务态度差")),
    ),
    Topic(
        "elderly",
        ("民政", "社会服务"),
        (
            ("help", "{estate}独居老人{object}"),
            ("suggestion", "建议{estate}开设{object}"),
            ("consultation", "{object}申请条件咨询"),
        ),
        ("老年食堂", "居家养老服务", "助餐服务", "适老化改造"),
        ("没人管", "名额太少", "离得太远"),
        (
            "{estate}有不少独居老人，{object}{problem}，子女都在外地。",
            "我父亲八十多岁，想申请{object}，不清楚要什么条件。",
        ),
    ),
    Topic(
        "relief",
        ("民政", "社会救助"),
        (("help", "困难家庭申请{object}"), ("consultation", "{object}怎么申请")),
        ("低保", "临时救助", "残疾人补贴"),
        ("没批下来", "不知道流程"),
        (
            "家里一人重病一人残疾，申请{object}{problem}，想请代表帮忙问问。",
            "邻居家生活困难，{object}{problem}，能不能帮他们问一问。",
        ),
    ),
    Topic(
        "wages",
        ("劳动和社会保障", "工资福利"),
        (
            ("help", "{company}拖欠{object}"),
            ("complaint", "{company}{object}{problem}"),
            ("consultation", "{object}怎么补缴"),
        ),
        (),
        (),
        (
            "我在{company}上班，{object}{problem}，找老板几次都推说资金紧张。",
            "{company}有二十多个工人的{object}{problem}，快过年了大家都很着急。",
        ),
        pairs=(("工资", "三个月没发"), ("社保", "一直没有缴纳"), ("加班费", "一直拖着不给")),
    ),
    Topic(
        "farming",
        ("农村农业", "水利水电"),
        (("help", "{village}{object}{problem}"), ("suggestion", "建议修缮{village}{object}")),
        ("灌溉渠", "机耕路", "泵站", "河道护岸"),
        ("淤塞", "坍塌", "年久失修"),
        (
            "{village}的{object}{problem}，{duration}，今年春耕放水都困难。",
            "{village}{object}{problem}，大型农机下不了田。",
        ),
        rural=True,
    ),
    Topic(
        "subsidy",
        ("农村农业", "惠农补贴"),
        (("consultation", "{object}发放时间咨询"), ("complaint", "{village}{object}{problem}")),
        ("种粮补贴", "耕地地力保护补贴", "农机购置补贴"),
        ("迟迟没到账", "发放不透明"),
        ("{village}几户农户的{object}{problem}，想了解原因。", "今年的{object}{problem}，村里也说不清楚。"),
        rural=True,
    ),
    Topic(
        "market",
        ("商贸旅游", "市场监管"),
        (("report", "{market}{object}{problem}"), ("complaint", "{market}{object}{problem}")),
        ("短斤缺两", "过期食品", "无证经营"),
        ("问题严重", "屡禁不止"),
        ("在{market}买菜发现{object}，{problem}，希望市场监管部门管一管。", "{market}附近有摊贩{object}，{problem}。"),
    ),
    Topic(
        "security",
        ("政法", "社会治安"),
        (("help", "{estate}{object}{problem}"), ("suggestion", "建议{estate}加装监控探头和门禁")),
        ("电动车被盗", "入室盗窃", "高空抛物"),
        ("频发", "时有发生", "屡禁不止"),
        (
            "{estate}最近{object}{problem}，光这个月就有好几起。",
            "{estate}{building}栋附近{object}{problem}，监控探头坏了没人修，晚上不太安全。",
        ),
    ),
    Topic(
        "water",
        ("城乡建设", "城市建设和市政管理"),
        (("help", "{estate}{object}{problem}"), ("complaint", "{estate}{object}{problem}，没有提前通知")),
        (),
        (),
        (
            "{estate}{building}栋{object}{problem}，{duration}，高楼层早上经常没水。",
            "{road}{number}号门口{object}{problem}，水一直往外冒。",
        ),
        better_unit="water",
        pairs=(("自来水", "发黄"), ("水压", "太低"), ("供水管道", "爆管")),
    ),
    Topic(
        "power",
        ("经济管理", "能源管理"),
        (("help", "{village}{object}{problem}"), ("complaint", "{estate}{object}{problem}")),
        (),
        (),
        ("{village}这段时间{object}{problem}，冰箱空调都用不了。", "{estate}{object}{problem}，一个星期停了三次。"),
        better_unit="power",
        pairs=(("电压", "不稳"), ("停电", "太频繁"), ("变压器", "噪音大")),
    ),
    Topic(
        "land",
        ("国土资源", "土地征收"),
        (("consultation", "{village}{object}政策咨询"), ("complaint", "{village}{object}{problem}")),
        ("土地征收补偿", "宅基地审批", "房屋测绘"),
        ("标准不清楚", "进度太慢"),
        (
            "{village}的{object}{problem}，村民有疑问，希望相关部门公开说明。",
            "我家在{village}，{object}{problem}，{duration}。",
        ),
        rural=True,
    ),
    Topic(
        "business",
        ("经济管理", "金融财税"),
        (("suggestion", "建议优化{object}"), ("help", "{object}{problem}")),
        ("惠企政策兑现", "小微企业贷款", "企业开办流程"),
        ("手续太多", "周期太长"),
        (
            "我们是{company}，{object}{problem}，希望能简化流程。",
            "园区很多小企业反映{object}{problem}，建议代表调研一下。",
        ),
    ),
    Topic(
        "telecom",
        ("科技与信息产业", "电信"),
        (("help", "{village}{object}{problem}"), ("complaint", "{estate}{object}{problem}")),
        (),
        (),
        ("{village}一带{object}{problem}，在家打电话都要跑到外面。", "{estate}{object}{problem}，孩子上网课受影响。"),
        pairs=(("手机信号", "很差"), ("宽带", "经常断网"), ("5G基站", "迟迟不建")),
    ),
    Topic(
        "conduct",
        ("纪检监察", "干部作风"),
        (("report", "{office}工作人员{object}"), ("complaint", "{office}{object}")),
        ("态度生硬", "推诿扯皮", "办事拖拉"),
        ("",),
        ("去{office}办事，工作人员{object}，来回跑了三趟。", "反映{office}有人{object}，希望查一查。"),
    ),
    Topic(
        "services",
        ("党务政务", "其他"),
        (("consultation", "{object}在哪里办理"), ("suggestion", "建议{office}增加{object}")),
        ("居住证", "老年卡", "周末延时服务", "自助服务机"),
        ("",),
        ("想办{object}，不知道现在是在{office}还是网上办。", "上班族工作日没时间，建议{office}增加{object}。"),
    ),
)

ESTATES = [
    "春晖小区",
    "紫阳花园",
    "梅湾新村",
    "勤俭公寓",
    "南溪苑",
    "禾兴北苑",
    "东升小区",
    "秀园新村",
    "嘉苑小区",
    "湖滨花园",
    "友谊新村",
    "逸景苑",
    "汇丰小区",
    "星月家园",
    "景湖名苑",
    "凌公塘小区",
    "广益新村",
    "建设新村",
]
LANDMARKS = ["菜市场", "社区卫生服务中心", "公交站", "实验小学", "老年活动中心", "超市", "体育公园", "地铁口"]
SCHOOLS = ["南湖区实验小学", "建设小学", "秀州中学", "东栅幼儿园", "大桥镇中心小学", "新嘉小学"]
CLINICS = ["社区卫生服务中心", "区人民医院", "镇卫生院", "街道社区医院"]
MARKETS = ["菜市场", "农贸市场", "夜市", "生鲜超市"]
COMPANIES = ["某纺织厂", "某电子厂", "某装修公司", "某物流公司", "某餐饮店"]
OFFICES = ["街道便民服务中心", "区行政服务中心", "村委会", "社区服务站"]  # 村委会 only in villages
BIGNUM = "一二三四五六七八九十"


@dataclass(frozen=True)
class Matter:
    title: str
    details: str
    request_type: str
    topic: Topic


def _fill(pattern: str, words: dict[str, str]) -> str:
    return pattern.format(**words)


def place_words(rng: random.Random, *, community: str, roads: list[str]) -> dict[str, str]:
    road, road2 = rng.sample(roads, 2)
    village = community if community.endswith("村") else rng.choice(ESTATES)
    return {
        "community": community,
        "estate": rng.choice(ESTATES),
        "building": str(rng.randint(1, 28)),
        "road": road,
        "road2": road2,
        "number": str(rng.randint(2, 988)),
        "landmark": rng.choice(LANDMARKS),
        "school": rng.choice(SCHOOLS),
        "clinic": rng.choice(CLINICS),
        "market": rng.choice(MARKETS),
        "company": rng.choice(COMPANIES),
        "office": rng.choice(OFFICES[1:] if community.endswith("村") else OFFICES[:2] + OFFICES[3:]),
        "village": village,
        "duration": rng.choice(DURATIONS),
    }


def make_matter(rng: random.Random, *, community: str, roads: list[str], topic: Topic | None = None) -> Matter:
    """One matter with a short title and details of varying length (one to five sentences)."""
    rural = community.endswith("村")
    topic = topic or rng.choice([t for t in TOPICS if rural or not t.rural])
    words = place_words(rng, community=community, roads=roads)
    if topic.pairs:
        words["object"], words["problem"] = rng.choice(topic.pairs)
    else:
        words["object"], words["problem"] = rng.choice(topic.objects), rng.choice(topic.problems)
    request_type, title_pattern = rng.choice(topic.titles)
    title = _fill(title_pattern, words)[:100]
    first, second = rng.sample(topic.details, 2)
    parts = [_fill(rng.choice(OPENINGS), words), _fill(first, words)]
    length = rng.random()
    if length > 0.35:
        parts.append(rng.choice(IMPACTS))
    if length > 0.7:
        parts.append(
            "另外，"
            + _fill(
                second,
                {
                    **words,
                    **place_words(rng, community=community, roads=roads),
                    "object": words["object"],
                    "problem": words["problem"],
                },
            )
        )
    if length > 0.9:
        parts.append(f"之前在{rng.choice(['12345', '社区', '网格员那里'])}反映过{BIGNUM[rng.randint(1, 4)]}次。")
    parts.append(rng.choice(ASKS[request_type]))
    return Matter(title=title, details="".join(parts), request_type=request_type, topic=topic)


# --- Answers written by deputies, staff and units ------------------------------------------------

ACKS = [
    "您好，您反映的问题已收到，我会尽快了解情况并跟进。",
    "收到，已联系网格员去现场查看，请保持电话畅通。",
    "感谢您的反映，我们已记录，24小时内会有工作人员与您联系。",
    "已收悉，正在和社区一起核实情况。",
]
RESOLVES = [
    "网格员已到现场处理完毕，问题已解决。",
    "已协调物业当天完成维修。",
    "经社区调解，双方已达成一致。",
    "已当场答复政策口径，并告知办理窗口和所需材料。",
]
REPLIES = [
    "经现场核查，已安排施工队完成维修，后续将加强日常巡查。",
    "已约谈相关责任单位，责令限期整改，整改情况将持续跟踪。",
    "该事项已列入今年改造计划，预计三个月内完成。",
    "已按政策为您办理，相关款项将于本月底前发放。",
    "经调查核实，情况基本属实，已依法处理。",
    "已与属地街道联合处置，现场已恢复正常。",
]
FEEDBACKS = [
    "您反映的问题承办单位已处理完毕，请查看答复并评价。",
    "问题已解决，欢迎您继续监督，请对办理结果进行评价。",
    "已电话告知办理结果，请您在查询页评价。",
]
RETURNS = [
    "该事项不属于本单位职责范围，建议交属地街道处理。",
    "诉求涉及供水管网，属水务集团负责。",
    "诉求地址不在本单位管辖范围内。",
    "该事项已进入诉讼程序，本单位不宜处理。",
]
DECLINES = [
    "该事项已进入司法程序，依法不予受理，请通过诉讼途径解决。",
    "该事项属于信访渠道办理范围，已告知您信访途径。",
    "诉求内容不具体，无法核实，请补充具体地址后重新反映。",
    "涉及个人之间的经济纠纷，建议通过人民调解或诉讼解决。",
]
ESCALATES = [
    "涉及多个部门，网格层面无法解决，提交上一级协调。",
    "问题较复杂，需街道统筹处理。",
    "涉及区级规划，需提交区里研究。",
]
URGES = ["已超过办理时限，请抓紧办理并反馈。", "群众多次来电催问，请加快进度。", "请于明日前报送办理进展。"]
EXTENSIONS = ["需协调多个部门现场会商，申请延期。", "涉及施工招标，需要更多时间。"]
RATING_COMMENTS = {
    "satisfied": ["", "", "处理很及时，谢谢代表！", "满意，点赞！"],
    "basically_satisfied": ["", "基本解决了，希望以后多巡查。", "处理慢了一点。"],
    "unsatisfied": ["问题根本没解决，还是老样子。", "答复敷衍，现场没人来看过。"],
}
CONVERTS = ["该问题涉及面广，拟形成代表建议提交区人大常委会。", "多名群众反映同类问题，转为代表建议推动解决。"]


def pick(rng: random.Random, options: list[str]) -> str:
    return rng.choice(options)
