"""Repository functions behind the charts of the retail 360 page: deposits, holdings, credit, flows, events.

Deposits count only the accounts a customer owns (``HOLDS {role: 'owner'}``): an authorised
user of someone else's account does not own its money. Records hanging off the customer count
while their link has no ``valid_to``, as in ``graph_model.customer_records``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from graph_model.customers import newest_transaction_date
from graph_model.store import GraphStore

OWNED_ACCOUNTS = """
MATCH (:Customer {customer_id: $customer_id})-[:HOLDS {role: 'owner'}]->(a:Account)
RETURN a.account_id AS account_id, a.balance AS book_balance
ORDER BY account_id
"""

OWNED_ACCOUNT_POSTINGS = """
MATCH (:Customer {customer_id: $customer_id})-[:HOLDS {role: 'owner'}]->(a:Account)-[:POSTED]->(t:Transaction)
WHERE t.balance IS NOT NULL
RETURN a.account_id AS account_id, t.date AS date, t.balance AS balance
ORDER BY t.date, t.posted_at, t.sequence
"""

CURRENT_HOLDINGS = """
MATCH (:Customer {customer_id: $customer_id})-[r:HAS_HOLDING]->(h:Holding)
WHERE r.valid_to IS NULL
OPTIONAL MATCH (h)-[:OF_PRODUCT]->(p:Product)
RETURN h.balance AS balance, h.start_date AS start_date, p.category_l1 AS category
"""

CURRENT_LIABILITIES = """
MATCH (c:Customer {customer_id: $customer_id})
OPTIONAL MATCH (c)-[line_link:HAS_CREDIT_LINE]->(line:CreditLine)
WHERE line_link.valid_to IS NULL
WITH c, sum(line.used_amount) AS credit_used, count(line) AS credit_lines
OPTIONAL MATCH (c)-[card_link:HAS_CARD]->(card:CreditCard)
WHERE card_link.valid_to IS NULL
RETURN credit_used, credit_lines, sum(card.spend_30d) AS card_spending, count(card) AS credit_cards
"""

# One row per posting: the counterparty account, if any, and the customers owning it when it is
# one of the bank's own accounts.
OWNED_ACCOUNT_FLOWS = """
MATCH (:Customer {customer_id: $customer_id})-[:HOLDS {role: 'owner'}]->(:Account)-[:POSTED]->(t:Transaction)
WHERE t.date >= $since
OPTIONAL MATCH (t)-[:WITH_COUNTERPARTY]->(p:CounterpartyAccount)
OPTIONAL MATCH (p)-[:SAME_AS]->(:Account)<-[:HOLDS {role: 'owner'}]-(holder:Customer)
WITH t, p, collect(DISTINCT {customer_id: holder.customer_id, customer_type: holder.customer_type}) AS holders
RETURN t.direction AS direction, t.amount AS amount, p IS NOT NULL AS has_counterparty, holders
"""

CHANNEL_EVENT_COUNTS = """
MATCH (:Customer {customer_id: $customer_id})-[r:ACTED_ON]->(e:ChannelEvent)
WHERE r.valid_to IS NULL
RETURN e.channel AS channel, e.event_type AS event_type, count(e) AS events,
       collect(DISTINCT e.product_code) AS product_codes
ORDER BY channel, event_type
"""


def owned_accounts(store: GraphStore, customer_id: str) -> list[dict[str, Any]]:
    """Return the customer's own accounts with their day-end book balance and postings.

    Each row contains ``account_id``, ``book_balance`` (None when the feed gave none) and
    ``postings``: (date, balance after the posting) in posting order, leaving out postings
    without a balance.
    """
    params = {"customer_id": customer_id}
    postings: dict[str, list[tuple[str, float]]] = {}
    for row in store.read(OWNED_ACCOUNT_POSTINGS, params):
        postings.setdefault(row["account_id"], []).append((row["date"], row["balance"]))
    return [
        row | {"postings": postings.get(row["account_id"], [])} for row in store.read(OWNED_ACCOUNTS, params)
    ]


def current_holdings(store: GraphStore, customer_id: str) -> list[dict[str, Any]]:
    """Return the customer's current product holdings: balance, start date and product category_l1."""
    return store.read(CURRENT_HOLDINGS, {"customer_id": customer_id})


def current_liabilities(store: GraphStore, customer_id: str) -> dict[str, Any]:
    """Return the credit used on the customer's credit lines and the last 30 days' card spending.

    Sums are 0 and counts 0 when the customer has no credit line or no credit card.
    """
    rows = store.read(CURRENT_LIABILITIES, {"customer_id": customer_id})
    if not rows:
        return {"credit_used": 0, "credit_lines": 0, "card_spending": 0, "credit_cards": 0}
    return rows[0]


def recent_flows(store: GraphStore, customer_id: str, *, days: int) -> dict[str, Any]:
    """Return the postings on the customer's own accounts of the ``days`` days up to the newest loaded date.

    As for the transaction list, the window ends on the newest transaction in the data, not today.
    Each posting comes with ``has_counterparty`` and ``holders``: the customers (id and type)
    owning the counterparty account when it is one of the bank's own accounts.
    """
    newest = newest_transaction_date(store)
    if newest is None:
        return {"since": None, "until": None, "postings": []}
    since = (date.fromisoformat(newest) - timedelta(days=days - 1)).isoformat()
    rows = store.read(OWNED_ACCOUNT_FLOWS, {"customer_id": customer_id, "since": since})
    for row in rows:
        row["holders"] = [holder for holder in row["holders"] if holder.get("customer_id") is not None]
    return {"since": since, "until": newest, "postings": rows}


def channel_event_counts(store: GraphStore, customer_id: str) -> list[dict[str, Any]]:
    """Return, per channel and event type, the customer's event count and the product codes involved."""
    return store.read(CHANNEL_EVENT_COUNTS, {"customer_id": customer_id})
