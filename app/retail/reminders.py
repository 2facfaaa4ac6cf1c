"""The reminders module (R24) of the retail 360 page, and the route that dismisses one reminder.

Reminders are generated on each request from the graph's facts by the rules in
``c360.reminder_rules``, for the data date (see ``graph_model.reminders.reminder_reference_date``).
Users who may maintain customer data dismiss a reminder; it then stays hidden for everyone until
the rules generate a new occurrence, which has a new key.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from app.access import audit, permission_required, reference, require_customer
from app.database import graph_store
from app.retail.routes import bp
from c360.reminder_rules import (
    CustomerFacts,
    Reminder,
    customer_reminders,
    debits_needed_since,
    pending_reminders,
)
from c360.reminder_thresholds import ReminderThresholds
from c360.roles import MAINTAIN
from graph_model.reminders import (
    dismiss_reminder,
    dismissed_reminders,
    reminder_facts,
    reminder_reference_date,
)
from graph_model.store import GraphStore

logger = logging.getLogger(__name__)

THRESHOLDS_KEY = "C360_REMINDER_THRESHOLDS"
#: Characters of a rejected reminder key written to the log.
LOGGED_KEY_LENGTH = 100


def reminder_panel(store: GraphStore, customer_id: str) -> dict[str, Any]:
    """Return the customer's reminders for the page.

    The dict contains ``reference_date`` (the data date), ``pending`` (the reminders not
    dismissed, in listing order) and ``dismissed``: (reminder, dismissal) pairs of the
    reminders still generated that a user dismissed, with ``dismissed_by`` and ``dismissed_at``.
    """
    today, reminders = _current_reminders(store, customer_id)
    dismissals = dismissed_reminders(store, customer_id)
    return {
        "reference_date": today.isoformat(),
        "pending": pending_reminders(reminders, dismissals),
        "dismissed": [
            (reminder, dismissals[reminder.key]) for reminder in reminders if reminder.key in dismissals
        ],
    }


@bp.route("/customers/<customer_id>/reminders/dismiss", methods=["POST"])
@permission_required(MAINTAIN)
def dismiss(customer_id: str):
    """Dismiss the reminder named by the form's ``reminder_key``, audited, and return to the module.

    The key is compared as sent, never normalised, so only a key the rules generate for the
    customer on the data date is stored.
    """
    require_customer(customer_id, "api")
    key = request.form.get("reminder_key", "")
    store = graph_store()
    _today, reminders = _current_reminders(store, customer_id)
    reminder = next((item for item in reminders if item.key == key), None)
    if reminder is None:
        logger.info(
            "Reminder dismissal for customer %s by %s rejected: no current reminder %r",
            customer_id, current_user.username, key[:LOGGED_KEY_LENGTH],
        )  # fmt: skip
        return _back(customer_id, "该提醒已不存在（数据可能已更新），请刷新页面后查看当前的提醒。", "error")
    at = datetime.now(UTC).isoformat(timespec="seconds")
    stored = dismiss_reminder(store, customer_id, key, user=current_user.username, at=at)
    if stored is None:
        abort(404)
    if stored:
        subject = f"customer:{customer_id}"
        audit("dismiss_reminder", subject, customer_id=customer_id, detail=key, before=reminder.text)
        logger.info("Reminder %s of customer %s dismissed by %s", key, customer_id, current_user.username)
    return _back(customer_id, f"已将提醒标记为已处理：{reminder.text}", "info")


def _current_reminders(store: GraphStore, customer_id: str) -> tuple[date, list[Reminder]]:
    """Return the data date and every reminder the rules generate for the customer on it.

    :raises NotFound: (404) when there is no such customer.
    """
    thresholds: ReminderThresholds = current_app.config[THRESHOLDS_KEY]
    today = _reference_date(store)
    facts = reminder_facts(
        store,
        customer_id,
        debits_since=debits_needed_since(thresholds.large_outflow, today).isoformat(),
        until=today.isoformat(),
    )
    if facts is None:
        abort(404)
    # A card id may be the card number, which pages and logs show only masked, so keys carry a reference.
    facts["credit_cards"] = [card | {"card_id": reference(card["card_id"])} for card in facts["credit_cards"]]
    return today, customer_reminders(CustomerFacts(**facts), thresholds, today)


def _reference_date(store: GraphStore) -> date:
    stored = reminder_reference_date(store)
    if stored is None:
        return date.today()
    try:
        return date.fromisoformat(stored)
    except ValueError:
        logger.warning("Data date %r is not an ISO date; reminders use today's date", stored)
        return date.today()


def _back(customer_id: str, message: str, category: str):
    flash(message, category)
    return redirect(url_for("retail.customer_page", customer_id=customer_id) + "#module-R24")
