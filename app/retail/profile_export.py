"""A retail customer's profile for export: the modules of the user's chosen view, masked, in its order.

``customer_profile`` reads what each module of the view shows and returns it as sections of
tables (see ``app.retail.profile_sections``). The CSV, Excel and PDF writers all draw from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.retail.charts import (
    balance_chart,
    business_overview,
    channel_behaviour,
    customer_position,
    overview_charts,
)
from app.retail.page_views import RETAIL_MODULES
from app.retail.profile_sections import (
    ProfileSection,
    accounts_section,
    basic_info_section,
    business_overview_section,
    channel_behaviour_section,
    family_section,
    identity_section,
    left_out_section,
    occupation_section,
    overview_section,
    recommendations_section,
    records_section,
    reminders_section,
    tags_section,
    transactions_section,
)
from app.retail.recommendation_panel import recommendation_panel
from app.retail.record_modules import RECORD_MODULES, module_cells
from app.retail.reminder_panel import reminder_panel
from graph_model.customers import customer_accounts, month_end_balances, recent_transactions
from graph_model.family import family_members
from graph_model.scope import DataScope
from graph_model.store import GraphStore
from graph_model.tags import customer_tags

#: Maximum rows of one table in an export (transactions, or the records of one module), newest first.
EXPORT_ROWS = 1000
GRAPH_LEFT_OUT = "知识图谱是交互式关系图，无法导出为表格，请在客户页面上查看。"
NOT_EXPORTABLE = "该模块暂不支持导出，请在客户页面上查看。"
# Exports stay masked for every role: a value shown in full on the page is requested and audited
# one at a time, and an unmasked file of a whole profile would go round that.
MASKING_NOTICE = (
    "本文件中的证件号码、手机号码、地址、账号和卡号均已脱敏，任何角色导出均不含完整信息。"
    "如确需查看完整信息，请在客户页面上逐项点击“显示”（需有相应权限，每次查看均记入审计日志）。"
)
CONFIDENTIAL = "内部资料 注意保密"


@dataclass(frozen=True)
class CustomerProfile:
    customer_id: str
    name: str | None
    view_name: str
    sections: list[ProfileSection]
    #: Username and display name of the user exporting.
    exported_by: str
    #: Local time of the export, to the second.
    exported_at: str
    #: Date the customer left the source system's customer list; the data is as it was before.
    closed_on: str | None = None

    @property
    def status(self) -> str:
        if self.closed_on:
            return f"该客户已于 {self.closed_on} 从源系统客户清单中消失（已关闭），导出的是关闭前的数据。"
        return "正常"

    @property
    def left_out(self) -> list[ProfileSection]:
        return [section for section in self.sections if section.left_out]


def customer_profile(
    store: GraphStore,
    overview: dict[str, Any],
    view: dict[str, Any],
    scope: DataScope,
    *,
    transaction_days: int,
    exported_by: str,
    exported_at: str,
) -> CustomerProfile:
    """Read the modules of ``view`` for the customer of ``overview`` and return them as a profile.

    ``overview`` must come from ``customer_overview`` under ``scope``, which refuses a customer
    out of scope; the modules read here rely on that check.
    """
    customer = overview["customer"]
    customer_id = customer["customer_id"]
    modules = [module_id for module_id in view["modules"] if module_id in RETAIL_MODULES]
    position = customer_position(store, customer_id) if {"R01", "R11", "R26"} & set(modules) else None
    sections = []
    for module_id in modules:
        if module_id == "R01":
            balances = balance_chart(month_end_balances(store, customer_id))
            sections.append(
                overview_section(overview, balances, overview_charts(store, customer_id, position))
            )
        elif module_id == "R11":
            sections.append(business_overview_section(business_overview(position)))
        elif module_id == "R26":
            sections.append(recommendations_section(recommendation_panel(store, customer, position)))
        else:
            sections.append(_module_section(store, customer, module_id, scope, transaction_days))
    return CustomerProfile(
        customer_id=customer_id,
        name=customer.get("name"),
        view_name=view["name"],
        sections=sections,
        exported_by=exported_by,
        exported_at=exported_at,
        closed_on=customer.get("closed_on"),
    )


def _module_section(
    store: GraphStore, customer: dict[str, Any], module_id: str, scope: DataScope, transaction_days: int
) -> ProfileSection:
    customer_id = customer["customer_id"]
    match module_id:
        case "R02":
            return tags_section(customer_tags(store, customer_id))
        case "R03":
            return left_out_section(module_id, RETAIL_MODULES[module_id], GRAPH_LEFT_OUT)
        case "R04":
            return basic_info_section(customer)
        case "R05":
            return identity_section(customer)
        case "R06":
            return occupation_section(customer)
        case "R07":
            return family_section(family_members(store, customer_id, scope))
        case "R24":
            return reminders_section(reminder_panel(store, customer_id))
        case "R12":
            return accounts_section(customer_accounts(store, customer_id, scope))
        case "R17":
            recent = recent_transactions(store, customer_id, days=transaction_days, limit=EXPORT_ROWS)
            return transactions_section(recent, transaction_days)
        case "R28":
            rows, total = module_cells(store, customer_id, RECORD_MODULES[module_id], limit=EXPORT_ROWS)
            behaviour = channel_behaviour(store, customer_id)
            return channel_behaviour_section(RECORD_MODULES[module_id], behaviour, rows, total)
        case _ if module_id in RECORD_MODULES:
            rows, total = module_cells(store, customer_id, RECORD_MODULES[module_id], limit=EXPORT_ROWS)
            return records_section(RECORD_MODULES[module_id], rows, total)
    return left_out_section(module_id, RETAIL_MODULES[module_id], NOT_EXPORTABLE)


def profile_rows(profile: CustomerProfile) -> list[list[object]]:
    """Return the profile as one sheet of rows: each module's title, notes and tables, a blank row between."""
    rows: list[list[object]] = []
    for section in profile.sections:
        if rows:
            rows.append([])
        rows.append([section.title])
        rows += [[note] for note in section.notes]
        for table in section.tables:
            if table.caption:
                rows.append([table.caption])
            rows.append(list(table.headers))
            rows += table.rows
    return rows
