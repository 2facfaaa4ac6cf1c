"""Filters of the transactions module: account, dates, direction, amounts, counterparty and page.

They arrive as query parameters prefixed ``tx_``; a value that cannot be used is reported in
Chinese and the list falls back to the default window rather than failing the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.access import reference
from graph_model.customers import TransactionFilter

PAGE_SIZE = 50
MAX_COUNTERPARTY = 40
DIRECTIONS = ("credit", "debit")


@dataclass
class TransactionQuery:
    """The filter for the repository, the page number, the form's values and any errors."""

    wanted: TransactionFilter
    page: int
    form: dict[str, str]
    errors: list[str] = field(default_factory=list)

    @property
    def skip(self) -> int:
        return (self.page - 1) * PAGE_SIZE


def transaction_query(args: Any, account_ids: list[str]) -> TransactionQuery:
    """Read the ``tx_`` parameters; ``account_ids`` are the customer's accounts the form offers."""
    form = {
        name: str(args.get(f"tx_{name}", "")).strip()
        for name in ("account", "since", "until", "direction", "min", "max", "counterparty", "page")
    }
    errors: list[str] = []
    by_reference = {reference(account_id): account_id for account_id in account_ids}
    account_id = by_reference.get(form["account"]) if form["account"] else None
    if form["account"] and account_id is None:
        errors.append("所选账户不属于该客户，已忽略。")
    since = _date(form["since"], "开始日期", errors)
    until = _date(form["until"], "结束日期", errors)
    if since and until and since > until:
        errors.append("开始日期不能晚于结束日期，已忽略日期条件。")
        since = until = None
    direction = form["direction"] if form["direction"] in DIRECTIONS else None
    min_amount = _amount(form["min"], "最小金额", errors)
    max_amount = _amount(form["max"], "最大金额", errors)
    counterparty = form["counterparty"][:MAX_COUNTERPARTY] or None
    page = int(form["page"]) if form["page"].isdigit() and int(form["page"]) > 0 else 1
    wanted = TransactionFilter(since, until, account_id, direction, min_amount, max_amount, counterparty)
    return TransactionQuery(wanted, page, form, errors)


def _date(text: str, name: str, errors: list[str]) -> str | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        errors.append(f"{name}格式应为 年-月-日，例如 2026-12-01，已忽略。")
        return None


def _amount(text: str, name: str, errors: list[str]) -> float | None:
    if not text:
        return None
    try:
        amount = float(text.replace(",", ""))
    except ValueError:
        amount = -1.0
    if not 0 <= amount < 1e15:
        errors.append(f"{name}应为不小于 0 的数字，已忽略。")
        return None
    return amount
