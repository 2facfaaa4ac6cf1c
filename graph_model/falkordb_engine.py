"""The embedded engine: FalkorDB in a Redis server that this product starts and stops itself."""

from __future__ import annotations

import atexit
import logging
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, LiteralString

import falkordb
import redis
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as GraphPath

from c360.config import Settings
from graph_model.embedded_server import EmbeddedServer
from graph_model.exceptions import (
    ConstraintViolation,
    GraphChanged,
    GraphUnavailable,
    QueryFailed,
    QueryTimedOut,
)
from graph_model.falkordb_bulk import BulkUnsupported, bulk_commands
from graph_model.graph_image import GraphImage
from graph_model.schema import NODE_INDEXES, NODE_KEYS
from graph_model.store import Row, plain_rows

logger = logging.getLogger(__name__)

EMPTY_GRAPH_ERROR = "empty key"

ALL_NODES = "MATCH (n) RETURN id(n) AS id, labels(n) AS labels, properties(n) AS properties"
ALL_RELATIONSHIPS = """
MATCH (a)-[r]->(b)
RETURN id(a) AS source, id(b) AS target, type(r) AS type, properties(r) AS properties
"""
GRAPH_SIZE = """
OPTIONAL MATCH (n) WITH count(n) AS nodes
OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS relationships
"""


class FalkorDBStore:
    """A graph store on a FalkorDB server reached through its Unix socket."""

    engine_name = "falkordb"
    # FalkorDB accepts shortestPath only in WITH or RETURN and only over directed relationships,
    # while a path between two customers crosses relationships both ways (a shared account is held
    # by both). algo.SPpaths walks both directions and yields the $candidates shortest paths, so
    # those through rejected links are dropped afterwards.
    shortest_path_match = """
MATCH (a:Customer {customer_id: $source}), (b:Customer {customer_id: $target})
CALL algo.SPpaths({
  sourceNode: a, targetNode: b, relTypes: ['RELATED_TO', 'HOLDS'], relDirection: 'both',
  maxLen: $max_length, pathCount: $candidates
})
YIELD path
WITH path
WHERE none(r IN relationships(path) WHERE coalesce(r.review_status, '') = 'rejected')
WITH path
ORDER BY length(path)
LIMIT 1
"""

    def __init__(
        self, server: EmbeddedServer, graph_name: str, *, read_timeout_ms: int, write_timeout_ms: int
    ):
        self.server = server
        self.read_timeout_ms = read_timeout_ms
        self.write_timeout_ms = write_timeout_ms
        # The socket waits a little longer than the engine's own limit, so the engine's
        # "timed out" reply arrives instead of a client-side disconnect.
        socket_timeout_s = max(read_timeout_ms, write_timeout_ms) / 1000 + 30
        self._db = falkordb.FalkorDB(
            unix_socket_path=str(server.socket_path), socket_timeout=socket_timeout_s
        )
        self._graph = self._db.select_graph(graph_name)
        self.graph_name = graph_name
        self._owner_pid = os.getpid()

    @classmethod
    def open_embedded(cls, settings: Settings) -> FalkorDBStore:
        server = EmbeddedServer(
            settings.data_dir,
            default_timeout_ms=settings.read_timeout_ms,
            max_timeout_ms=max(settings.read_timeout_ms, settings.write_timeout_ms),
        )
        server.acquire()
        store = cls(
            server,
            settings.graph_name,
            read_timeout_ms=settings.read_timeout_ms,
            write_timeout_ms=settings.write_timeout_ms,
        )
        atexit.register(store.close)
        return store

    def read(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        try:
            result = self._graph.ro_query(cypher, dict(params or {}), timeout=self.read_timeout_ms)
        except redis.ResponseError as error:
            # A graph that was never written does not exist yet in FalkorDB; read it as empty.
            if EMPTY_GRAPH_ERROR in str(error):
                return []
            raise _translated(error) from error
        except redis.RedisError as error:
            raise _translated(error) from error
        return _rows_of(result)

    def write(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        try:
            result = self._graph.query(cypher, dict(params or {}), timeout=self.write_timeout_ms)
        except redis.RedisError as error:
            raise _translated(error) from error
        return _rows_of(result)

    def ensure_schema(self) -> None:
        connection = self._db.connection
        for node_key in NODE_KEYS:
            self._create_index(node_key.label, node_key.key)
            try:
                connection.execute_command(
                    "GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE",
                    node_key.label, "PROPERTIES", "1", node_key.key,
                )  # fmt: skip
            except redis.ResponseError as error:
                if "already exists" not in str(error):
                    raise QueryFailed(
                        f"creating the unique constraint on {node_key} failed: {error}"
                    ) from error
        for label, prop in NODE_INDEXES:
            self._create_index(label, prop)

    def _create_index(self, label: str, prop: str) -> None:
        # Label and property come from graph_model.schema, never from input.
        try:
            self._graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")
        except redis.ResponseError as error:
            if "already indexed" not in str(error):
                raise QueryFailed(f"creating the index on {label}.{prop} failed: {error}") from error

    def graph_image(self) -> GraphImage | None:
        """Read the whole graph into memory; meant for a graph of reference data and users.

        Returns None when the graph contains a value the bulk path cannot carry.
        """
        image = GraphImage(copied_size=self._size())
        position = {
            row["id"]: image.add_node(tuple(row["labels"]), row["properties"]) for row in self.read(ALL_NODES)
        }
        for index, row in enumerate(self.read(ALL_RELATIONSHIPS)):
            identity = (row["type"], position[row["source"]], position[row["target"]], ("copied", index))
            image.relationships[identity] = row["properties"]
        try:
            for _arguments in bulk_commands(image):
                pass
        except BulkUnsupported as error:
            logger.warning("Graph %s cannot be rebuilt in bulk: %s", self.graph_name, error)
            return None
        return image

    def replace_graph(self, image: GraphImage) -> None:
        """Build ``image`` as a new graph with ``GRAPH.BULK`` and put it in this graph's place.

        The new graph is built under a staging key and renamed over this one, so readers see the
        old graph until the new one is complete. A write that reaches the graph after
        ``graph_image`` read it would be lost, so the rename is refused when the graph's size
        changed meanwhile. NOTE: a write in that window that changes no count, such as a
        property update, is not detected and is lost.

        :raises GraphChanged: when the graph's size differs from the image's source.
        """
        connection = self._db.connection
        staging = f"{self.graph_name}__bulk"
        connection.delete(staging)
        try:
            # The server builds from one command while the next is encoded.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="graph-bulk") as sender:
                sent = None
                for arguments in bulk_commands(image):
                    if sent is not None:
                        sent.result()
                    sent = sender.submit(connection.execute_command, "GRAPH.BULK", staging, *arguments)
                if sent is not None:
                    sent.result()
            if self._size() != image.copied_size:
                raise GraphChanged(f"graph {self.graph_name} changed while its replacement was built")
            connection.rename(staging, self.graph_name)
        except BaseException:
            connection.delete(staging)
            raise
        self.server.compact_log()
        logger.info(
            "Graph %s rebuilt in bulk: %d nodes, %d relationships",
            self.graph_name,
            len(image),
            len(image.relationships),
        )
        self.ensure_schema()

    def _size(self) -> tuple[int, int]:
        rows = self.read(GRAPH_SIZE)
        return (rows[0]["nodes"], rows[0]["relationships"]) if rows else (0, 0)

    def delete_graph(self) -> None:
        """Delete the whole graph; tests use this to start from nothing."""
        try:
            self._graph.delete()
        except redis.ResponseError as error:
            if "empty key" not in str(error).lower() and "invalid graph" not in str(error).lower():
                raise

    def close(self) -> None:
        # A forked child (an RQ work horse) shares the parent's lease and must not give it up.
        if self._db is None or os.getpid() != self._owner_pid:
            return
        self._db.connection.close()
        self._db = None
        self.server.release()


def _rows_of(result) -> list[Row]:
    columns = [name for _type, name in result.header]
    return plain_rows(columns, result.result_set, _to_plain)


#: Values returned as they are; checked first, since a large read is mostly such values.
SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})


def _to_plain(value: Any) -> Any:
    if type(value) in SCALAR_TYPES:
        return value
    if isinstance(value, Node | Edge):
        return {key: _to_plain(item) for key, item in value.properties.items()}
    if isinstance(value, GraphPath):
        return {
            "nodes": [_to_plain(node) for node in value.nodes()],
            "edges": [_to_plain(e) for e in value.edges()],
        }
    if isinstance(value, Mapping):
        return {key: _to_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_to_plain(item) for item in value]
    return value


def _translated(error: redis.RedisError) -> Exception:
    message = str(error)
    if isinstance(error, redis.ConnectionError | redis.TimeoutError):
        return GraphUnavailable(f"the embedded FalkorDB server cannot be reached: {message}")
    if "timed out" in message.lower():
        return QueryTimedOut(message)
    if "unique constraint" in message.lower() or "constraint violation" in message.lower():
        return ConstraintViolation(message)
    return QueryFailed(message)
