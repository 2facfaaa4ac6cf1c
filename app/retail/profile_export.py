"""A retail customer's profile as rows for a CSV export, with personal information masked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app import labels
from app.access import mask
from c360.masking import ACCOUNT, ADDRESS, ID_NUMBER, MOBILE

CENT = Decimal("0.01")


def profile_rows(
    overview: dict[str, Any], accounts: list[dict[str, Any]], recent: dict[str, Any]
) -> list[list[object]]:
    """Return the overview, accounts and recent transactions as one sheet of labelled sections."""
    customer = overview["customer"]
    rows: list[list[object]] = [
        ["客户概况"],
        ["客户号", customer["customer_id"]],
        ["名称", customer.get("name")],
        ["客户类型", labels.label(labels.CUSTOMER_TYPES, customer.get("customer_type"))],
    ]
    personal = [
        ("证件号码", mask(customer.get("id_number"), ID_NUMBER)),
        ("统一社会信用代码", customer.get("credit_code")),
        ("手机号码", mask(customer.get("mobile"), MOBILE)),
        ("地址", mask(customer.get("address"), ADDRESS)),
        ("出生日期", customer.get("birth_date")),
    ]
    rows += [[name, value] for name, value in personal if value]
    rows += [
        ["账户数", overview["account_count"]],
        ["贷款笔数", overview["loan_count"]],
        [],
        ["账户信息"],
        ["账号", "账户类型", "币种", "持有身份", "开户日期", "最新余额", "余额日期"],
    ]
    for row in accounts:
        account = row["account"]
        rows.append(
            [
                mask(account["account_id"], ACCOUNT),
                labels.label(labels.ACCOUNT_TYPES, account.get("account_type")),
                account.get("currency"),
                labels.label(labels.HOLDER_ROLES, row["role"]),
                account.get("opened_date"),
                _amount(row["balance"]),
                row["latest_date"],
            ]
        )
    rows += [
        [],
        [f"交易明细（{recent['since'] or '—'} 至 {recent['until'] or '—'}）"],
        ["日期", "账号", "收支", "金额", "交易后余额", "对手账户"],
    ]
    for transaction in recent["transactions"]:
        rows.append(
            [
                transaction.get("date"),
                mask(transaction.get("account_id"), ACCOUNT),
                labels.label(labels.DIRECTIONS, transaction.get("direction")),
                _amount(transaction.get("amount"), negative=transaction.get("direction") == "debit"),
                _amount(transaction.get("balance")),
                mask(transaction.get("counterparty"), ACCOUNT),
            ]
        )
    return rows


def _amount(value: float | None, *, negative: bool = False) -> Decimal | None:
    """Return an amount to the cent, as the page shows it; a debit is negative."""
    if value is None:
        return None
    return Decimal(str(-value if negative else value)).quantize(CENT)
