"""Writes of listed companies, their top-ten shareholders and their executives.

A holding of a company missing from the company list creates that company from its stock code.
Listed companies are ``Company`` nodes keyed ``stock:<six-digit code>``. Shareholders that this
data names only by name are keyed ``name:<name>``, as ``Company`` or ``Person`` nodes, so one
name is one node: two different people of the same name are merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph_model.store import GraphStore, write_in_batches

UPSERT_LISTED_COMPANIES = """
UNWIND $rows AS row
MERGE (c:Company {company_id: row.company_id})
SET c.name = coalesce(row.name, c.name), c.stock_code = row.stock_code, c.listed = true,
    c.ts_code = coalesce(row.ts_code, c.ts_code), c.exchange = coalesce(row.exchange, c.exchange),
    c.list_date = coalesce(row.list_date, c.list_date),
    c.list_status = coalesce(row.list_status, c.list_status), c.source = row.source
"""


def _shareholdings(find_holder: str) -> str:
    """Return the shareholding write for one kind of holder; only the holder's pattern differs."""
    return f"""
UNWIND $rows AS row
MERGE (target:Company {{company_id: row.company_id}})
ON CREATE SET target.stock_code = row.stock_code, target.ts_code = row.ts_code, target.listed = true
{find_holder}
MERGE (holder)-[s:HOLDS_SHARES {{period_end: row.period_end, holder_account: row.holder_account}}]->(target)
SET s.announced = row.announced, s.shares = row.shares, s.ratio_percent = row.ratio_percent,
    s.source = row.source
"""


UPSERT_COMPANY_SHAREHOLDINGS = _shareholdings(
    "MERGE (holder:Company {company_id: row.holder_id})\n"
    "ON CREATE SET holder.name = row.holder_name, holder.holder_kind = row.holder_kind,\n"
    "    holder.source = row.source"
)
UPSERT_PERSON_SHAREHOLDINGS = _shareholdings(
    "MERGE (holder:Person {person_id: row.holder_id})\n"
    "ON CREATE SET holder.name = row.holder_name, holder.source = row.source"
)

UPSERT_EXECUTIVES = """
UNWIND $rows AS row
MERGE (p:Person {person_id: row.person_id})
SET p.name = row.name, p.gender = row.gender, p.age = row.age, p.source = row.source
"""

UPSERT_EXECUTIVE_ROLES = """
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (c:Company {company_id: row.company_id})
MERGE (p)-[r:SERVES_AS]->(c)
SET r.roles = row.roles, r.title = row.title, r.source = row.source
"""

SET_COMPANY_CLASSIFICATION = """
UNWIND $rows AS row
MATCH (c:Company {company_id: row.company_id})
SET c.exchange_industries = row.industries, c.concepts = row.concepts
"""

CYPHER_BY_ENTITY: Mapping[str, str] = {
    "listed_company": UPSERT_LISTED_COMPANIES,
    "company_shareholding": UPSERT_COMPANY_SHAREHOLDINGS,
    "person_shareholding": UPSERT_PERSON_SHAREHOLDINGS,
    "executive": UPSERT_EXECUTIVES,
    "executive_role": UPSERT_EXECUTIVE_ROLES,
    "classification": SET_COMPANY_CLASSIFICATION,
}


def upsert_corporate_records(
    store: GraphStore, entity: str, rows: Iterable[Mapping[str, Any]], batch_size: int
) -> int:
    """Write one entity's rows in batches; returns how many rows were sent."""
    return write_in_batches(store, CYPHER_BY_ENTITY[entity], rows, batch_size)
