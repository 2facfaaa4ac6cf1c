"""The graph store interface shared by both engines, and the factory that picks one.

A store runs Cypher text with a parameter dict and returns rows as plain Python dicts that map
column names to values. Nodes and relationships come back as their property dicts. Reads and writes are
separate calls so each engine can route them (a read replica, a read-only query) and apply the
right time limit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, LiteralString, Protocol, runtime_checkable

from c360.config import Settings

if TYPE_CHECKING:
    from graph_model.graph_image import GraphImage

logger = logging.getLogger(__name__)

Row = dict[str, Any]


class GraphStore(Protocol):
    """Interface that repository functions use to query a graph engine."""

    engine_name: str
    #: The clause that binds ``path`` to a shortest path of at most ``MAX_PATH_LENGTH`` over
    #: ``RELATED_TO`` and ``HOLDS``, in either direction, from customer ``$source`` to ``$target``,
    #: avoiding links a user rejected. It reads ``$max_length`` and ``$candidates`` where needed.
    shortest_path_match: LiteralString

    def read(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a read-only query and return its rows."""
        ...

    def write(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a query that may change the graph and return its rows."""
        ...

    def ensure_schema(self) -> None:
        """Create the indexes and uniqueness constraints of the model if they are missing."""
        ...

    def close(self) -> None:
        """Release the connections this store holds."""
        ...


@runtime_checkable
class RebuildableStore(Protocol):
    """A store whose engine can build a whole graph in one pass, faster than by queries."""

    def graph_image(self) -> GraphImage | None:
        """Read the whole graph into memory; None when it cannot be rebuilt in one pass."""
        ...

    def replace_graph(self, image: GraphImage) -> None:
        """Replace the graph with ``image``, built in one pass."""
        ...


def open_store(settings: Settings) -> GraphStore:
    """Connect to the engine the settings select; the embedded server is started if needed."""
    if settings.uses_embedded_graph:
        from graph_model.falkordb_engine import FalkorDBStore

        return FalkorDBStore.open_embedded(settings)
    from graph_model.neo4j_engine import Neo4jStore

    return Neo4jStore.connect(settings, database=settings.neo4j_database or None)


def write_in_batches(
    store: GraphStore,
    cypher: LiteralString,
    rows: Iterable[Mapping[str, Any]],
    batch_size: int,
    params: Mapping[str, Any] | None = None,
) -> int:
    """Send rows as ``$rows`` to an ``UNWIND`` write, ``batch_size`` rows per query.

    ``params`` go with every batch. Bounded batches keep every query well inside the engine's
    time limit and the client's socket timeout. Returns the number of rows sent.
    """
    sent = 0
    for batch in batched(rows, batch_size):
        store.write(cypher, {**(params or {}), "rows": batch})
        sent += len(batch)
    return sent


def batched(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def plain_rows(columns: Sequence[str], records: Iterable[Sequence[Any]], to_plain) -> list[Row]:
    """Zip column names with each record's values, converted by the engine's ``to_plain``."""
    return [
        {name: to_plain(value) for name, value in zip(columns, record, strict=True)} for record in records
    ]
