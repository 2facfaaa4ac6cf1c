"""Repository functions for the record modules of a 360 page: a customer's ratings, holdings, events...

Each kind of record hangs off the customer by one relationship type and is listed newest first.
Labels, relationship types and sort properties come from ``RECORD_KINDS``, never from input.
Only current records are listed: a snapshot feed ends a vanished record's link with ``valid_to``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_model.store import GraphStore


@dataclass(frozen=True)
class RecordKind:
    relationship: str
    label: str
    #: Property the records are listed by, newest (largest) first.
    newest_first_by: str
    #: A second node reached from the record, whose properties come with it (e.g. the product).
    detail_relationship: str | None = None
    detail_label: str | None = None


RECORD_KINDS: dict[str, RecordKind] = {
    "ratings": RecordKind("HAS_RATING", "Rating", "rating_date"),
    "holdings": RecordKind("HAS_HOLDING", "Holding", "start_date", "OF_PRODUCT", "Product"),
    "credit_lines": RecordKind("HAS_CREDIT_LINE", "CreditLine", "start_date"),
    "guarantees": RecordKind("HAS_GUARANTEE", "Guarantee", "start_date"),
    "agreements": RecordKind("HAS_AGREEMENT", "Agreement", "sign_date"),
    "contributions": RecordKind("HAS_CONTRIBUTION", "Contribution", "period"),
    "credit_cards": RecordKind("HAS_CARD", "CreditCard", "issued_date"),
    "complaints": RecordKind("FILED", "Complaint", "received_at"),
    "campaigns": RecordKind("PARTICIPATED", "CampaignParticipation", "joined_date"),
    "needs": RecordKind("EXPRESSED", "Need", "captured_date"),
    "contacts": RecordKind("CONTACTED_IN", "ContactEvent", "contact_time"),
    "points": RecordKind("HAS_POINTS", "PointsAccount", "points_account_id"),
    "channel_events": RecordKind("ACTED_ON", "ChannelEvent", "event_time"),
    "key_events": RecordKind("HAD_EVENT", "KeyEvent", "event_date"),
    "major_events": RecordKind("HAD_MAJOR_EVENT", "MajorEvent", "event_date"),
    "preferences": RecordKind("HAS_PREFERENCE", "Preference", "recorded_on"),
    "managers": RecordKind("MANAGED_BY", "Manager", "manager_id", "WORKS_AT", "Branch"),
}


def _records_query(kind: RecordKind) -> str:
    detail = (
        f"OPTIONAL MATCH (n)-[:{kind.detail_relationship}]->(detail:{kind.detail_label})\n"
        if kind.detail_relationship
        else "WITH c, r, n, null AS detail\n"
    )
    return (
        f"MATCH (c:Customer {{customer_id: $customer_id}})-[r:{kind.relationship}]->(n:{kind.label})\n"
        "WHERE r.valid_to IS NULL\n"
        f"{detail}"
        f"RETURN n {{.*}} AS record, r {{.*}} AS link, detail {{.*}} AS detail\n"
        f"ORDER BY n.{kind.newest_first_by} DESC\n"
        "SKIP $skip LIMIT $limit"
    )


def _count_query(kind: RecordKind) -> str:
    return (
        f"MATCH (c:Customer {{customer_id: $customer_id}})-[r:{kind.relationship}]->(n:{kind.label})\n"
        "WHERE r.valid_to IS NULL\n"
        "RETURN count(n) AS records"
    )


RECORD_QUERIES = {name: (_records_query(kind), _count_query(kind)) for name, kind in RECORD_KINDS.items()}


MANAGER_NAMES = """
MATCH (m:Manager)
WHERE m.manager_id IN $manager_ids
RETURN m.manager_id AS manager_id, m.name AS name
"""


def manager_names(store: GraphStore, manager_ids: set[str]) -> dict[str, str]:
    """Return the names of the CRM's managers among ``manager_ids``, by id; unknown ids are left out."""
    if not manager_ids:
        return {}
    rows = store.read(MANAGER_NAMES, {"manager_ids": sorted(manager_ids)})
    return {row["manager_id"]: row["name"] for row in rows if row["name"]}


def customer_records(
    store: GraphStore, customer_id: str, kind: str, *, skip: int = 0, limit: int = 20
) -> tuple[list[dict[str, Any]], int]:
    """Return one page of the customer's current records of ``kind``, newest first, and their total.

    Each row holds the properties of the record (``record``), of its link to the customer
    (``link``) and of its detail node (``detail``, or None).
    """
    records_query, count_query = RECORD_QUERIES[kind]
    params = {"customer_id": customer_id}
    total = store.read(count_query, params)[0]["records"]
    rows = store.read(records_query, params | {"skip": skip, "limit": limit}) if total else []
    return rows, total
