"""The production engine: Neo4j through the official driver.

One driver per process. RQ forks a work horse for each job, and a driver must not cross a fork,
so jobs open their own store inside the job.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, LiteralString

import neo4j
from neo4j.exceptions import (
    ClientError,
    ConstraintError,
    DriverError,
    Neo4jError,
)
from neo4j.graph import Node, Path, Relationship

from c360.config import Settings
from graph_model.exceptions import ConstraintViolation, GraphUnavailable, QueryFailed, QueryTimedOut
from graph_model.schema import MAX_PATH_LENGTH, NODE_INDEXES, NODE_KEYS
from graph_model.store import Row, plain_rows

logger = logging.getLogger(__name__)


class Neo4jStore:
    """A graph store on a Neo4j server (or any server speaking Bolt with Neo4j's Cypher)."""

    engine_name = "neo4j"
    # Neo4j takes the length bound only as a literal, not as a parameter.
    # NOTE: this clause has not run against a real Neo4j; FalkorDB over Bolt rejects shortestPath
    # in MATCH, so the Bolt tests cannot reach it.
    shortest_path_match = f"""
MATCH (a:Customer {{customer_id: $source}}), (b:Customer {{customer_id: $target}})
MATCH path = shortestPath((a)-[:RELATED_TO|HOLDS*..{MAX_PATH_LENGTH}]-(b))
WHERE none(r IN relationships(path) WHERE coalesce(r.review_status, '') = 'rejected')
"""

    def __init__(
        self, driver: neo4j.Driver, database: str | None, *, read_timeout_ms: int, write_timeout_ms: int
    ):
        self._driver = driver
        self.database = database
        self.read_timeout_s = read_timeout_ms / 1000
        self.write_timeout_s = write_timeout_ms / 1000

    @classmethod
    def connect(cls, settings: Settings, *, database: str | None = None) -> Neo4jStore:
        driver = neo4j.GraphDatabase.driver(
            settings.graph_url, auth=(settings.graph_user, settings.graph_password)
        )
        try:
            driver.verify_connectivity()
        except (Neo4jError, DriverError) as error:
            # Besides ServiceUnavailable and AuthError this covers servers that report a rejected
            # login another way (FalkorDB's Bolt listener sends a DatabaseError).
            driver.close()
            # The URL is not logged or shown whole: it may carry credentials.
            raise GraphUnavailable(f"Neo4j cannot be reached or rejected the login: {error}") from error
        return cls(
            driver,
            database,
            read_timeout_ms=settings.read_timeout_ms,
            write_timeout_ms=settings.write_timeout_ms,
        )

    def read(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._run(cypher, params, neo4j.READ_ACCESS, self.read_timeout_s)

    def write(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._run(cypher, params, neo4j.WRITE_ACCESS, self.write_timeout_s)

    def _run(self, cypher, params, access_mode: str, timeout_s: float) -> list[Row]:
        # A managed transaction rejects a neo4j.Query, so its time limit is set on the
        # transaction function instead. The rows are read inside the function, because a
        # retried transaction must produce its rows again.
        @neo4j.unit_of_work(timeout=timeout_s)
        def unit_of_work(tx: neo4j.ManagedTransaction) -> list[Row]:
            result = tx.run(cypher, dict(params or {}))
            return plain_rows(result.keys(), (record.values() for record in result), _to_plain)

        try:
            with self._driver.session(database=self.database, default_access_mode=access_mode) as session:
                if access_mode == neo4j.READ_ACCESS:
                    return session.execute_read(unit_of_work)
                return session.execute_write(unit_of_work)
        except Neo4jError as error:
            raise _translated(error) from error
        except DriverError as error:
            # ServiceUnavailable, SessionExpired, a connection pool timeout: the server is out of reach.
            raise GraphUnavailable(f"Neo4j cannot be reached: {error}") from error

    def ensure_schema(self) -> None:
        # Neo4j 5 syntax; labels and properties come from graph_model.schema, never from input.
        for node_key in NODE_KEYS:
            name = f"c360_{node_key.label.lower()}_{node_key.key}_unique"
            self.write(
                f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                f"FOR (n:{node_key.label}) REQUIRE n.{node_key.key} IS UNIQUE"
            )
        for label, prop in NODE_INDEXES:
            self.write(
                f"CREATE INDEX c360_{label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
            )

    def close(self) -> None:
        self._driver.close()


def _to_plain(value: Any) -> Any:
    if isinstance(value, Node | Relationship):
        return {key: _to_plain(item) for key, item in value.items()}
    if isinstance(value, Path):
        return {
            "nodes": [_to_plain(node) for node in value.nodes],
            "edges": [_to_plain(r) for r in value.relationships],
        }
    if isinstance(value, Mapping):
        return {key: _to_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_to_plain(item) for item in value]
    return value


def _translated(error: Neo4jError) -> Exception:
    code = error.code or ""
    if isinstance(error, ConstraintError) or "ConstraintValidationFailed" in code:
        return ConstraintViolation(error.message or str(error))
    if "TransactionTimedOut" in code or "timed out" in str(error).lower():
        return QueryTimedOut(error.message or str(error))
    if isinstance(error, ClientError):
        return QueryFailed(f"{code}: {error.message}")
    return QueryFailed(str(error))
