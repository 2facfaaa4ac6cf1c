"""The knowledge graph page (module R03): a customer's neighbourhood in the whole window.

The page draws the neighbourhood to a chosen depth. Its script loads a customer's neighbours
when the user expands a node, and requests the shortest path to another customer. As on the 360
page, an out-of-scope customer is refused (403, audited), out-of-scope neighbours are drawn
anonymous, account numbers are masked, and every view is audited with module R03.
"""

from __future__ import annotations

import logging
import unicodedata

from flask import abort, current_app, jsonify, render_template, request
from flask_login import current_user, login_required

from app.access import audit, current_scope, refuse
from app.database import graph_store
from app.retail.network_view import customer_graph, neighbour_graph, path_graph
from app.retail.routes import _overview_in_scope, bp
from c360.roles import REVIEW_LINKS
from graph_model.customers import customer_overview
from graph_model.graph_explore import MAX_PATH_LENGTH, shortest_path
from graph_model.scope import OutOfScope

logger = logging.getLogger(__name__)

#: Customer hops the page may draw around the current customer.
DEPTHS = (1, 2, 3)
DEFAULT_DEPTH = 2
MAX_CUSTOMER_ID = 64
#: Neighbours a request may pass over; far beyond the largest hub a user would page through.
MAX_SKIP = 10_000_000


@bp.route("/customers/<customer_id>/graph")
@login_required
def graph_page(customer_id: str):
    depth = _requested_depth()
    if depth is None:
        logger.info("Invalid graph depth %r for customer %s", request.args.get("depth"), customer_id)
        abort(400)
    overview = _overview_in_scope(customer_id, "page")
    graph = customer_graph(
        graph_store(), overview["customer"], current_scope(), depth=depth, hub_limit=_hub_limit()
    )
    page = render_template(
        "retail/graph.html",
        customer=overview["customer"],
        graph=graph,
        depths=DEPTHS,
        depth=depth,
        max_path_length=MAX_PATH_LENGTH,
        can_review=current_user.can(REVIEW_LINKS),
    )
    _audit_view(customer_id)
    return page


@bp.route("/customers/<customer_id>/graph.json")
@login_required
def graph_data(customer_id: str):
    """Return the neighbourhood at the requested depth as JSON, when the user changes the depth."""
    depth = _requested_depth()
    if depth is None:
        logger.info("Invalid graph depth %r for customer %s", request.args.get("depth"), customer_id)
        return jsonify(message=f"深度应为 {DEPTHS[0]} 至 {DEPTHS[-1]} 之间的整数。"), 400
    overview = _overview_in_scope(customer_id, "graph")
    graph = customer_graph(
        graph_store(), overview["customer"], current_scope(), depth=depth, hub_limit=_hub_limit()
    )
    _audit_view(customer_id)
    return jsonify(graph)


@bp.route("/customers/<customer_id>/graph/neighbours.json")
@login_required
def graph_neighbours(customer_id: str):
    """Return one customer's neighbours as JSON, for the page to merge in when a node is expanded.

    ``skip`` passes over the neighbours drawn already, when the user expands a hub's group node.
    """
    raw_skip = request.args.get("skip", "0").strip()
    if not raw_skip.isdigit() or int(raw_skip) > MAX_SKIP:
        logger.info("Invalid neighbour skip %r for customer %s", raw_skip, customer_id)
        return jsonify(message="请求内容无效，请刷新页面后重试。"), 400
    overview = _overview_in_scope(customer_id, "graph")
    graph = neighbour_graph(
        graph_store(), overview["customer"], current_scope(), _hub_limit(), skip=int(raw_skip)
    )
    _audit_view(customer_id)
    return jsonify(graph)


@bp.route("/customers/<customer_id>/graph/path.json")
@login_required
def graph_path(customer_id: str):
    """Return the shortest path from this customer to the customer numbered ``target`` as JSON.

    The other customer must lie in the user's scope too; customers between them that do not
    are drawn anonymous.
    """
    _overview_in_scope(customer_id, "graph")
    target = unicodedata.normalize("NFKC", request.args.get("target", "")).strip()
    if not target or len(target) > MAX_CUSTOMER_ID:
        return jsonify(message="请输入对方客户号。"), 400
    if target == customer_id:
        return jsonify(message="请输入另一位客户的客户号。"), 400
    try:
        found = customer_overview(graph_store(), target, current_scope())
    except OutOfScope:
        refuse(target, "graph")
    if found is None:
        logger.info("Path target %r of customer %s not found", target, customer_id)
        return jsonify(message=f"未找到客户号 {target}，请核对后重试。"), 404

    path = shortest_path(graph_store(), customer_id, target, current_scope())
    _audit_view(target)
    if path is None:
        message = f"在 {MAX_PATH_LENGTH} 步以内未找到两位客户之间的关联路径（不经过已否决的关系）。"
        return jsonify(found=False, message=message)
    steps = len(path.steps)
    return jsonify(path_graph(path) | {"found": True, "message": f"已找到最短路径，共 {steps} 步。"})


def _requested_depth() -> int | None:
    """Return the ``depth`` argument, the default when it is missing, or None when it is invalid."""
    raw = request.args.get("depth", "").strip()
    if not raw:
        return DEFAULT_DEPTH
    return int(raw) if raw.isdigit() and int(raw) in DEPTHS else None


def _hub_limit() -> int:
    return current_app.config["C360_SETTINGS"].graph_hub_limit


def _audit_view(customer_id: str) -> None:
    audit("view_customer", f"customer:{customer_id}", customer_id=customer_id, detail="R03")
