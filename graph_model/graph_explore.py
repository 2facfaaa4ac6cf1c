"""Repository functions of the knowledge graph page: bounded neighbourhoods and shortest paths.

A neighbourhood contains a customer's accounts and links, at most ``limit`` of them, and the count
of the rest, so a hub with thousands of counterparties costs one count and ``limit`` rows. Links a
user rejected are left out. Customers outside the user's scope come back anonymous, as in
``graph_model.network``: ``{"customer_type": ..., "hidden": True}`` instead of their properties.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph_model.schema import MAX_PATH_LENGTH
from graph_model.scope import DataScope, customers_in_scope
from graph_model.store import GraphStore

#: Shortest paths FalkorDB returns before those through rejected links are dropped.
PATH_CANDIDATES = 20

# Accounts are ordered by number, so the same ones are drawn on every visit.
NEIGHBOUR_ACCOUNTS = """
UNWIND $customer_ids AS customer_id
MATCH (c:Customer {customer_id: customer_id})
CALL {
  WITH c
  OPTIONAL MATCH (c)-[h:HOLDS]->(:Account)
  RETURN count(h) AS account_count
}
CALL {
  WITH c
  MATCH (c)-[h:HOLDS]->(a:Account)
  RETURN h, a
  ORDER BY a.account_id
  SKIP $skip
  LIMIT $limit
}
OPTIONAL MATCH (a)<-[h2:HOLDS]-(other:Customer)
WHERE other <> c
RETURN customer_id, account_count, a.account_id AS account_id, h.role AS role,
       collect({
         customer: other {.customer_id, .customer_type, .name, .gender, .birth_date}, role: h2.role
       })[0..$limit] AS co_holders
"""

# Manual links carry confidence 1.0, so they come first with the strongest mined ones. Links of
# equal confidence are ordered by the other end's key and the link's kind, so that batches of a
# hub follow one order and neither repeat nor miss a link.
NEIGHBOUR_LINKS = """
UNWIND $customer_ids AS customer_id
MATCH (c:Customer {customer_id: customer_id})
CALL {
  WITH c
  OPTIONAL MATCH (c)-[r:RELATED_TO]-()
  WHERE r.review_status IS NULL OR r.review_status <> 'rejected'
  RETURN count(r) AS link_count
}
CALL {
  WITH c
  MATCH (c)-[r:RELATED_TO]-(n)
  WHERE r.review_status IS NULL OR r.review_status <> 'rejected'
  RETURN r, n
  ORDER BY coalesce(r.confidence, 0) DESC, coalesce(n.customer_id, n.account_key, n.community_id),
           r.link_type, r.relation
  SKIP $link_skip
  LIMIT $limit
}
RETURN customer_id, link_count, r {.*} AS link, labels(n) AS labels, n {.*} AS node,
       startNode(r) = c AS outgoing
"""

# A later batch may pass every account or link, and then the queries above return no row to
# count them, so it counts them here.
NEIGHBOUR_COUNTS = """
MATCH (c:Customer {customer_id: $customer_id})
CALL {
  WITH c
  OPTIONAL MATCH (c)-[h:HOLDS]->(:Account)
  RETURN count(h) AS account_count
}
CALL {
  WITH c
  OPTIONAL MATCH (c)-[r:RELATED_TO]-()
  WHERE r.review_status IS NULL OR r.review_status <> 'rejected'
  RETURN count(r) AS link_count
}
RETURN account_count, link_count
"""

# ``forward`` is true for each relationship that points from the node before it on the path.
PATH_ROWS = """
RETURN [n IN nodes(path) | labels(n)] AS labels,
       [n IN nodes(path) | n {.*}] AS nodes,
       [r IN relationships(path) | type(r)] AS types,
       [r IN relationships(path) | r {.*}] AS links,
       [i IN range(0, length(path) - 1) | startNode(relationships(path)[i]) = nodes(path)[i]] AS forward
"""


@dataclass
class Neighbourhood:
    """A customer's accounts and links as far as the limit allows, and how many were left out.

    ``accounts`` rows have ``account_id``, ``role`` and ``co_holders`` (each ``customer`` and
    ``role``). ``links`` rows have ``link``, the other node's ``labels`` and ``node``, and
    ``direction`` ('out' or 'in').
    """

    customer_id: str
    accounts: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    more: int = 0
    #: Neighbours passed over before these, drawn by earlier batches.
    skip: int = 0


@dataclass
class GraphPath:
    """A path between two customers: its nodes in order and the relationship between each pair.

    ``nodes`` entries have ``labels`` and ``node``. ``steps`` entries have ``type`` (HOLDS or
    RELATED_TO), ``link`` (its properties) and ``forward`` (whether it points along the path).
    """

    nodes: list[dict[str, Any]]
    steps: list[dict[str, Any]]


def neighbourhoods(
    store: GraphStore, customer_ids: Iterable[str], scope: DataScope, limit: int, *, skip: int = 0
) -> list[Neighbourhood]:
    """Return the neighbourhood of each customer, in the order given; an unknown one's is empty.

    Accounts come first, then links strongest first, ``limit`` neighbours in all after the first
    ``skip``; ``more`` counts the accounts and links beyond them. A ``skip`` (the next batch of a
    hub) is for one customer only.
    """
    customer_ids = list(dict.fromkeys(customer_ids))
    if skip and len(customer_ids) != 1:
        raise ValueError(f"a batch after the first is for one customer, not {len(customer_ids)}")
    params = {"customer_ids": customer_ids, "limit": limit, "skip": skip}
    found = {customer_id: Neighbourhood(customer_id, skip=skip) for customer_id in customer_ids}

    account_counts: dict[str, int] = {}
    for row in store.read(NEIGHBOUR_ACCOUNTS, params):
        account_counts[row["customer_id"]] = row["account_count"]
        co_holders = [entry for entry in row["co_holders"] if entry["customer"]]
        found[row["customer_id"]].accounts.append(
            {"account_id": row["account_id"], "role": row["role"], "co_holders": co_holders}
        )
    link_counts: dict[str, int] = {}
    link_skip = 0
    if skip:
        counts = store.read(NEIGHBOUR_COUNTS, {"customer_id": customer_ids[0]})
        if counts:
            account_counts[customer_ids[0]] = counts[0]["account_count"]
            link_counts[customer_ids[0]] = counts[0]["link_count"]
            # The links of a later batch start after those earlier batches drew past the accounts.
            link_skip = max(0, skip - counts[0]["account_count"])
    for row in store.read(NEIGHBOUR_LINKS, params | {"link_skip": link_skip}):
        link_counts[row["customer_id"]] = row["link_count"]
        direction = "out" if row["outgoing"] else "in"
        found[row["customer_id"]].links.append(
            {"link": row["link"], "labels": row["labels"], "node": row["node"], "direction": direction}
        )

    for customer_id, hood in found.items():
        total = account_counts.get(customer_id, 0) + link_counts.get(customer_id, 0)
        hood.accounts.sort(key=lambda row: row["account_id"])
        hood.links.sort(key=lambda row: -(row["link"].get("confidence") or 0))
        hood.accounts = hood.accounts[:limit]
        hood.links = hood.links[: limit - len(hood.accounts)]
        hood.more = max(0, total - skip - len(hood.accounts) - len(hood.links))

    _hide_out_of_scope(store, scope, list(found.values()))
    return list(found.values())


def shortest_path(store: GraphStore, source: str, target: str, scope: DataScope) -> GraphPath | None:
    """Return a shortest path of at most MAX_PATH_LENGTH over links and shared accounts, or None.

    Paths through links a user rejected are not taken.
    """
    cypher = store.shortest_path_match + PATH_ROWS
    params = {
        "source": source,
        "target": target,
        "max_length": MAX_PATH_LENGTH,
        "candidates": PATH_CANDIDATES,
    }
    rows = store.read(cypher, params)
    if not rows:
        return None
    row = rows[0]
    nodes = [
        {"labels": labels, "node": node} for labels, node in zip(row["labels"], row["nodes"], strict=True)
    ]
    steps = [
        {"type": kind, "link": link, "forward": forward}
        for kind, link, forward in zip(row["types"], row["links"], row["forward"], strict=True)
    ]
    customers = [entry["node"] for entry in nodes if "Customer" in entry["labels"]]
    visible = customers_in_scope(store, scope, [customer["customer_id"] for customer in customers])
    for entry in nodes:
        if "Customer" in entry["labels"]:
            entry["node"] = _anonymous_unless_visible(entry["node"], visible)
    return GraphPath(nodes=nodes, steps=steps)


def _hide_out_of_scope(store: GraphStore, scope: DataScope, hoods: list[Neighbourhood]) -> None:
    """Replace the co-holders and linked customers outside the scope by anonymous stand-ins."""
    holders = [entry for hood in hoods for row in hood.accounts for entry in row["co_holders"]]
    linked = [row for hood in hoods for row in hood.links if "Customer" in row["labels"]]
    customer_ids = [entry["customer"]["customer_id"] for entry in holders]
    customer_ids += [row["node"]["customer_id"] for row in linked]
    visible = customers_in_scope(store, scope, customer_ids)
    for entry in holders:
        entry["customer"] = _anonymous_unless_visible(entry["customer"], visible)
    for row in linked:
        row["node"] = _anonymous_unless_visible(row["node"], visible)


def _anonymous_unless_visible(customer: dict[str, Any], visible: set[str]) -> dict[str, Any]:
    if customer["customer_id"] in visible:
        return customer
    return {"customer_type": customer.get("customer_type"), "hidden": True}
