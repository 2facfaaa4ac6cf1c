"""Customer search and the retail 360 page (overview R01, accounts R12, transactions R17, graph R03)."""

from __future__ import annotations

import logging
import unicodedata

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from app import labels
from app.database import graph_store
from app.retail.network_view import customer_network
from graph_model.customers import (
    customer_accounts,
    customer_overview,
    month_end_balances,
    recent_transactions,
    search_customers,
)

logger = logging.getLogger(__name__)

bp = Blueprint("retail", __name__)

MAX_SEARCH_TERM = 64
#: Maximum number of customers one search lists; the page shows a notice when there were more.
SEARCH_RESULTS_SHOWN = 50
RECENT_DAYS = 30


@bp.route("/")
@login_required
def search():
    # Chinese input methods often type full-width digits and letters; NFKC makes them ASCII.
    term = unicodedata.normalize("NFKC", request.args.get("q", "")).strip()
    error = None
    results = []
    if len(term) > MAX_SEARCH_TERM:
        error = f"查询内容过长，请输入不超过 {MAX_SEARCH_TERM} 个字符。"
    elif term:
        results = search_customers(graph_store(), term, limit=SEARCH_RESULTS_SHOWN + 1)
    return render_template(
        "retail/search.html",
        term=term,
        results=results[:SEARCH_RESULTS_SHOWN],
        more=len(results) > SEARCH_RESULTS_SHOWN,
        error=error,
        labels=labels,
    )


@bp.route("/customers/<customer_id>")
@login_required
def customer_page(customer_id: str):
    store = graph_store()
    overview = customer_overview(store, customer_id)
    if overview is None:
        abort(404)
    logger.info("Customer %s viewed by %s", customer_id, current_user.username)
    balances = month_end_balances(store, customer_id)
    return render_template(
        "retail/customer.html",
        overview=overview,
        customer=overview["customer"],
        accounts=customer_accounts(store, customer_id),
        recent=recent_transactions(store, customer_id, days=RECENT_DAYS),
        recent_days=RECENT_DAYS,
        balance_chart=_balance_chart(balances),
        network=customer_network(store, overview["customer"]),
        labels=labels,
    )


def _balance_chart(balances: dict[str, list[tuple[str, float]]]) -> dict:
    """Shape month-end balances for ECharts: one line per account over the union of months."""
    months = sorted({month for points in balances.values() for month, _ in points})
    series = []
    for account_id, points in balances.items():
        by_month = dict(points)
        series.append({"name": f"账户 {account_id}", "data": [by_month.get(month) for month in months]})
    return {"months": months, "series": series}
