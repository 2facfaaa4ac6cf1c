"""Reads that feed the relationship miners, and the writes of the links they infer.

Mined links are ``RELATED_TO`` relationships carrying ``link_type``, ``origin = 'mined'``, the
miner's name and version, a confidence and the evidence. One relationship exists per
(source, target, link_type), so rerunning a miner updates links instead of adding copies.
``remove_stale_links`` deletes the links that a run no longer infers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, LiteralString

from graph_model.store import GraphStore, batched, write_in_batches

# Reading every id once and paging in Python keeps a run linear: a page query with ORDER BY and
# LIMIT sorts all remaining rows each time, in FalkorDB 4.22 at least.
ACCOUNT_IDS = """
MATCH (a:Account)
RETURN a.account_id AS id
"""

ACCOUNT_HOLDERS = """
MATCH (c:Customer)-[:HOLDS]->(a:Account)
WHERE a.account_id IN $account_ids
RETURN a.account_id AS account_id, a.opened_date AS opened_date, collect(DISTINCT c.customer_id) AS holders
"""

# Counterparties that are the bank's own accounts are left to OWNER_PAYMENTS_TO_CUSTOMERS.
OWNER_PAYMENTS_TO_COUNTERPARTIES = """
MATCH (c:Customer)-[h:HOLDS]->(a:Account)-[:POSTED]->(t:Transaction)
      -[:WITH_COUNTERPARTY]->(p:CounterpartyAccount)
WHERE a.account_id IN $account_ids AND h.role = 'owner' AND t.direction = 'debit'
OPTIONAL MATCH (p)-[internal:SAME_AS]->(:Account)
WITH c, p, t, internal
WHERE internal IS NULL
RETURN c.customer_id AS payer, p.account_key AS payee, t.date AS date, t.amount AS amount
"""

OWNER_STANDING_ORDERS = """
MATCH (c:Customer)-[h:HOLDS]->(a:Account)-[:HAS_ORDER]->(o:StandingOrder)-[:PAYS_TO]->(p:CounterpartyAccount)
WHERE a.account_id IN $account_ids AND h.role = 'owner'
OPTIONAL MATCH (p)-[internal:SAME_AS]->(:Account)
WITH c, p, o, internal
WHERE internal IS NULL
RETURN c.customer_id AS payer, p.account_key AS payee, o.amount AS amount
"""

# A counterparty account that is one of the bank's own accounts is marked SAME_AS that account;
# payments to it are payments between two customers.
OWNER_PAYMENTS_TO_CUSTOMERS = """
MATCH (c:Customer)-[h:HOLDS]->(a:Account)-[:POSTED]->(t:Transaction)
      -[:WITH_COUNTERPARTY]->(:CounterpartyAccount)-[:SAME_AS]->(:Account)<-[h2:HOLDS]-(payee:Customer)
WHERE a.account_id IN $account_ids AND h.role = 'owner' AND h2.role = 'owner' AND t.direction = 'debit'
RETURN c.customer_id AS payer, payee.customer_id AS payee, t.date AS date, t.amount AS amount
"""

COMPANIES_WITH_HOLDERS = """
MATCH (:Customer)-[s:OWNS_SHARES]->(c:Customer)
WHERE s.valid_to IS NULL
RETURN DISTINCT c.customer_id AS id
"""

HOLDERS_OF_COMPANIES = """
MATCH (h:Customer)-[s:OWNS_SHARES]->(c:Customer)
WHERE s.valid_to IS NULL AND c.customer_id IN $company_ids
RETURN h.customer_id AS holder, h.customer_type AS holder_type, c.customer_id AS company,
       s.ratio_percent AS percent
"""

OPEN_GUARANTEE_IDS = """
MATCH (g:Guarantee)
WHERE g.closed_on IS NULL
RETURN g.guarantee_id AS id
"""

GUARANTEES_BETWEEN_CUSTOMERS = """
MATCH (g:Guarantee)
WHERE g.guarantee_id IN $ids
MATCH (guarantor:Customer)-[given:GUARANTEES]->(g)<-[:HAS_GUARANTEE]-(borrower:Customer)
WHERE given.valid_to IS NULL
RETURN g.guarantee_id AS guarantee_id, guarantor.customer_id AS guarantor,
       borrower.customer_id AS borrower, g.amount AS amount
"""

OPEN_CUSTOMER_IDS_OF_TYPE = """
MATCH (c:Customer)
WHERE c.customer_type = $customer_type AND c.closed_on IS NULL
RETURN c.customer_id AS id
"""

CUSTOMERS_BY_ID = """
MATCH (c:Customer)
WHERE c.customer_id IN $ids
RETURN c.customer_id AS customer_id, c.name AS name, c.address AS address, c.mobile AS mobile,
       c.division_code AS division_code
"""

DECLARED_FAMILY = """
MATCH (a:Customer)-[d:DECLARED_FAMILY]->(b:Customer)
WHERE d.valid_to IS NULL
RETURN a.customer_id AS customer_id, b.customer_id AS member_id, d.relation AS relation
"""

#: The key property of each label a mined link may end at.
LINK_TARGET_KEYS = {
    "Customer": "customer_id",
    "CounterpartyAccount": "account_key",
    "Community": "community_id",
}


def _upsert_links_to(label: str) -> str:
    """Return the Cypher that merges mined links from customers to ``label`` nodes."""
    return (
        "UNWIND $rows AS row "
        "MATCH (a:Customer {customer_id: row.source}) "
        f"MATCH (b:{label} {{{LINK_TARGET_KEYS[label]}: row.target}}) "
        "MERGE (a)-[r:RELATED_TO {link_type: row.link_type}]->(b) "
        "SET r += row.props"
    )


#: The Cypher that writes mined links, by the label of their target; labels come from code.
UPSERT_LINKS_TO = {label: _upsert_links_to(label) for label in LINK_TARGET_KEYS}

UPSERT_COMMUNITIES = """
UNWIND $rows AS row
MERGE (c:Community {community_id: row.community_id})
SET c += row.props
"""

REMOVE_STALE_COMMUNITIES = """
MATCH (c:Community)
WHERE c.miner = $miner AND c.run_id <> $run_id
WITH c LIMIT $limit
DETACH DELETE c
RETURN count(*) AS removed
"""

# Every mined link starts at a customer; the labelled start spares FalkorDB a scan of all nodes.
# A link a user confirmed or rejected stays: a rejected one is then never proposed again.
REMOVE_STALE_LINKS = """
MATCH (:Customer)-[r:RELATED_TO]->()
WHERE r.origin = 'mined' AND r.miner = $miner AND r.run_id <> $run_id AND r.review_status IS NULL
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS removed
"""

COUNT_LINKS_BY_TYPE = """
MATCH (:Customer)-[r:RELATED_TO]->()
WHERE r.origin = 'mined'
RETURN r.link_type AS link_type, count(*) AS count
"""


def account_id_pages(store: GraphStore, page_size: int) -> Iterator[list[str]]:
    """Yield all account ids in key order, ``page_size`` at a time."""
    return _id_pages(store, ACCOUNT_IDS, {}, page_size)


def account_holders(store: GraphStore, account_ids: list[str]) -> list[dict[str, Any]]:
    return store.read(ACCOUNT_HOLDERS, {"account_ids": account_ids})


def payments_to_counterparties(store: GraphStore, account_ids: list[str]) -> list[dict[str, Any]]:
    return store.read(OWNER_PAYMENTS_TO_COUNTERPARTIES, {"account_ids": account_ids})


def standing_orders(store: GraphStore, account_ids: list[str]) -> list[dict[str, Any]]:
    return store.read(OWNER_STANDING_ORDERS, {"account_ids": account_ids})


def payments_to_customers(store: GraphStore, account_ids: list[str]) -> list[dict[str, Any]]:
    return store.read(OWNER_PAYMENTS_TO_CUSTOMERS, {"account_ids": account_ids})


def shareholdings(store: GraphStore, page_size: int) -> Iterator[list[dict[str, Any]]]:
    """Yield the current shareholdings between customers, a page of companies at a time."""
    for page in _id_pages(store, COMPANIES_WITH_HOLDERS, {}, page_size):
        yield store.read(HOLDERS_OF_COMPANIES, {"company_ids": page})


def guarantees_between_customers(store: GraphStore, page_size: int) -> Iterator[list[dict[str, Any]]]:
    """Yield the open guarantees whose guarantor is a customer, a page at a time."""
    for page in _id_pages(store, OPEN_GUARANTEE_IDS, {}, page_size):
        yield store.read(GUARANTEES_BETWEEN_CUSTOMERS, {"ids": page})


def customers_of_type(
    store: GraphStore, customer_type: str, page_size: int
) -> Iterator[list[dict[str, Any]]]:
    """Yield the open customers of one type with name, address, mobile and division, a page at a time."""
    for page in _id_pages(store, OPEN_CUSTOMER_IDS_OF_TYPE, {"customer_type": customer_type}, page_size):
        yield store.read(CUSTOMERS_BY_ID, {"ids": page})


def _id_pages(
    store: GraphStore, cypher: LiteralString, params: dict[str, Any], page_size: int
) -> Iterator[list[str]]:
    """Read every id the query returns as ``id`` once, and yield them sorted, ``page_size`` at a time."""
    yield from batched(sorted(row["id"] for row in store.read(cypher, params)), page_size)


def declared_family(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(DECLARED_FAMILY)


def upsert_links(
    store: GraphStore, rows: Iterable[Mapping[str, Any]], *, target_label: str, batch_size: int
) -> int:
    """Write links given as ``{source, target, link_type, props}`` rows to ``target_label`` nodes."""
    return write_in_batches(store, UPSERT_LINKS_TO[target_label], rows, batch_size)


def upsert_communities(store: GraphStore, rows: Iterable[Mapping[str, Any]], batch_size: int) -> int:
    """Write communities given as ``{community_id, props}`` rows."""
    return write_in_batches(store, UPSERT_COMMUNITIES, rows, batch_size)


def remove_stale_communities(store: GraphStore, miner: str, run_id: str, batch_size: int) -> int:
    """Delete this miner's communities, and their links, that the run ``run_id`` did not find again."""
    return _delete_in_batches(store, REMOVE_STALE_COMMUNITIES, {"miner": miner, "run_id": run_id}, batch_size)


def remove_stale_links(store: GraphStore, miner: str, run_id: str, batch_size: int) -> int:
    """Delete this miner's links that the run ``run_id`` did not infer again."""
    return _delete_in_batches(store, REMOVE_STALE_LINKS, {"miner": miner, "run_id": run_id}, batch_size)


def _delete_in_batches(store: GraphStore, cypher: str, params: dict[str, Any], batch_size: int) -> int:
    """Run a delete that takes ``$limit`` and returns ``removed`` until a batch comes back short."""
    removed = 0
    while True:
        rows = store.write(cypher, {**params, "limit": batch_size})
        batch = rows[0]["removed"] if rows else 0
        removed += batch
        if batch < batch_size:
            return removed


# The target is found by its key, whichever of LINK_TARGET_KEYS its label has.
REVIEW_MINED_LINK = """
MATCH (a:Customer {customer_id: $source})-[r:RELATED_TO {link_type: $link_type}]->(b)
WHERE r.origin = 'mined' AND coalesce(b.customer_id, b.account_key, b.community_id) = $target
WITH r, r.review_status AS before
SET r.review_status = $decision, r.reviewed_by = $user, r.reviewed_at = $at
RETURN before
"""

#: Decisions a user may record on a mined link.
REVIEW_DECISIONS = ("confirmed", "rejected")


class LinkNotFound(LookupError):
    """No mined link has this source, target and type."""


def review_mined_link(
    store: GraphStore, *, source: str, target: str, link_type: str, decision: str, user: str, at: str
) -> str | None:
    """Record a user's decision on a mined link; returns the decision it had before, if any.

    :raises LinkNotFound: when no such mined link exists.
    :raises ValueError: for a decision other than those in ``REVIEW_DECISIONS``.
    """
    if decision not in REVIEW_DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(REVIEW_DECISIONS)}, not {decision!r}")
    params = {
        "source": source,
        "target": target,
        "link_type": link_type,
        "decision": decision,
        "user": user,
        "at": at,
    }
    rows = store.write(REVIEW_MINED_LINK, params)
    if not rows:
        raise LinkNotFound(f"no mined {link_type} link from {source} to {target}")
    return rows[0]["before"]


def mined_link_counts(store: GraphStore) -> dict[str, int]:
    return {row["link_type"]: row["count"] for row in store.read(COUNT_LINKS_BY_TYPE)}
