"""Customer search and the retail 360 page (overview R01, accounts R12, transactions R17, graph R03).

Every customer read goes through the user's data scope; out-of-scope requests are refused and
audited by channel (page, search, graph, export, api). Views are audited with the modules shown.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import labels
from app.access import audit, current_scope, permission_required, reference, refuse, refuse_permission
from app.database import graph_store
from app.exports import csv_download, file_download
from app.filters import DISPLAY_TIME_ZONE
from app.pdf_fonts import chinese_font
from app.retail.charts import (
    balance_chart,
    business_overview,
    channel_behaviour,
    customer_position,
    overview_charts,
)
from app.retail.maintenance_forms import MAINTAINED_MODULES
from app.retail.network_view import customer_network
from app.retail.page_views import DEFAULT_VIEW, RETAIL_MODULES, chosen_view, make_default_view
from app.retail.profile_export import customer_profile, profile_rows
from app.retail.profile_pdf import profile_pdf
from app.retail.profile_xlsx import profile_workbook
from app.retail.recommendation_panel import recommendation_panel
from app.retail.record_modules import RECORD_MODULES, module_records
from app.retail.reminder_panel import reminder_panel
from app.retail.transaction_filters import PAGE_SIZE, transaction_query
from c360.roles import EXPORT, MAINTAIN, READ_AUDIT, REVIEW_LINKS, UNMASK
from graph_model.customers import (
    SearchResults,
    customer_accounts,
    customer_overview,
    month_end_balances,
    recent_transactions,
    search_customers,
)
from graph_model.family import family_members
from graph_model.scope import OutOfScope
from graph_model.tags import customer_tags

logger = logging.getLogger(__name__)

bp = Blueprint("retail", __name__)

MAX_SEARCH_TERM = 64
SPACED_NUMBER = re.compile(r"[0-9Xx]+( [0-9Xx]+)+")
#: Maximum number of customers one search lists; the page shows a notice when there were more.
SEARCH_RESULTS_SHOWN = 50
RECENT_DAYS = 30
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Values a user with the unmask permission may show in full, with their names in the audit.
REVEALABLE_FIELDS = {"id_number": "证件号码", "mobile": "手机号码", "address": "地址", "account": "账号"}


@bp.route("/")
@login_required
def search():
    if not current_user.can_see_customers:
        # The auditor's start page is the audit trail; such a role has no customer to look for.
        return redirect(url_for("admin.audit_trail")) if current_user.can(READ_AUDIT) else abort(403)
    # Chinese input methods often type full-width digits and letters; NFKC makes them ASCII.
    term = unicodedata.normalize("NFKC", request.args.get("q", "")).strip()
    if SPACED_NUMBER.fullmatch(term):
        # Account and card numbers are often typed in groups of four.
        term = term.replace(" ", "")
    error = None
    results = SearchResults([], [])
    if len(term) > MAX_SEARCH_TERM:
        error = f"查询内容过长，请输入不超过 {MAX_SEARCH_TERM} 个字符。"
    elif term:
        results = search_customers(graph_store(), term, current_scope(), limit=SEARCH_RESULTS_SHOWN + 1)
        for customer_id in results.refused:
            logger.warning("Refused search access to customer %s for %s", customer_id, current_user.username)
            audit("access_refused", f"customer:{customer_id}", customer_id=customer_id, detail="search")
    return render_template(
        "retail/search.html",
        term=term,
        results=results.customers[:SEARCH_RESULTS_SHOWN],
        refused=len(results.refused),
        no_scope=current_scope().sees_nobody,
        more=len(results.customers) > SEARCH_RESULTS_SHOWN,
        error=error,
        labels=labels,
    )


@bp.route("/customers/<customer_id>")
@login_required
def customer_page(customer_id: str):
    store = graph_store()
    overview = _overview_in_scope(customer_id, "page")
    requested_view = request.args.get("view")
    view, views = chosen_view(requested_view)
    view_missing = bool(requested_view) and requested_view not in {item["view_id"] for item in views}
    shown = [module for module in view["modules"] if module in RETAIL_MODULES]
    accounts = customer_accounts(store, customer_id, current_scope()) if {"R12", "R17"} & set(shown) else []
    tx_query = transaction_query(request.args, [row["account"]["account_id"] for row in accounts])
    position = customer_position(store, customer_id) if {"R01", "R11", "R26"} & set(shown) else None
    if tx_query.errors:
        # The filter values are left out of the log: a counterparty may be an account number.
        invalid = len(tx_query.errors)
        logger.info(
            "%d invalid transaction filters for customer %s by %s",
            invalid,
            customer_id,
            current_user.username,
        )
    page = render_template(
        "retail/customer.html",
        overview=overview,
        customer=overview["customer"],
        view=view,
        views=views,
        default_view_id=_default_view_id(views),
        view_missing=view_missing,
        shown=shown,
        accounts=accounts,
        recent=(
            recent_transactions(
                store,
                customer_id,
                days=RECENT_DAYS,
                wanted=tx_query.wanted,
                skip=tx_query.skip,
                limit=PAGE_SIZE,
            )
            if "R17" in shown
            else None
        ),
        tx_query=tx_query,
        tx_accounts=accounts,
        tx_page_size=PAGE_SIZE,
        recent_days=RECENT_DAYS,
        balance_chart=balance_chart(month_end_balances(store, customer_id)) if "R01" in shown else None,
        overview_charts=overview_charts(store, customer_id, position) if "R01" in shown else None,
        business_overview=business_overview(position) if "R11" in shown else None,
        channel_behaviour=channel_behaviour(store, customer_id) if "R28" in shown else None,
        recommended=recommendation_panel(store, overview["customer"], position) if "R26" in shown else None,
        reminder_panel=reminder_panel(store, customer_id) if "R24" in shown else None,
        network=customer_network(store, overview["customer"], current_scope()) if "R03" in shown else None,
        tags=customer_tags(store, customer_id) if "R02" in shown else [],
        family=family_members(store, customer_id, current_scope()) if "R07" in shown else [],
        record_tables={
            module_id: module_records(store, customer_id, RECORD_MODULES[module_id])
            for module_id in shown
            if module_id in RECORD_MODULES
        },
        can_unmask=current_user.can(UNMASK),
        can_review=current_user.can(REVIEW_LINKS),
        can_maintain=current_user.can(MAINTAIN),
        maintained_modules=MAINTAINED_MODULES,
        can_export=current_user.can(EXPORT),
        labels=labels,
    )
    audit("view_customer", f"customer:{customer_id}", customer_id=customer_id, detail=",".join(shown))
    return page


@bp.route("/customers/<customer_id>/default-view", methods=["POST"])
@login_required
def choose_default_view(customer_id: str):
    """Make the posted view the user's default, and show the customer again in it."""
    view = make_default_view(request.form.get("view_id", ""))
    if view is None:
        logger.info("Default view %r of %s not found", request.form.get("view_id"), current_user.username)
        flash("该视图不存在或已被删除，请刷新页面后重试。", "error")
    else:
        logger.info("Default view of %s set to %s", current_user.username, view["view_id"])
        flash(f"已将“{view['name']}”设为您的默认视图。", "info")
    return redirect(url_for("retail.customer_page", customer_id=customer_id))


@bp.route("/customers/<customer_id>/network.json")
@login_required
def customer_network_data(customer_id: str):
    """Return the knowledge graph around a customer as JSON, for the page's script to expand a node."""
    overview = _overview_in_scope(customer_id, "graph")
    network = customer_network(graph_store(), overview["customer"], current_scope())
    audit("view_customer", f"customer:{customer_id}", customer_id=customer_id, detail="R03")
    return jsonify(network)


@bp.route("/customers/<customer_id>/reveal", methods=["POST"])
@permission_required(UNMASK)
def reveal_value(customer_id: str):
    """Return one masked value of the customer in full, and audit which field was shown (never the value)."""
    payload = request.get_json(silent=True)
    field = payload.get("field") if isinstance(payload, dict) else None
    reference_sent = payload.get("reference") if isinstance(payload, dict) else None
    if field not in REVEALABLE_FIELDS or (field == "account" and not isinstance(reference_sent, str)):
        logger.info(
            "Invalid reveal request for customer %s by %s: field %r",
            customer_id,
            current_user.username,
            field,
        )
        return jsonify(message="请求内容无效，请刷新页面后重试。"), 400
    overview = _overview_in_scope(customer_id, "api")
    if field == "account":
        accounts = [
            row["account"]["account_id"]
            for row in customer_accounts(graph_store(), customer_id, current_scope())
        ]
        value = next((account for account in accounts if reference(account) == reference_sent), None)
    else:
        value = overview["customer"].get(field)
    if not value:
        logger.info(
            "Reveal of %s for customer %s by %s: value not found", field, customer_id, current_user.username
        )
        return jsonify(message="该信息不存在或已变更，请刷新页面。"), 404
    audit("unmask", f"customer:{customer_id}", customer_id=customer_id, detail=REVEALABLE_FIELDS[field])
    return jsonify(value=value)


@bp.route("/customers/<customer_id>/export.csv", defaults={"file_format": "csv"})
@bp.route("/customers/<customer_id>/export.<any(xlsx, pdf):file_format>")
@login_required
def export_customer(customer_id: str, file_format: str):
    """Send the modules of the user's chosen view as a masked CSV, Excel or PDF file, and audit it."""
    if not current_user.can(EXPORT):
        refuse_permission(customer_id, "export")
    overview = _overview_in_scope(customer_id, "export")
    view, _views = chosen_view(request.args.get("view"))
    profile = customer_profile(
        graph_store(),
        overview,
        view,
        current_scope(),
        transaction_days=RECENT_DAYS,
        exported_by=f"{current_user.display_name}（{current_user.username}）",
        exported_at=datetime.now(ZoneInfo(DISPLAY_TIME_ZONE)).strftime("%Y-%m-%d %H:%M:%S"),
    )
    file_name = f"customer-{customer_id}.{file_format}"
    if file_format == "xlsx":
        response = file_download(profile_workbook(profile), file_name, XLSX_MIMETYPE)
    elif file_format == "pdf":
        font = chinese_font(current_app.config["C360_SETTINGS"].pdf_font)
        response = file_download(profile_pdf(profile, font), file_name, "application/pdf")
    else:
        response = csv_download(profile_rows(profile), file_name)
    audit("export_customer", f"customer:{customer_id}", customer_id=customer_id, detail=file_format)
    logger.info("Customer %s exported as %s by %s", customer_id, file_format, current_user.username)
    return response


def _overview_in_scope(customer_id: str, channel: str) -> dict:
    """Read the customer's overview, refusing (403, audited) out of scope and 404 when unknown."""
    try:
        overview = customer_overview(graph_store(), customer_id, current_scope())
    except OutOfScope:
        refuse(customer_id, channel)
    if overview is None:
        abort(404)
    return overview


def _default_view_id(views: list[dict]) -> str:
    """Return the id of the view the user's pages open in when they choose none."""
    ids = {view["view_id"] for view in views}
    return current_user.default_view if current_user.default_view in ids else DEFAULT_VIEW


# The graph page and the tag, maintenance, recommendation and reminder routes attach to this
# blueprint when imported.
from app.retail import graph_page, maintenance, recommendations, reminders, tags  # noqa: E402, F401
