"""The route that dismisses one reminder of the reminders module (R24) of the retail 360 page.

Users who may maintain customer data dismiss a reminder; it then stays hidden for everyone until
the rules generate a new occurrence, which has a new key.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from app.access import audit, permission_required, require_customer
from app.database import graph_store
from app.retail.reminder_panel import current_reminders
from app.retail.routes import bp
from c360.roles import MAINTAIN
from graph_model.reminders import dismiss_reminder

logger = logging.getLogger(__name__)

#: Characters of a rejected reminder key written to the log.
LOGGED_KEY_LENGTH = 100


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
    _data_date, reminders = current_reminders(store, customer_id)
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


def _back(customer_id: str, message: str, category: str):
    flash(message, category)
    return redirect(url_for("retail.customer_page", customer_id=customer_id) + "#module-R24")
