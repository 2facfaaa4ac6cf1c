"""Per-customer records of the synthetic bank: products held, credit, service, tags, ownership.

Planted here, and listed in the ground truth: guarantee circles (companies guaranteeing each
other's loans in a ring of 3 to 7) and shareholding chains (a person controls a company, which
holds the next one, down a chain of 2 to 4 companies, one chain closing a cross-holding loop).
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from loaders.identity_codes import CREDIT_CODE_ALPHABET, credit_code_check_character

PRODUCTS = (
    ("D001", "活期储蓄", "存款", "活期存款", "个人活期", "R1"),
    ("D101", "三个月定期", "存款", "定期存款", "整存整取", "R1"),
    ("D112", "一年定期", "存款", "定期存款", "整存整取", "R1"),
    ("W201", "稳享理财30天", "理财", "固定收益类", "现金管理", "R2"),
    ("W202", "安鑫一年期理财", "理财", "固定收益类", "封闭式", "R2"),
    ("W301", "权益精选理财", "理财", "权益类", "开放式", "R4"),
    ("F401", "沪深300指数基金", "基金", "指数基金", "股票型", "R4"),
    ("F402", "稳健债券基金", "基金", "债券基金", "纯债型", "R2"),
    ("I501", "终身寿险", "保险", "人身险", "寿险", "R2"),
    ("I502", "百万医疗险", "保险", "人身险", "健康险", "R1"),
    ("G601", "积存金", "贵金属", "黄金", "积存金", "R3"),
    ("T701", "家族信托", "信托", "财富传承", "家族信托", "R3"),
    ("L801", "个人住房贷款", "贷款", "个人贷款", "住房按揭", "R2"),
    ("L802", "个人消费贷款", "贷款", "个人贷款", "消费贷", "R3"),
    ("L901", "流动资金贷款", "贷款", "公司贷款", "流动资金", "R3"),
)
HOLDABLE = [product for product in PRODUCTS if product[2] not in ("贷款",)]
TAGS = (
    ("T_AGE_YOUNG", "青年客群", "人口属性"),
    ("T_AGE_SENIOR", "银发客群", "人口属性"),
    ("T_HIGH_AUM", "高净值", "资产"),
    ("T_MORTGAGE", "有房贷", "负债"),
    ("T_DIGITAL", "手机银行活跃", "渠道偏好"),
    ("T_WEALTH_PREF", "偏好理财", "产品偏好"),
    ("T_RISK_LOW", "保守型", "风险偏好"),
    ("T_PAYROLL", "代发工资", "业务"),
)
CAMPAIGNS = (
    ("C2026A", "手机银行新客礼"),
    ("C2026B", "理财节"),
    ("C2026C", "积分兑好礼"),
    ("C2026D", "社区金融课堂"),
)
NEED_TYPES = ("购房贷款", "子女教育金", "养老规划", "稳健理财", "经营周转", "跨境汇款")
COMPLAINT_CATEGORIES = ("服务态度", "收费争议", "系统故障", "业务办理时长", "营销打扰")
ONLINE_CHANNELS = ("MOBILE", "WECHAT", "ONLINE")
PERSONAL_EVENTS = {
    "FAMILY": ("子女考入大学", "结婚", "添丁之喜", "父母随迁同住"),
    "CAREER": ("晋升部门经理", "办理退休", "开办个体商户", "调往外地工作"),
    "HEALTH": ("住院手术", "家人重病"),
    "ASSET": ("购置新房", "出售房产", "继承遗产", "购置新车"),
}
COMPANY_EVENTS = {
    "BUSINESS": ("获得大额订单", "新厂房投产", "更换法定代表人", "引入战略投资者"),
    "ASSET": ("购置土地使用权", "出售子公司股权"),
    "OTHER": ("获评高新技术企业", "发生安全生产事故"),
}
PREFERENCES = {
    "HOBBY": ("高尔夫", "书法", "茶艺", "摄影", "钓鱼", "广场舞", "马拉松", "京剧"),
    "INVESTMENT": ("稳健型理财", "黄金", "指数基金", "大额存单", "国债"),
    "CHANNEL": ("手机银行", "网点柜台", "微信银行"),
    "CONTACT_TIME": ("工作日晚上", "周末上午", "工作日午休"),
    "PRODUCT": ("养老规划", "子女教育金", "医疗保险"),
}


def add_business_records(
    rng: random.Random, bank, retail: list[dict], companies: list[dict], managers: list[str]
) -> None:
    """Add every per-customer feed's rows to ``bank``, and plant circles and chains."""
    today = bank.business_date
    rows = bank.rows
    rows["prd_product"] += [
        {
            "product_code": code,
            "product_name": name,
            "category_l1": l1,
            "category_l2": l2,
            "category_l3": l3,
            "risk_level": risk,
        }
        for code, name, l1, l2, l3, risk in PRODUCTS
    ]
    serial = itertools.count(1)

    def next_id(prefix: str) -> str:
        return f"{prefix}{next(serial):010d}"

    everyone = retail + companies
    for customer in everyone:
        number = customer["customer_no"]
        is_company = number.startswith("2")
        _contributions(rng, rows, number, today, next_id)
        rows["crm_key_event"].append(
            {
                "event_id": next_id("KE"),
                "customer_no": number,
                "event_type": "FIRST_ACCOUNT",
                "event_date": customer["open_date"],
                "detail": "首次开户",
            }
        )
        _major_events(rng, rows, number, today, next_id, is_company, managers)
        if not is_company:
            _preferences(rng, rows, number, today, next_id)
        if rng.random() < 0.6 or is_company:
            _holding(rng, rows, number, today, next_id)
        if is_company or rng.random() < 0.15:
            _credit_line(rng, rows, number, today, next_id, is_company)
        if rng.random() < 0.5:
            rows["cbs_agreement"].append(
                {
                    "agreement_id": next_id("AG"),
                    "customer_no": number,
                    "agreement_type": rng.choice(
                        ["WEALTH", "LOAN", "DEPOSIT", "INTERMEDIARY"]
                        + (["COOPERATION"] if is_company else [])
                    ),
                    "product_code": rng.choice(PRODUCTS)[0],
                    "sign_date": _day_before(rng, today, 900),
                    "status": "ACTIVE",
                }
            )
        if rng.random() < 0.04:
            rows["crm_complaint"].append(
                {
                    "complaint_id": next_id("CP"),
                    "customer_no": number,
                    "channel": rng.choice(["COUNTER", "MOBILE", "CALL_CENTER"]),
                    "category": rng.choice(COMPLAINT_CATEGORIES),
                    "received_at": _time_before(rng, today, 60),
                    "status": (status := rng.choice(["OPEN", "RESOLVED", "CLOSED"])),
                    "outcome": "" if status == "OPEN" else rng.choice(["已致歉", "已退费", "已解释"]),
                }
            )
        if rng.random() < 0.25:
            code, name = rng.choice(CAMPAIGNS)
            rows["mkt_participation"].append(
                {
                    "participation_id": next_id("MP"),
                    "customer_no": number,
                    "campaign_code": code,
                    "campaign_name": name,
                    "channel": rng.choice(ONLINE_CHANNELS + ("COUNTER",)),
                    "joined_date": _day_before(rng, today, 60),
                    "response": rng.choice(["JOINED", "CONVERTED", "DECLINED"]),
                }
            )
        if rng.random() < 0.12:
            rows["crm_need"].append(
                {
                    "need_id": next_id("ND"),
                    "customer_no": number,
                    "channel": rng.choice(["MANAGER", "MOBILE", "COUNTER"]),
                    "need_type": rng.choice(NEED_TYPES),
                    "description": "",
                    "captured_date": _day_before(rng, today, 90),
                    "status": rng.choice(["OPEN", "FOLLOWING", "MET"]),
                }
            )
        if rng.random() < 0.35:
            rows["crm_contact"].append(
                {
                    "contact_id": next_id("CT"),
                    "customer_no": number,
                    "manager_id": rng.choice(managers),
                    "contact_type": rng.choice(["VISIT", "CALL", "SMS", "WECHAT"]),
                    "contact_time": _time_before(rng, today, 30),
                    "response": rng.choice(["有意向", "暂无需求", "未接通", "已预约面谈"]),
                }
            )
        if not is_company:
            rows["pts_points"].append(
                {
                    "points_account_id": f"P{number}",
                    "customer_no": number,
                    "points_balance": rng.randint(0, 50_000),
                    "coupons": rng.randint(0, 5),
                    "gift_orders": rng.randint(0, 3),
                    "rights_level": rng.choice(["V1", "V2", "V3"]),
                }
            )
        for _ in range(rng.choice([0, 0, 1, 2, 4])):
            rows["chn_event"].append(
                {
                    "event_id": next_id("EV"),
                    "customer_no": number,
                    "channel": rng.choice(ONLINE_CHANNELS),
                    "event_type": rng.choice(["LOGIN", "LOGIN", "BROWSE", "CLICK", "PURCHASE"]),
                    "product_code": rng.choice(HOLDABLE)[0],
                    "event_time": _time_before(rng, today, 30),
                }
            )
        for code, name, category in rng.sample(TAGS, rng.randint(1, 3)):
            rows["tag_customer"].append(
                {"customer_no": number, "tag_code": code, "tag_name": name, "tag_category": category}
            )

    _declared_families(rng, rows, bank.truth)
    _guarantee_circles(rng, rows, bank, companies, next_id)
    _shareholding_chains(rng, rows, bank, retail, companies)


def _contributions(rng, rows, number, today: date, next_id) -> None:
    for months_back in (3, 2, 1):
        period = (today.replace(day=1) - timedelta(days=28 * months_back)).strftime("%Y%m")
        deposit, loan, intermediary = (round(rng.uniform(0, 800), 2) for _ in range(3))
        rows["cbs_contribution"].append(
            {
                "contribution_id": f"{number}:{period}",
                "customer_no": number,
                "period": period,
                "total": f"{deposit + loan + intermediary:.2f}",
                "deposit": f"{deposit:.2f}",
                "loan": f"{loan:.2f}",
                "intermediary": f"{intermediary:.2f}",
            }
        )


def random_credit_code(rng: random.Random, division_code: str) -> str:
    """Return a valid unified social credit code of a company registered in ``division_code``."""
    organisation = "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    body = f"91{division_code}{organisation}"
    return body + credit_code_check_character(body)


def _major_events(rng, rows, number, today: date, next_id, is_company: bool, managers: list[str]) -> None:
    """Record zero to three major events; managers note them for a little over half of their customers."""
    vocabulary = COMPANY_EVENTS if is_company else PERSONAL_EVENTS
    for _ in range(rng.choices([0, 1, 2, 3], weights=[45, 35, 15, 5])[0]):
        category = rng.choice(list(vocabulary))
        rows["crm_major_event"].append(
            {
                "event_no": next_id("ME"),
                "customer_no": number,
                "category": category,
                "event_date": _day_before(rng, today, 1500),
                "description": rng.choice(vocabulary[category]),
                "recorded_by": rng.choice(managers),
            }
        )


def _preferences(rng, rows, number, today: date, next_id) -> None:
    """Record one to four preferences for about two customers in three."""
    if rng.random() >= 0.65:
        return
    for category in rng.sample(list(PREFERENCES), rng.randint(1, 4)):
        rows["crm_preference"].append(
            {
                "preference_no": next_id("PF"),
                "customer_no": number,
                "category": category,
                "preference": rng.choice(PREFERENCES[category]),
                "source": rng.choice(["MANAGER", "MANAGER", "SURVEY", "SYSTEM"]),
                "recorded_on": _day_before(rng, today, 700),
            }
        )


def _branch_offices(rng, rows, company: dict, today: date) -> None:
    """Register one to three branch offices of a company in other cities.

    Their credit codes carry the parent's division code, not that of the city named.
    """
    for serial in range(1, rng.randint(1, 3) + 1):
        city = rng.choice(["北京", "上海", "广州", "成都", "武汉", "西安", "杭州"])
        rows["ext_branch_office"].append(
            {
                "branch_office_id": f"BO{company['customer_no']}{serial}",
                "customer_no": company["customer_no"],
                "branch_name": f"{company['customer_name']}{city}分公司",
                "credit_code": random_credit_code(rng, company["credit_code"][2:8]),
                "principal": rng.choice("王李张刘陈杨赵黄")
                + rng.choice(["伟", "芳", "强", "敏", "磊", "静"]),
                "address": f"{city}市{rng.choice(['高新区', '经开区', '自贸区'])}{rng.randint(1, 300)}号",
                "established_date": _day_before(rng, today, 2500),
                "status": rng.choices(["ACTIVE", "CANCELLED"], weights=[9, 1])[0],
            }
        )


def _holding(rng, rows, number, today: date, next_id) -> None:
    for product in rng.sample(HOLDABLE, rng.randint(1, 3)):
        balance = rng.choice([10_000, 50_000, 100_000, 300_000]) * rng.uniform(0.5, 1.5)
        rows["wm_holding"].append(
            {
                "holding_id": next_id("H"),
                "customer_no": number,
                "product_code": product[0],
                "balance": f"{balance:.2f}",
                "income": f"{balance * rng.uniform(0.005, 0.04):.2f}",
                "start_date": _day_before(rng, today, 700),
                "maturity_date": (today + timedelta(days=rng.randint(30, 700))).strftime("%Y%m%d"),
            }
        )


def _credit_line(rng, rows, number, today: date, next_id, is_company: bool) -> None:
    limit = rng.choice([50_000, 200_000, 1_000_000, 5_000_000] if is_company else [20_000, 50_000, 100_000])
    used = round(limit * rng.uniform(0, 0.9), 2)
    rows["lcs_credit_line"].append(
        {
            "credit_line_id": next_id("CL"),
            "customer_no": number,
            "limit_amount": f"{limit:.2f}",
            "used_amount": f"{used:.2f}",
            "available_amount": f"{limit - used:.2f}",
            "start_date": _day_before(rng, today, 700),
            "end_date": (today + timedelta(days=rng.randint(60, 700))).strftime("%Y%m%d"),
            "status": "ACTIVE",
        }
    )


def _declared_families(rng, rows, truth) -> None:
    """Declare about half of the planted households' spouse and child links, as customers tell them."""
    for household in truth["households"]:
        members = household["members"]
        if rng.random() < 0.5:
            continue
        rows["crm_family_member"].append(
            {"customer_no": members[0], "member_no": members[1], "relation": "SPOUSE"}
        )
        for child in members[2:]:
            rows["crm_family_member"].append(
                {"customer_no": members[0], "member_no": child, "relation": "CHILD"}
            )


def _guarantee_circles(rng, rows, bank, companies: list[dict], next_id) -> None:
    pool = [company["customer_no"] for company in companies]
    rng.shuffle(pool)
    for size in (3, 4, 5, 7):
        if len(pool) < size:
            break
        ring = [pool.pop() for _ in range(size)]
        total = 0.0
        # ring[i] guarantees the loan of ring[i + 1], and the last guarantees the first.
        for guarantor, borrower in zip(ring, ring[1:] + ring[:1], strict=True):
            amount = rng.choice([1_000_000, 2_000_000, 5_000_000])
            total += amount
            rows["lcs_guarantee"].append(
                _guarantee(rng, next_id, borrower, guarantor, amount, bank.business_date)
            )
        bank.truth["guarantee_circles"].append({"members": ring, "total_amount": total})
    # Guarantees that form chains but no circle: each guarantor comes earlier in the pool's order.
    for position in range(1, len(pool)):
        if rng.random() < 0.2:
            guarantor = pool[rng.randrange(position)]
            rows["lcs_guarantee"].append(
                _guarantee(
                    rng,
                    next_id,
                    pool[position],
                    guarantor,
                    rng.choice([300_000, 800_000]),
                    bank.business_date,
                )
            )
    for borrower in pool[: len(pool) // 4]:
        rows["lcs_guarantee"].append(
            {
                **_guarantee(
                    rng, next_id, borrower, "", rng.choice([500_000, 1_000_000]), bank.business_date
                ),
                "guarantee_type": rng.choice(["MORTGAGE", "PLEDGE"]),
                "collateral": rng.choice(["厂房", "土地使用权", "应收账款"]),
            }
        )


def _guarantee(rng, next_id, borrower: str, guarantor: str, amount: float, today: date) -> dict:
    return {
        "guarantee_id": next_id("GU"),
        "customer_no": borrower,
        "guarantee_type": "GUARANTOR",
        "guarantor_no": guarantor,
        "collateral": "",
        "amount": f"{amount:.2f}",
        "start_date": _day_before(rng, today, 500),
        "end_date": (today + timedelta(days=rng.randint(100, 900))).strftime("%Y%m%d"),
    }


def _shareholding_chains(rng, rows, bank, retail: list[dict], companies: list[dict]) -> None:
    period = bank.business_date.replace(month=1, day=1) - timedelta(days=1)
    pool = [company["customer_no"] for company in companies]
    rng.shuffle(pool)
    owners = rng.sample(
        [person["customer_no"] for person in retail], min(len(retail), max(1, len(pool) // 6))
    )
    for index, controller in enumerate(owners):
        length = rng.randint(2, 4)
        if len(pool) < length:
            break
        chain = [pool.pop() for _ in range(length)]
        stakes = [round(rng.uniform(51, 90), 2) for _ in chain]
        holders = [controller, *chain[:-1]]
        for holder, company, stake in zip(holders, chain, stakes, strict=True):
            _holding_row(rows, holder, company, stake, period)
        loop = index == 0 and length >= 2
        if loop:
            # The last company holds a minority stake back in the first: a cross-holding loop.
            _holding_row(rows, chain[-1], chain[0], 10.0, period)
        # Companies under one actual controller form a group (集团客户).
        group = {"controller": controller, "members": chain, "rule": "common actual controller"}
        bank.truth["groups"].append(group)
        bank.truth["shareholding_chains"].append(
            {
                "controller": controller,
                "companies": chain,
                "stakes_percent": stakes,
                "loop_back_percent": 10.0 if loop else None,
            }
        )
        product = 1.0
        for company, stake in zip(chain, stakes, strict=True):
            product *= stake / 100
            bank.truth["actual_controllers"].append({"company": company, "controller": controller})
            basis = "ownership" if product >= 0.25 else "control"
            bank.truth["beneficial_owners"].append({"company": company, "owner": controller, "basis": basis})
            if rng.random() < 0.5:
                # A minority shareholder, too small to control or to own a quarter.
                minority = controller
                while minority == controller:
                    minority = rng.choice(retail)["customer_no"]
                _holding_row(rows, minority, company, rng.uniform(3, 15), period)
    _dispersed_ownership(rng, rows, bank, retail, pool, period, set(owners))


def _dispersed_ownership(
    rng, rows, bank, retail: list[dict], pool: list[str], period: date, controllers: set[str]
) -> None:
    """Give some remaining companies several person holders: a relative controller, or none.

    No holder here controls another company, so these companies join no group.
    """
    used_holders = set(controllers)
    for company in pool[: len(pool) // 5]:
        holders = rng.sample(retail, 3)
        while any(holder["customer_no"] in used_holders for holder in holders):
            holders = rng.sample(retail, 3)
        used_holders.update(holder["customer_no"] for holder in holders)
        if rng.random() < 0.5:
            # The largest holder has 35%: it controls and owns more than a quarter.
            stakes = [35.0, 15.0, 12.0]
            leader = holders[0]["customer_no"]
            bank.truth["actual_controllers"].append({"company": company, "controller": leader})
            bank.truth["beneficial_owners"].append(
                {"company": company, "owner": leader, "basis": "ownership"}
            )
        else:
            # No holder has 30% or more: the company has no actual controller and no beneficial owner.
            stakes = [22.0, 20.0, 18.0]
            bank.truth["without_controller"].append(company)
        for holder, stake in zip(holders, stakes, strict=True):
            _holding_row(rows, holder["customer_no"], company, stake, period)


def _holding_row(rows, holder: str, company: str, percent: float, period: date) -> None:
    rows["ext_shareholding"].append(
        {
            "holder_no": holder,
            "company_no": company,
            "ratio_percent": f"{percent:.2f}",
            "period_end": f"{period:%Y%m%d}",
        }
    )


def _day_before(rng, today: date, max_days: int) -> str:
    return (today - timedelta(days=rng.randint(1, max_days))).strftime("%Y%m%d")


def _time_before(rng, today: date, max_days: int) -> str:
    moment = today - timedelta(days=rng.randint(0, max_days))
    return f"{moment:%Y%m%d}{rng.randint(8, 20):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}"


AGENCIES = ("中诚信国际", "联合资信", "大公国际", "东方金诚")
RISK_ALERT_TYPES = ("股权冻结", "经营异常名录", "大额担保", "司法涉诉增加", "欠缴税款")
AUTHORITIES = ("市场监督管理局", "人民法院", "税务局", "生态环境局")
PROJECT_WORDS = ("厂房扩建", "生产线改造", "仓储中心", "研发中心", "光伏电站")
OTHER_BANKS = ("工商银行", "建设银行", "农业银行", "招商银行", "兴业银行")


def add_corporate_records(
    rng: random.Random, bank, retail: list[dict], companies: list[dict], managers: list[str]
) -> None:
    """Add cards for retail customers and the corporate and external feeds' rows for companies."""
    today = bank.business_date
    rows = bank.rows
    for person in retail:
        if rng.random() < 0.3:
            limit = rng.choice([10_000, 30_000, 50_000, 100_000])
            rows["crd_card"].append(
                {
                    "card_id": f"CC{person['customer_no']}",
                    "customer_no": person["customer_no"],
                    "card_product": rng.choice(["STANDARD", "GOLD", "PLATINUM"]),
                    "credit_limit": f"{limit:.2f}",
                    "overdue_days": rng.choices([0, 0, 0, 15, 45, 95], k=1)[0],
                    "spend_30d": f"{limit * rng.uniform(0, 0.6):.2f}",
                    "issued_date": _day_before(rng, today, 2000),
                }
            )
    by_number = {company["customer_no"]: company for company in companies}
    for index, company in enumerate(companies):
        # The first company gets every optional record, so even a small bank fills every feed.
        every = index == 0
        number = company["customer_no"]
        rows["crm_address"].append(
            {
                "address_id": f"AD{number}R",
                "customer_no": number,
                "address_type": "REGISTERED",
                "address": f"{company['customer_name'][:2]}市经济开发区{rng.randint(1, 300)}号",
                "division_code": "",
            }
        )
        rows["crm_address"].append(
            {
                "address_id": f"AD{number}O",
                "customer_no": number,
                "address_type": "OFFICE",
                "address": f"{company['customer_name'][:2]}市商务大厦{rng.randint(1, 40)}层",
                "division_code": "",
            }
        )
        for category in ("LEGAL_REP", "FINANCE"):
            rows["crm_contact_person"].append(
                {
                    "contact_person_id": f"CP{number}{category[:2]}",
                    "customer_no": number,
                    "contact_name": company["legal_representative"]
                    if category == "LEGAL_REP"
                    else rng.choice("王李张刘陈") + "会计",
                    "contact_category": category,
                    "mobile": f"139{rng.randint(0, 99_999_999):08d}",
                    "owner_manager_id": rng.choice(managers),
                }
            )
        for year in (today.year - 2, today.year - 1):
            assets = rng.uniform(1e7, 5e8)
            revenue = assets * rng.uniform(0.3, 1.5)
            rows["fin_statement"].append(
                {
                    "statement_id": f"FS{number}{year}",
                    "customer_no": number,
                    "period": f"{year}A",
                    "total_assets": f"{assets:.2f}",
                    "total_liabilities": f"{assets * rng.uniform(0.2, 0.85):.2f}",
                    "revenue": f"{revenue:.2f}",
                    "net_profit": f"{revenue * rng.uniform(-0.05, 0.15):.2f}",
                    "operating_cash_flow": f"{revenue * rng.uniform(-0.1, 0.2):.2f}",
                }
            )
        if every or rng.random() < 0.4:
            _branch_offices(rng, rows, company, today)
        rows["ext_registration"].append(
            {
                "registration_id": f"RG{number}",
                "customer_no": number,
                "registered_name": company["customer_name"],
                "legal_representative": company["legal_representative"],
                "registered_capital": company["registered_capital"],
                "established_date": company["open_date"],
                "status": "ACTIVE",
                "business_scope": "生产、销售及相关技术服务",
            }
        )
        if every or rng.random() < 0.3:
            rows["ext_registration_change"].append(
                {
                    "change_id": f"RC{number}",
                    "customer_no": number,
                    "change_date": _day_before(rng, today, 700),
                    "item": "法定代表人",
                    "before": rng.choice("王李张刘陈") + "某",
                    "after": company["legal_representative"],
                }
            )
        for months_back in (2, 1):
            period = (today.replace(day=1) - timedelta(days=28 * months_back)).strftime("%Y%m")
            for utility in ("WATER", "ELECTRICITY"):
                rows["ext_utility_bill"].append(
                    {
                        "bill_id": f"UB{number}{utility[0]}{period}",
                        "customer_no": number,
                        "utility": utility,
                        "period": period,
                        "amount": f"{rng.uniform(2_000, 80_000):.2f}",
                        "paid_on_time": rng.choices(["Y", "N"], weights=(9, 1))[0],
                    }
                )
        if every or rng.random() < 0.5:
            rows["ext_rating"].append(
                {
                    "rating_id": f"ER{number}",
                    "customer_no": number,
                    "agency": rng.choice(AGENCIES),
                    "grade": rng.choice(["AAA", "AA+", "AA", "AA-", "A+"]),
                    "outlook": rng.choice(["POSITIVE", "STABLE", "NEGATIVE"]),
                    "rating_date": _day_before(rng, today, 300),
                }
            )
        if every or rng.random() < 0.15:
            rows["ext_risk_alert"].append(
                {
                    "alert_id": f"RA{number}",
                    "customer_no": number,
                    "alert_type": rng.choice(RISK_ALERT_TYPES),
                    "severity": rng.choice(["LOW", "MEDIUM", "HIGH"]),
                    "alert_date": _day_before(rng, today, 90),
                    "detail": "",
                }
            )
        if every or rng.random() < 0.2:
            rows["ext_risk_record"].append(
                {
                    "record_id": f"RR{number}",
                    "customer_no": number,
                    "record_type": rng.choice(["PENALTY", "JUDGMENT", "HEARING", "ANNOUNCEMENT"]),
                    "authority": rng.choice(AUTHORITIES),
                    "record_date": _day_before(rng, today, 700),
                    "amount": f"{rng.uniform(5_000, 500_000):.2f}",
                    "summary": "合同纠纷",
                }
            )
        if every or rng.random() < 0.3:
            rows["crm_project"].append(
                {
                    "project_id": f"PJ{number}",
                    "customer_no": number,
                    "project_name": rng.choice(PROJECT_WORDS),
                    "investment": f"{rng.uniform(1e6, 1e8):.2f}",
                    "start_date": _day_before(rng, today, 500),
                    "status": rng.choice(["PLANNED", "BUILDING", "DONE"]),
                }
            )
        if every or rng.random() < 0.4:
            rows["crm_other_bank"].append(
                {
                    "ledger_id": f"OB{number}",
                    "customer_no": number,
                    "bank_name": rng.choice(OTHER_BANKS),
                    "business_type": rng.choice(["流动资金贷款", "票据贴现", "结算账户"]),
                    "amount": f"{rng.uniform(1e6, 5e7):.2f}",
                    "recorded_date": _day_before(rng, today, 200),
                }
            )
        if every or rng.random() < 0.05:
            rows["ext_stock_issue"].append(
                {
                    "ticker": f"{600000 + int(number[-5:]):06d}",
                    "customer_no": number,
                    "exchange": "SSE",
                    "listed_date": _day_before(rng, today, 3000),
                }
            )
        if every or rng.random() < 0.05:
            rows["ext_bond_issue"].append(
                {
                    "bond_code": f"B{number[-6:]}",
                    "customer_no": number,
                    "bond_name": f"{company['customer_name'][:4]}公司债",
                    "amount": f"{rng.choice([3, 5, 10]) * 1e8:.2f}",
                    "issue_date": _day_before(rng, today, 1500),
                    "maturity_date": (today + timedelta(days=rng.randint(300, 1800))).strftime("%Y%m%d"),
                }
            )
    # Purchased supply-chain data names each planted chain link from both ends.
    for chain in bank.truth["supply_chains"]:
        for supplier, buyer in zip(chain, chain[1:], strict=False):
            for owner, partner, direction in ((buyer, supplier, "UPSTREAM"), (supplier, buyer, "DOWNSTREAM")):
                rows["ext_supply_chain"].append(
                    {
                        "partner_record_id": f"SC{owner}{partner}",
                        "customer_no": owner,
                        "partner_name": by_number[partner]["customer_name"],
                        "partner_credit_code": by_number[partner]["credit_code"],
                        "direction": direction,
                        "share_percent": f"{rng.uniform(5, 60):.2f}",
                    }
                )
