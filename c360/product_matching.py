"""Product recommendation: which catalogue products an administrator's rules offer to one customer.

A rule names the customers it applies to: an age range, an AUM band, tags the customer must
have and tags the customer must not have. It also names the products it offers: product codes,
a product category, or the products the customer looked at online, optionally capped at a
product risk level. A product the
customer already holds is never offered; a rule may also skip a category the customer already
has a product in. The functions here take plain values and touch neither Flask nor the graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

#: Product risk levels from lowest to highest, as the product catalogue codes them.
RISK_LEVELS = ("R1", "R2", "R3", "R4", "R5")
#: Highest product risk level suited to a customer whose risk assessment gave this tag (C1 to C5).
#: Banks name the five results differently; a customer with none of these tags has no cap.
SUITABLE_RISK_BY_PROFILE = {"保守型": "R1", "谨慎型": "R2", "稳健型": "R3", "积极型": "R4", "激进型": "R5"}


@dataclass(frozen=True)
class CatalogueProduct:
    product_code: str
    name: str
    category_l1: str | None = None
    category_l2: str | None = None
    category_l3: str | None = None
    risk_level: str | None = None

    def in_category(self, category: str) -> bool:
        """Return whether ``category`` names the product's category at any level of the catalogue."""
        return category in (self.category_l1, self.category_l2, self.category_l3)


@dataclass(frozen=True)
class CustomerFeatures:
    """The features rules test: age in whole years (None when unknown), AUM in yuan, tags, products."""

    age: int | None
    aum: float
    tags: frozenset[str] = frozenset()
    #: Product codes of the customer's current holdings and own accounts.
    held_products: frozenset[str] = frozenset()
    #: Category names, at every level, of the products in ``held_products``.
    held_categories: frozenset[str] = frozenset()
    #: Product codes the customer browsed or clicked on an online channel.
    browsed_products: frozenset[str] = frozenset()

    @property
    def risk_cap(self) -> str | None:
        """Return the highest product risk level the customer's risk profile tags allow, or None."""
        caps = [SUITABLE_RISK_BY_PROFILE[tag] for tag in self.tags if tag in SUITABLE_RISK_BY_PROFILE]
        return min(caps, key=_risk_rank) if caps else None


@dataclass(frozen=True)
class RecommendationRule:
    """One administrator's rule; ``None`` or an empty collection leaves that condition out.

    The AUM band includes ``min_aum`` and excludes ``max_aum``, so that two rules can split
    customers at one amount without overlap. The age range includes both ends.
    """

    rule_id: str
    name: str
    reason: str
    enabled: bool = True
    priority: int = 50
    min_age: int | None = None
    max_age: int | None = None
    min_aum: float | None = None
    max_aum: float | None = None
    required_tags: tuple[str, ...] = ()
    excluded_tags: tuple[str, ...] = ()
    product_codes: tuple[str, ...] = ()
    #: Offers every product with a category of this name, at any level of the catalogue.
    product_category: str | None = None
    #: Limits the offer to products the customer browsed or clicked online.
    browsed_only: bool = False
    max_risk_level: str | None = None
    #: Skips a product when the customer already holds one of the same category.
    skip_held_category: bool = False


@dataclass(frozen=True)
class Recommendation:
    product: CatalogueProduct
    rule: RecommendationRule


@dataclass(frozen=True)
class BestSeller:
    """A product and its new holdings (count and amount in yuan) in the best-seller window."""

    product: CatalogueProduct
    new_holdings: int
    amount: float
    rank: int = field(default=0, compare=False)


def age_on(birth_date: str | None, today: date) -> int | None:
    """Return the age in whole years on ``today`` for an ISO birth date; None when missing or invalid."""
    if not birth_date:
        return None
    try:
        born = date.fromisoformat(birth_date)
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def rule_applies(rule: RecommendationRule, customer: CustomerFeatures) -> bool:
    """Return whether the customer meets every customer condition of an enabled rule.

    A customer of unknown age fails a rule with an age condition.
    """
    if not rule.enabled:
        return False
    if rule.min_age is not None or rule.max_age is not None:
        if customer.age is None:
            return False
        if rule.min_age is not None and customer.age < rule.min_age:
            return False
        if rule.max_age is not None and customer.age > rule.max_age:
            return False
    if rule.min_aum is not None and customer.aum < rule.min_aum:
        return False
    if rule.max_aum is not None and customer.aum >= rule.max_aum:
        return False
    if not set(rule.required_tags) <= customer.tags:
        return False
    return not set(rule.excluded_tags) & customer.tags


def offered_products(
    rule: RecommendationRule, customer: CustomerFeatures, catalogue: Sequence[CatalogueProduct]
) -> list[CatalogueProduct]:
    """Return the catalogue products the rule offers this customer, listed codes first.

    Products named by category follow the listed codes, lowest risk level first, then by code.
    """
    by_code = {product.product_code: product for product in catalogue}
    named = [by_code[code] for code in rule.product_codes if code in by_code]
    if rule.product_category:
        in_category = [product for product in catalogue if product.in_category(rule.product_category)]
        named += sorted(
            in_category, key=lambda product: (_risk_rank(product.risk_level), product.product_code)
        )
    elif rule.browsed_only and not rule.product_codes:
        named = [by_code[code] for code in sorted(customer.browsed_products) if code in by_code]
    offered = []
    for product in _unique(named):
        if rule.browsed_only and product.product_code not in customer.browsed_products:
            continue
        if product.product_code in customer.held_products or not _suitable(product, rule, customer):
            continue
        if rule.skip_held_category and _category_held(rule, product, customer):
            continue
        offered.append(product)
    return offered


def matching_products(
    rules: Iterable[RecommendationRule],
    customer: CustomerFeatures,
    catalogue: Sequence[CatalogueProduct],
    *,
    limit: int,
) -> list[Recommendation]:
    """Return up to ``limit`` products the rules offer the customer, each once, with the rule that offered it.

    Rules are applied by priority (smaller first), then by rule id; a product offered by several
    rules comes with the first of them.
    """
    recommendations: dict[str, Recommendation] = {}
    for rule in sorted(rules, key=lambda rule: (rule.priority, rule.rule_id)):
        if not rule_applies(rule, customer):
            continue
        for product in offered_products(rule, customer, catalogue):
            recommendations.setdefault(product.product_code, Recommendation(product, rule))
    return list(recommendations.values())[:limit]


def best_sellers_for(
    customer: CustomerFeatures, sellers: Sequence[BestSeller], *, limit: int
) -> list[BestSeller]:
    """Return up to ``limit`` best sellers the customer does not hold, ranked by new holdings, then amount.

    Products above the customer's risk cap (``CustomerFeatures.risk_cap``) are left out.

    Ties on both are ranked by product code. Ranks count from 1 among the products shown.
    """
    ranked = sorted(
        sellers, key=lambda seller: (-seller.new_holdings, -seller.amount, seller.product.product_code)
    )
    shown = [
        seller
        for seller in ranked
        if seller.product.product_code not in customer.held_products
        and _within_risk(seller.product, customer.risk_cap)
    ][:limit]
    return [
        BestSeller(seller.product, seller.new_holdings, seller.amount, rank)
        for rank, seller in enumerate(shown, start=1)
    ]


def _risk_rank(level: str | None) -> int:
    """Return the level's position in RISK_LEVELS; an unknown level ranks above R5."""
    return RISK_LEVELS.index(level) if level in RISK_LEVELS else len(RISK_LEVELS)


def _within_risk(product: CatalogueProduct, max_risk_level: str | None) -> bool:
    """Return whether the product's risk level is at most the cap; a product without a level passes no cap."""
    if max_risk_level is None:
        return True
    return product.risk_level in RISK_LEVELS and _risk_rank(product.risk_level) <= _risk_rank(max_risk_level)


def _suitable(product: CatalogueProduct, rule: RecommendationRule, customer: CustomerFeatures) -> bool:
    """Return whether the product is within both the rule's risk cap and the customer's."""
    return _within_risk(product, rule.max_risk_level) and _within_risk(product, customer.risk_cap)


def _category_held(rule: RecommendationRule, product: CatalogueProduct, customer: CustomerFeatures) -> bool:
    category = rule.product_category or product.category_l1
    return category is not None and category in customer.held_categories


def _unique(products: Iterable[CatalogueProduct]) -> list[CatalogueProduct]:
    seen: set[str] = set()
    unique = []
    for product in products:
        if product.product_code not in seen:
            seen.add(product.product_code)
            unique.append(product)
    return unique
