"""The record modules of the retail 360 page: tables of one kind of record each, with an empty state.

A module names the kind of record it lists (see ``graph_model.customer_records``), its columns
and the sentence shown when the customer has none. Values are formatted here, codes said in
Chinese, so the template draws every module the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app import labels
from app.filters import money
from graph_model.customer_records import customer_records, manager_names
from graph_model.store import GraphStore

#: Records listed per module on the page; the total is shown when there are more.
RECORDS_SHOWN = 20


@dataclass(frozen=True)
class RecordColumn:
    header: str
    #: ``field`` of the record, or ``link.field`` / ``detail.field`` of its link or detail node.
    source: str
    show: Callable[[Any], str] = lambda value: "—" if value in (None, "") else str(value)
    numeric: bool = False
    #: An amount of money: exports write it as a number to the cent.
    money: bool = False
    #: A relationship manager's id, shown with the manager's name when the CRM lists it.
    manager: bool = False


@dataclass(frozen=True)
class RecordModule:
    module_id: str
    title: str
    kind: str
    columns: tuple[RecordColumn, ...]
    empty: str


def _label(table: dict[str, str]) -> Callable[[Any], str]:
    return lambda value: labels.label(table, value) if value not in (None, "") else "—"


def _moment(value: Any) -> str:
    return str(value).replace("T", " ") if value else "—"


def _money_column(header: str, source: str) -> RecordColumn:
    return RecordColumn(header, source, money, numeric=True, money=True)


RECORD_MODULES: dict[str, RecordModule] = {
    module.module_id: module
    for module in (
        RecordModule(
            "R08",
            "管理信息",
            "managers",
            (
                RecordColumn("客户经理", "name"),
                RecordColumn("工号", "manager_id"),
                RecordColumn("管户角色", "link.role", _label(labels.MANAGER_ROLES)),
                RecordColumn("所属机构", "detail.name"),
                RecordColumn("网格", "grid_code"),
                RecordColumn("分配日期", "link.first_seen"),
            ),
            "该客户尚未分配客户经理。",
        ),
        RecordModule(
            "R09",
            "客户大事记",
            "major_events",
            (
                RecordColumn("日期", "event_date"),
                RecordColumn("类别", "category", _label(labels.MAJOR_EVENT_CATEGORIES)),
                RecordColumn("事件", "description"),
                RecordColumn("记录人", "recorded_by", manager=True),
            ),
            "客户经理尚未记录该客户的大事。",
        ),
        RecordModule(
            "R10",
            "客户偏好",
            "preferences",
            (
                RecordColumn("类别", "category", _label(labels.PREFERENCE_CATEGORIES)),
                RecordColumn("偏好", "preference"),
                RecordColumn("来源", "source", _label(labels.PREFERENCE_SOURCES)),
                RecordColumn("记录日期", "recorded_on"),
            ),
            "尚未记录该客户的偏好。",
        ),
        RecordModule(
            "R13",
            "产品持有信息",
            "holdings",
            (
                RecordColumn("产品", "detail.name"),
                RecordColumn("产品大类", "detail.category_l1"),
                RecordColumn("产品类别", "detail.category_l2"),
                _money_column("持有余额", "balance"),
                _money_column("累计收益", "income"),
                RecordColumn("起始日", "start_date"),
                RecordColumn("到期日", "maturity_date"),
            ),
            "该客户目前没有持有理财、基金等产品。",
        ),
        RecordModule(
            "R14",
            "担保信息",
            "guarantees",
            (
                RecordColumn("担保方式", "guarantee_type", _label(labels.GUARANTEE_TYPES)),
                RecordColumn("保证人客户号", "guarantor_no"),
                RecordColumn("抵质押物", "collateral"),
                _money_column("担保金额", "amount"),
                RecordColumn("起始日", "start_date"),
                RecordColumn("到期日", "end_date"),
            ),
            "该客户的贷款没有登记担保。",
        ),
        RecordModule(
            "R15",
            "客户授信信息",
            "credit_lines",
            (
                _money_column("授信额度", "limit_amount"),
                _money_column("已用额度", "used_amount"),
                _money_column("可用额度", "available_amount"),
                RecordColumn("起始日", "start_date"),
                RecordColumn("到期日", "end_date"),
                RecordColumn("状态", "status", _label(labels.RECORD_STATUSES)),
            ),
            "授信系统中没有该客户的授信。",
        ),
        RecordModule(
            "R16",
            "签约信息",
            "agreements",
            (
                RecordColumn("签约类型", "agreement_type", _label(labels.AGREEMENT_TYPES)),
                RecordColumn("产品代码", "product_code"),
                RecordColumn("签约日期", "sign_date"),
                RecordColumn("状态", "status", _label(labels.RECORD_STATUSES)),
            ),
            "该客户没有签约记录。",
        ),
        RecordModule(
            "R18",
            "客户评级信息",
            "ratings",
            (
                RecordColumn("评级日期", "rating_date"),
                RecordColumn("等级", "grade"),
                RecordColumn("得分", "score", numeric=True),
                RecordColumn("评定方式", "rated_by", _label(labels.RATERS)),
                RecordColumn("调整原因", "reason"),
            ),
            "该客户尚无评级。",
        ),
        RecordModule(
            "R19",
            "客户贡献度信息",
            "contributions",
            (
                RecordColumn("期间", "period"),
                _money_column("综合贡献", "total"),
                _money_column("存款贡献", "deposit"),
                _money_column("贷款贡献", "loan"),
                _money_column("中间业务贡献", "intermediary"),
            ),
            "尚未计算该客户的贡献度。",
        ),
        RecordModule(
            "R20",
            "客户信用信息",
            "credit_cards",
            (
                RecordColumn("信用卡产品", "card_product", _label(labels.CARD_PRODUCTS)),
                _money_column("信用额度", "credit_limit"),
                RecordColumn("逾期天数", "overdue_days", numeric=True),
                _money_column("近30天消费", "spend_30d"),
                RecordColumn("发卡日期", "issued_date"),
            ),
            "该客户没有本行信用卡。",
        ),
        RecordModule(
            "R21",
            "客户投诉信息",
            "complaints",
            (
                RecordColumn("受理时间", "received_at", _moment),
                RecordColumn("渠道", "channel", _label(labels.SERVICE_CHANNELS)),
                RecordColumn("类别", "category"),
                RecordColumn("状态", "status", _label(labels.RECORD_STATUSES)),
                RecordColumn("处理结果", "outcome"),
            ),
            "该客户没有投诉记录。",
        ),
        RecordModule(
            "R22",
            "客户营销信息",
            "campaigns",
            (
                RecordColumn("参与日期", "joined_date"),
                RecordColumn("活动", "campaign_name"),
                RecordColumn("渠道", "channel", _label(labels.SERVICE_CHANNELS)),
                RecordColumn("客户反馈", "response", _label(labels.CAMPAIGN_RESPONSES)),
            ),
            "该客户没有参与营销活动的记录。",
        ),
        RecordModule(
            "R23",
            "客户需求信息",
            "needs",
            (
                RecordColumn("记录日期", "captured_date"),
                RecordColumn("需求", "need_type"),
                RecordColumn("说明", "description"),
                RecordColumn("渠道", "channel", _label(labels.SERVICE_CHANNELS)),
                RecordColumn("状态", "status", _label(labels.RECORD_STATUSES)),
            ),
            "尚未记录该客户的需求。",
        ),
        RecordModule(
            "R25",
            "客户接触轨迹",
            "contacts",
            (
                RecordColumn("接触时间", "contact_time", _moment),
                RecordColumn("方式", "contact_type", _label(labels.CONTACT_TYPES)),
                RecordColumn("客户经理", "manager_id", manager=True),
                RecordColumn("客户反馈", "response"),
            ),
            "没有客户经理与该客户接触的记录。",
        ),
        RecordModule(
            "R27",
            "客户权益积分信息",
            "points",
            (
                RecordColumn("积分余额", "points_balance", numeric=True),
                RecordColumn("优惠券", "coupons", numeric=True),
                RecordColumn("礼品订单", "gift_orders", numeric=True),
                RecordColumn("权益等级", "rights_level"),
            ),
            "该客户没有积分账户。",
        ),
        RecordModule(
            "R28",
            "线上渠道行为信息",
            "channel_events",
            (
                RecordColumn("时间", "event_time", _moment),
                RecordColumn("渠道", "channel", _label(labels.SERVICE_CHANNELS)),
                RecordColumn("行为", "event_type", _label(labels.CHANNEL_EVENT_TYPES)),
                RecordColumn("产品代码", "product_code"),
            ),
            "没有该客户在手机银行、微信银行或网上银行的行为记录。",
        ),
        RecordModule(
            "R29",
            "客户重要事件",
            "key_events",
            (
                RecordColumn("日期", "event_date"),
                RecordColumn("事件", "event_type", _label(labels.KEY_EVENT_TYPES)),
                RecordColumn("说明", "detail"),
            ),
            "没有该客户的重要事件记录。",
        ),
    )
}


def module_records(store: GraphStore, customer_id: str, module: RecordModule) -> dict[str, Any]:
    """Return the module's table for the page: header, formatted rows, numeric columns and total."""
    records, total = customer_records(store, customer_id, module.kind, limit=RECORDS_SHOWN)
    names = _manager_names(store, module, records)
    rows = [[column.show(_value(row, column, names)) for column in module.columns] for row in records]
    return {
        "module": module,
        "headers": [column.header for column in module.columns],
        "numeric": [column.numeric for column in module.columns],
        "rows": rows,
        "total": total,
    }


def module_cells(
    store: GraphStore, customer_id: str, module: RecordModule, *, limit: int
) -> tuple[list[list[Any]], int]:
    """Return up to ``limit`` of the module's records as cells for an export, newest first, and their total.

    Numeric columns keep their numbers (None when missing), so that a spreadsheet can sum them;
    the other columns are formatted as on the page.
    """
    records, total = customer_records(store, customer_id, module.kind, limit=limit)
    names = _manager_names(store, module, records)
    rows = [[_cell(column, _value(row, column, names)) for column in module.columns] for row in records]
    return rows, total


def _cell(column: RecordColumn, value: Any) -> Any:
    if not column.numeric:
        return column.show(value)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _value(row: dict[str, Any], column: RecordColumn, names: dict[str, str]) -> Any:
    part, _, field = column.source.partition(".")
    value = (row[part] or {}).get(field) if field else row["record"].get(column.source)
    if column.manager and value in names:
        return f"{names[value]}（{value}）"
    return value


def _manager_names(store: GraphStore, module: RecordModule, records: list[dict[str, Any]]) -> dict[str, str]:
    """Return the names of the managers the module's manager columns name, by manager id."""
    columns = [column for column in module.columns if column.manager]
    ids = {_value(row, column, {}) for row in records for column in columns}
    return manager_names(store, ids - {None, ""}) if ids else {}
