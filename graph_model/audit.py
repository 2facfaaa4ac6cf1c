"""The audit trail: one append-only ``AuditEvent`` node per view, refusal, unmasking, export or change.

Nothing in the product updates or deletes an ``AuditEvent``. Each event records who did what, when,
to which record, and for changes the value before and after. Events about a customer also carry
the customer's number, so that an auditor can list everything that happened around one customer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph_model.store import GraphStore

RECORD_EVENT = "CREATE (e:AuditEvent) SET e = $event"

AUDIT_EVENTS = """
MATCH (e:AuditEvent)
WHERE ($user IS NULL OR e.user = $user)
  AND ($customer_id IS NULL OR e.customer_id = $customer_id)
  AND ($action IS NULL OR e.action = $action)
  AND ($since IS NULL OR e.at >= $since)
  AND ($until IS NULL OR e.at < $until)
RETURN e {.*} AS event
ORDER BY e.at DESC
LIMIT $limit
"""


@dataclass(frozen=True)
class AuditFilter:
    """The events to list; ``None`` leaves a field unfiltered. Times are ISO 8601 in UTC."""

    user: str | None = None
    customer_id: str | None = None
    action: str | None = None
    since: str | None = None
    until: str | None = None


def record_audit_event(
    store: GraphStore,
    *,
    user: str,
    action: str,
    subject: str,
    before: str | None = None,
    after: str | None = None,
    customer_id: str | None = None,
    detail: str | None = None,
) -> None:
    """Record who did what to which record, with the value before and after a change."""
    store.write(
        RECORD_EVENT,
        {
            "event": {
                "event_id": uuid.uuid4().hex,
                "at": datetime.now(UTC).isoformat(timespec="microseconds"),
                "user": user,
                "action": action,
                "subject": subject,
                "before": before,
                "after": after,
                "customer_id": customer_id,
                "detail": detail,
            }
        },
    )


def audit_events(store: GraphStore, wanted: AuditFilter, limit: int) -> list[dict[str, Any]]:
    """Return the newest events that match, newest first."""
    params = {
        "user": wanted.user,
        "customer_id": wanted.customer_id,
        "action": wanted.action,
        "since": wanted.since,
        "until": wanted.until,
        "limit": limit,
    }
    return [row["event"] for row in store.read(AUDIT_EVENTS, params)]
