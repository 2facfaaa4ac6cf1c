"""Chart data of the retail 360 page: overview charts (R01), business overview (R11), online behaviour (R28).

Each function returns plain dicts and lists that the template embeds as JSON for ECharts and
also renders as the table fallback, so the chart and the table show the same numbers. Amounts
are rounded to cents and percentages to two decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app import labels
from app.access import mask
from c360.masking import ACCOUNT
from graph_model.customer_charts import (
    channel_event_counts,
    current_holdings,
    current_liabilities,
    owned_accounts,
    recent_flows,
)
from graph_model.store import GraphStore

#: Days of loaded postings, up to the newest one, that the fund flow chart sums.
FLOW_DAYS = 90
DEPOSITS = "存款"
#: Category of a holding whose product is missing from the product catalogue.
UNCATEGORISED = "其他"
OWN_RETAIL = "本行个人客户"
OWN_CORPORATE = "本行对公客户"
OTHER_BANK = "他行账户"
CASH_OR_OTHER = "现金/其他"
COUNTERPARTY_TYPES = (OWN_RETAIL, OWN_CORPORATE, OTHER_BANK, CASH_OR_OTHER)
#: Funnel stages, each reached by the event types listed: a purchase goes through the product page,
#: so a product bought also counts as clicked and browsed.
FUNNEL_STAGES = (
    ("浏览", ("BROWSE", "CLICK", "PURCHASE")),
    ("点击", ("CLICK", "PURCHASE")),
    ("购买", ("PURCHASE",)),
)


@dataclass(frozen=True)
class CustomerPosition:
    """What the customer owns and owes today, read once for the overview and business overview charts."""

    accounts: list[dict[str, Any]]
    holdings: list[dict[str, Any]]
    liabilities: dict[str, Any]

    @property
    def deposits(self) -> float:
        return current_deposits(self.accounts)


def customer_position(store: GraphStore, customer_id: str) -> CustomerPosition:
    """Read the customer's owned accounts with their postings, current holdings and liabilities."""
    return CustomerPosition(
        owned_accounts(store, customer_id),
        current_holdings(store, customer_id),
        current_liabilities(store, customer_id),
    )


def balance_chart(balances: dict[str, list[tuple[str, float]]]) -> dict[str, list]:
    """Shape month-end balances for ECharts: one line per account (masked) over the union of months."""
    months = sorted({month for points in balances.values() for month, _ in points})
    series = []
    for account_id, points in balances.items():
        by_month = dict(points)
        series.append(
            {"name": f"账户 {mask(account_id, ACCOUNT)}", "data": [by_month.get(month) for month in months]}
        )
    return {"months": months, "series": series}


def overview_charts(store: GraphStore, customer_id: str, position: CustomerPosition) -> dict[str, Any]:
    """Return the overview's charts: AUM trend, product share, deposit and loan volumes, fund flows."""
    volumes = [
        {"name": "存款余额", "value": _cents(position.deposits)},
        {"name": "贷款（授信已用额度）", "value": _cents(position.liabilities["credit_used"] or 0)},
    ]
    return {
        "aum": aum_trend(position.accounts, position.holdings),
        "share": _with_percent(assets_by_category(position.deposits, position.holdings)),
        "volumes": volumes if any(bar["value"] for bar in volumes) else [],
        "flows": fund_flows(recent_flows(store, customer_id, days=FLOW_DAYS), customer_id),
        "flow_days": FLOW_DAYS,
    }


def business_overview(position: CustomerPosition) -> dict[str, Any]:
    """Return the customer's assets by category and liabilities, with their totals and net assets."""
    assets = assets_by_category(position.deposits, position.holdings)
    owed = position.liabilities
    liabilities = [
        item
        for item in (
            {"name": "授信已用额度", "value": _cents(owed["credit_used"] or 0)},
            {"name": "信用卡近30天消费", "value": _cents(owed["card_spending"] or 0)},
        )
        if item["value"]
    ]
    total_assets = _cents(sum(item["value"] for item in assets))
    total_liabilities = _cents(sum(item["value"] for item in liabilities))
    return {
        "assets": assets,
        "liabilities": liabilities,
        "total_assets": total_assets,
        "total_liabilities": total_liabilities,
        "net_assets": _cents(total_assets - total_liabilities),
    }


def channel_behaviour(store: GraphStore, customer_id: str) -> dict[str, Any]:
    """Return the product funnel (browsed, clicked, purchased) and the event counts by channel."""
    counts = channel_event_counts(store, customer_id)
    return {"funnel": product_funnel(counts), "channels": events_by_channel(counts)}


def current_deposits(accounts: list[dict[str, Any]]) -> float:
    """Sum the accounts' day-end book balances. An account without one counts its last posting's balance."""
    total = 0.0
    for account in accounts:
        if account["book_balance"] is not None:
            total += account["book_balance"]
        elif account["postings"]:
            total += account["postings"][-1][1]
    return total


def aum_trend(accounts: list[dict[str, Any]], holdings: list[dict[str, Any]]) -> dict[str, list]:
    """Return deposits, holdings and their sum (AUM) at each month end from the first to the last posting.

    An account keeps its last month-end balance through months without postings and counts 0
    before its first posting. The holdings feed is a snapshot without past balances, so a holding
    counts at its current balance from the month it started.
    """
    month_ends = [{day[:7]: balance for day, balance in account["postings"]} for account in accounts]
    known = sorted({month for ends in month_ends for month in ends})
    if not known:
        return {"months": [], "deposits": [], "holdings": [], "aum": []}
    months = _months_between(known[0], known[-1])

    deposits = [0.0] * len(months)
    for ends in month_ends:
        balance = 0.0
        for index, month in enumerate(months):
            balance = ends.get(month, balance)
            deposits[index] += balance
    holding_totals = [
        sum(holding["balance"] or 0 for holding in holdings if (holding["start_date"] or "")[:7] <= month)
        for month in months
    ]
    return {
        "months": months,
        "deposits": [_cents(value) for value in deposits],
        "holdings": [_cents(value) for value in holding_totals],
        "aum": [_cents(deposit + holding) for deposit, holding in zip(deposits, holding_totals, strict=True)],
    }


def assets_by_category(deposits: float, holdings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the positive asset amounts by product category_l1, largest first.

    Account balances and holdings of deposit products (category_l1 存款) make up one 存款 slice.
    """
    by_category = {DEPOSITS: deposits}
    for holding in holdings:
        category = holding["category"] or UNCATEGORISED
        by_category[category] = by_category.get(category, 0.0) + (holding["balance"] or 0)
    slices = [{"name": name, "value": _cents(value)} for name, value in by_category.items() if value > 0]
    return sorted(slices, key=lambda item: -item["value"])


def fund_flows(recent: dict[str, Any], customer_id: str) -> dict[str, Any]:
    """Sum incoming and outgoing amounts by counterparty type, leaving out transfers between own accounts."""
    totals = {name: {"incoming": 0.0, "outgoing": 0.0} for name in COUNTERPARTY_TYPES}
    for posting in recent["postings"]:
        if any(holder["customer_id"] == customer_id for holder in posting["holders"]):
            continue
        side = "incoming" if posting["direction"] == "credit" else "outgoing"
        totals[_counterparty_type(posting)][side] += posting["amount"] or 0
    rows = [
        {"name": name, "incoming": _cents(sums["incoming"]), "outgoing": _cents(sums["outgoing"])}
        for name, sums in totals.items()
    ]
    has_flows = any(row["incoming"] or row["outgoing"] for row in rows)
    return {"since": recent["since"], "until": recent["until"], "rows": rows if has_flows else []}


def product_funnel(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the distinct products at each funnel stage, with the rate from the previous and first stage.

    A rate is None when the stage it divides by has no product. Events without a product code
    do not count.
    """
    products: dict[str, set[str]] = {}
    for row in counts:
        products.setdefault(row["event_type"], set()).update(code for code in row["product_codes"] if code)
    stages = []
    for name, event_types in FUNNEL_STAGES:
        reached = set().union(*(products.get(event_type, set()) for event_type in event_types))
        stages.append({"stage": name, "products": len(reached)})
    if not stages[0]["products"]:
        return []
    for previous, stage in zip([None, *stages], stages, strict=False):
        stage["rate"] = _percent(stage["products"], previous["products"]) if previous else None
        stage["overall_rate"] = _percent(stage["products"], stages[0]["products"])
    return stages


def events_by_channel(counts: list[dict[str, Any]]) -> dict[str, Any]:
    """Return event counts as a channel × event type table, in the order of the label tables."""
    event_types = _in_label_order({row["event_type"] for row in counts}, labels.CHANNEL_EVENT_TYPES)
    channels = _in_label_order({row["channel"] for row in counts}, labels.SERVICE_CHANNELS)
    table = {(row["channel"], row["event_type"]): row["events"] for row in counts}
    rows = []
    for channel in channels:
        events = [table.get((channel, event_type), 0) for event_type in event_types]
        rows.append(
            {
                "channel": labels.label(labels.SERVICE_CHANNELS, channel),
                "events": events,
                "total": sum(events),
            }
        )
    return {
        "event_types": [labels.label(labels.CHANNEL_EVENT_TYPES, code) for code in event_types],
        "rows": rows,
    }


def _counterparty_type(posting: dict[str, Any]) -> str:
    holder_types = {holder["customer_type"] for holder in posting["holders"]}
    if "corporate" in holder_types:
        return OWN_CORPORATE
    if holder_types:
        return OWN_RETAIL
    return OTHER_BANK if posting["has_counterparty"] else CASH_OR_OTHER


def _with_percent(slices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    total = sum(item["value"] for item in slices)
    return [item | {"percent": _percent(item["value"], total)} for item in slices]


def _in_label_order(codes: set[str | None], table: dict[str, str]) -> list[str | None]:
    """Order codes as ``table`` lists them; codes it lacks follow, sorted, and a missing code last."""
    known = [code for code in table if code in codes]
    unknown = sorted(code for code in codes if code is not None and code not in table)
    return known + unknown + ([None] if None in codes else [])


def _months_between(first: str, last: str) -> list[str]:
    """Return every month from ``first`` to ``last`` inclusive, as YYYY-MM."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while (current := f"{year:04d}-{month:02d}") <= last:
        months.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _percent(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def _cents(amount: float) -> float:
    return round(amount, 2)
