"""The node and relationship rows a parsed feed file writes, in the form ``feed_writes`` takes,
and the steps of writing them, whether by queries or into a graph image."""

from __future__ import annotations

from typing import Protocol

from loaders.feeds.spec import FeedMode, FeedSpec, LinkTarget
from loaders.load_run import LoadReport


class FeedWriter(Protocol):
    """The destination of a feed file's rows; each method returns how many rows or records it handled."""

    def nodes(self, label: str, key: str, rows: list[dict]) -> int: ...

    def links(self, link: dict, rows: list[dict]) -> int: ...

    def close_nodes(self, label: str) -> int: ...

    def close_links(self, link: dict) -> int: ...


def write_feed_rows(writer: FeedWriter, spec: FeedSpec, rows: list[dict], report: LoadReport) -> None:
    """Write a checked file's nodes and links, close what a snapshot no longer lists, count it all."""
    if spec.node is not None:
        report.loaded[spec.node.label] = writer.nodes(
            spec.node.label, spec.node.key, feed_node_rows(spec, rows)
        )
    for link in spec.links:
        report.loaded[link.rel_type] = writer.links(link_description(link), feed_link_rows(link, rows))
    if spec.mode is FeedMode.SNAPSHOT:
        if spec.node is not None:
            report.loaded[f"closed_{spec.node.label}"] = writer.close_nodes(spec.node.label)
        for link in spec.links:
            report.loaded[f"ended_{link.rel_type}"] = writer.close_links(link_description(link))


def feed_node_rows(spec: FeedSpec, rows: list[dict]) -> list[dict]:
    """Return ``key`` and ``props`` of each node the rows write; a repeated key keeps its last row."""
    properties = spec.node_properties or tuple(
        column.property for column in spec.columns if column.property != spec.node.key
    ) + _derived_properties(spec, rows)
    return list(
        {
            row[spec.node.key]: {
                "key": row[spec.node.key],
                "props": {name: row.get(name) for name in properties},
            }
            for row in rows
        }.values()
    )


def feed_link_rows(link: LinkTarget, rows: list[dict]) -> list[dict]:
    """Return one row per relationship of ``link`` the rows name.

    Many rows can name the same relationship, as every payment to one account names its SAME_AS
    link. The last row of each wins, as it would after writing them all.
    """
    unique: dict[tuple, dict] = {}
    for row in rows:
        if row.get(link.source_property) and row.get(link.target_property):
            link_row = {
                "source": row[link.source_property],
                "target": row[link.target_property],
                "rel_key": {name: row.get(name) for name in link.key_properties},
                "props": {name: row.get(name) for name in link.properties},
                "target_props": {name: row.get(name) for name in link.target_properties},
            }
            unique[(link_row["source"], link_row["target"], *link_row["rel_key"].values())] = link_row
    return list(unique.values())


def link_description(link: LinkTarget) -> dict:
    """Describe ``link`` in the terms of ``feed_writes.upsert_feed_links``."""
    return {
        "rel_type": link.rel_type,
        "source_label": link.source.label,
        "source_key": link.source.key,
        "target_label": link.target.label,
        "target_key": link.target.key,
        "key_properties": link.key_properties,
        "create_target": link.create_target,
    }


def _derived_properties(spec: FeedSpec, rows: list[dict]) -> tuple[str, ...]:
    mapped = {column.property for column in spec.columns}
    return tuple(
        sorted({name for row in rows for name in row if name not in mapped and not name.startswith("_")})
    )
