"""Words for a synthetic Chinese bank: names, places, trades; and the code lists it draws from."""

from __future__ import annotations

from pathlib import Path

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
#: Weights of SURNAMES: the commonest surnames first, the rest sharing a long tail.
SURNAME_WEIGHTS = tuple([7.2, 7.0, 6.8, 5.4, 4.5, 3.1, 2.2, 2.1, 2.0, 1.7] + [0.8] * 90)
MALE_NAME_CHARACTERS = "伟强磊军洋勇杰涛明超刚平辉建国志鹏飞浩宇轩博文俊东德宏立新振永斌波峰海林健"
FEMALE_NAME_CHARACTERS = "芳娜秀英敏静丽艳娟霞兰桂玉燕红梅婷雪琳欣怡涵佳琪萱晓丹凤云春金嘉慧颖"
TRADE_WORDS = (
    "科技", "贸易", "机械制造", "建材", "食品", "物流", "电子", "纺织", "化工", "医药",
    "汽车零部件", "包装材料", "农业发展", "建筑工程", "新能源", "家具", "服饰", "环保科技",
)  # fmt: skip
OCCUPATIONS = (
    "教师",
    "医生",
    "工程师",
    "会计",
    "销售",
    "公务员",
    "个体经营者",
    "农民",
    "司机",
    "厨师",
    "护士",
    "程序员",
    "退休",
)
STREET_WORDS = (
    "人民",
    "解放",
    "建设",
    "中山",
    "和平",
    "新华",
    "长江",
    "黄河",
    "文化",
    "东风",
    "光明",
    "幸福",
)
TOWN_WORDS = ("东", "西", "南", "北", "新", "高", "石", "河", "桥", "山")
BRAND_CHARACTERS = "华鑫恒泰盛达宏远兴隆嘉诚瑞丰永安金鼎博通中正天元海辰锦程"
CUSTOMER_LEVELS = ("NORMAL", "SILVER", "GOLD", "PLATINUM", "DIAMOND")
RATING_GRADES = ("AAA", "AA", "A", "BBB", "BB", "B")

#: Used when the official lists are not at hand: a few county-level divisions and small industry classes.
FALLBACK_DIVISIONS = (
    ("110105", "北京市朝阳区"),
    ("310115", "上海市浦东新区"),
    ("330106", "浙江省杭州市西湖区"),
    ("440305", "广东省深圳市南山区"),
    ("510107", "四川省成都市武侯区"),
    ("330782", "浙江省金华市义乌市"),
)
FALLBACK_INDUSTRIES = (
    ("1810", "机织服装制造"),
    ("3311", "金属结构制造"),
    ("5191", "贸易代理"),
    ("1371", "饲料加工"),
)


def county_divisions(areacodes_dir: Path | None) -> list[tuple[str, str]]:
    """Return (code, full name) of the county-level divisions in use, from ``codes_2024.txt``."""
    path = areacodes_dir / "codes_2024.txt" if areacodes_dir else None
    if path is None or not path.is_file():
        return list(FALLBACK_DIVISIONS)
    names: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        code, _, name = line.strip().partition(" ")
        if len(code) == 6 and code.isdigit():
            names[code] = name.strip()
    counties = []
    for code, name in names.items():
        if code[4:] != "00":
            province = names.get(code[:2] + "0000", "")
            prefecture = names.get(code[:4] + "00", "")
            prefix = province + (prefecture if prefecture and prefecture != province else "")
            counties.append((code, prefix + name))
    return counties or list(FALLBACK_DIVISIONS)


def small_industries(industry_dir: Path | None) -> list[tuple[str, str]]:
    """Return (code, name) of the GB/T 4754-2017 small classes (four-digit codes)."""
    path = industry_dir / "gbt4754_2017_codes.csv" if industry_dir else None
    if path is None or not path.is_file():
        return list(FALLBACK_INDUSTRIES)
    classes = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        fields = line.split(",")
        if len(fields) >= 6 and fields[1] == "4":
            classes.append((fields[0], fields[5]))
    return classes or list(FALLBACK_INDUSTRIES)
