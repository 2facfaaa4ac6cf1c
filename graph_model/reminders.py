"""Repository functions behind a customer's reminders: the facts the rules read, and dismissals.

The rules themselves are in ``c360.reminder_rules``. A dismissal is a ``ReminderDismissal`` node
linked ``(Customer)-[:DISMISSED_REMINDER]->``, keyed by the customer and the reminder key, with
who dismissed it and when. Dismissals are only ever added.
"""

from __future__ import annotations

from typing import Any

from graph_model.store import GraphStore

LATEST_FEED_BUSINESS_DATE = """
MATCH (r:LoadRun)
WHERE r.status = 'loaded' AND r.business_date IS NOT NULL
RETURN max(r.business_date) AS business_date
"""

CUSTOMER_BIRTH_DATE = """
MATCH (c:Customer {customer_id: $customer_id})
RETURN c.birth_date AS birth_date
"""

HOLDINGS_WITH_MATURITY = """
MATCH (:Customer {customer_id: $customer_id})-[r:HAS_HOLDING]->(h:Holding)
WHERE r.valid_to IS NULL AND h.maturity_date IS NOT NULL
OPTIONAL MATCH (h)-[:OF_PRODUCT]->(p:Product)
RETURN h.holding_id AS holding_id, coalesce(p.name, h.product_code) AS product, h.balance AS balance,
       h.maturity_date AS maturity_date
"""

CREDIT_LINES_WITH_END = """
MATCH (:Customer {customer_id: $customer_id})-[r:HAS_CREDIT_LINE]->(l:CreditLine)
WHERE r.valid_to IS NULL AND l.end_date IS NOT NULL
RETURN l.credit_line_id AS credit_line_id, l.limit_amount AS limit_amount, l.used_amount AS used_amount,
       l.end_date AS end_date, l.status AS status
"""

OVERDUE_CREDIT_CARDS = """
MATCH (:Customer {customer_id: $customer_id})-[r:HAS_CARD]->(k:CreditCard)
WHERE r.valid_to IS NULL AND k.overdue_days > 0
RETURN k.card_id AS card_id, k.credit_limit AS credit_limit, k.overdue_days AS overdue_days
"""

OWNED_LOANS = """
MATCH (:Customer {customer_id: $customer_id})-[:HOLDS {role: 'owner'}]->(:Account)-[:HAS_LOAN]->(l:Loan)
RETURN l.loan_id AS loan_id, l.granted_date AS granted_date, l.amount AS amount, l.status AS status
"""

# A debit whose counterparty is an account the customer also holds is a transfer between their own
# accounts.
DEBITS_SINCE = """
MATCH (c:Customer {customer_id: $customer_id})-[:HOLDS {role: 'owner'}]->(:Account)-[:POSTED]->(t:Transaction)
WHERE t.direction = 'debit' AND t.date >= $since AND t.date <= $until
OPTIONAL MATCH (t)-[:WITH_COUNTERPARTY]->(:CounterpartyAccount)-[:SAME_AS]->(own:Account)<-[:HOLDS]-(c)
RETURN t.transaction_id AS transaction_id, t.date AS date, t.amount AS amount,
       count(own) > 0 AS to_own_account
"""

NEWEST_TWO_RATINGS = """
MATCH (:Customer {customer_id: $customer_id})-[r:HAS_RATING]->(n:Rating)
WHERE r.valid_to IS NULL
RETURN n.rating_date AS rating_date, n.grade AS grade
ORDER BY n.rating_date DESC
LIMIT 2
"""

LEVEL_CHANGE_EVENTS = """
MATCH (:Customer {customer_id: $customer_id})-[r:HAD_EVENT]->(e:KeyEvent {event_type: 'LEVEL_CHANGE'})
WHERE r.valid_to IS NULL
RETURN e.event_id AS event_id, e.event_date AS event_date, e.detail AS detail
"""

DISMISSED_REMINDERS = """
MATCH (:Customer {customer_id: $customer_id})-[:DISMISSED_REMINDER]->(d:ReminderDismissal)
RETURN d.reminder_key AS reminder_key, d.dismissed_by AS dismissed_by, d.dismissed_at AS dismissed_at
"""

DISMISS_REMINDER = """
MATCH (c:Customer {customer_id: $customer_id})
OPTIONAL MATCH (earlier:ReminderDismissal {dismissal_id: $dismissal_id})
WITH c, earlier IS NULL AS created
MERGE (d:ReminderDismissal {dismissal_id: $dismissal_id})
ON CREATE SET d.customer_id = $customer_id, d.reminder_key = $reminder_key, d.dismissed_by = $user,
              d.dismissed_at = $at
MERGE (c)-[:DISMISSED_REMINDER]->(d)
RETURN created
"""


def latest_feed_business_date(store: GraphStore) -> str | None:
    """Return the business date of the newest loaded feed file, or None when no feed file was loaded.

    Loads of the Berka files record no business date.
    """
    rows = store.read(LATEST_FEED_BUSINESS_DATE)
    return rows[0]["business_date"] if rows else None


def reminder_facts(
    store: GraphStore, customer_id: str, *, debits_since: str, until: str
) -> dict[str, Any] | None:
    """Return what the reminder rules read about the customer, or None when there is no such customer.

    The keys are the fields of ``c360.reminder_rules.CustomerFacts``. Debits are those posted from
    ``debits_since`` to ``until`` (ISO dates, both included) on accounts the customer owns.
    """
    params = {"customer_id": customer_id}
    customer = store.read(CUSTOMER_BIRTH_DATE, params)
    if not customer:
        return None
    return {
        "customer_id": customer_id,
        "birth_date": customer[0]["birth_date"],
        "holdings": store.read(HOLDINGS_WITH_MATURITY, params),
        "credit_lines": store.read(CREDIT_LINES_WITH_END, params),
        "credit_cards": store.read(OVERDUE_CREDIT_CARDS, params),
        "loans": store.read(OWNED_LOANS, params),
        "debits": store.read(DEBITS_SINCE, params | {"since": debits_since, "until": until}),
        "ratings": store.read(NEWEST_TWO_RATINGS, params),
        "level_events": store.read(LEVEL_CHANGE_EVENTS, params),
    }


def dismissed_reminders(store: GraphStore, customer_id: str) -> dict[str, dict[str, Any]]:
    """Return the customer's dismissals by reminder key, each with ``dismissed_by`` and ``dismissed_at``."""
    rows = store.read(DISMISSED_REMINDERS, {"customer_id": customer_id})
    return {row["reminder_key"]: row for row in rows}


def dismiss_reminder(
    store: GraphStore, customer_id: str, reminder_key: str, *, user: str, at: str
) -> bool | None:
    """Store that ``user`` dismissed the reminder at ``at``.

    Returns True when stored, False when the reminder had been dismissed already (the first
    dismissal is kept), and None when there is no such customer.
    """
    params = {
        "customer_id": customer_id, "dismissal_id": f"{customer_id}|{reminder_key}",
        "reminder_key": reminder_key, "user": user, "at": at,
    }  # fmt: skip
    rows = store.write(DISMISS_REMINDER, params)
    return bool(rows[0]["created"]) if rows else None
