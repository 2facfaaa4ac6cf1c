"""A customer's tags: system tags from the tag feed, read-only, and manual tags users add.

A tag is a ``Tag`` node linked by ``TAGGED``. The feed's links carry ``tag_source = 'system'``
and ``feed``; a manual tag's link carries ``tag_source = 'manual'`` and who added it, and its
``Tag`` node has the code ``manual:<name>``. Only manual links are ever removed here: the removal
query matches ``tag_source = 'manual'`` itself, so no request can remove a system tag.
"""

from __future__ import annotations

from typing import Any

from graph_model.store import GraphStore

MANUAL_CODE_PREFIX = "manual:"

CUSTOMER_TAGS = """
MATCH (:Customer {customer_id: $customer_id})-[r:TAGGED]->(t:Tag)
WHERE r.valid_to IS NULL
RETURN t.tag_code AS tag_code, t.name AS name, t.category AS category, r.tag_source AS source,
       r.created_by AS created_by, r.created_at AS created_at
ORDER BY category, name
"""

ADD_MANUAL_TAG = """
MATCH (c:Customer {customer_id: $customer_id})
MERGE (t:Tag {tag_code: $tag_code})
ON CREATE SET t.name = $name, t.category = $category
MERGE (c)-[r:TAGGED]->(t)
ON CREATE SET r.tag_source = 'manual', r.created_by = $user, r.created_at = $at
RETURN r.created_at = $at AS created, r.tag_source AS source
"""

REMOVE_MANUAL_TAG = """
MATCH (:Customer {customer_id: $customer_id})-[r:TAGGED {tag_source: 'manual'}]->(t:Tag {tag_code: $tag_code})
WITH r, t.name AS name
DELETE r
RETURN name
"""


TAG_NAMES = """
MATCH (t:Tag)
WHERE t.name IS NOT NULL
RETURN DISTINCT t.name AS name
ORDER BY name
"""


class TagNotRemovable(LookupError):
    """The customer has no manual tag of that code: it is a system tag, or none at all."""


def customer_tags(store: GraphStore, customer_id: str) -> list[dict[str, Any]]:
    """Return the customer's current tags by category and name, each with its source."""
    return store.read(CUSTOMER_TAGS, {"customer_id": customer_id})


def tag_names(store: GraphStore) -> list[str]:
    """Return the names of every tag of the tag system and of manual tags, in order."""
    return [row["name"] for row in store.read(TAG_NAMES)]


def manual_tag_code(name: str) -> str:
    return MANUAL_CODE_PREFIX + name


def add_manual_tag(
    store: GraphStore, customer_id: str, *, name: str, category: str, user: str, at: str
) -> bool | None:
    """Tag the customer by hand; returns True if added, False if it had the tag, None if no such customer."""
    params = {
        "customer_id": customer_id, "tag_code": manual_tag_code(name), "name": name, "category": category,
        "user": user, "at": at,
    }  # fmt: skip
    rows = store.write(ADD_MANUAL_TAG, params)
    return bool(rows[0]["created"]) if rows else None


def remove_manual_tag(store: GraphStore, customer_id: str, tag_code: str) -> str:
    """Remove a manual tag from the customer; returns its name.

    :raises TagNotRemovable: when the customer has no manual tag of that code.
    """
    rows = store.write(REMOVE_MANUAL_TAG, {"customer_id": customer_id, "tag_code": tag_code})
    if not rows:
        raise TagNotRemovable(f"customer {customer_id} has no manual tag {tag_code!r}")
    return rows[0]["name"]
