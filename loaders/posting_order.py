"""Recover the order in which an account's transactions were posted.

Extracts give a date but no time, and their transaction ids are not in posting order. The
balance after each transaction fixes the order within a day: the next transaction is the one
whose balance before it (balance minus its signed amount) is the current balance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal


def assign_posting_sequence(transactions: Iterable[dict]) -> None:
    """Set ``sequence`` on each transaction dict: its position in its account's history, from 1.

    Each dict needs ``account_id``, ``date``, ``direction``, ``amount``, ``balance`` and
    ``transaction_id``. Where the balances do not chain (a gap in the extract), the rest of
    that day follows in transaction id order.
    """
    by_account_day: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for transaction in transactions:
        by_account_day[transaction["account_id"]][transaction["date"]].append(transaction)

    for days in by_account_day.values():
        sequence = 0
        closing: Decimal | None = None
        for day in sorted(days):
            for transaction in _chained(days[day], closing):
                sequence += 1
                transaction["sequence"] = sequence
                closing = _cents(transaction["balance"])


def _chained(day: list[dict], opening: Decimal | None) -> list[dict]:
    remaining = sorted(day, key=lambda t: (len(t["transaction_id"]), t["transaction_id"]))
    ordered: list[dict] = []
    current = opening if opening is not None else _day_opening(remaining)
    while remaining:
        following = next((t for t in remaining if _balance_before(t) == current), None)
        if following is None:
            following = remaining[0]
        remaining.remove(following)
        ordered.append(following)
        current = _cents(following["balance"])
    return ordered


def _day_opening(day: list[dict]) -> Decimal | None:
    """Guess the balance before the day's first transaction: one no other transaction ends on."""
    closing_balances = {_cents(t["balance"]) for t in day}
    for transaction in day:
        before = _balance_before(transaction)
        if before not in closing_balances:
            return before
    return None


def _balance_before(transaction: dict) -> Decimal:
    amount = _cents(transaction["amount"])
    signed = -amount if transaction["direction"] == "debit" else amount
    return _cents(transaction["balance"]) - signed


def _cents(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
