"""The checks a parsed feed file passes before any of it is written.

A file is rejected whole when its business date is older than one already loaded, when too many
of its rows are bad, or when a snapshot would close too many open records. Each of these points
to a broken or misplaced extract rather than to bad rows. Rows whose links point at a record
the graph lacks are rejected one by one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, Protocol

from graph_model.feed_writes import all_keys, last_loaded_business_date, open_link_count, open_node_count
from graph_model.store import GraphStore
from loaders.feeds.feed_file import FeedFile, FeedLoadFailed
from loaders.feeds.graph_rows import link_description
from loaders.feeds.spec import FeedMode, NodeTarget
from loaders.load_run import LoadReport

#: Share of a snapshot feed's open records that one file may close; an empty or truncated
#: extract would otherwise close the whole book.
DEFAULT_MAX_CLOSE_RATIO = 0.2


class KnownKeys(Protocol):
    """The business keys that rows may refer to, by label."""

    def of(self, node: NodeTarget) -> Collection[Any]: ...


class GraphKeys:
    """Keys read from the graph once per label and folder, kept current by the loader's writes."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._keys: dict[NodeTarget, set[Any]] = {}

    def of(self, node: NodeTarget) -> Collection[Any]:
        if node not in self._keys:
            self._keys[node] = all_keys(self._store, node.label, node.key)
        return self._keys[node]

    def add(self, node: NodeTarget, keys: Iterable[Any]) -> None:
        if node in self._keys:
            self._keys[node].update(keys)


def accepted_rows(
    store: GraphStore,
    feed_file: FeedFile,
    report: LoadReport,
    rows: list[dict],
    *,
    max_reject_ratio: float,
    max_close_ratio: float,
    known_keys: KnownKeys,
) -> list[dict]:
    """Return the rows to write; rows with unknown references go to the rejects.

    :raises FeedLoadFailed: for a business date before one already loaded, a snapshot that
        would close too many records, or too many bad rows. The error carries ``report``, which
        is not recorded here.
    """
    try:
        return _checked_rows(store, feed_file, report, rows, max_reject_ratio, max_close_ratio, known_keys)
    except FeedLoadFailed as error:
        error.report = report
        raise


def _checked_rows(
    store: GraphStore,
    feed_file: FeedFile,
    report: LoadReport,
    rows: list[dict],
    max_reject_ratio: float,
    max_close_ratio: float,
    known_keys: KnownKeys,
) -> list[dict]:
    spec, business_date = feed_file.spec, feed_file.business_date
    last_loaded = last_loaded_business_date(store, spec.name)
    if last_loaded and business_date < last_loaded:
        raise FeedLoadFailed(
            f"{feed_file.path.name}: business date {business_date} is before {last_loaded}, already loaded; "
            "a snapshot loaded out of order would close current records"
        )
    rows = _rows_with_known_references(feed_file, rows, report, known_keys)
    total = len(rows) + report.rejects.total
    ratio = report.rejects.total / total if total else 0.0
    _reject_shrunken_snapshot(store, feed_file, rows, max_close_ratio)
    if ratio > max_reject_ratio:
        raise FeedLoadFailed(
            f"{feed_file.path.name}: {report.rejects.total} of {total} rows rejected ({ratio:.1%}), "
            f"more than the allowed {max_reject_ratio:.1%}; nothing was written. See {report.rejects.path}"
        )
    return rows


def _rows_with_known_references(
    feed_file: FeedFile,
    rows: list[dict],
    report: LoadReport,
    known_keys: KnownKeys,
) -> list[dict]:
    """Reject rows whose links point at a record the graph does not have, such as an unknown customer.

    The node a feed writes itself, and targets a link creates, need not exist beforehand.
    """
    spec = feed_file.spec
    own_key = spec.node.key if spec.node is not None else None
    created = {link.target for link in spec.links if link.create_target}
    for link in spec.links:
        if not link.required:
            continue
        ends = [(link.source, link.source_property)]
        if not link.create_target:
            ends.append((link.target, link.target_property))
        for end, prop in ends:
            if (end == spec.node and prop == own_key) or end in created:
                continue
            known = known_keys.of(end)
            if spec.node is not None and end == spec.node:
                # A link within the feed, such as a branch's parent branch, may point at a row of this file.
                known = known | {row[own_key] for row in rows}
            accepted = []
            for row in rows:
                value = row.get(prop)
                if value is None or value in known:
                    accepted.append(row)
                    continue
                column = next((c.name for c in spec.columns if c.property == prop), prop)
                reason = f"{value!r} is not a known {end.label}"
                report.rejects.add(feed_file.path.name, row["_line"], reason, row["_raw"], field=column)
            rows = accepted
    return rows


def _reject_shrunken_snapshot(
    store: GraphStore, feed_file: FeedFile, rows: list[dict], max_close_ratio: float
) -> None:
    """Fail a snapshot file that would close more than ``max_close_ratio`` of the feed's open records.

    The count compares sizes, not keys: a file that drops some records and adds as many new
    ones passes.
    """
    spec = feed_file.spec
    if spec.mode is not FeedMode.SNAPSHOT:
        return
    if spec.node is not None:
        open_count = open_node_count(store, spec.node.label, spec.name)
        listed = len({row[spec.node.key] for row in rows})
    elif spec.links:
        open_count = open_link_count(store, link_description(spec.links[0]), spec.name)
        listed = len(rows)
    else:
        return
    closing = max(0, open_count - listed)
    if open_count and closing / open_count > max_close_ratio:
        raise FeedLoadFailed(
            f"{feed_file.path.name}: this snapshot has {listed} records where {open_count} are open, so it "
            f"would close about {closing} ({closing / open_count:.0%}), more than the allowed "
            f"{max_close_ratio:.0%}; nothing was written. Check that the extract is complete"
        )
