"""Load runs and graph statistics: what was loaded when, and how much the graph contains."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph_model.store import GraphStore

#: Labels that record the product's own work rather than customer data; statistics list them apart.
BOOKKEEPING_LABELS = frozenset({"LoadRun", "User", "AuditEvent", "ViewConfig", "RecommendationRule"})

RECORD_LOAD_RUN = """
CREATE (r:LoadRun)
SET r = $run
"""

RECENT_LOAD_RUNS = """
MATCH (r:LoadRun)
RETURN r {.*} AS run
ORDER BY r.started_at DESC
LIMIT $limit
"""

COUNT_NODES_BY_LABEL = """
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS count
"""

COUNT_RELATIONSHIPS_BY_TYPE = """
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
"""


def record_load_run(store: GraphStore, run: Mapping[str, Any]) -> None:
    """Store one load run: source, path, start and end time, counts per entity, rejects."""
    store.write(RECORD_LOAD_RUN, {"run": dict(run)})


def recent_load_runs(store: GraphStore, limit: int = 20) -> list[dict[str, Any]]:
    return [row["run"] for row in store.read(RECENT_LOAD_RUNS, {"limit": limit})]


def graph_statistics(store: GraphStore) -> dict[str, dict[str, int]]:
    """Count customer-data nodes per label and relationships per type; bookkeeping nodes apart."""
    nodes: dict[str, int] = {}
    bookkeeping: dict[str, int] = {}
    for row in store.read(COUNT_NODES_BY_LABEL):
        target = bookkeeping if row["label"] in BOOKKEEPING_LABELS else nodes
        target[row["label"]] = row["count"]
    relationships = {row["type"]: row["count"] for row in store.read(COUNT_RELATIONSHIPS_BY_TYPE)}
    return {
        "nodes": dict(sorted(nodes.items())),
        "relationships": dict(sorted(relationships.items())),
        "bookkeeping": dict(sorted(bookkeeping.items())),
    }
