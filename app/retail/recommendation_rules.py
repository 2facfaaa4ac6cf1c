"""The product recommendation rules: the built-in set, reading them from the graph, and their text.

Rules are ``RecommendationRule`` nodes (see ``graph_model.recommendations``). The built-in rules
below are written on first use and follow this module until an administrator edits them. They
name products by category, not by code, so that they work with any bank's product catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import current_app

from app.database import graph_store
from app.filters import money
from c360.product_matching import RecommendationRule
from graph_model.recommendations import all_rules, ensure_rules

ENSURED_KEY = "c360_recommendation_rules_ensured"

BUILT_IN_RULES: tuple[dict[str, Any], ...] = (
    {
        "rule_id": "senior_steady_wealth",
        "name": "银发客群稳健理财",
        "priority": 10,
        "min_age": 55,
        "product_category": "理财",
        "max_risk_level": "R2",
        "reason": "客户年龄在55岁及以上，宜配置风险较低、收益稳定的理财产品。",
    },
    {
        "rule_id": "young_index_funds",
        "name": "青年客群基金定投",
        "priority": 20,
        "min_age": 22,
        "max_age": 35,
        "excluded_tags": ["保守型"],
        "product_category": "基金",
        "max_risk_level": "R4",
        "reason": "客户处于22至35岁、投资期限长，且非保守型，可从指数基金定投开始配置权益资产。",
    },
    {
        "rule_id": "insurance_gap",
        "name": "保障缺口补齐",
        "priority": 30,
        "min_age": 25,
        "max_age": 60,
        "product_category": "保险",
        "max_risk_level": "R2",
        "skip_held_category": True,
        "reason": "客户尚未持有任何保险产品，可从医疗险、寿险补齐家庭保障。",
    },
    {
        "rule_id": "idle_funds_time_deposit",
        "name": "闲置资金转定期",
        "priority": 40,
        "min_aum": 50000.0,
        "product_category": "定期存款",
        "skip_held_category": True,
        "reason": "客户资产在5万元及以上且没有定期存款，可推荐定期存款锁定利率。",
    },
    {
        "rule_id": "wealth_preference",
        "name": "偏好理财客户",
        "priority": 50,
        "required_tags": ["偏好理财"],
        "excluded_tags": ["保守型"],
        "product_category": "理财",
        "max_risk_level": "R3",
        "reason": "客户带有“偏好理财”标签，可推荐中低风险理财产品。",
    },
    {
        "rule_id": "high_net_worth_legacy",
        "name": "高净值财富传承",
        "priority": 60,
        "min_aum": 1000000.0,
        "product_category": "信托",
        "reason": "客户资产在100万元及以上，可介绍家族信托等财富传承安排。",
    },
    {
        "rule_id": "payroll_consumer_loan",
        "name": "代发客户消费贷",
        "priority": 70,
        "min_age": 22,
        "max_age": 55,
        "required_tags": ["代发工资"],
        "product_category": "消费贷",
        "skip_held_category": True,
        "reason": "代发工资客户收入稳定，可推荐个人消费贷款。",
    },
    {
        "rule_id": "browsed_not_bought",
        "name": "线上浏览未购买",
        "priority": 80,
        "browsed_only": True,
        "reason": "客户在手机银行、微信银行或网上银行浏览或点击过该产品，尚未购买。",
    },
)


def recommendation_rules() -> list[dict[str, Any]]:
    """Return every rule's properties, writing the built-in rules once per process."""
    store = graph_store()
    rules = all_rules(store) if current_app.extensions.get(ENSURED_KEY) else []
    if not rules:
        # First use in this process (a new version may define the built-in rules anew), or the
        # graph was replaced since.
        ensure_rules(store, BUILT_IN_RULES, at=datetime.now(UTC).isoformat(timespec="seconds"))
        current_app.extensions[ENSURED_KEY] = True
        rules = all_rules(store)
    return rules


def rule_from_node(node: Mapping[str, Any]) -> RecommendationRule:
    """Return the matching rule a ``RecommendationRule`` node's properties describe."""
    return RecommendationRule(
        rule_id=node["rule_id"],
        name=node.get("name") or node["rule_id"],
        reason=node.get("reason") or "",
        enabled=bool(node.get("enabled", True)),
        priority=int(node.get("priority", 50)),
        min_age=node.get("min_age"),
        max_age=node.get("max_age"),
        min_aum=node.get("min_aum"),
        max_aum=node.get("max_aum"),
        required_tags=tuple(node.get("required_tags") or ()),
        excluded_tags=tuple(node.get("excluded_tags") or ()),
        product_codes=tuple(node.get("product_codes") or ()),
        product_category=node.get("product_category") or None,
        browsed_only=bool(node.get("browsed_only")),
        max_risk_level=node.get("max_risk_level") or None,
        skip_held_category=bool(node.get("skip_held_category")),
    )


def conditions_text(rule: RecommendationRule) -> str:
    """Describe the customers a rule applies to, in Chinese."""
    parts = []
    if rule.min_age is not None and rule.max_age is not None:
        parts.append(f"年龄 {rule.min_age} 至 {rule.max_age} 岁")
    elif rule.min_age is not None:
        parts.append(f"年龄 {rule.min_age} 岁及以上")
    elif rule.max_age is not None:
        parts.append(f"年龄 {rule.max_age} 岁及以下")
    if rule.min_aum is not None:
        parts.append(f"资产（AUM）不低于 {money(rule.min_aum, 0)} 元")
    if rule.max_aum is not None:
        parts.append(f"资产（AUM）低于 {money(rule.max_aum, 0)} 元")
    if rule.required_tags:
        parts.append(f"带有标签 {'、'.join(rule.required_tags)}")
    if rule.excluded_tags:
        parts.append(f"不带标签 {'、'.join(rule.excluded_tags)}")
    return "；".join(parts) or "所有客户"


def offer_text(rule: RecommendationRule, product_names: Mapping[str, str]) -> str:
    """Describe the products a rule offers, in Chinese; ``product_names`` maps codes to names."""
    parts = []
    if rule.product_codes:
        parts.append(
            "、".join(f"{product_names.get(code, '目录中无此产品')}（{code}）" for code in rule.product_codes)
        )
    if rule.product_category:
        parts.append(f"“{rule.product_category}”类产品")
    if rule.browsed_only:
        parts.append("仅限客户在线上渠道浏览或点击过的产品" if parts else "客户在线上渠道浏览或点击过的产品")
    text = "，".join(parts)
    if rule.max_risk_level:
        text += f"，风险等级不高于 {rule.max_risk_level}"
    if rule.skip_held_category:
        text += "，客户已持有同类产品时不推荐"
    return text


def rule_text(rule: RecommendationRule, product_names: Mapping[str, str]) -> str:
    """Summarise a whole rule in one line, for the audit trail."""
    state = "启用" if rule.enabled else "停用"
    return (
        f"{rule.name}（{state}，优先级 {rule.priority}）：适用 {conditions_text(rule)}；"
        f"推荐 {offer_text(rule, product_names)}；理由：{rule.reason}"
    )
