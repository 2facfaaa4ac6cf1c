"""The product recommendation module of the retail 360 page (R26): what it lists for one customer.

It lists the products the administrators' rules match to the customer and the bank's best
sellers of the last 30 days, both without the products the customer holds, and the customer's
open sales opportunities and campaigns. The best-seller window ends on the business date of the
latest loaded holdings feed, not on the calendar date, because sales are known only up to that
day. Ages are counted on the calendar date, as the overview shows them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.retail.charts import CustomerPosition, customer_position
from app.retail.recommendation_rules import recommendation_rules, rule_from_node
from c360.product_matching import (
    BestSeller,
    CatalogueProduct,
    CustomerFeatures,
    Recommendation,
    RecommendationRule,
    age_on,
    best_sellers_for,
    matching_products,
)
from graph_model.customer_charts import channel_event_counts
from graph_model.feed_writes import last_loaded_business_date
from graph_model.opportunities import open_offers
from graph_model.recommendations import active_products, best_sellers, held_products
from graph_model.store import GraphStore
from graph_model.tags import customer_tags

logger = logging.getLogger(__name__)

BEST_SELLER_DAYS = 30
MATCHED_SHOWN = 10
BEST_SELLERS_SHOWN = 5
#: The feed that delivers holdings; its business date ends the best-seller window.
HOLDINGS_FEED = "wm_holding"
#: Online events that show interest in a product short of buying it.
BROWSING_EVENTS = frozenset({"BROWSE", "CLICK"})
OFFER_TITLES = {"opportunity": "销售商机", "campaign": "营销活动"}


@dataclass(frozen=True)
class RecommendationPanel:
    """The content of the R26 module. An ``*_empty`` text gives the reason its list is empty.

    ``offers`` are the customer's open opportunities and campaigns as ``open_offers`` returns
    them, each with the Chinese ``title`` of its kind.
    """

    features: CustomerFeatures
    matched: list[Recommendation]
    matched_empty: str | None
    best_sellers: list[BestSeller]
    best_sellers_empty: str | None
    since: str | None
    until: str | None
    offers: list[dict[str, Any]]

    def has_open(self, kind: str, product_code: str) -> bool:
        return any(offer["kind"] == kind and offer["product_code"] == product_code for offer in self.offers)


def recommendation_panel(
    store: GraphStore, customer: dict[str, Any], position: CustomerPosition | None = None
) -> RecommendationPanel:
    """Build the R26 module for a customer; ``position`` saves reading the customer's assets again."""
    customer_id = customer["customer_id"]
    features = customer_features(store, customer, position or customer_position(store, customer_id))
    catalogue = [_catalogue_product(row) for row in active_products(store)]
    rules = [rule_from_node(node) for node in recommendation_rules()]
    matched = matching_products(rules, features, catalogue, limit=MATCHED_SHOWN)

    until = last_loaded_business_date(store, HOLDINGS_FEED)
    since = (date.fromisoformat(until) - timedelta(days=BEST_SELLER_DAYS - 1)).isoformat() if until else None
    sold = (
        best_sellers(store, customer_type=customer.get("customer_type") or "retail", since=since, until=until)
        if until
        else []
    )
    sellers = [BestSeller(_catalogue_product(row), row["new_holdings"], row["amount"] or 0.0) for row in sold]
    shown_sellers = best_sellers_for(features, sellers, limit=BEST_SELLERS_SHOWN)

    return RecommendationPanel(
        features=features,
        matched=matched,
        matched_empty=None if matched else _why_nothing_matched(rules, catalogue),
        best_sellers=shown_sellers,
        best_sellers_empty=None if shown_sellers else _why_no_best_sellers(since, until, sold),
        since=since,
        until=until,
        offers=[row | {"title": OFFER_TITLES[row["kind"]]} for row in open_offers(store, customer_id)],
    )


def customer_features(
    store: GraphStore, customer: dict[str, Any], position: CustomerPosition
) -> CustomerFeatures:
    """Read the customer's age today, AUM (deposits plus holdings), tags, and products held or browsed."""
    customer_id = customer["customer_id"]
    held = held_products(store, customer_id)
    browsed = {
        code
        for row in channel_event_counts(store, customer_id)
        if row["event_type"] in BROWSING_EVENTS
        for code in row["product_codes"]
        if code
    }
    return CustomerFeatures(
        age=age_on(customer.get("birth_date"), date.today()),
        aum=position.deposits + sum(holding["balance"] or 0 for holding in position.holdings),
        tags=frozenset(tag["name"] for tag in customer_tags(store, customer_id)),
        held_products=frozenset(row["product_code"] for row in held),
        held_categories=frozenset(
            row[level]
            for row in held
            for level in ("category_l1", "category_l2", "category_l3")
            if row[level]
        ),
        browsed_products=frozenset(browsed),
    )


def _catalogue_product(row: dict[str, Any]) -> CatalogueProduct:
    return CatalogueProduct(
        product_code=row["product_code"],
        name=row["name"] or row["product_code"],
        category_l1=row.get("category_l1"),
        category_l2=row.get("category_l2"),
        category_l3=row.get("category_l3"),
        risk_level=row.get("risk_level"),
    )


def _why_nothing_matched(rules: list[RecommendationRule], catalogue: list[CatalogueProduct]) -> str:
    if not any(rule.enabled for rule in rules):
        return "管理员尚未启用任何推荐规则。"
    if not catalogue:
        return "产品目录尚未加载，无法按规则推荐产品。"
    return "该客户不满足任何已启用推荐规则的条件，或规则推荐的产品客户均已持有。"


def _why_no_best_sellers(since: str | None, until: str | None, sold: list) -> str:
    if until is None:
        return "产品持有数据尚未加载，无法统计热销产品。"
    if not sold:
        return f"{since} 至 {until} 全行没有新增的产品持有。"
    return f"近{BEST_SELLER_DAYS}天的热销产品该客户均已持有。"
