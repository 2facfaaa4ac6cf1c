"""Data users maintain by hand on a 360 page: customer fields, records and declared family members.

Maintained customer fields are properties no feed writes (the list is kept in the form
definitions, and a test checks it against the feed catalogue), so a day-end load never
overwrites them. A record a user adds hangs off the customer by the same relationship as the
feed's records, marked ``origin = 'manual'`` and without ``feed``. A snapshot feed closes only
the records it wrote, so it leaves these alone. Every change query matches ``origin = 'manual'`` itself:
no request can change or remove a record a source system delivered. Removing a record ends its
link (``valid_to``, who and when) and keeps the node, as the feeds do with vanished records.

Labels, relationship types and property names come from ``MAINTAINED_KINDS`` and from the
callers' field definitions in code, never from input, and are checked before use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_model.customer_records import RECORD_KINDS
from graph_model.feed_writes import SAFE_NAME
from graph_model.store import GraphStore

#: Key property of the record kinds users maintain, by kind (see ``RECORD_KINDS``).
MAINTAINED_KINDS = {
    "major_events": "major_event_id",
    "preferences": "preference_id",
    "agreements": "agreement_id",
    "ratings": "rating_id",
    "needs": "need_id",
    "contacts": "contact_id",
}

CUSTOMER_FIELDS = """
MATCH (c:Customer {customer_id: $customer_id})
OPTIONAL MATCH (c)-[:OPENED_AT]->(opened_at:Branch)
RETURN c {.*, open_branch_name: opened_at.name} AS customer
"""

ADD_DECLARED_MEMBER = """
MATCH (c:Customer {customer_id: $customer_id})
MATCH (m:Customer {customer_id: $member_id})
CREATE (c)-[d:DECLARED_FAMILY]->(m)
SET d.relation = $relation, d.origin = 'manual', d.created_by = $user, d.created_at = $at
RETURN m.customer_id AS member_id
"""

OPEN_DECLARATIONS = """
MATCH (:Customer {customer_id: $customer_id})-[d:DECLARED_FAMILY]-(:Customer {customer_id: $member_id})
WHERE d.valid_to IS NULL
RETURN count(d) AS declarations
"""

END_DECLARED_MEMBER = """
MATCH (:Customer {customer_id: $customer_id})-[d:DECLARED_FAMILY {origin: 'manual'}]
      ->(:Customer {customer_id: $member_id})
WHERE d.valid_to IS NULL
WITH d, d.relation AS relation
SET d.valid_to = $day, d.removed_by = $user, d.removed_at = $at
RETURN relation
"""


RECORD_FAMILY_PERSON = """
MATCH (c:Customer {customer_id: $customer_id})
CREATE (c)-[r:HAS_FAMILY_MEMBER]->(p:FamilyMember)
SET p = $person, r.origin = 'manual', r.created_by = $user, r.created_at = $at
RETURN p.member_id AS member_id
"""

END_FAMILY_PERSON = """
MATCH (:Customer {customer_id: $customer_id})-[r:HAS_FAMILY_MEMBER]->(p:FamilyMember {member_id: $member_id})
WHERE r.valid_to IS NULL
SET r.valid_to = $day, r.removed_by = $user, r.removed_at = $at
RETURN p {.name, .relation, .birth_year, .note} AS person
"""


class RecordNotMaintainable(LookupError):
    """The customer has no current record of that id that a user entered."""


class CustomerNotFound(LookupError):
    """No customer has that number."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


def _checked(*names: str) -> None:
    for name in names:
        if not SAFE_NAME.match(name):
            raise ValueError(f"{name!r} cannot be used as a property name")


def customer_fields(store: GraphStore, customer_id: str) -> dict[str, Any] | None:
    """Return the customer's properties and the name of the branch that opened it, or None if unknown."""
    rows = store.read(CUSTOMER_FIELDS, {"customer_id": customer_id})
    return rows[0]["customer"] if rows else None


def update_customer_fields(
    store: GraphStore, customer_id: str, values: dict[str, Any], *, user: str, at: str
) -> list[FieldChange]:
    """Set the maintained ``values`` of the customer; returns the fields that changed, old and new.

    The old values come from the query that writes the new ones. FalkorDB runs writes one at a
    time, so there they are exactly the values this write replaced.

    :raises CustomerNotFound: when there is no such customer.
    """
    _checked(*values)
    names = sorted(values)
    before = ", ".join(f"c.{name} AS before_{name}" for name in names)
    cypher = (
        "MATCH (c:Customer {customer_id: $customer_id}) "
        f"WITH c, {before} "
        "SET c += $values, c.maintained_by = $user, c.maintained_at = $at "
        f"RETURN {', '.join(f'before_{name}' for name in names)}"
    )
    rows = store.write(cypher, {"customer_id": customer_id, "values": values, "user": user, "at": at})
    if not rows:
        raise CustomerNotFound(customer_id)
    changes = [FieldChange(name, rows[0][f"before_{name}"], values[name]) for name in names]
    return [change for change in changes if change.before != change.after]


def manual_record(store: GraphStore, customer_id: str, kind: str, record_id: str) -> dict[str, Any]:
    """Return the properties of a current record the customer has that a user entered.

    :raises RecordNotMaintainable: when there is none of that id (or it came from a feed).
    """
    cypher = f"{_current_manual_record(kind)} RETURN n {{.*}} AS record"
    rows = store.read(cypher, {"customer_id": customer_id, "record_id": record_id})
    if not rows:
        raise RecordNotMaintainable(f"customer {customer_id} has no manual {kind} record {record_id!r}")
    return rows[0]["record"]


def add_manual_record(
    store: GraphStore,
    customer_id: str,
    kind: str,
    record_id: str,
    values: dict[str, Any],
    *,
    user: str,
    at: str,
) -> None:
    """Add a record of ``kind`` to the customer, marked as entered by ``user``.

    :raises CustomerNotFound: when there is no such customer.
    """
    relationship, label, key = _kind(kind)
    _checked(*values)
    cypher = (
        "MATCH (c:Customer {customer_id: $customer_id}) "
        f"CREATE (c)-[r:{relationship}]->(n:{label}) "
        f"SET n = $values, n.{key} = $record_id, "
        "r.origin = 'manual', r.created_by = $user, r.created_at = $at "
        f"RETURN n.{key} AS record_id"
    )
    params = {"customer_id": customer_id, "record_id": record_id, "values": values, "user": user, "at": at}
    if not store.write(cypher, params):
        raise CustomerNotFound(customer_id)


def update_manual_record(
    store: GraphStore,
    customer_id: str,
    kind: str,
    record_id: str,
    values: dict[str, Any],
    *,
    user: str,
    at: str,
) -> list[FieldChange]:
    """Change a record a user entered; returns the fields that changed, old and new.

    :raises RecordNotMaintainable: when the customer has no such current manual record.
    """
    _checked(*values)
    cypher = (
        f"{_current_manual_record(kind)} "
        "WITH n, r, n {.*} AS before "
        "SET n += $values, r.updated_by = $user, r.updated_at = $at "
        "RETURN before"
    )
    params = {"customer_id": customer_id, "record_id": record_id, "values": values, "user": user, "at": at}
    rows = store.write(cypher, params)
    if not rows:
        raise RecordNotMaintainable(f"customer {customer_id} has no manual {kind} record {record_id!r}")
    before = rows[0]["before"]
    changes = [FieldChange(name, before.get(name), values[name]) for name in sorted(values)]
    return [change for change in changes if change.before != change.after]


def remove_manual_record(
    store: GraphStore, customer_id: str, kind: str, record_id: str, *, user: str, at: str
) -> dict[str, Any]:
    """End the customer's link to a record a user entered; returns the record's properties.

    :raises RecordNotMaintainable: when the customer has no such current manual record.
    """
    cypher = (
        f"{_current_manual_record(kind)} "
        "SET r.valid_to = $day, r.removed_by = $user, r.removed_at = $at "
        "RETURN n {.*} AS record"
    )
    params = {"customer_id": customer_id, "record_id": record_id, "user": user, "at": at, "day": at[:10]}
    rows = store.write(cypher, params)
    if not rows:
        raise RecordNotMaintainable(f"customer {customer_id} has no manual {kind} record {record_id!r}")
    return rows[0]["record"]


def declare_family_member(
    store: GraphStore, customer_id: str, member_id: str, relation: str, *, user: str, at: str
) -> bool:
    """Record that ``member_id`` is the customer's ``relation``; False if the two are already declared.

    :raises CustomerNotFound: when either customer does not exist.
    """
    params = {"customer_id": customer_id, "member_id": member_id}
    if store.read(OPEN_DECLARATIONS, params)[0]["declarations"]:
        return False
    rows = store.write(ADD_DECLARED_MEMBER, params | {"relation": relation, "user": user, "at": at})
    if not rows:
        raise CustomerNotFound(member_id)
    return True


def end_declared_member(store: GraphStore, customer_id: str, member_id: str, *, user: str, at: str) -> str:
    """End a family declaration a user entered; returns its relation.

    :raises RecordNotMaintainable: when the customer has no such current manual declaration.
    """
    params = {"customer_id": customer_id, "member_id": member_id, "user": user, "at": at, "day": at[:10]}
    rows = store.write(END_DECLARED_MEMBER, params)
    if not rows:
        raise RecordNotMaintainable(f"customer {customer_id} declared no member {member_id!r} by hand")
    return rows[0]["relation"]


def record_family_person(
    store: GraphStore, customer_id: str, person: dict[str, Any], *, user: str, at: str
) -> None:
    """Record a family member who is not a customer: ``person`` has ``member_id``, ``name``, ``relation``...

    :raises CustomerNotFound: when there is no such customer.
    """
    if not store.write(
        RECORD_FAMILY_PERSON, {"customer_id": customer_id, "person": person, "user": user, "at": at}
    ):
        raise CustomerNotFound(customer_id)


def end_family_person(store: GraphStore, customer_id: str, member_id: str, *, user: str, at: str) -> dict:
    """End the customer's link to a recorded non-customer family member; returns the member's fields.

    :raises RecordNotMaintainable: when the customer has no such current member.
    """
    params = {"customer_id": customer_id, "member_id": member_id, "user": user, "at": at, "day": at[:10]}
    rows = store.write(END_FAMILY_PERSON, params)
    if not rows:
        raise RecordNotMaintainable(f"customer {customer_id} has no family member {member_id!r}")
    return rows[0]["person"]


def _current_manual_record(kind: str) -> str:
    """Return the Cypher that matches the customer's current record ``$record_id`` that a user entered."""
    relationship, label, key = _kind(kind)
    return (
        f"MATCH (:Customer {{customer_id: $customer_id}})-[r:{relationship} {{origin: 'manual'}}]"
        f"->(n:{label} {{{key}: $record_id}}) "
        "WHERE r.valid_to IS NULL"
    )


def _kind(kind: str) -> tuple[str, str, str]:
    record_kind = RECORD_KINDS[kind]
    return record_kind.relationship, record_kind.label, MAINTAINED_KINDS[kind]
