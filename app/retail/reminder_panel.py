"""The reminders module (R24) of the retail 360 page: the reminders the rules generate for a customer.

Reminders are generated on each request from the graph's facts by the rules in
``c360.reminder_rules``, for the data date: the business date of the newest loaded feed file,
or, when no feed file was loaded (as with the Berka data), the date of the newest loaded
transaction. The page says which of the two it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, current_app

from app.access import reference
from c360.reminder_rules import (
    CustomerFacts,
    Reminder,
    customer_reminders,
    debits_needed_since,
    pending_reminders,
)
from c360.reminder_thresholds import ReminderThresholds
from graph_model.customers import newest_transaction_date
from graph_model.reminders import dismissed_reminders, latest_feed_business_date, reminder_facts
from graph_model.store import GraphStore

logger = logging.getLogger(__name__)

THRESHOLDS_KEY = "C360_REMINDER_THRESHOLDS"
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
    data_date, reminders = current_reminders(store, customer_id)
    dismissals = dismissed_reminders(store, customer_id)
    return {
        "data_date": data_date.day.isoformat(),
        "data_date_basis": data_date.basis,
        "pending": pending_reminders(reminders, dismissals),
        "dismissed": [
            (reminder, dismissals[reminder.key]) for reminder in reminders if reminder.key in dismissals
        ],
    }


def current_reminders(store: GraphStore, customer_id: str) -> tuple[DataDate, list[Reminder]]:
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
