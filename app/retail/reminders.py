"""The reminders module (R24) of the retail 360 page, and the route that dismisses one reminder.

Reminders are generated on each request from the graph's facts by the rules in
``c360.reminder_rules``, for the data date: the business date of the newest loaded feed file,
or, when no feed file was loaded (as with the Berka data), the date of the newest loaded
transaction. The page says which of the two it is.
Users who may maintain customer data dismiss a reminder; it then stays hidden for everyone until
the rules generate a new occurrence, which has a new key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
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
from graph_model.customers import newest_transaction_date
from graph_model.reminders import (
    dismiss_reminder,
    dismissed_reminders,
    latest_feed_business_date,
    reminder_facts,
)
from graph_model.store import GraphStore

logger = logging.getLogger(__name__)

THRESHOLDS_KEY = "C360_REMINDER_THRESHOLDS"
#: Characters of a rejected reminder key written to the log.
LOGGED_KEY_LENGTH = 100
FEED_DATE = "最新一批已加载数据的业务日期"
TRANSACTION_DATE = "尚未加载日终批量数据，取已加载交易的最新日期"
NO_DATA_DATE = "尚无已加载的数据，取今天的日期"


@dataclass(frozen=True)
class DataDate:
    day: date
    #: Chinese description of where the date comes from, shown on the page.
    basis: str


def reminder_panel(store: GraphStore, customer_id: str) -> dict[str, Any]:
    """Return the customer's reminders for the page.

    The dict contains ``data_date`` (ISO), ``data_date_basis`` (what that date is, in Chinese),
    ``pending`` (the reminders not dismissed, in listing order) and ``dismissed``: (reminder,
    dismissal) pairs of the reminders still generated that a user dismissed, with
    ``dismissed_by`` and ``dismissed_at``.
    """
    data_date, reminders = _current_reminders(store, customer_id)
    dismissals = dismissed_reminders(store, customer_id)
    return {
        "data_date": data_date.day.isoformat(),
        "data_date_basis": data_date.basis,
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
    _data_date, reminders = _current_reminders(store, customer_id)
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


def _current_reminders(store: GraphStore, customer_id: str) -> tuple[DataDate, list[Reminder]]:
    """Return the data date and every reminder the rules generate for the customer on it.

    :raises NotFound: (404) when there is no such customer.
    """
    thresholds: ReminderThresholds = current_app.config[THRESHOLDS_KEY]
    data_date = _data_date(store)
    today = data_date.day
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
    return data_date, customer_reminders(CustomerFacts(**facts), thresholds, today)


def _data_date(store: GraphStore) -> DataDate:
    stored, basis = latest_feed_business_date(store), FEED_DATE
    if stored is None:
        stored, basis = newest_transaction_date(store), TRANSACTION_DATE
    if stored is None:
        return DataDate(date.today(), NO_DATA_DATE)
    try:
        return DataDate(date.fromisoformat(stored), basis)
    except ValueError:
        logger.warning("Data date %r is not an ISO date; reminders use today's date", stored)
        return DataDate(date.today(), NO_DATA_DATE)


def _back(customer_id: str, message: str, category: str):
    flash(message, category)
    return redirect(url_for("retail.customer_page", customer_id=customer_id) + "#module-R24")
