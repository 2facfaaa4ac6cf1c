"""Posting order recovered from running balances."""

from __future__ import annotations

from loaders.posting_order import assign_posting_sequence


def _transaction(transaction_id, day, direction, amount, balance, account_id="2"):
    return {
        "transaction_id": transaction_id,
        "account_id": account_id,
        "date": day,
        "direction": direction,
        "amount": amount,
        "balance": balance,
    }


def test_same_day_order_follows_balances():
    # Account 2 on 1994-03-31: interest 129.20 came before the 14.60 fee, which has the lower id.
    rows = [
        _transaction("100", "1994-03-30", "credit", 1000.00, 30926.90),
        _transaction("640", "1994-03-31", "debit", 14.60, 31041.50),
        _transaction("3530495", "1994-03-31", "credit", 129.20, 31056.10),
    ]

    assign_posting_sequence(rows)

    assert [row["sequence"] for row in rows] == [1, 3, 2]


def test_first_day_opening_is_inferred():
    rows = [
        _transaction("9", "1993-01-01", "debit", 50.00, 650.00),
        _transaction("8", "1993-01-01", "credit", 700.00, 700.00),
    ]

    assign_posting_sequence(rows)

    assert [row["sequence"] for row in rows] == [2, 1]


def test_broken_chain_falls_back_to_id_order():
    rows = [
        _transaction("20", "1993-01-02", "credit", 5.00, 999.00),
        _transaction("10", "1993-01-02", "credit", 5.00, 111.00),
    ]

    assign_posting_sequence(rows)

    assert sorted(row["sequence"] for row in rows) == [1, 2]
    assert rows[1]["sequence"] == 1


def test_accounts_are_numbered_separately():
    rows = [
        _transaction("1", "1993-01-01", "credit", 10.00, 10.00, account_id="a"),
        _transaction("2", "1993-01-01", "credit", 10.00, 10.00, account_id="b"),
        _transaction("3", "1993-01-02", "credit", 10.00, 20.00, account_id="a"),
    ]

    assign_posting_sequence(rows)

    assert [row["sequence"] for row in rows] == [1, 1, 2]
