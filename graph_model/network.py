"""Repository functions for a customer's knowledge graph: accounts, co-holders and mined links.

Customers outside the user's scope come back anonymous: ``{"customer_type": ..., "hidden": True}``
instead of their properties, so the graph can show that a link exists without saying to whom.
"""

from __future__ import annotations

from typing import Any

from graph_model.scope import DataScope, customers_in_scope
from graph_model.store import GraphStore

HELD_ACCOUNTS_WITH_CO_HOLDERS = """
MATCH (c:Customer {customer_id: $customer_id})-[h:HOLDS]->(a:Account)
OPTIONAL MATCH (a)<-[h2:HOLDS]-(other:Customer)
WHERE other <> c
RETURN a.account_id AS account_id, h.role AS role,
       collect(DISTINCT {
         customer: other {.customer_id, .customer_type, .name, .gender, .birth_date}, role: h2.role
       }) AS co_holders
ORDER BY account_id
LIMIT $limit
"""

# Links a user rejected are not drawn.
OUTGOING_LINKS = """
MATCH (c:Customer {customer_id: $customer_id})-[r:RELATED_TO]->(n)
WHERE r.review_status IS NULL OR r.review_status <> 'rejected'
RETURN r {.*} AS link, labels(n) AS labels, n {.*} AS node
ORDER BY r.confidence DESC
LIMIT $limit
"""

INCOMING_LINKS = """
MATCH (c:Customer {customer_id: $customer_id})<-[r:RELATED_TO]-(n)
WHERE r.review_status IS NULL OR r.review_status <> 'rejected'
RETURN r {.*} AS link, labels(n) AS labels, n {.*} AS node
ORDER BY r.confidence DESC
LIMIT $limit
"""


def held_accounts(store: GraphStore, customer_id: str, scope: DataScope, limit: int) -> list[dict[str, Any]]:
    """Return the customer's accounts, each with the other customers who hold it."""
    rows = store.read(HELD_ACCOUNTS_WITH_CO_HOLDERS, {"customer_id": customer_id, "limit": limit})
    for row in rows:
        row["co_holders"] = [entry for entry in row["co_holders"] if entry["customer"]]
    _hide_out_of_scope(store, scope, [entry for row in rows for entry in row["co_holders"]], "customer")
    return rows


def related_links(store: GraphStore, customer_id: str, scope: DataScope, limit: int) -> list[dict[str, Any]]:
    """Return the customer's RELATED_TO links in both directions, strongest first.

    Each row has ``direction`` ('out' or 'in'), the link's properties, and the other node's
    labels and properties.
    """
    params = {"customer_id": customer_id, "limit": limit}
    outgoing = [row | {"direction": "out"} for row in store.read(OUTGOING_LINKS, params)]
    incoming = [row | {"direction": "in"} for row in store.read(INCOMING_LINKS, params)]
    links = outgoing + incoming
    links.sort(key=lambda row: -(row["link"].get("confidence") or 0))
    links = links[:limit]
    _hide_out_of_scope(store, scope, [row for row in links if "Customer" in row["labels"]], "node")
    return links


def _hide_out_of_scope(
    store: GraphStore, scope: DataScope, entries: list[dict[str, Any]], field: str
) -> None:
    """Replace ``entry[field]``, a customer's properties, by an anonymous stand-in when out of scope."""
    visible = customers_in_scope(store, scope, [entry[field]["customer_id"] for entry in entries])
    for entry in entries:
        if entry[field]["customer_id"] not in visible:
            entry[field] = {"customer_type": entry[field].get("customer_type"), "hidden": True}
