"""A customer's family: members declared (by the customer, or by a manager), and those the miners found.

``source`` is ``declared`` (a feed), ``manual`` (entered on a maintenance page) or ``mined``;
``declared_here`` is true when the declaration starts at this customer, which a manager's
removal requires.

Members who are not customers of the bank are ``FamilyMember`` nodes that a manager recorded.
Their rows carry ``person: True`` and the member's ``member_id``, ``name``, ``birth_year`` and
``note``.

Members outside the user's scope keep only the relation: their number, name and details are
replaced by ``hidden``, as in the knowledge graph.
"""

from __future__ import annotations

from typing import Any

from graph_model.scope import DataScope, customers_in_scope
from graph_model.store import GraphStore

# The feed gives what the member is to the customer who declared it ("CHILD": the member is a child).
DECLARED_BY_CUSTOMER = """
MATCH (:Customer {customer_id: $customer_id})-[d:DECLARED_FAMILY]->(m:Customer)
WHERE d.valid_to IS NULL
RETURN m {.customer_id, .name, .gender, .birth_date} AS member, d.relation AS relation,
       coalesce(d.origin, 'declared') AS source, true AS declared_here
"""

DECLARED_BY_MEMBER = """
MATCH (:Customer {customer_id: $customer_id})<-[d:DECLARED_FAMILY]-(m:Customer)
WHERE d.valid_to IS NULL
RETURN m {.customer_id, .name, .gender, .birth_date} AS member, d.relation AS relation,
       coalesce(d.origin, 'declared') AS source, false AS declared_here
"""

#: Relation of the declaring customer to the member, keyed by the member's relation to them.
INVERSE_RELATIONS = {"CHILD": "PARENT", "PARENT": "CHILD"}

MINED_MEMBERS = """
MATCH (:Customer {customer_id: $customer_id})-[r:RELATED_TO {link_type: 'family'}]-(m:Customer)
WHERE r.review_status IS NULL OR r.review_status <> 'rejected'
RETURN m {.customer_id, .name, .gender, .birth_date} AS member, null AS relation, 'mined' AS source,
       r.confidence AS confidence, r.review_status AS review_status
"""


PERSONS_RECORDED = """
MATCH (:Customer {customer_id: $customer_id})-[r:HAS_FAMILY_MEMBER]->(p:FamilyMember)
WHERE r.valid_to IS NULL
RETURN p {.member_id, .name, .birth_year, .note, person: true} AS member, p.relation AS relation,
       'manual' AS source, true AS declared_here
ORDER BY p.name
"""


def family_members(store: GraphStore, customer_id: str, scope: DataScope) -> list[dict[str, Any]]:
    """Return declared customers, then recorded non-customers, then mined members not declared, each once."""
    params = {"customer_id": customer_id}
    members: dict[str, dict[str, Any]] = {}
    declared_by_member = store.read(DECLARED_BY_MEMBER, params)
    for row in declared_by_member:
        row["relation"] = INVERSE_RELATIONS.get(row["relation"], row["relation"])
    for row in (
        store.read(DECLARED_BY_CUSTOMER, params) + declared_by_member + store.read(MINED_MEMBERS, params)
    ):
        members.setdefault(row["member"]["customer_id"], row)
    visible = customers_in_scope(store, scope, members)
    for member_id, row in members.items():
        if member_id not in visible:
            row["member"] = {"hidden": True}
    rows = list(members.values())
    mined_from = next((index for index, row in enumerate(rows) if row["source"] == "mined"), len(rows))
    return rows[:mined_from] + store.read(PERSONS_RECORDED, params) + rows[mined_from:]
