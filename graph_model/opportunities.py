"""Sales opportunities and campaigns that managers create from a product recommendation.

A ``SalesOpportunity`` (key ``opportunity_id``) is a sale one manager pursues in person with one
customer. A ``Campaign`` (key ``campaign_id``) is a marketing campaign whose offer is the product
and whose target list starts with the customer. Both link ``(offer)-[:TARGETS]->(Customer)`` and
``(offer)-[:OFFERS]->(Product)`` and start with status ``open``. A customer has at most one open
offer of each kind per product: the create query checks and creates in one statement.
NOTE: FalkorDB runs write queries one at a time, so that check holds there; on Neo4j two
concurrent requests could still both create one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph_model.store import GraphStore


@dataclass(frozen=True)
class OfferKind:
    label: str
    key: str


#: The kinds of offer a manager creates; labels and keys are placed in Cypher text from here only.
OFFER_KINDS = {
    "opportunity": OfferKind("SalesOpportunity", "opportunity_id"),
    "campaign": OfferKind("Campaign", "campaign_id"),
}


def _create_query(kind: OfferKind) -> str:
    return (
        "MATCH (c:Customer {customer_id: $customer_id}), (p:Product {product_code: $product_code})\n"
        f"OPTIONAL MATCH (c)<-[:TARGETS]-(open:{kind.label} {{status: 'open'}})-[:OFFERS]->(p)\n"
        "WITH c, p, count(open) AS already_open\n"
        "WHERE already_open = 0\n"
        f"CREATE (o:{kind.label})\n"
        "SET o = $offer\n"
        "CREATE (o)-[:TARGETS]->(c)\n"
        "CREATE (o)-[:OFFERS]->(p)\n"
        f"RETURN o.{kind.key} AS offer_id"
    )


CREATE_OFFER = {name: _create_query(kind) for name, kind in OFFER_KINDS.items()}

OPEN_OFFERS = """
MATCH (:Customer {customer_id: $customer_id})<-[:TARGETS]-(o)-[:OFFERS]->(p:Product)
WHERE (o:SalesOpportunity OR o:Campaign) AND o.status = 'open'
RETURN CASE WHEN o:SalesOpportunity THEN 'opportunity' ELSE 'campaign' END AS kind,
       o {.*} AS offer, p.product_code AS product_code, p.name AS product_name
ORDER BY o.created_at DESC
"""


def create_offer(
    store: GraphStore, kind: str, customer_id: str, product_code: str, fields: Mapping[str, Any]
) -> str | None:
    """Create an open offer of ``kind`` for the customer and product; returns its id.

    ``fields`` must contain the kind's key (``opportunity_id`` or ``campaign_id``). Returns None,
    creating nothing, when the customer already has an open offer of that kind for the product,
    or when the customer or the product is not in the graph.

    :raises KeyError: for a kind not in ``OFFER_KINDS``.
    """
    offer = {name: value for name, value in fields.items() if value is not None} | {"status": "open"}
    params = {"customer_id": customer_id, "product_code": product_code, "offer": offer}
    rows = store.write(CREATE_OFFER[kind], params)
    return rows[0]["offer_id"] if rows else None


def open_offers(store: GraphStore, customer_id: str) -> list[dict[str, Any]]:
    """Return the customer's open opportunities and campaigns, newest first.

    Each row contains ``kind`` (a key of ``OFFER_KINDS``), the offer's properties, and the
    product's code and name.
    """
    return store.read(OPEN_OFFERS, {"customer_id": customer_id})
