"""One click in the product recommendation module turns a product into a sales opportunity or a campaign.

A sales opportunity (销售商机) is a sale the manager pursues in person with this customer, and the
creating user owns it until it is won or dropped. A campaign (营销活动) is a marketing campaign
whose offer is the product and whose target list starts with this customer. The marketing team
runs it through the bank's channels.

Only a product the module recommends right now can be offered, so a forged request cannot
attach an arbitrary product, and the reason stored with the offer is the module's own.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from app.access import audit, current_scope, permission_required, require_customer
from app.database import graph_store
from app.retail.recommendation_panel import (
    BEST_SELLER_DAYS,
    OFFER_TITLES,
    RecommendationPanel,
    recommendation_panel,
)
from app.retail.routes import bp
from c360.product_matching import CatalogueProduct, RecommendationRule
from c360.roles import MAINTAIN
from graph_model.customers import customer_overview
from graph_model.opportunities import OFFER_KINDS, create_offer
from graph_model.scope import OutOfScope
from graph_model.store import GraphStore

logger = logging.getLogger(__name__)

OFFER_ID_PREFIXES = {"opportunity": "OPP", "campaign": "CMP"}


@bp.route("/customers/<customer_id>/offers", methods=["POST"])
@permission_required(MAINTAIN)
def create_customer_offer(customer_id: str):
    """Create a sales opportunity or a campaign for a product the page recommends to the customer."""
    require_customer(customer_id, "api")
    kind = request.form.get("kind", "")
    product_code = request.form.get("product_code", "")
    if kind not in OFFER_KINDS:
        return _rejected(customer_id, f"unknown offer kind {kind!r}", "请求内容无效，请刷新页面后重试。")

    store = graph_store()
    customer = _customer(store, customer_id)
    panel = recommendation_panel(store, customer)
    offered = _recommended(panel, product_code)
    if offered is None:
        message = "该产品已不在此客户的推荐列表中（客户可能已持有，或推荐规则已调整），请刷新页面后查看。"
        return _rejected(customer_id, f"product {product_code!r} not recommended", message)

    product, source_rule, reason = offered
    title = OFFER_TITLES[kind]
    offer_id = create_offer(
        store,
        kind,
        customer_id,
        product.product_code,
        _offer_fields(kind, customer_id, product, source_rule, reason),
    )
    if offer_id is None:
        message = f"该客户已有“{product.name}”的进行中{title}，不能重复创建。"
        return _rejected(customer_id, f"open {kind} for {product.product_code} exists", message)

    source = f"推荐规则“{source_rule.name}”" if source_rule else f"近{BEST_SELLER_DAYS}天热销"
    audit(
        f"create_{kind}",
        f"customer:{customer_id}",
        customer_id=customer_id,
        detail=offer_id,
        after=f"产品：{product.name}（{product.product_code}）；来源：{source}",
    )
    logger.info("%s %s for customer %s created by %s", kind, offer_id, customer_id, current_user.username)
    return _back(customer_id, f"已创建{title}：向该客户推荐“{product.name}”。", "R26-info")


def _customer(store: GraphStore, customer_id: str) -> dict[str, Any]:
    try:
        overview = customer_overview(store, customer_id, current_scope())
    except OutOfScope:
        abort(403)
    if overview is None:
        abort(404)
    return overview["customer"]


def _recommended(
    panel: RecommendationPanel, product_code: str
) -> tuple[CatalogueProduct, RecommendationRule | None, str] | None:
    """Return the product, its rule (None for a best seller) and the reason, if the panel recommends it."""
    for recommendation in panel.matched:
        if recommendation.product.product_code == product_code:
            return recommendation.product, recommendation.rule, recommendation.rule.reason
    for seller in panel.best_sellers:
        if seller.product.product_code == product_code:
            reason = f"近{BEST_SELLER_DAYS}天全行新增持有 {seller.new_holdings} 笔，热销第 {seller.rank} 名。"
            return seller.product, None, reason
    return None


def _offer_fields(
    kind: str,
    customer_id: str,
    product: CatalogueProduct,
    source_rule: RecommendationRule | None,
    reason: str,
) -> dict[str, Any]:
    key = OFFER_KINDS[kind].key
    return {
        key: f"{OFFER_ID_PREFIXES[kind]}-{uuid.uuid4().hex[:12].upper()}",
        "title": f"{product.name}{OFFER_TITLES[kind]}",
        "customer_id": customer_id,
        "product_code": product.product_code,
        "source": "rule" if source_rule else "best_seller",
        "source_rule_id": source_rule.rule_id if source_rule else None,
        "reason": reason,
        "created_by": current_user.username,
        "owner_manager_id": current_user.manager_id,
        "created_at": datetime.now(UTC).isoformat(timespec="microseconds"),
    }


def _rejected(customer_id: str, reason: str, message: str):
    logger.info(
        "Offer request for customer %s by %s rejected: %s", customer_id, current_user.username, reason
    )
    return _back(customer_id, message, "R26-error")


def _back(customer_id: str, message: str, category: str):
    # The module shows its own messages, because the page opens scrolled to it.
    flash(message, category)
    return redirect(url_for("retail.customer_page", customer_id=customer_id) + "#module-R26")
