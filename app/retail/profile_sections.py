"""The modules of the retail 360 page as export sections: titled tables of masked, typed cells.

A cell is text, an amount of money as a ``Decimal`` to the cent, a count or score as an ``int``
or ``float``, or None when there is no value. Writers format each type once: a spreadsheet keeps
amounts as numbers, a PDF prints them with thousands separators. Personal values are masked by
the rules the page uses, whatever the user's role.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app import labels
from app.access import mask
from app.filters import age, division_name, local_time, money
from app.retail.maintenance_forms import MAINTAINED_MODULES
from app.retail.recommendation_panel import RecommendationPanel
from app.retail.record_modules import RecordModule
from c360.masking import ACCOUNT, ADDRESS, ID_NUMBER, MOBILE

CENT = Decimal("0.01")
FACT_HEADERS = ("项目", "内容")


@dataclass(frozen=True)
class ProfileTable:
    headers: tuple[str, ...]
    rows: list[list[object]]
    #: Line above the table, naming what it shows when a module has several tables.
    caption: str = ""


@dataclass(frozen=True)
class ProfileSection:
    """One module of the page in an export: its tables, and the notes shown above them."""

    module_id: str
    title: str
    tables: tuple[ProfileTable, ...] = ()
    notes: tuple[str, ...] = ()
    #: The module is a drawing without a table fallback, so it is not exported; ``notes`` gives the reason.
    left_out: bool = False


def cents(value: float | None, *, negative: bool = False) -> Decimal | None:
    """Return an amount to the cent, as the page shows it, negated for a debit; None stays None."""
    if value is None:
        return None
    return Decimal(str(-value if negative else value)).quantize(CENT)


def overview_section(
    overview: dict[str, Any], balances: dict[str, list], charts: dict[str, Any]
) -> ProfileSection:
    """Return the overview (R01): the facts, then the table behind each of its charts."""
    customer = overview["customer"]
    facts = [
        ["客户号", customer["customer_id"]],
        ["姓名", customer.get("name") or "数据源未提供"],
        ["客户类型", labels.label(labels.CUSTOMER_TYPES, customer.get("customer_type"))],
        ["性别", labels.label(labels.GENDERS, customer.get("gender"))],
        ["出生日期", customer.get("birth_date") or "—"],
        ["年龄", age(customer.get("birth_date"))],
        ["所在地区", customer.get("address_area") or division_name(overview.get("division"))],
    ]
    for name, field_name, kind in (
        ("证件号码", "id_number", ID_NUMBER),
        ("手机号码", "mobile", MOBILE),
        ("地址", "address", ADDRESS),
    ):
        if customer.get(field_name):
            facts.append([name, mask(customer[field_name], kind)])
    facts += [
        ["账户数", overview["account_count"]],
        ["贷款笔数", overview["loan_count"]],
        ["银行卡数", overview["card_count"]],
    ]
    if overview.get("district"):
        facts.append(["地区平均工资", f"{money(overview['district']['average_salary'], 0)} CZK"])
    tables = [ProfileTable(FACT_HEADERS, facts, "基本情况")]
    notes = []
    for table, empty in (
        (_balance_table(balances), "余额走势：已加载的交易数据中没有该客户账户的交易。"),
        (_aum_table(charts["aum"]), "资产走势：已加载的数据中没有该客户名下账户的交易。"),
        (_share_table(charts["share"]), "产品持有占比：该客户没有存款余额，也没有持有产品。"),
        (_volume_table(charts["volumes"]), "存贷款规模：该客户没有存款余额，也没有已使用的授信额度。"),
        (_flow_table(charts["flows"], charts["flow_days"]), "资金流入流出：近期没有资金往来。"),
    ):
        if table.rows:
            tables.append(table)
        else:
            notes.append(empty)
    return ProfileSection("R01", "客户概况", tuple(tables), tuple(notes))


def _balance_table(balances: dict[str, list]) -> ProfileTable:
    headers = ("月份", *(series["name"] for series in balances["series"]))
    rows = [
        [month, *(cents(series["data"][index]) for series in balances["series"])]
        for index, month in enumerate(balances["months"])
    ]
    return ProfileTable(headers, rows, "余额走势（月末余额）")


def _aum_table(aum: dict[str, list]) -> ProfileTable:
    rows = [
        [month, cents(deposit), cents(holding), cents(total)]
        for month, deposit, holding, total in zip(
            aum["months"], aum["deposits"], aum["holdings"], aum["aum"], strict=True
        )
    ]
    return ProfileTable(("月份", "存款", "产品持有", "合计（AUM）"), rows, "资产（AUM）走势（月末）")


def _share_table(share: list[dict[str, Any]]) -> ProfileTable:
    rows = [[item["name"], cents(item["value"]), _percent(item["percent"])] for item in share]
    return ProfileTable(("产品大类", "余额", "占比"), rows, "产品持有占比")


def _volume_table(volumes: list[dict[str, Any]]) -> ProfileTable:
    return ProfileTable(
        ("项目", "金额"), [[bar["name"], cents(bar["value"])] for bar in volumes], "存贷款规模"
    )


def _flow_table(flows: dict[str, Any], days: int) -> ProfileTable:
    rows = [
        [
            row["name"],
            cents(row["incoming"]),
            cents(row["outgoing"]),
            cents(row["incoming"] - row["outgoing"]),
        ]
        for row in flows["rows"]
    ]
    caption = (
        f"资金流入流出（近 {days} 天，按交易对手类型；{flows['since']} 至 {flows['until']}，"
        "不含本人账户之间的转账）"
    )
    return ProfileTable(("交易对手类型", "流入", "流出", "净流入"), rows, caption)


def tags_section(tags: list[dict[str, Any]]) -> ProfileSection:
    """Return the tags (R02) with their category, and who added the manual ones when."""
    rows = [
        [
            tag.get("category") or "未分类",
            tag.get("name"),
            "手工标签" if tag.get("source") == "manual" else "系统标签",
            tag.get("created_by") or "—",
            local_time(tag.get("created_at")) if tag.get("created_at") else "—",
        ]
        for tag in tags
    ]
    return _table_section(
        "R02", "标签画像", ("类别", "标签", "来源", "添加人", "添加时间"), rows, "该客户还没有标签。"
    )


def left_out_section(module_id: str, title: str, reason: str) -> ProfileSection:
    """Return a module that the export leaves out, with the reason in ``notes``."""
    return ProfileSection(module_id, title, notes=(reason,), left_out=True)


def basic_info_section(customer: dict[str, Any]) -> ProfileSection:
    """Return the basic information (R04)."""
    facts = [
        ["姓名", customer.get("name") or "—"],
        ["性别", labels.label(labels.GENDERS, customer.get("gender"))],
        ["出生日期", customer.get("birth_date") or "—"],
        ["客户等级", labels.label(labels.CUSTOMER_LEVELS, customer.get("customer_level"))],
        ["开户日期", customer.get("open_date") or "—"],
        ["开户机构", customer.get("open_branch_name") or customer.get("open_branch") or "—"],
    ]
    provided = any(customer.get(name) for name in ("gender", "birth_date", "customer_level", "open_date"))
    notes = () if provided else ("源系统未提供该客户的基本信息。",)
    facts += _maintained_facts("R04", customer)
    return ProfileSection("R04", "客户基本信息", (ProfileTable(FACT_HEADERS, facts),), notes)


def identity_section(customer: dict[str, Any]) -> ProfileSection:
    """Return the identity document (R05), its number masked."""
    if not customer.get("id_number"):
        return ProfileSection("R05", "客户证件信息", notes=("源系统未提供该客户的证件信息。",))
    facts = [
        ["证件类型", labels.label(labels.ID_TYPES, customer.get("id_type"))],
        ["证件号码", mask(customer["id_number"], ID_NUMBER)],
    ]
    return ProfileSection(
        "R05", "客户证件信息", (ProfileTable(FACT_HEADERS, facts),), ("发证机关和有效期源系统未提供。",)
    )


def occupation_section(customer: dict[str, Any]) -> ProfileSection:
    """Return the occupation and employer (R06)."""
    maintained = _maintained_facts("R06", customer)
    if not (customer.get("occupation") or customer.get("employer")) and all(
        value == "—" for _, value in maintained
    ):
        return ProfileSection("R06", "客户工作或经营信息", notes=("源系统未提供该客户的职业和工作单位。",))
    facts = [["职业", customer.get("occupation") or "—"], ["工作单位", customer.get("employer") or "—"]]
    return ProfileSection("R06", "客户工作或经营信息", (ProfileTable(FACT_HEADERS, facts + maintained),))


def _maintained_facts(module_id: str, customer: dict[str, Any]) -> list[list[object]]:
    """Return the fields managers maintain in the module, as the page shows them."""
    return [
        [form_field.label, form_field.shown(customer.get(form_field.name))]
        for form_field in MAINTAINED_MODULES[module_id].fields
    ]


def reminders_section(panel: dict[str, Any]) -> ProfileSection:
    """Return the reminders (R24) not dismissed, as of the data date they were generated for."""
    rows = [
        [reminder.severity_label, reminder.kind_label, reminder.due_date, reminder.text]
        for reminder in panel["pending"]
    ]
    basis = f"按数据日期 {panel['data_date']}（{panel['data_date_basis']}）生成。"
    if not rows:
        return ProfileSection("R24", "客户提醒信息", notes=(basis, "该客户没有需要提醒的事项。"))
    table = ProfileTable(("级别", "类别", "日期", "提醒内容"), rows)
    return ProfileSection("R24", "客户提醒信息", (table,), (basis,))


def recommendations_section(panel: RecommendationPanel) -> ProfileSection:
    """Return the products matched to the customer (R26) and the bank's recent best sellers."""
    tables = []
    notes = [text for text in (panel.matched_empty, panel.best_sellers_empty) if text]
    if panel.matched:
        rows = [
            [item.product.name, item.product.product_code, _category(item.product), item.product.risk_level,
             f"{item.rule.name}：{item.rule.reason}"]
            for item in panel.matched
        ]  # fmt: skip
        headers = ("产品", "产品代码", "产品类别", "风险等级", "推荐理由")
        tables.append(ProfileTable(headers, rows, "按客户特征匹配的产品"))
    if panel.best_sellers:
        rows = [
            [seller.rank, seller.product.name, seller.product.product_code, _category(seller.product),
             seller.new_holdings, cents(seller.amount)]
            for seller in panel.best_sellers
        ]  # fmt: skip
        headers = ("排名", "产品", "产品代码", "产品类别", "新增持有笔数", "金额（元）")
        caption = f"近30天全行热销产品（{panel.since} 至 {panel.until}）"
        tables.append(ProfileTable(headers, rows, caption))
    if panel.offers:
        rows = [_offer_row(row) for row in panel.offers]
        headers = ("类型", "编号", "产品", "产品代码", "推荐理由", "创建人", "创建时间")
        tables.append(ProfileTable(headers, rows, "进行中的商机与营销活动"))
    return ProfileSection("R26", "产品推荐", tuple(tables), tuple(notes))


def _offer_row(row: dict[str, Any]) -> list[object]:
    offer = row["offer"]
    number = offer.get("opportunity_id") or offer.get("campaign_id")
    return [
        row["title"], number, row["product_name"], row["product_code"], offer.get("reason"),
        offer.get("created_by"), local_time(offer.get("created_at")),
    ]  # fmt: skip


def _category(product: Any) -> str:
    return " / ".join(part for part in (product.category_l1, product.category_l2) if part) or "—"


def family_section(family: list[dict[str, Any]]) -> ProfileSection:
    """Return the family members (R07); a member outside the user's scope shows only the relation."""
    rows = []
    for row in family:
        member = row["member"]
        hidden = member.get("hidden", False)
        relation = (
            labels.label(labels.FAMILY_RELATIONS, row["relation"]) if row.get("relation") else "家庭成员"
        )
        if row.get("source") == "declared":
            source = "客户申报"
        elif row.get("source") == "manual":
            source = "客户经理登记"
        else:
            status = labels.label(labels.REVIEW_STATUSES, row.get("review_status") or "pending")
            source = f"关系挖掘（置信度 {row.get('confidence') or 0:.2f}，{status}）"
        if member.get("person"):
            born = f"{member['birth_year']} 年" if member.get("birth_year") else "—"
            rows.append([f"{member['name']}（非本行客户）", relation, source, "—", born])
            continue
        rows.append(
            [
                "其他客户" if hidden else member.get("name") or f"客户 {member['customer_id']}",
                relation,
                source,
                "—" if hidden else labels.label(labels.GENDERS, member.get("gender")),
                "—" if hidden else member.get("birth_date") or "—",
            ]
        )
    return _table_section(
        "R07",
        "客户家庭信息",
        ("家庭成员", "关系", "来源", "性别", "出生日期"),
        rows,
        "该客户没有申报家庭成员，关系挖掘也未发现家庭关系。",
    )


def business_overview_section(business: dict[str, Any]) -> ProfileSection:
    """Return the business overview (R11) as the summary table beside its chart."""
    if not (business["assets"] or business["liabilities"]):
        return ProfileSection(
            "R11", "客户业务概览", notes=("该客户没有存款、产品持有、已用授信或信用卡消费。",)
        )
    rows = [["资产", item["name"], cents(item["value"])] for item in business["assets"]]
    rows.append(["资产", "资产合计", cents(business["total_assets"])])
    rows += [["负债", item["name"], cents(item["value"])] for item in business["liabilities"]]
    rows.append(["负债", "负债合计", cents(business["total_liabilities"])])
    rows.append(["净资产", "资产合计减负债合计", cents(business["net_assets"])])
    note = "存款为本人名下账户的日终余额加存款类产品持有；负债为授信已用额度与信用卡近30天消费。"
    return ProfileSection("R11", "客户业务概览", (ProfileTable(("类别", "项目", "金额"), rows),), (note,))


ACCOUNT_HEADERS = (
    "账号", "账户类型", "持有身份", "开户日期", "开户地区/网点", "对账频率", "最新余额", "余额日期",
    "已加载交易笔数", "共同持有人", "贷款", "银行卡",
)  # fmt: skip


def accounts_section(accounts: list[dict[str, Any]]) -> ProfileSection:
    """Return the accounts (R12), numbers masked, with co-holders, loans and cards as text."""
    rows = []
    for row in accounts:
        account = row["account"]
        rows.append(
            [
                mask(account["account_id"], ACCOUNT),
                _account_type(account),
                labels.label(labels.HOLDER_ROLES, row["role"]),
                account.get("opened_date") or "—",
                row.get("branch_district") or row.get("branch_name") or account.get("branch_code") or "—",
                labels.label(labels.STATEMENT_FREQUENCIES, account.get("statement_frequency")),
                cents(row["balance"]),
                row["latest_date"] or "—",
                row["transaction_count"],
                _co_holders(row["co_holders"]),
                _loans(row["loans"]),
                _cards(row["cards"]),
            ]
        )
    return _table_section("R12", "账户信息", ACCOUNT_HEADERS, rows, "该客户名下没有账户。")


def _account_type(account: dict[str, Any]) -> str:
    return f"{labels.label(labels.ACCOUNT_TYPES, account.get('account_type'))}（{account.get('currency')}）"


def _co_holders(holders: list[dict[str, Any]]) -> str:
    named = [
        f"{'其他客户' if holder.get('hidden') else '客户 ' + holder['customer_id']}"
        f"（{labels.label(labels.HOLDER_ROLES, holder['role'])}）"
        for holder in holders
    ]
    return "、".join(named) or "—"


def _loans(loans: list[dict[str, Any]]) -> str:
    described = [
        f"{loan.get('granted_date')}发放 {money(loan.get('amount'))}，{loan.get('duration_months')}个月，"
        f"源系统最终状态：{labels.label(labels.LOAN_STATUSES, loan.get('status'))}"
        for loan in loans
    ]
    return "；".join(described) or "—"


def _cards(cards: list[dict[str, Any]]) -> str:
    described = [
        f"{labels.label(labels.CARD_TYPES, card.get('card_type'))}（{card.get('issued_date')}发卡）"
        for card in cards
    ]
    return "、".join(described) or "—"


def transactions_section(recent: dict[str, Any], days: int) -> ProfileSection:
    """Return the transactions (R17) of the last ``days`` days loaded; a debit's amount is negative."""
    if not recent["until"]:
        return ProfileSection("R17", "交易明细", notes=("已加载的数据中没有交易。",))
    rows = [
        [
            transaction.get("date"),
            mask(transaction.get("account_id"), ACCOUNT),
            labels.label(labels.DIRECTIONS, transaction.get("direction")),
            (
                labels.label(labels.OPERATIONS, transaction["operation"])
                if transaction.get("operation")
                else labels.label(labels.CHANNELS, transaction.get("channel"))
            ),
            labels.label(labels.PURPOSES, transaction.get("purpose")),
            cents(transaction.get("amount"), negative=transaction.get("direction") == "debit"),
            cents(transaction.get("balance")),
            mask(transaction.get("counterparty"), ACCOUNT) or "—",
        ]
        for transaction in recent["transactions"]
    ]
    period = (
        f"统计区间：{recent['since']} 至 {recent['until']}（已加载数据中最新交易日期之前的 {days} 天），"
        f"共 {recent['total']} 笔。"
    )
    notes = [period]
    if recent["total"] > len(rows):
        notes.append(f"导出最近的 {len(rows)} 笔，其余请在页面上筛选查看。")
    headers = ("日期", "账号", "收支", "交易方式", "用途", "金额", "交易后余额", "对手账户")
    tables = (ProfileTable(headers, rows),) if rows else ()
    if not rows:
        notes.append("该客户在此区间内没有交易。")
    return ProfileSection("R17", "交易明细", tables, tuple(notes))


def records_section(module: RecordModule, rows: list[list[Any]], total: int) -> ProfileSection:
    """Return a record module's table; amounts become ``Decimal`` cents."""
    money_columns = [column.money for column in module.columns]
    cells = [
        [cents(value) if is_money else value for value, is_money in zip(row, money_columns, strict=True)]
        for row in rows
    ]
    headers = tuple(column.header for column in module.columns)
    section = _table_section(module.module_id, module.title, headers, cells, module.empty)
    if total > len(rows):
        return ProfileSection(
            section.module_id, section.title, section.tables, (f"共 {total} 条，导出最近 {len(rows)} 条。",)
        )
    return section


def channel_behaviour_section(
    module: RecordModule, behaviour: dict[str, Any], rows: list[list[Any]], total: int
) -> ProfileSection:
    """Return the online behaviour (R28): the funnel and channel tables behind its charts, then the events."""
    events = records_section(module, rows, total)
    if not rows:
        return events
    funnel = [
        [stage["stage"], stage["products"], _percent(stage["rate"]), _percent(stage["overall_rate"])]
        for stage in behaviour["funnel"]
    ]
    channels = behaviour["channels"]
    by_channel = [[row["channel"], *row["events"], row["total"]] for row in channels["rows"]]
    tables = [
        ProfileTable(("渠道", *channels["event_types"], "合计"), by_channel, "各渠道行为次数"),
        ProfileTable(events.tables[0].headers, events.tables[0].rows, "行为记录"),
    ]
    if funnel:
        tables.insert(
            0,
            ProfileTable(
                ("环节", "产品数", "较上一环节转化率", "较浏览转化率"), funnel, "产品转化漏斗（按产品去重）"
            ),
        )
    return ProfileSection("R28", module.title, tuple(tables), events.notes)


def _table_section(
    module_id: str, title: str, headers: tuple[str, ...], rows: list[list[object]], empty: str
) -> ProfileSection:
    if not rows:
        return ProfileSection(module_id, title, notes=(empty,))
    return ProfileSection(module_id, title, (ProfileTable(headers, rows),))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"
