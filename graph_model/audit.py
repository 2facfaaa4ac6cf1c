"""The audit trail: one append-only ``AuditEvent`` node per change a user makes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from graph_model.store import GraphStore

RECORD_EVENT = "CREATE (e:AuditEvent) SET e = $event"


def record_audit_event(
    store: GraphStore, *, user: str, action: str, subject: str, before: str | None, after: str | None
) -> None:
    """Record who did what to which record, with the value before and after."""
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
            }
        },
    )
