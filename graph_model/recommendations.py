"""Product recommendation data: the administrators' rules, the product catalogue, what a customer holds,
and the bank's best sellers.

A rule is a ``RecommendationRule`` node keyed by ``rule_id``; its properties are the fields of
``c360.product_matching.RecommendationRule`` plus ``built_in``, ``updated_by`` and ``updated_at``.
A built-in rule follows the product's definition until an administrator edits it; from then on
the edit stays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph_model.store import GraphStore

WRITE_BUILT_IN_RULE = """
MERGE (r:RecommendationRule {rule_id: $rule_id})
ON CREATE SET r.updated_by = 'system'
WITH r
WHERE r.updated_by = 'system'
SET r = $fields, r.rule_id = $rule_id, r.built_in = true, r.updated_by = 'system', r.updated_at = $at
"""

ALL_RULES = """
MATCH (r:RecommendationRule)
RETURN r {.*} AS rule
ORDER BY r.priority, r.rule_id
"""

RULE_BY_ID = """
MATCH (r:RecommendationRule {rule_id: $rule_id})
RETURN r {.*} AS rule
"""

# FalkorDB 4.22 still creates the node when a leading OPTIONAL MATCH found one and WHERE tests it
# for null; a count filters on both engines.
ADD_RULE = """
OPTIONAL MATCH (existing:RecommendationRule {rule_id: $rule_id})
WITH count(existing) AS taken
WHERE taken = 0
CREATE (r:RecommendationRule)
SET r = $fields, r.rule_id = $rule_id, r.built_in = false, r.updated_by = $user, r.updated_at = $at
RETURN r.rule_id AS rule_id
"""

# SET r = map replaces every property, so a condition the administrator cleared is removed.
UPDATE_RULE = """
MATCH (r:RecommendationRule {rule_id: $rule_id})
WITH r, r {.*} AS before
SET r = $fields, r.rule_id = $rule_id, r.built_in = before.built_in, r.updated_by = $user, r.updated_at = $at
RETURN before
"""

SET_RULE_ENABLED = """
MATCH (r:RecommendationRule {rule_id: $rule_id})
WITH r, coalesce(r.enabled, true) AS was_enabled
SET r.enabled = $enabled, r.updated_by = $user, r.updated_at = $at
RETURN was_enabled
"""

ACTIVE_PRODUCTS = """
MATCH (p:Product)
WHERE p.closed_on IS NULL
RETURN p.product_code AS product_code, p.name AS name, p.category_l1 AS category_l1,
       p.category_l2 AS category_l2, p.category_l3 AS category_l3, p.risk_level AS risk_level
ORDER BY product_code
"""

# Products count as held through a current holding or an account the customer owns.
HELD_PRODUCTS = """
MATCH (c:Customer {customer_id: $customer_id})
OPTIONAL MATCH (c)-[held:HAS_HOLDING]->(h:Holding)
WHERE held.valid_to IS NULL
WITH c, collect(h.product_code) AS holding_codes
OPTIONAL MATCH (c)-[:HOLDS {role: 'owner'}]->(a:Account)
WITH holding_codes, collect(a.product_code) AS account_codes
UNWIND holding_codes + account_codes AS code
MATCH (p:Product {product_code: code})
RETURN DISTINCT p.product_code AS product_code, p.category_l1 AS category_l1, p.category_l2 AS category_l2,
       p.category_l3 AS category_l3
"""

# Holdings started in the window, by customers of one type, whether or not they are still held:
# a product bought and redeemed within the window was still sold.
BEST_SELLERS = """
MATCH (:Customer {customer_type: $customer_type})-[:HAS_HOLDING]->(h:Holding)
WHERE h.start_date >= $since AND h.start_date <= $until
MATCH (h)-[:OF_PRODUCT]->(p:Product)
WHERE p.closed_on IS NULL
RETURN p.product_code AS product_code, p.name AS name, p.category_l1 AS category_l1,
       p.category_l2 AS category_l2, p.category_l3 AS category_l3, p.risk_level AS risk_level,
       count(h) AS new_holdings, sum(h.balance) AS amount
"""


def ensure_rules(store: GraphStore, rules: Sequence[Mapping[str, Any]], *, at: str) -> None:
    """Write each built-in rule that is missing or was never edited; each mapping carries its ``rule_id``.

    A built-in rule is enabled unless its mapping sets ``enabled`` to False.
    """
    for rule in rules:
        fields = {"enabled": True} | {name: value for name, value in rule.items() if name != "rule_id"}
        store.write(WRITE_BUILT_IN_RULE, {"rule_id": rule["rule_id"], "fields": fields, "at": at})


def all_rules(store: GraphStore) -> list[dict[str, Any]]:
    """Return every rule's properties, by priority and then rule id."""
    return [row["rule"] for row in store.read(ALL_RULES)]


def find_rule(store: GraphStore, rule_id: str) -> dict[str, Any] | None:
    rows = store.read(RULE_BY_ID, {"rule_id": rule_id})
    return rows[0]["rule"] if rows else None


def add_rule(store: GraphStore, rule_id: str, fields: Mapping[str, Any], *, user: str, at: str) -> bool:
    """Create a rule; returns False, changing nothing, when the id is taken."""
    params = {"rule_id": rule_id, "fields": _without_nulls(fields), "user": user, "at": at}
    return bool(store.write(ADD_RULE, params))


def update_rule(
    store: GraphStore, rule_id: str, fields: Mapping[str, Any], *, user: str, at: str
) -> dict[str, Any] | None:
    """Replace a rule's conditions and offer; returns its properties before, or None if unknown."""
    params = {"rule_id": rule_id, "fields": _without_nulls(fields), "user": user, "at": at}
    rows = store.write(UPDATE_RULE, params)
    return rows[0]["before"] if rows else None


def set_rule_enabled(store: GraphStore, rule_id: str, enabled: bool, *, user: str, at: str) -> bool | None:
    """Enable or disable a rule; returns whether it was enabled before, or None if unknown.

    A rule without an ``enabled`` property counts as enabled, as in matching.
    """
    rows = store.write(SET_RULE_ENABLED, {"rule_id": rule_id, "enabled": enabled, "user": user, "at": at})
    return bool(rows[0]["was_enabled"]) if rows else None


def active_products(store: GraphStore) -> list[dict[str, Any]]:
    """Return the catalogue's products that the latest snapshot still lists, by product code."""
    return store.read(ACTIVE_PRODUCTS)


def held_products(store: GraphStore, customer_id: str) -> list[dict[str, Any]]:
    """Return the catalogue products the customer holds now, with their categories at each level."""
    return store.read(HELD_PRODUCTS, {"customer_id": customer_id})


def best_sellers(store: GraphStore, *, customer_type: str, since: str, until: str) -> list[dict[str, Any]]:
    """Count, per active product, the holdings that customers of ``customer_type`` started in a window.

    ``since`` and ``until`` are ISO dates, both included. Each row contains the product's catalogue fields,
    ``new_holdings`` and ``amount``, the sum of those holdings' balances. Unordered.
    """
    return store.read(BEST_SELLERS, {"customer_type": customer_type, "since": since, "until": until})


def _without_nulls(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Drop the conditions left empty: a property set to null is no property."""
    return {name: value for name, value in fields.items() if value is not None}
