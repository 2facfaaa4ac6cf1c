"""Writes and reads of reference data: administrative divisions and industry codes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph_model.store import GraphStore, write_in_batches

UPSERT_DIVISIONS = """
UNWIND $rows AS row
MERGE (d:AdminDivision {code: row.code})
SET d.name = row.name, d.province = row.province, d.prefecture = row.prefecture, d.level = row.level,
    d.status = row.status, d.valid_from = row.valid_from, d.retired_in = row.retired_in,
    d.successor_codes = row.successor_codes
"""

LINK_DIVISION_SUCCESSORS = """
UNWIND $rows AS row
MATCH (old:AdminDivision {code: row.code})
UNWIND row.successor_codes AS successor_code
MATCH (new:AdminDivision {code: successor_code})
WHERE new <> old
MERGE (old)-[:SUCCEEDED_BY]->(new)
"""

UPSERT_INDUSTRIES = """
UNWIND $rows AS row
MERGE (i:Industry {code: row.code})
SET i.level = row.level, i.name = row.name, i.section = row.section, i.parent_code = row.parent_code,
    i.remark = row.remark
"""

LINK_INDUSTRY_PARENTS = """
UNWIND $rows AS row
MATCH (child:Industry {code: row.code})
MATCH (parent:Industry {code: row.parent_code})
MERGE (child)-[:PART_OF]->(parent)
"""

DIVISION_BY_CODE = """
MATCH (d:AdminDivision {code: $code})
RETURN d {.*} AS division
"""

ALL_DIVISION_CODES = """
MATCH (d:AdminDivision)
RETURN d.code AS code
"""

INDUSTRY_PATH = """
MATCH (i:Industry {code: $code})
OPTIONAL MATCH (i)-[:PART_OF*1..3]->(ancestor:Industry)
RETURN i {.*} AS industry, collect(ancestor {.*}) AS ancestors
"""


def upsert_divisions(store: GraphStore, rows: Iterable[Mapping[str, Any]], batch_size: int) -> int:
    """Write divisions, then link each retired or renamed code to the codes that replaced it."""
    rows = list(rows)
    written = write_in_batches(store, UPSERT_DIVISIONS, rows, batch_size)
    write_in_batches(store, LINK_DIVISION_SUCCESSORS, [r for r in rows if r["successor_codes"]], batch_size)
    return written


def upsert_industries(store: GraphStore, rows: Iterable[Mapping[str, Any]], batch_size: int) -> int:
    """Write industry codes, then link each code to the code one level above it."""
    rows = list(rows)
    written = write_in_batches(store, UPSERT_INDUSTRIES, rows, batch_size)
    write_in_batches(store, LINK_INDUSTRY_PARENTS, [r for r in rows if r["parent_code"]], batch_size)
    return written


def division(store: GraphStore, code: str) -> dict[str, Any] | None:
    rows = store.read(DIVISION_BY_CODE, {"code": code})
    return rows[0]["division"] if rows else None


def division_codes(store: GraphStore) -> set[str]:
    """Return every division code loaded, retired ones included; empty before the list is loaded."""
    return {row["code"] for row in store.read(ALL_DIVISION_CODES)}


def industry_with_ancestors(store: GraphStore, code: str) -> dict[str, Any] | None:
    """Return an industry code with its ancestors, the section (门类) last."""
    rows = store.read(INDUSTRY_PATH, {"code": code})
    if not rows:
        return None
    ancestors = sorted(rows[0]["ancestors"], key=lambda ancestor: -ancestor["level"])
    return {"industry": rows[0]["industry"], "ancestors": ancestors}
