"""Fixed tables of the demo district (南湖区). Invented for the demo; codes follow the GB/T 2260 shape."""

from __future__ import annotations

DISTRICT_NAME = "南湖区"
DISTRICT_CODE = "330402"  # the marker of an existing demo: seed_demo never creates this district twice
# Bounding box of the demo district (south, west, north, east), centred near 30.75N 120.76E.
BBOX = (30.68, 120.66, 30.82, 120.86)

# (name, code, stats code, communities). The first three are central streets, the rest outer ones.
STREETS = [
    (
        "建设街道",
        "jianshe",
        "330402001000",
        ["春晖社区", "建设社区", "紫阳社区", "梅湾社区", "勤俭社区", "中山社区", "南溪社区"],
    ),
    (
        "解放街道",
        "jiefang",
        "330402002000",
        ["北京路社区", "禾兴社区", "新安社区", "东升社区", "秀园社区", "瓶山社区", "沿河社区"],
    ),
    (
        "新嘉街道",
        "xinjia",
        "330402003000",
        ["广益社区", "嘉苑社区", "新港社区", "湖滨社区", "友谊社区", "逸景社区", "槜李社区"],
    ),
    ("东栅街道", "dongzha", "330402004000", ["东栅社区", "汇丰社区", "景湖社区", "星月社区", "东港社区", "凌公塘社区"]),
    ("七星街道", "qixing", "330402005000", ["七星村", "湘家荡村", "东进村", "三星村", "新光村", "星光社区"]),
    ("大桥镇", "daqiao", "330402100000", ["大桥村", "亚中村", "云东村", "胥山村", "江南村", "永红村", "步云社区"]),
]
GRIDS_PER_COMMUNITY = 3
GRID_SUFFIX = ["一", "二", "三", "四"]

# Stations: (code, name, kind, where, reception (rule, day), opening hours). `where` is "district",
# a street code, or "street_code/community index" for rooms and points.
STATIONS = [
    ("nanhu-hub", "南湖区人大代表联络总站", "hub", "district", ("monthly", 20), "工作日 8:30–17:00"),
    ("jianshe", "建设街道人大代表联络站", "station", "jianshe", ("monthly", 20), "工作日 8:30–17:00"),
    ("jiefang", "解放街道人大代表联络站", "station", "jiefang", ("monthly", 15), "工作日 8:30–17:00"),
    ("xinjia", "新嘉街道人大代表联络站", "station", "xinjia", ("weekly", 3), "工作日 8:30–17:00"),
    ("dongzha", "东栅街道人大代表联络站", "station", "dongzha", ("monthly", 10), "工作日 8:30–17:00"),
    ("qixing", "七星街道人大代表联络站", "station", "qixing", ("weekly", 2), "工作日 8:30–17:00"),
    ("daqiao", "大桥镇人大代表联络站", "station", "daqiao", ("monthly", 5), "工作日 8:30–17:00，周六上午"),
    ("chunhui", "春晖社区代表联络室", "room", "jianshe/0", ("weekly", 4), "周一至周六 9:00–11:30"),
    ("yazhong", "亚中村代表联络点", "point", "daqiao/1", ("monthly", 25), "每月25日 9:00–11:00"),
    ("nanhu-online", "南湖区网上代表联络站", "online", "district", ("none", None), "全天在线"),
    ("lifa", "南湖区基层立法联系点", "legislative", "jiefang", ("monthly", 18), "工作日 9:00–16:30"),
    ("yusuan", "南湖区人大预算联系点", "budget", "xinjia", ("monthly", 12), "工作日 9:00–16:30"),
    ("qiaolian", "南湖区涉侨代表联系点", "overseas", "dongzha", ("monthly", 8), "周三 9:00–16:00"),
    ("jingji", "南湖区经济运行观察点", "economic", "qixing", ("monthly", 28), "工作日 9:00–16:00"),
    ("qiye", "南湖高新区企业代表联系点", "enterprise", "qixing", ("weekly", 5), "周五 14:00–17:00"),
    ("nongye", "大桥镇农业代表联系点", "farming", "daqiao", ("monthly", 16), "农忙除外 每月16日"),
    ("shanghai", "南湖区驻上海代表联络站", "away", "district", ("monthly", 26), "每月最后一个周六 9:00–12:00"),
]
# Share of cases each station takes (street stations carry the load; 建设 a little more, for the demo logins).
STATION_WEIGHTS = {
    "nanhu-hub": 3,
    "jianshe": 26,
    "jiefang": 13,
    "xinjia": 12,
    "dongzha": 11,
    "qixing": 10,
    "daqiao": 11,
    "chunhui": 4,
    "yazhong": 3,
    "nanhu-online": 6,
    "lifa": 1,
    "yusuan": 1,
    "qiaolian": 1,
    "jingji": 1,
    "qiye": 1,
    "nongye": 1,
    "shanghai": 1,
}
ROAD_NAMES = [
    "中山路",
    "建设路",
    "禾兴路",
    "南湖路",
    "纺工路",
    "广益路",
    "东升路",
    "文昌路",
    "环城南路",
    "由拳路",
    "秀园路",
    "常秀街",
    "凌公塘路",
    "庆丰路",
    "亚太路",
    "三环南路",
    "新气象路",
    "昌盛路",
    "槜李路",
    "花园路",
]

# Handling units: (code, name, level, street code or "" for district-wide).
UNITS = [
    ("zjj", "区住建局", "district", ""),
    ("jyj", "区教育局", "district", ""),
    ("wjw", "区卫健委", "district", ""),
    ("jtj", "区交通运输局", "district", ""),
    ("sthj", "区生态环境分局", "district", ""),
    ("rsj", "区人社局", "district", ""),
    ("mzj", "区民政局", "district", ""),
    ("scjg", "区市场监管局", "district", ""),
    ("cgj", "区综合行政执法局（城管）", "district", ""),
    ("nyj", "区农业农村局", "district", ""),
    ("gaj", "公安南湖分局", "district", ""),
    ("fy", "区人民法院", "district", ""),
    ("jcy", "区人民检察院", "district", ""),
    ("wgl", "区文化和广电旅游体育局", "district", ""),
    ("yjj", "区应急管理局", "district", ""),
    ("zrzy", "区自然资源和规划分局", "district", ""),
    ("czj", "区财政局", "district", ""),
    ("fgj", "区发展和改革局", "district", ""),
    ("jxj", "区经济和信息化局", "district", ""),
    ("ybj", "区医疗保障分局", "district", ""),
    ("jjw", "区纪委监委", "district", ""),
    ("tw", "区委统战部", "district", ""),
    ("jianshe-office", "建设街道办事处", "street", "jianshe"),
    ("jiefang-office", "解放街道办事处", "street", "jiefang"),
    ("xinjia-office", "新嘉街道办事处", "street", "xinjia"),
    ("dongzha-office", "东栅街道办事处", "street", "dongzha"),
    ("qixing-office", "七星街道办事处", "street", "qixing"),
    ("daqiao-office", "大桥镇人民政府", "street", "daqiao"),
    ("water", "嘉兴市水务集团南湖分公司", "district", ""),
    ("power", "国网嘉兴供电公司南湖供电中心", "district", ""),
    ("gas", "嘉兴市燃气集团南湖分公司", "district", ""),
]

# Routing rule set v1: level-1 category × the district → unit code.
ROUTING = {
    "城乡建设": "zjj",
    "党务政务": "tw",
    "国土资源": "zrzy",
    "环境保护": "sthj",
    "纪检监察": "jjw",
    "交通运输": "jtj",
    "经济管理": "fgj",
    "科技与信息产业": "jxj",
    "民政": "mzj",
    "农村农业": "nyj",
    "商贸旅游": "scjg",
    "卫生计生": "wjw",
    "政法": "gaj",
    "教育文体": "jyj",
    "劳动和社会保障": "rsj",
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程沈姚钱"
GIVEN = "建国华明丽芳伟强敏静秀英军平红霞德志海燕春晖新民玉兰文杰永庆国庆卫东晓峰佳怡雨涵子轩浩然梦琪婷雪梅慧娟"

SECTORS = ["企业", "教育", "医疗卫生", "农业", "社区", "机关", "科技", "法律", "个体工商", "交通物流", "文化", "金融"]
BIO_TEMPLATES = {
    "企业": "{org}董事长，长期关注民营经济发展和营商环境优化。",
    "教育": "{org}校长，从教二十余年，关注义务教育均衡和校园安全。",
    "医疗卫生": "{org}主任医师，关注基层医疗服务和老年健康。",
    "农业": "{org}负责人，带领村民发展特色种养，关注乡村振兴。",
    "社区": "{org}党委书记，扎根社区工作多年，熟悉居民诉求。",
    "机关": "{org}干部，关注依法行政和政务服务改革。",
    "科技": "{org}总工程师，关注科技创新和人才引进。",
    "法律": "{org}律师，长期为群众提供法律援助。",
    "个体工商": "{org}经营者，关注小微商户经营和市场秩序。",
    "交通物流": "{org}经理，关注城乡交通和物流配送。",
    "文化": "{org}馆长，关注公共文化服务和非遗保护。",
    "金融": "{org}行长，关注普惠金融和小微企业融资。",
}
ORGS = {
    "企业": ["嘉兴某纺织有限公司", "南湖某电子科技公司", "某食品有限公司"],
    "教育": ["南湖区某实验小学", "某中学", "某幼儿园"],
    "医疗卫生": ["区人民医院", "某社区卫生服务中心", "区妇幼保健院"],
    "农业": ["某家庭农场", "某农业专业合作社", "某果蔬基地"],
    "社区": ["{community}"],
    "机关": ["区某局", "某街道办事处"],
    "科技": ["某智能装备公司", "某新材料公司"],
    "法律": ["某律师事务所"],
    "个体工商": ["某农贸市场", "某超市"],
    "交通物流": ["某物流公司", "某公交公司"],
    "文化": ["区文化馆", "区图书馆"],
    "金融": ["某农商银行支行", "某银行南湖支行"],
}
# (level, share) of deputies' first mandate; about one in six also holds a second (township or district) seat.
LEVEL_WEIGHTS = [("national", 2), ("provincial", 5), ("city", 13), ("district", 35), ("township", 25)]
