"""Reference data for Nansha district, Guangzhou: places, organisations, names and phrases.

The demo store and the tests draw from these lists so that what a trainer or a tester sees
on the kiosk looks like Nansha: real town and street names, the organisation mix the
district reported (143 organisations: 机关 69, 事业单位 34, 国企 25, 两新组织 11, 其他 4),
Cantonese-area names including rare characters that older fonts and encodings lose, and
the services residents actually ask for. Community and village names are real where known
and plausible otherwise; they are demo data, not a gazetteer.
"""

from __future__ import annotations

import datetime as dt
import random

from kiosk.identity import check_digit
from kiosk.store.models import CommunityKind, NeedCategory, OrgType, StationKind, TownKind

C, V = CommunityKind.COMMUNITY, CommunityKind.VILLAGE

# --- places ------------------------------------------------------------------------------
TOWNS: tuple[tuple[str, TownKind], ...] = (
    ("南沙街", TownKind.STREET),
    ("珠江街", TownKind.STREET),
    ("龙穴街", TownKind.STREET),
    ("万顷沙镇", TownKind.TOWN),
    ("横沥镇", TownKind.TOWN),
    ("黄阁镇", TownKind.TOWN),
    ("东涌镇", TownKind.TOWN),
    ("大岗镇", TownKind.TOWN),
    ("榄核镇", TownKind.TOWN),
)

# Community names are unique across the district, so stations can name their community.
COMMUNITIES: dict[str, tuple[tuple[str, CommunityKind], ...]] = {
    "南沙街": (
        ("金洲社区", C),
        ("蕉门社区", C),
        ("幸福社区", C),
        ("港湾社区", C),
        ("塘坑村", V),
        ("鹿颈村", V),
    ),
    "珠江街": (("珠江社区", C), ("南兴社区", C), ("新村村", V), ("沙仔村", V)),
    "龙穴街": (("龙穴社区", C), ("港航社区", C), ("梅山村", V)),
    "万顷沙镇": (("万顷沙社区", C), ("福安村", V), ("新垦村", V), ("和安村", V), ("同兴村", V)),
    "横沥镇": (("横沥社区", C), ("冯马一村", V), ("冯马三村", V), ("义沙村", V), ("新兴村", V)),
    "黄阁镇": (("黄阁社区", C), ("麒麟社区", C), ("莲溪村", V), ("东里村", V), ("小虎村", V)),
    "东涌镇": (
        ("东涌社区", C),
        ("大稳村", V),
        ("细沥村", V),
        ("太石村", V),
        ("石排村", V),
        ("庆盛村", V),
    ),
    "大岗镇": (("大岗社区", C), ("新联一村", V), ("北联村", V), ("豪岗村", V), ("高沙村", V)),
    "榄核镇": (("榄核社区", C), ("湴湄村", V), ("大坳村", V), ("人绿村", V), ("八沙村", V)),
}

S_CENTRE, S_BANK, S_MEAL = StationKind.SERVICE_CENTRE, StationKind.TIMEBANK, StationKind.CANTEEN

# (community, station name, kind): one 党群服务中心 per town, time-bank points, meal points.
STATIONS: tuple[tuple[str, str, StationKind], ...] = (
    ("金洲社区", "南沙街党群服务中心", S_CENTRE),
    ("珠江社区", "珠江街党群服务中心", S_CENTRE),
    ("龙穴社区", "龙穴街党群服务中心", S_CENTRE),
    ("万顷沙社区", "万顷沙镇党群服务中心", S_CENTRE),
    ("横沥社区", "横沥镇党群服务中心", S_CENTRE),
    ("黄阁社区", "黄阁镇党群服务中心", S_CENTRE),
    ("东涌社区", "东涌镇党群服务中心", S_CENTRE),
    ("大岗社区", "大岗镇党群服务中心", S_CENTRE),
    ("榄核社区", "榄核镇党群服务中心", S_CENTRE),
    ("金洲社区", "金洲社区时间银行站点", S_BANK),
    ("蕉门社区", "蕉门社区时间银行站点", S_BANK),
    ("幸福社区", "幸福社区时间银行站点", S_BANK),
    ("南兴社区", "南兴社区时间银行站点", S_BANK),
    ("黄阁社区", "黄阁社区时间银行站点", S_BANK),
    ("东涌社区", "东涌社区时间银行站点", S_BANK),
    ("大岗社区", "大岗社区时间银行站点", S_BANK),
    ("横沥社区", "横沥社区时间银行站点", S_BANK),
    ("万顷沙社区", "万顷沙社区时间银行站点", S_BANK),
    ("金洲社区", "金洲社区长者饭堂", S_MEAL),
    ("蕉门社区", "蕉门社区长者饭堂", S_MEAL),
    ("珠江社区", "珠江社区长者饭堂", S_MEAL),
    ("黄阁社区", "黄阁社区长者饭堂", S_MEAL),
    ("东涌社区", "东涌社区长者饭堂", S_MEAL),
    ("大岗社区", "大岗社区长者饭堂配餐点", S_MEAL),
    ("榄核社区", "榄核社区长者饭堂配餐点", S_MEAL),
)
DEMO_STATION = "南沙街党群服务中心"  # where the demo kiosk stands

# --- organisations -----------------------------------------------------------------------
ORG_TYPE_SHARES: dict[OrgType, int] = {
    OrgType.ORGAN: 69,
    OrgType.INSTITUTION: 34,
    OrgType.SOE: 25,
    OrgType.NEW: 11,
    OrgType.OTHER: 4,
}
ORG_UNITS: dict[OrgType, tuple[str, ...]] = {
    OrgType.ORGAN: (
        "南沙区委办公室",
        "南沙区政府办公室",
        "南沙区委组织部",
        "南沙区委宣传部",
        "南沙区发展和改革局",
        "南沙区教育局",
        "南沙区民政局",
        "南沙区财政局",
        "南沙区人力资源和社会保障局",
        "南沙区司法局",
        "南沙区住房和城乡建设局",
        "南沙区交通运输局",
        "南沙区水务局",
        "南沙区农业农村局",
        "南沙区卫生健康局",
        "南沙区应急管理局",
        "南沙区审计局",
        "南沙区市场监督管理局",
        "南沙区统计局",
        "南沙区城市管理和综合执法局",
        "南沙区规划和自然资源局",
        "南沙区退役军人事务局",
        "南沙区商务局",
        "国家税务总局广州市南沙区税务局",
    ),
    OrgType.INSTITUTION: (
        "南沙区第一人民医院",
        "南沙区妇幼保健院",
        "南沙区疾病预防控制中心",
        "南沙区图书馆",
        "南沙区文化馆",
        "南沙区融媒体中心",
        "南沙区档案馆",
        "南沙区公共资源交易中心",
        "南沙第一中学",
        "南沙东涌中学",
        "南沙大岗中学",
        "南沙黄阁中学",
    ),
    OrgType.SOE: (
        "广州港南沙港务有限公司",
        "南沙供电局",
        "南沙城市建设投资有限公司",
        "南沙交通投资集团",
        "南沙水务投资有限公司",
        "南沙公交公司",
        "中国移动南沙分公司",
        "中国电信南沙分公司",
        "南沙农商银行",
    ),
    OrgType.NEW: (
        "南沙区社会工作服务中心",
        "南沙区义工联合会",
        "明珠湾物业管理有限公司",
        "南沙区律师行业",
        "南沙区小微企业联合",
        "蕉门河商圈联合",
    ),
    OrgType.OTHER: (
        "南沙区离退休干部",
        "南沙区流动党员",
        "南沙区个体劳动者协会",
    ),
}
ORG_BRANCHES = ("机关党委", "党总支", "第一党支部", "第二党支部", "第三党支部")
ORG_QUOTAS: dict[OrgType, int] = {  # services a year each organisation owes its town (双报到)
    OrgType.ORGAN: 24,
    OrgType.INSTITUTION: 18,
    OrgType.SOE: 12,
    OrgType.NEW: 6,
    OrgType.OTHER: 6,
}


def org_type_counts(total: int) -> dict[OrgType, int]:
    """Split ``total`` organisations by the district's reported mix (largest remainder)."""
    whole = sum(ORG_TYPE_SHARES.values())
    exact = {t: total * share / whole for t, share in ORG_TYPE_SHARES.items()}
    counts = {t: int(x) for t, x in exact.items()}
    by_remainder = sorted(exact, key=lambda t: (counts[t] - exact[t], list(exact).index(t)))
    for t in by_remainder[: total - sum(counts.values())]:
        counts[t] += 1
    return counts


def org_names(rng: random.Random, org_type: OrgType, count: int) -> list[str]:
    """``count`` distinct party-organisation names of one type, e.g. 南沙区民政局第一党支部."""
    pool = [unit + branch for unit in ORG_UNITS[org_type] for branch in ORG_BRANCHES]
    rng.shuffle(pool)
    extra = 4
    while len(pool) < count:  # more than the lists name: numbered branches, still unique
        pool.extend(f"{unit}第{extra}党支部" for unit in ORG_UNITS[org_type])
        extra += 1
    return pool[:count]


# --- people ------------------------------------------------------------------------------
SURNAMES = "陈陈陈李李黄黄梁梁张林刘何罗郭吴麦冯邓谭叶卢郑朱周余潘杜关区苏彭曾钟岑袁骆莫卓霍"
COMPOUND_SURNAMES = ("欧阳", "司徒", "上官", "诸葛")
GIVEN_CHARS = (
    "伟嘉敏婷志华健明杰丽燕玲俊浩锦家文秀国耀荣德炳棠建军丽萍海锋晓东颖欣怡子轩梓"
    "泳诗雅思慧宝珠永强振雄卓铭坚源"
)
ELDER_GIVEN_CHARS = "桂英妹娣好金银炳根容带彩兴福有财亚娇凤群兰顺添"
RARE_GIVEN_CHARS = "䶮燊堃喆玥犇淼"  # 䶮 is CJK Extension A: names that break old systems


def person_name(rng: random.Random, *, elder: bool = False, rare: str = "") -> str:
    """A plausible Cantonese-area name; ``rare`` (a character) ends the given name with it."""
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
    chars = ELDER_GIVEN_CHARS if elder else GIVEN_CHARS
    given = "".join(rng.choice(chars) for _ in range(1 if rng.random() < 0.25 else 2))
    return surname + given[: len(given) - len(rare)] + rare


# Area codes of the ID number's first six digits: Nansha first, then where residents came from.
ID_AREA_CODES: tuple[tuple[str, str, int], ...] = (  # code, place, weight
    ("440115", "广州市南沙区", 60),
    ("440113", "广州市番禺区", 12),
    ("441900", "东莞市", 6),
    ("442000", "中山市", 6),
    ("440606", "佛山市顺德区", 4),
    ("440106", "广州市天河区", 4),
    ("440104", "广州市越秀区", 3),
    ("445281", "揭阳市普宁市", 3),
    ("450881", "贵港市桂平市", 2),
)


def id_number(rng: random.Random, birth: dt.date, *, male: bool) -> str:
    """A valid 18-digit resident ID number (GB 11643): area, birth date, sequence, check."""
    codes = [code for code, _, _ in ID_AREA_CODES]
    area = rng.choices(codes, weights=[w for _, _, w in ID_AREA_CODES])[0]
    seq = rng.randrange(0, 50) * 2 + (1 if male else 0)  # the 17th digit is odd for men
    first17 = f"{area}{birth:%Y%m%d}{rng.randrange(10)}{seq:02d}"
    return first17 + check_digit(first17)


# --- services ----------------------------------------------------------------------------
NEED_PHRASES: dict[NeedCategory, tuple[str, ...]] = {
    NeedCategory.HAIRCUT: (
        "行动不便，想请人上门理发",
        "老人卧床，需要上门剪发",
        "想剪短头发，天气热了",
    ),
    NeedCategory.MEAL: (
        "独居长者，午餐需要从长者饭堂送上门",
        "腿脚不好，这周需要送晚餐",
        "家人出差，老人需要送餐三天",
    ),
    NeedCategory.HEALTH: (
        "想量血压、测血糖",
        "需要有人帮忙看看药怎么吃",
        "高血压复查前想先做个简单检查",
    ),
    NeedCategory.CARE: (
        "需要有人陪同去区医院复诊",
        "想请人陪老人聊聊天、散散步",
        "出院后需要有人陪护半天",
    ),
    NeedCategory.SHOPPING: (
        "帮忙买米、油和日用品",
        "代买降压药，在社区卫生站就有",
        "想请人帮忙买菜送上门",
    ),
    NeedCategory.REPAIR: (
        "家里电风扇不转了",
        "厨房水龙头漏水",
        "电视机没有信号，需要调试",
        "灯管坏了，够不着换",
    ),
    NeedCategory.OTHER: (
        "想学用手机视频通话",
        "帮忙填写医保报销材料",
        "需要有人读一下社区通知",
    ),
}
NEED_CANCEL_REASONS = ("家人已经帮忙解决", "时间改了，以后再约", "不需要了，谢谢")
RATING_COMMENTS = ("很细心，谢谢党员同志", "准时上门，服务很好", "态度好", "", "下次还找你们")

# service type -> activity titles; {c} is the community's name.
ACTIVITY_TYPES: dict[str, tuple[str, ...]] = {
    "垃圾分类": ("{c}垃圾分类桶边督导", "{c}垃圾分类入户宣传"),
    "疫情防控": ("{c}疫苗接种点秩序维护", "{c}防疫物资分发"),
    "养老送餐": ("{c}长者饭堂助餐送餐", "{c}独居长者送餐上门"),
    "清洁家园": ("{c}清洁家园大行动", "{c}河涌岸边垃圾清理"),
    "义诊": ("{c}党员义诊进社区", "{c}长者健康义诊"),
    "理发": ("{c}爱心义剪",),
    "关爱探访": ("{c}独居长者关爱探访", "{c}困难家庭节日慰问"),
    "反诈宣传": ("{c}防范电信诈骗宣传",),
    "文明交通": ("{c}路口文明交通劝导",),
    "防溺水宣传": ("{c}暑期防溺水宣传巡河",),
}

# (service, coins): what residents can buy with time coins; whole coins only.
PRICE_LIST: tuple[tuple[str, int], ...] = (
    ("上门送餐", 1),
    ("代购生活用品", 1),
    ("理发", 2),
    ("家电维修", 2),
    ("健康检查", 2),
    ("上门清洁", 2),
    ("陪同就医", 3),
)

# --- suggestion box and micro-wishes ------------------------------------------------------
SUGGESTIONS_TO_TOWN = (
    "建议在社区增加一个长者饭堂配餐点，现在要走很远",
    "小区门口的路灯坏了很久，晚上出门不安全",
    "希望周末也能有义诊活动，平时要上班",
    "河涌边的垃圾有点多，希望多组织清洁活动",
    "建议公交站加装座椅，老人等车很辛苦",
    "希望多开展防诈骗讲座，家里老人接到过诈骗电话",
    "社区活动室晚上能否开放给居民跳广场舞",
    "村里的篮球场地面开裂，请安排维修",
)
SUGGESTIONS_TO_ORG_DEPT = (
    "建议时间币可以在全区的长者饭堂通用",
    "希望在职党员回社区服务的时间能更灵活一些",
    "建议公布每个党组织的服务次数，大家互相学习",
    "时间银行的自助机很好用，建议每个村都装一台",
)
SUGGESTION_REPLIES = (
    "感谢您的建议，已转交相关部门跟进处理。",
    "您反映的问题已安排人员现场查看，近期处理完毕。",
    "谢谢支持，我们将在下季度活动计划中考虑。",
)
WISHES: tuple[tuple[str, str], ...] = (  # title, description
    ("想要一台收音机", "独居，眼睛不好，想听粤剧和新闻"),
    ("希望有人教我用智能手机", "想和在外地的孙子视频"),
    ("孙女想要一套课外书", "家庭困难，孩子读四年级，喜欢看书"),
    ("想要一张轮椅", "腿脚不便，出门需要轮椅"),
    ("希望有人帮忙修好漏雨的屋顶", "雨季快到了"),
    ("想要一件过冬的棉被", "旧棉被已经用了十几年"),
    ("孩子想要一个新书包", "旧书包已经破了"),
    ("想去一次南沙天后宫", "行动不便，很多年没出门"),
)
WISH_FULFIL_NOTES = (
    "已送到家中，老人很开心",
    "党员上门教学两次，已能视频通话",
    "已联系社区一同完成",
)
