"""Repository functions behind the retail 360 page: search, overview, accounts, transactions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from graph_model.scope import IN_SCOPE, DataScope, customers_in_scope, require_in_scope
from graph_model.store import GraphStore

SEARCH_BY_CUSTOMER_ID = """
MATCH (c:Customer {customer_id: $term})
RETURN c.customer_id AS customer_id, 'customer_id' AS matched_by
"""

SEARCH_BY_ACCOUNT_ID = """
MATCH (c:Customer)-[:HOLDS]->(:Account {account_id: $term})
RETURN c.customer_id AS customer_id, 'account_id' AS matched_by
"""

SEARCH_BY_IDENTITY = """
MATCH (c:Customer)
WHERE c.id_number = $term OR c.mobile = $term OR c.credit_code = $term
RETURN c.customer_id AS customer_id, 'identity' AS matched_by
LIMIT $limit
"""

SEARCH_BY_NAME = """
MATCH (c:Customer)
WHERE c.name IS NOT NULL AND c.name CONTAINS $term
RETURN c.customer_id AS customer_id, 'name' AS matched_by
ORDER BY c.name
LIMIT $limit
"""

# A name matches in part, so out-of-scope matches are left out rather than refused.
SEARCH_BY_NAME_IN_SCOPE = (
    """
MATCH (c:Customer)
WHERE c.name IS NOT NULL AND c.name CONTAINS $term
"""
    + IN_SCOPE
    + """
RETURN c.customer_id AS customer_id, 'name' AS matched_by
ORDER BY c.name
LIMIT $limit
"""
)

CUSTOMER_SUMMARIES = """
MATCH (c:Customer)
WHERE c.customer_id IN $customer_ids
OPTIONAL MATCH (area:AdminDivision {code: c.division_code})
OPTIONAL MATCH (c)-[h:HOLDS]->(a:Account)
WITH c, area, collect({account_id: a.account_id, role: h.role}) AS accounts
RETURN c {.*} AS customer, area {.name, .prefecture, .province} AS division, accounts
"""

CUSTOMER_OVERVIEW = """
MATCH (c:Customer {customer_id: $customer_id})
OPTIONAL MATCH (area:AdminDivision {code: c.division_code})
OPTIONAL MATCH (c)-[:LIVES_IN]->(d:District)
OPTIONAL MATCH (c)-[:HOLDS]->(a:Account)
OPTIONAL MATCH (c)-[:HOLDS {role: 'owner'}]->(:Account)-[:HAS_LOAN]->(l:Loan)
OPTIONAL MATCH (c)-[:CARDHOLDER_OF]->(k:Card)
OPTIONAL MATCH (c)-[:OPENED_AT]->(opened_at:Branch)
RETURN c {.*, open_branch_name: opened_at.name} AS customer, d {.*} AS district,
       area {.name, .prefecture, .province} AS division,
       count(DISTINCT a) AS account_count, count(DISTINCT l) AS loan_count, count(DISTINCT k) AS card_count
"""

CUSTOMER_ACCOUNTS = """
MATCH (c:Customer {customer_id: $customer_id})-[h:HOLDS]->(a:Account)
OPTIONAL MATCH (a)<-[h2:HOLDS]-(other:Customer)
WHERE other <> c
WITH c, h, a, collect(DISTINCT {customer_id: other.customer_id, role: h2.role}) AS co_holders
OPTIONAL MATCH (a)-[:OPENED_IN]->(d:District)
OPTIONAL MATCH (branch:Branch {branch_code: a.branch_code})
OPTIONAL MATCH (a)-[:HAS_LOAN]->(l:Loan)
OPTIONAL MATCH (k:Card)-[:ISSUED_ON]->(a)
RETURN a {.*} AS account, h.role AS role, d.name AS branch_district, branch.name AS branch_name, co_holders,
       collect(DISTINCT l {.*}) AS loans, collect(DISTINCT k {.*}) AS cards
"""

NEWEST_TRANSACTION_DATE = """
MATCH (t:Transaction)
RETURN max(t.date) AS newest
"""

# Filters left as null match everything; the counterparty matches its account key or its name.
TRANSACTIONS_MATCHING = """
MATCH (c:Customer {customer_id: $customer_id})-[:HOLDS]->(a:Account)-[:POSTED]->(t:Transaction)
WHERE t.date >= $since AND t.date <= $until
  AND ($account_id IS NULL OR a.account_id = $account_id)
  AND ($direction IS NULL OR t.direction = $direction)
  AND ($min_amount IS NULL OR t.amount >= $min_amount)
  AND ($max_amount IS NULL OR t.amount <= $max_amount)
OPTIONAL MATCH (t)-[:WITH_COUNTERPARTY]->(p:CounterpartyAccount)
WITH t, a, p
WHERE $counterparty IS NULL OR p.account_key CONTAINS $counterparty
   OR t.counterparty_name CONTAINS $counterparty
"""

CUSTOMER_TRANSACTIONS = (
    TRANSACTIONS_MATCHING
    + """RETURN t {.*} AS transaction, a.account_id AS account_id, p.account_key AS counterparty
ORDER BY t.date DESC, t.posted_at DESC, t.sequence DESC
SKIP $skip LIMIT $limit
"""
)

COUNT_CUSTOMER_TRANSACTIONS = TRANSACTIONS_MATCHING + "RETURN count(t) AS transactions\n"

CUSTOMER_BALANCE_POINTS = """
MATCH (c:Customer {customer_id: $customer_id})-[:HOLDS]->(a:Account)-[:POSTED]->(t:Transaction)
RETURN a.account_id AS account_id, t.date AS date, t.posted_at AS posted_at, t.sequence AS sequence,
       t.balance AS balance
"""


@dataclass(frozen=True)
class SearchResults:
    customers: list[dict[str, Any]]
    #: Customers whose number, account, ID number or mobile matched exactly but lie out of scope.
    refused: list[str]


def search_customers(store: GraphStore, term: str, scope: DataScope, limit: int = 50) -> SearchResults:
    """Find customers in scope by customer number, account number, ID number, mobile, credit code or name.

    Exact numbers come first; names match in part.
    """
    term = term.strip()
    if not term:
        return SearchResults([], [])
    matches: dict[str, str] = {}
    params = {"term": term, "limit": limit}
    for cypher in (SEARCH_BY_CUSTOMER_ID, SEARCH_BY_ACCOUNT_ID, SEARCH_BY_IDENTITY):
        for row in store.read(cypher, params):
            matches.setdefault(row["customer_id"], row["matched_by"])
    allowed = customers_in_scope(store, scope, matches)
    refused = [customer_id for customer_id in matches if customer_id not in allowed]
    matches = {customer_id: how for customer_id, how in matches.items() if customer_id in allowed}
    by_name = SEARCH_BY_NAME if scope.whole_bank else SEARCH_BY_NAME_IN_SCOPE
    if not scope.sees_nobody:
        for row in store.read(by_name, params | scope.params):
            matches.setdefault(row["customer_id"], row["matched_by"])
    found = store.read(CUSTOMER_SUMMARIES, {"customer_ids": list(matches)[:limit]})
    results = []
    for row in found:
        accounts = [a for a in row["accounts"] if a.get("account_id") is not None]
        results.append(
            row["customer"]
            | {
                "accounts": accounts,
                "division": row["division"],
                "matched_by": matches[row["customer"]["customer_id"]],
            }
        )
    order = list(matches)
    return SearchResults(sorted(results, key=lambda result: order.index(result["customer_id"])), refused)


def customer_overview(store: GraphStore, customer_id: str, scope: DataScope) -> dict[str, Any] | None:
    """Return the customer's own properties, district and product counts, or None if unknown.

    Loans count only on accounts the customer owns: an authorised user is not the borrower.

    :raises OutOfScope: when the customer exists outside ``scope``; the other functions of this
        module read only customers whose overview was read first.
    """
    require_in_scope(store, scope, customer_id)
    rows = store.read(CUSTOMER_OVERVIEW, {"customer_id": customer_id})
    if not rows or rows[0]["customer"] is None:
        return None
    return rows[0]


def customer_accounts(store: GraphStore, customer_id: str, scope: DataScope) -> list[dict[str, Any]]:
    """Return the customer's accounts with role, co-holders, loans, cards and latest balance.

    A co-holder outside ``scope`` keeps only its role, with ``hidden`` set instead of its number.
    """
    rows = store.read(CUSTOMER_ACCOUNTS, {"customer_id": customer_id})
    rows.sort(key=lambda row: (len(row["account"]["account_id"]), row["account"]["account_id"]))
    points = _balance_points(store, customer_id)
    holders = {holder.get("customer_id") for row in rows for holder in row["co_holders"]} - {None}
    visible = customers_in_scope(store, scope, holders)
    for row in rows:
        row["co_holders"] = [
            holder if holder["customer_id"] in visible else {"role": holder["role"], "hidden": True}
            for holder in row["co_holders"]
            if holder.get("customer_id")
        ]
        account_points = points.get(row["account"]["account_id"], [])
        row["transaction_count"] = len(account_points)
        row["latest_date"] = account_points[-1][0] if account_points else None
        # The day-end balance of the account feed is the book balance; postings give it otherwise.
        if row["account"].get("balance") is not None:
            row["balance"] = row["account"]["balance"]
        else:
            row["balance"] = account_points[-1][1] if account_points else None
    return rows


def _balance_points(store: GraphStore, customer_id: str) -> dict[str, list[tuple[str, float]]]:
    """Return, per account, (date, balance after the posting) in posting order.

    Feeds give a posting time; extracts without one give a posting sequence within the day.
    """
    ordered: dict[str, list[tuple[tuple, str, float]]] = {}
    for row in store.read(CUSTOMER_BALANCE_POINTS, {"customer_id": customer_id}):
        position = (row["date"], row["posted_at"] or "", row["sequence"] or 0)
        ordered.setdefault(row["account_id"], []).append((position, row["date"], row["balance"]))
    return {
        account_id: [(day, balance) for _position, day, balance in sorted(points, key=lambda point: point[0])]
        for account_id, points in ordered.items()
    }


def newest_transaction_date(store: GraphStore) -> str | None:
    rows = store.read(NEWEST_TRANSACTION_DATE)
    return rows[0]["newest"] if rows else None


@dataclass(frozen=True)
class TransactionFilter:
    """Criteria for listing a customer's transactions; None leaves a field unfiltered.

    Without dates, the window is the last ``days`` days up to the newest transaction loaded.
    """

    since: str | None = None
    until: str | None = None
    account_id: str | None = None
    direction: str | None = None
    min_amount: float | None = None
    max_amount: float | None = None
    counterparty: str | None = None


def recent_transactions(
    store: GraphStore,
    customer_id: str,
    *,
    days: int = 30,
    wanted: TransactionFilter = TransactionFilter(),
    skip: int = 0,
    limit: int = 500,
) -> dict[str, Any]:
    """Return one page of the customer's transactions that match, newest first, and their total.

    Source extracts end on their own business date, so "the last 30 days" counts back from the
    newest transaction loaded, not from today.
    """
    newest = newest_transaction_date(store)
    if newest is None:
        return {"since": None, "until": None, "transactions": [], "total": 0}
    until = wanted.until or newest
    since = wanted.since or (date.fromisoformat(until) - timedelta(days=days - 1)).isoformat()
    params = {
        "customer_id": customer_id,
        "since": since,
        "until": until,
        "account_id": wanted.account_id,
        "direction": wanted.direction,
        "min_amount": wanted.min_amount,
        "max_amount": wanted.max_amount,
        "counterparty": wanted.counterparty,
    }
    total = store.read(COUNT_CUSTOMER_TRANSACTIONS, params)[0]["transactions"]
    rows = store.read(CUSTOMER_TRANSACTIONS, params | {"skip": skip, "limit": limit}) if total else []
    transactions = [
        row["transaction"] | {"account_id": row["account_id"], "counterparty": row["counterparty"]}
        for row in rows
    ]
    return {"since": since, "until": until, "transactions": transactions, "total": total}


def month_end_balances(store: GraphStore, customer_id: str) -> dict[str, list[tuple[str, float]]]:
    """Return, per account, the balance after the last transaction of each month, oldest first."""
    series: dict[str, list[tuple[str, float]]] = {}
    for account_id, account_points in sorted(_balance_points(store, customer_id).items()):
        by_month = {point_date[:7]: balance for point_date, balance in account_points}
        series[account_id] = sorted(by_month.items())
    return series
