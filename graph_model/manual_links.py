"""Links that users record by hand between two customers, of any relation they name.

A manual link is ``RELATED_TO`` with ``link_type = 'manual'``, ``origin = 'manual'`` and the
relation in the user's words (``relation``, such as 同学 or 合作伙伴), with a note and who created
and last changed it. Between two customers there is at most one manual link per relation.
Miners never touch them.
"""

from __future__ import annotations

from graph_model.store import GraphStore

ADD_MANUAL_LINK = """
MATCH (a:Customer {customer_id: $source})
MATCH (b:Customer {customer_id: $target})
MERGE (a)-[r:RELATED_TO {link_type: 'manual', relation: $relation}]->(b)
ON CREATE SET r.origin = 'manual', r.confidence = 1.0, r.created_by = $user, r.created_at = $at
WITH r, r.note AS before
SET r.note = $note, r.updated_by = $user, r.updated_at = $at
RETURN before, r.created_at = $at AS created
"""

UPDATE_MANUAL_LINK = """
MATCH (:Customer {customer_id: $source})-[r:RELATED_TO {link_type: 'manual', relation: $relation}]
      ->(:Customer {customer_id: $target})
WITH r, r.relation AS before_relation, r.note AS before_note
SET r.relation = $new_relation, r.note = $note, r.updated_by = $user, r.updated_at = $at
RETURN before_relation, before_note
"""

REMOVE_MANUAL_LINK = """
MATCH (:Customer {customer_id: $source})-[r:RELATED_TO {link_type: 'manual', relation: $relation}]
      ->(:Customer {customer_id: $target})
WITH r, r.note AS note
DELETE r
RETURN note
"""

RELATION_EXISTS = """
MATCH (:Customer {customer_id: $source})-[r:RELATED_TO {link_type: 'manual', relation: $relation}]
      ->(:Customer {customer_id: $target})
RETURN count(r) AS links
"""


class ManualLinkNotFound(LookupError):
    """No manual link has this source, target and relation."""


class ManualLinkConflict(ValueError):
    """The two customers already have a manual link of that relation."""


def add_manual_link(
    store: GraphStore, *, source: str, target: str, relation: str, note: str, user: str, at: str
) -> tuple[bool, str | None]:
    """Add a manual link, or update the note of the same relation; returns (created, note before).

    :raises ManualLinkNotFound: when either customer does not exist.
    """
    params = {"source": source, "target": target, "relation": relation, "note": note, "user": user, "at": at}
    rows = store.write(ADD_MANUAL_LINK, params)
    if not rows:
        raise ManualLinkNotFound(f"customer {source} or {target} not found")
    return bool(rows[0]["created"]), rows[0]["before"]


def update_manual_link(
    store: GraphStore,
    *,
    source: str,
    target: str,
    relation: str,
    new_relation: str,
    note: str,
    user: str,
    at: str,
) -> tuple[str, str | None]:
    """Rename a manual link's relation and replace its note; returns the relation and note before.

    :raises ManualLinkNotFound: when there is no such link.
    :raises ManualLinkConflict: when the new relation is already linked between the two.
    """
    ends = {"source": source, "target": target}
    if new_relation != relation:
        existing = store.read(RELATION_EXISTS, {**ends, "relation": new_relation})[0]["links"]
        if existing:
            raise ManualLinkConflict(f"{source} and {target} already have a manual {new_relation!r} link")
    changes = {"new_relation": new_relation, "note": note, "user": user, "at": at}
    params = {**ends, "relation": relation, **changes}
    rows = store.write(UPDATE_MANUAL_LINK, params)
    if not rows:
        raise ManualLinkNotFound(f"no manual {relation!r} link from {source} to {target}")
    return rows[0]["before_relation"], rows[0]["before_note"]


def remove_manual_link(store: GraphStore, *, source: str, target: str, relation: str) -> str | None:
    """Delete a manual link; returns its note.

    :raises ManualLinkNotFound: when there is no such link.
    """
    rows = store.write(REMOVE_MANUAL_LINK, {"source": source, "target": target, "relation": relation})
    if not rows:
        raise ManualLinkNotFound(f"no manual {relation!r} link from {source} to {target}")
    return rows[0]["note"]
