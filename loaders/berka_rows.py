"""Parse the rows of the PKDD'99 Czech bank files ("Berka") into graph properties.

Each parser takes one CSV row as a dict and returns the properties to store, or raises
RowRejected. Czech codes become the product's own codes here; screens translate those.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from loaders.rejects import RowRejected

STATEMENT_FREQUENCIES = {
    "POPLATEK MESICNE": "monthly",
    "POPLATEK TYDNE": "weekly",
    "POPLATEK PO OBRATU": "after_transaction",
}
DIRECTIONS = {"PRIJEM": "credit", "VYDAJ": "debit", "VYBER": "debit"}
OPERATIONS = {
    "VYBER KARTOU": "card_withdrawal",
    "VKLAD": "cash_deposit",
    "PREVOD Z UCTU": "transfer_in",
    "VYBER": "cash_withdrawal",
    "PREVOD NA UCET": "transfer_out",
}
PURPOSES = {
    "POJISTNE": "insurance",
    "SLUZBY": "statement_fee",
    "UROK": "interest",
    "SANKC. UROK": "penalty_interest",
    "SIPO": "household_bills",
    "DUCHOD": "pension",
    "UVER": "loan_payment",
    "LEASING": "leasing",
}
DISPOSITION_ROLES = {"OWNER": "owner", "DISPONENT": "authorised"}
CARD_TYPES = {"junior": "junior", "classic": "classic", "gold": "gold"}
LOAN_STATUSES = {
    "A": "finished_paid",
    "B": "finished_unpaid",
    "C": "running_ok",
    "D": "running_in_debt",
}


def parse_district(row: dict[str, str]) -> dict:
    return {
        "district_id": _identifier(row, "A1"),
        "name": _required(row, "A2"),
        "region": _required(row, "A3"),
        "inhabitants": _whole_number(row, "A4"),
        "average_salary": _whole_number(row, "A11"),
    }


def parse_client(row: dict[str, str]) -> dict:
    birth_number = _required(row, "birth_number")
    gender, birth_date = birth_details(birth_number)
    return {
        "customer_id": _identifier(row, "client_id"),
        "customer_type": "retail",
        "gender": gender,
        "birth_date": birth_date.isoformat(),
        "district_id": _identifier(row, "district_id"),
    }


def birth_details(birth_number: str) -> tuple[str, date]:
    """Return gender ("F" or "M") and birth date from a Berka ``YYMMDD`` birth number.

    Women's numbers carry the month plus 50; every year is in the 1900s.
    """
    if len(birth_number) != 6 or not birth_number.isdigit():
        raise RowRejected(f"birth_number {birth_number!r} is not six digits YYMMDD")
    year, month, day = int(birth_number[:2]), int(birth_number[2:4]), int(birth_number[4:])
    gender = "M"
    if month > 50:
        gender, month = "F", month - 50
    try:
        return gender, date(1900 + year, month, day)
    except ValueError:
        raise RowRejected(f"birth_number {birth_number!r} is not a valid date") from None


def parse_account(row: dict[str, str]) -> dict:
    return {
        "account_id": _identifier(row, "account_id"),
        "district_id": _identifier(row, "district_id"),
        "statement_frequency": _coded(row, "frequency", STATEMENT_FREQUENCIES),
        "opened_date": _yymmdd(row, "date"),
        "account_type": "current",
        "currency": "CZK",
    }


def parse_disposition(row: dict[str, str]) -> dict:
    return {
        "disposition_id": _identifier(row, "disp_id"),
        "customer_id": _identifier(row, "client_id"),
        "account_id": _identifier(row, "account_id"),
        "role": _coded(row, "type", DISPOSITION_ROLES),
    }


def parse_order(row: dict[str, str]) -> dict:
    return {
        "order_id": _identifier(row, "order_id"),
        "account_id": _identifier(row, "account_id"),
        "counterparty_key": _counterparty_key(row, "bank_to", "account_to", required=True),
        "bank_code": row["bank_to"].strip(),
        "account_number": row["account_to"].strip(),
        "amount": _amount(row, "amount"),
        "purpose": _coded(row, "k_symbol", PURPOSES, optional=True),
    }


def parse_transaction(row: dict[str, str]) -> dict:
    return {
        "transaction_id": _identifier(row, "trans_id"),
        "account_id": _identifier(row, "account_id"),
        "date": _yymmdd(row, "date"),
        "direction": _coded(row, "type", DIRECTIONS),
        "operation": _coded(row, "operation", OPERATIONS, optional=True),
        "amount": _amount(row, "amount"),
        "balance": _amount(row, "balance", signed=True),
        "purpose": _coded(row, "k_symbol", PURPOSES, optional=True),
        "counterparty_key": _counterparty_key(row, "bank", "account", required=False),
        "bank_code": row.get("bank", "").strip(),
        "account_number": row.get("account", "").strip(),
    }


def parse_loan(row: dict[str, str]) -> dict:
    return {
        "loan_id": _identifier(row, "loan_id"),
        "account_id": _identifier(row, "account_id"),
        "granted_date": _yymmdd(row, "date"),
        "amount": _amount(row, "amount"),
        "duration_months": _whole_number(row, "duration"),
        "monthly_payment": _amount(row, "payments"),
        "status": _coded(row, "status", LOAN_STATUSES),
    }


def parse_card(row: dict[str, str]) -> dict:
    issued = _required(row, "issued").split(" ", 1)[0]
    return {
        "card_id": _identifier(row, "card_id"),
        "disposition_id": _identifier(row, "disp_id"),
        "card_type": _coded(row, "type", CARD_TYPES),
        "issued_date": _yymmdd({"issued": issued}, "issued"),
    }


def _required(row: dict[str, str], column: str) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise RowRejected(f"{column} is missing")
    return value


def _identifier(row: dict[str, str], column: str) -> str:
    value = _required(row, column)
    if not value.isdigit():
        raise RowRejected(f"{column} {value!r} is not a numeric identifier")
    return value


def _whole_number(row: dict[str, str], column: str) -> int | None:
    value = (row.get(column) or "").strip()
    if value in ("", "?"):
        return None
    try:
        return int(value)
    except ValueError:
        raise RowRejected(f"{column} {value!r} is not a whole number") from None


def _amount(row: dict[str, str], column: str, *, signed: bool = False) -> float:
    """Parse an amount exactly, then store it rounded to cents as a float."""
    value = _required(row, column)
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise RowRejected(f"{column} {value!r} is not a number") from None
    if not amount.is_finite() or (amount < 0 and not signed):
        raise RowRejected(f"{column} {value!r} is not a valid amount")
    return float(amount.quantize(Decimal("0.01")))


def _yymmdd(row: dict[str, str], column: str) -> str:
    value = _required(row, column)
    if len(value) != 6 or not value.isdigit():
        raise RowRejected(f"{column} {value!r} is not a YYMMDD date")
    try:
        return date(1900 + int(value[:2]), int(value[2:4]), int(value[4:])).isoformat()
    except ValueError:
        raise RowRejected(f"{column} {value!r} is not a valid date") from None


def _coded(row: dict[str, str], column: str, codes: dict[str, str], *, optional: bool = False) -> str:
    value = (row.get(column) or "").strip()
    if not value and optional:
        return ""
    if value not in codes:
        raise RowRejected(f"{column} {value!r} is not one of {', '.join(sorted(codes))}")
    return codes[value]


def _counterparty_key(
    row: dict[str, str], bank_column: str, account_column: str, *, required: bool
) -> str | None:
    bank = (row.get(bank_column) or "").strip()
    account = (row.get(account_column) or "").strip()
    if not bank and account == "0" and not required:
        # Cash operations carry account 0 with no bank: there is no counterparty.
        account = ""
    if bank and account:
        return f"{bank}/{account}"
    if required or bank or account:
        raise RowRejected(
            f"{bank_column} and {account_column} must both be given, got {bank!r} and {account!r}"
        )
    return None
