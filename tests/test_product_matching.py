"""Matching recommendation rules to a customer, and ranking best sellers, as pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from c360.product_matching import (
    BestSeller,
    CatalogueProduct,
    CustomerFeatures,
    RecommendationRule,
    age_on,
    best_sellers_for,
    matching_products,
    offered_products,
    rule_applies,
)

CATALOGUE = [
    CatalogueProduct("D101", "三个月定期", "存款", "定期存款", "整存整取", "R1"),
    CatalogueProduct("W201", "稳享理财30天", "理财", "固定收益类", "现金管理", "R2"),
    CatalogueProduct("W202", "安鑫一年期理财", "理财", "固定收益类", "封闭式", "R2"),
    CatalogueProduct("W301", "权益精选理财", "理财", "权益类", "开放式", "R4"),
    CatalogueProduct("W999", "未定级理财", "理财", None, None, None),
    CatalogueProduct("I502", "百万医疗险", "保险", "人身险", "健康险", "R1"),
    CatalogueProduct("G601", "积存金", "贵金属", "黄金", "积存金", "R3"),
]
CUSTOMER = CustomerFeatures(
    age=60,
    aum=100_000.0,
    tags=frozenset({"银发客群", "偏好理财"}),
    held_products=frozenset({"W201", "D001"}),
    held_categories=frozenset({"理财", "固定收益类", "现金管理", "存款", "活期存款"}),
    browsed_products=frozenset({"G601", "W301"}),
)


def _rule(rule_id: str = "r", **conditions) -> RecommendationRule:
    return RecommendationRule(rule_id=rule_id, name=rule_id, reason=f"理由{rule_id}", **conditions)


def _codes(products) -> list[str]:
    return [product.product_code for product in products]


@pytest.mark.parametrize(
    ("conditions", "applies"),
    [
        ({}, True),
        ({"enabled": False}, False),
        ({"min_age": 60}, True),
        ({"min_age": 61}, False),
        ({"max_age": 60}, True),
        ({"max_age": 59}, False),
        ({"min_aum": 100_000.0}, True),
        ({"min_aum": 100_000.01}, False),
        ({"max_aum": 100_000.0}, False),
        ({"max_aum": 100_000.01}, True),
        ({"required_tags": ("银发客群", "偏好理财")}, True),
        ({"required_tags": ("银发客群", "代发工资")}, False),
        ({"excluded_tags": ("保守型",)}, True),
        ({"excluded_tags": ("保守型", "偏好理财")}, False),
    ],
)
def test_rule_conditions(conditions, applies):
    assert rule_applies(_rule(**conditions), CUSTOMER) is applies


def test_unknown_age_fails_age_rules():
    unknown_age = CustomerFeatures(age=None, aum=0.0)

    assert rule_applies(_rule(min_age=18), unknown_age) is False
    assert rule_applies(_rule(max_age=99), unknown_age) is False
    assert rule_applies(_rule(), unknown_age) is True


def test_codes_then_category_by_risk():
    rule = _rule(product_codes=("G601", "NOPE", "I502"), product_category="理财")

    assert _codes(offered_products(rule, CUSTOMER, CATALOGUE)) == ["G601", "I502", "W202", "W301", "W999"]


def test_risk_cap_drops_higher_and_unrated():
    rule = _rule(product_category="理财", max_risk_level="R3")

    assert _codes(offered_products(rule, CUSTOMER, CATALOGUE)) == ["W202"]


def test_category_at_any_level():
    assert _codes(offered_products(_rule(product_category="健康险"), CUSTOMER, CATALOGUE)) == ["I502"]
    assert _codes(offered_products(_rule(product_category="定期存款"), CUSTOMER, CATALOGUE)) == ["D101"]


def test_held_category_skipped():
    by_category = _rule(product_category="理财", skip_held_category=True)
    by_code = _rule(product_codes=("D101", "I502"), skip_held_category=True)

    assert _codes(offered_products(by_category, CUSTOMER, CATALOGUE)) == []
    assert _codes(offered_products(by_code, CUSTOMER, CATALOGUE)) == ["I502"]


def test_browsed_products():
    every_browsed = _rule(browsed_only=True)
    browsed_in_category = _rule(product_category="理财", browsed_only=True)
    browsed_and_capped = _rule(browsed_only=True, max_risk_level="R3")

    assert _codes(offered_products(every_browsed, CUSTOMER, CATALOGUE)) == ["G601", "W301"]
    assert _codes(offered_products(browsed_in_category, CUSTOMER, CATALOGUE)) == ["W301"]
    assert _codes(offered_products(browsed_and_capped, CUSTOMER, CATALOGUE)) == ["G601"]


def test_first_rule_by_priority_wins():
    rules = [
        _rule("b_wealth", priority=20, product_category="理财", max_risk_level="R2"),
        _rule("a_metal", priority=20, product_codes=("G601", "W202")),
        _rule("young", priority=1, max_age=35, product_codes=("I502",)),
        _rule("off", priority=1, enabled=False, product_codes=("D101",)),
        _rule("insurance", priority=5, product_codes=("I502", "W201")),
    ]

    matched = matching_products(rules, CUSTOMER, CATALOGUE, limit=10)

    assert [(item.product.product_code, item.rule.rule_id) for item in matched] == [
        ("I502", "insurance"),
        ("G601", "a_metal"),
        ("W202", "a_metal"),
    ]
    assert len(matching_products(rules, CUSTOMER, CATALOGUE, limit=2)) == 2


def test_conservative_customer_gets_low_risk_only():
    conservative = CustomerFeatures(age=60, aum=100_000.0, tags=frozenset({"保守型", "稳健型"}))
    by_code = {product.product_code: product for product in CATALOGUE}
    sellers = [BestSeller(by_code["W301"], 5, 50_000.0), BestSeller(by_code["D101"], 3, 30_000.0)]

    offered = offered_products(_rule(product_category="理财"), conservative, CATALOGUE)
    shown = best_sellers_for(conservative, sellers, limit=5)

    assert conservative.risk_cap == "R1"
    assert CUSTOMER.risk_cap is None
    assert _codes(offered) == []
    assert [(seller.rank, seller.product.product_code) for seller in shown] == [(1, "D101")]


def test_best_sellers_skip_held_and_rank():
    by_code = {product.product_code: product for product in CATALOGUE}
    sellers = [
        BestSeller(by_code["W301"], 3, 30_000.0),
        BestSeller(by_code["W201"], 9, 90_000.0),
        BestSeller(by_code["D101"], 3, 50_000.0),
        BestSeller(by_code["I502"], 1, 500.0),
        BestSeller(by_code["G601"], 1, 500.0),
    ]

    shown = best_sellers_for(CUSTOMER, sellers, limit=3)

    assert [(seller.rank, seller.product.product_code, seller.new_holdings) for seller in shown] == [
        (1, "D101", 3),
        (2, "W301", 3),
        (3, "G601", 1),
    ]


@pytest.mark.parametrize(
    ("birth_date", "age"),
    [
        ("1966-12-03", 60),
        ("1966-12-04", 59),
        ("2000-02-29", 26),
        ("", None),
        (None, None),
        ("1966-13-01", None),
    ],
)
def test_age_on_business_day(birth_date, age):
    assert age_on(birth_date, date(2026, 12, 3)) == age
