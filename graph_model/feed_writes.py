"""Cypher for feed writes, built from feed declarations.

Labels, relationship types and property names come from the feed catalogue in code, and are
checked against ``SAFE_NAME`` before they are placed in the text. Every value is a parameter.
Snapshot feeds stamp ``last_seen`` with the business date; ``close_missing_*`` then closes the
records an earlier snapshot had and this one lacks.

``stage_feed_nodes`` and ``stage_feed_links`` apply the same rows to a ``GraphImage`` for a first
load in bulk; each must keep to the rules of the Cypher above it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from graph_model.graph_image import GraphImage, set_properties
from graph_model.store import GraphStore, write_in_batches

SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

LAST_FEED_BUSINESS_DATE = """
MATCH (r:LoadRun)
WHERE r.source = $feed AND r.status = 'loaded'
RETURN max(r.business_date) AS business_date
"""


def _checked(*names: str) -> None:
    for name in names:
        if not SAFE_NAME.match(name):
            raise ValueError(f"{name!r} cannot be used as a label, type or property name")


def upsert_feed_nodes(
    store: GraphStore,
    label: str,
    key: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    feed: str,
    business_date: str,
    batch_size: int,
) -> int:
    """Merge nodes on their key and set ``row.props``, the feed name and the business date seen."""
    _checked(label, key)
    cypher = (
        "UNWIND $rows AS row "
        f"MERGE (n:{label} {{{key}: row.key}}) "
        "ON CREATE SET n.first_seen = $business_date "
        "SET n += row.props, n.feed = $feed, n.last_seen = $business_date, n.closed_on = null"
    )
    return write_in_batches(store, cypher, rows, batch_size, {"feed": feed, "business_date": business_date})


def stage_feed_nodes(
    image: GraphImage,
    label: str,
    key: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    feed: str,
    business_date: str,
) -> int:
    """Merge the rows into ``image`` as ``upsert_feed_nodes`` would into a graph."""
    staged = 0
    for row in rows:
        index, created = image.merge_node(label, key, row["key"])
        properties = image.node_properties[index]
        if created:
            properties["first_seen"] = business_date
        set_properties(properties, row["props"])
        properties.update(feed=feed, last_seen=business_date)
        properties.pop("closed_on", None)
        staged += 1
    return staged


def upsert_feed_links(
    store: GraphStore,
    link: Mapping[str, Any],
    rows: Iterable[Mapping[str, Any]],
    *,
    feed: str,
    business_date: str,
    batch_size: int,
) -> int:
    """Merge one relationship per row between two nodes found (or created) by their keys.

    ``link`` gives ``rel_type``, ``source_label``, ``source_key``, ``target_label``,
    ``target_key``, ``key_properties`` and ``create_target``. Rows carry ``source``, ``target``,
    ``rel_key`` (a map of the key properties), ``props`` and ``target_props``.
    """
    rel_type, key_properties = link["rel_type"], tuple(link["key_properties"])
    _checked(rel_type, link["source_label"], link["source_key"], link["target_label"], link["target_key"])
    _checked(*key_properties)
    find_target = "MERGE" if link["create_target"] else "MATCH"
    rel_key = ", ".join(f"{name}: row.rel_key.{name}" for name in key_properties)
    rel_pattern = f"r:{rel_type} {{{rel_key}}}" if rel_key else f"r:{rel_type}"
    cypher = (
        "UNWIND $rows AS row "
        f"MATCH (a:{link['source_label']} {{{link['source_key']}: row.source}}) "
        f"{find_target} (b:{link['target_label']} {{{link['target_key']}: row.target}}) "
        + ("ON CREATE SET b += row.target_props " if link["create_target"] else "")
        + f"MERGE (a)-[{rel_pattern}]->(b) "
        "ON CREATE SET r.valid_from = $business_date "
        "SET r += row.props, r.feed = $feed, r.last_seen = $business_date, r.valid_to = null"
    )
    return write_in_batches(store, cypher, rows, batch_size, {"feed": feed, "business_date": business_date})


def stage_feed_links(
    image: GraphImage,
    link: Mapping[str, Any],
    rows: Iterable[Mapping[str, Any]],
    *,
    feed: str,
    business_date: str,
) -> int:
    """Merge the rows into ``image`` as ``upsert_feed_links`` would into a graph.

    As there, a row whose source (or, unless created, target) node is missing draws nothing.
    """
    staged = 0
    for row in rows:
        staged += 1
        source = image.find_node(link["source_label"], row["source"])
        if source is None:
            continue
        if link["create_target"]:
            target, created = image.merge_node(link["target_label"], link["target_key"], row["target"])
            if created:
                set_properties(image.node_properties[target], row["target_props"])
        else:
            target = image.find_node(link["target_label"], row["target"])
            if target is None:
                continue
        key_values = tuple(row["rel_key"].values())
        properties, created = image.merge_relationship((link["rel_type"], source, target, key_values))
        if created:
            set_properties(properties, row["rel_key"])
            properties["valid_from"] = business_date
        set_properties(properties, row["props"])
        properties.update(feed=feed, last_seen=business_date)
        properties.pop("valid_to", None)
    return staged


def has_nodes(store: GraphStore, label: str) -> bool:
    _checked(label)
    return bool(store.read(f"MATCH (n:{label}) RETURN 1 AS found LIMIT 1"))


def close_missing_nodes(store: GraphStore, label: str, *, feed: str, business_date: str) -> int:
    """Close this feed's nodes that the snapshot of ``business_date`` no longer lists."""
    _checked(label)
    cypher = (
        f"MATCH (n:{label}) "
        "WHERE n.feed = $feed AND n.last_seen < $business_date AND n.closed_on IS NULL "
        "SET n.closed_on = $business_date "
        "RETURN count(n) AS closed"
    )
    rows = store.write(cypher, {"feed": feed, "business_date": business_date})
    return rows[0]["closed"] if rows else 0


def close_missing_links(store: GraphStore, link: Mapping[str, Any], *, feed: str, business_date: str) -> int:
    """End this feed's relationships that the snapshot of ``business_date`` no longer lists.

    ``link`` is described as for ``upsert_feed_links``.
    """
    cypher = (
        f"MATCH {_link_pattern(link)} "
        "WHERE r.feed = $feed AND r.last_seen < $business_date AND r.valid_to IS NULL "
        "SET r.valid_to = $business_date "
        "RETURN count(r) AS closed"
    )
    rows = store.write(cypher, {"feed": feed, "business_date": business_date})
    return rows[0]["closed"] if rows else 0


def _link_pattern(link: Mapping[str, Any]) -> str:
    # FalkorDB 4.22 scans every node for ()-[r:T]->(); labelled ends make it scan one label.
    _checked(link["source_label"], link["rel_type"], link["target_label"])
    return f"(:{link['source_label']})-[r:{link['rel_type']}]->(:{link['target_label']})"


def all_keys(store: GraphStore, label: str, key: str) -> set[Any]:
    """Return the keys of every ``label`` node."""
    _checked(label, key)
    return {row["key"] for row in store.read(f"MATCH (n:{label}) RETURN n.{key} AS key")}


def open_node_count(store: GraphStore, label: str, feed: str) -> int:
    """Count the nodes this feed wrote that are not closed."""
    _checked(label)
    cypher = f"MATCH (n:{label}) WHERE n.feed = $feed AND n.closed_on IS NULL RETURN count(n) AS open"
    rows = store.read(cypher, {"feed": feed})
    return rows[0]["open"] if rows else 0


def open_link_count(store: GraphStore, link: Mapping[str, Any], feed: str) -> int:
    """Count the relationships this feed wrote that have not ended."""
    cypher = (
        f"MATCH {_link_pattern(link)} WHERE r.feed = $feed AND r.valid_to IS NULL RETURN count(r) AS open"
    )
    rows = store.read(cypher, {"feed": feed})
    return rows[0]["open"] if rows else 0


def last_loaded_business_date(store: GraphStore, feed: str) -> str | None:
    rows = store.read(LAST_FEED_BUSINESS_DATE, {"feed": feed})
    return rows[0]["business_date"] if rows else None
