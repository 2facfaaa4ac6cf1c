"""The form that adds or edits a product recommendation rule: reading it, and checking every field.

Errors are collected per field, in Chinese, so that the administrator gets all of them at once.
Checked fields become the properties of a ``RecommendationRule`` node.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from app.text_input import clean_prose, clean_text
from c360.product_matching import RISK_LEVELS

RULE_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
TAG_SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_RULE_NAME = 20
MAX_REASON = 200
MAX_TAG_NAME = 20
MAX_TAGS = 10
MAX_AGE = 120
MAX_PRIORITY = 999
#: Largest AUM bound in yuan a rule accepts; larger input is a typing mistake.
MAX_AMOUNT = Decimal("1000000000000")
DEFAULT_PRIORITY = 50
CHECKBOXES = ("enabled", "browsed_only", "skip_held_category")
TEXT_FIELDS = (
    "rule_id", "name", "priority", "min_age", "max_age", "min_aum", "max_aum", "required_tags",
    "excluded_tags", "product_category", "max_risk_level", "reason",
)  # fmt: skip


def blank_form() -> dict[str, Any]:
    """Return the form of a new rule: enabled, default priority, nothing else filled in."""
    return {name: "" for name in TEXT_FIELDS} | {
        "priority": str(DEFAULT_PRIORITY),
        "enabled": True,
        "browsed_only": False,
        "skip_held_category": False,
        "product_codes": [],
    }


def form_of_rule(node: Mapping[str, Any]) -> dict[str, Any]:
    """Return the form showing a stored rule's properties."""
    form = blank_form()
    for name in TEXT_FIELDS:
        value = node.get(name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        form[name] = "" if value is None else str(value)
    form["required_tags"] = "、".join(node.get("required_tags") or ())
    form["excluded_tags"] = "、".join(node.get("excluded_tags") or ())
    form["product_codes"] = list(node.get("product_codes") or ())
    for name in CHECKBOXES:
        form[name] = bool(node.get(name))
    return form


def submitted_form(values: Mapping[str, str], product_codes: list[str]) -> dict[str, Any]:
    """Read a posted form: ``values`` are its fields, ``product_codes`` the ticked products."""
    form: dict[str, Any] = {name: clean_text(values.get(name)) for name in TEXT_FIELDS}
    # The name and reason are prose: full-width punctuation (：，) stays as typed.
    form["name"], form["reason"] = clean_prose(values.get("name")), clean_prose(values.get("reason"))
    for name in CHECKBOXES:
        form[name] = values.get(name) == "1"
    form["product_codes"] = [code for code in (clean_text(code) for code in product_codes) if code]
    return form


def checked_rule(
    form: Mapping[str, Any],
    *,
    new: bool,
    product_codes: Collection[str],
    categories: Collection[str],
    tag_names: Collection[str],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check a form against the catalogue's product codes and category names, and the known tags.

    Returns the rule's properties (``rule_id`` included) and the errors by field name; the
    properties are meaningful only when there are no errors. An empty optional field becomes None.
    """
    errors: dict[str, str] = {}
    if new and not RULE_ID_PATTERN.match(form["rule_id"]):
        errors["rule_id"] = "规则编号须为 2 至 32 个小写字母、数字或下划线，以字母开头。"
    if not form["name"] or len(form["name"]) > MAX_RULE_NAME:
        errors["name"] = f"请填写规则名称（不超过 {MAX_RULE_NAME} 个字）。"
    if not form["reason"] or len(form["reason"]) > MAX_REASON:
        errors["reason"] = f"请填写向客户经理展示的推荐理由（不超过 {MAX_REASON} 个字）。"
    priority = _whole_number(form, "priority", 1, MAX_PRIORITY, "优先级", errors)
    min_age = _whole_number(form, "min_age", 0, MAX_AGE, "最低年龄", errors)
    max_age = _whole_number(form, "max_age", 0, MAX_AGE, "最高年龄", errors)
    if min_age is not None and max_age is not None and min_age > max_age:
        errors["max_age"] = "最高年龄不能小于最低年龄。"
    min_aum = _amount(form, "min_aum", "资产下限", errors)
    max_aum = _amount(form, "max_aum", "资产上限", errors)
    if min_aum is not None and max_aum is not None and min_aum >= max_aum:
        errors["max_aum"] = "资产上限须大于资产下限。"
    required_tags = _tags(form, "required_tags", tag_names, errors)
    excluded_tags = _tags(form, "excluded_tags", tag_names, errors)
    both = [tag for tag in required_tags if tag in excluded_tags]
    if both:
        errors["excluded_tags"] = f"标签“{'、'.join(both)}”不能既是必须带有又是不能带有。"
    unknown = [code for code in form["product_codes"] if code not in product_codes]
    if unknown:
        errors["product_codes"] = f"产品目录中没有这些产品：{'、'.join(unknown)}。请刷新页面后重新选择。"
    category = form["product_category"] or None
    if category is not None and category not in categories:
        errors["product_category"] = f"产品目录中没有名为“{category}”的类别，请从下拉提示中选择。"
    if not (form["product_codes"] or category or form["browsed_only"]):
        errors["product_codes"] = (
            "请至少选择一个产品、填写一个产品类别，或勾选“只推荐客户在线上渠道浏览或点击过的产品”。"
        )
    risk = form["max_risk_level"] or None
    if risk is not None and risk not in RISK_LEVELS:
        errors["max_risk_level"] = f"风险等级须为 {'、'.join(RISK_LEVELS)} 之一。"
    fields = {
        "rule_id": form["rule_id"],
        "name": form["name"],
        "reason": form["reason"],
        "enabled": form["enabled"],
        "priority": priority if priority is not None else DEFAULT_PRIORITY,
        "min_age": min_age,
        "max_age": max_age,
        "min_aum": min_aum,
        "max_aum": max_aum,
        "required_tags": required_tags,
        "excluded_tags": excluded_tags,
        "product_codes": list(form["product_codes"]),
        "product_category": category,
        "browsed_only": form["browsed_only"],
        "max_risk_level": risk,
        "skip_held_category": form["skip_held_category"],
    }
    return fields, errors


def _whole_number(
    form: Mapping[str, Any], name: str, low: int, high: int, title: str, errors: dict[str, str]
) -> int | None:
    text = form[name]
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        errors[name] = f"{title}须为 {low} 至 {high} 之间的整数。"
        return None
    return int(text)


def _amount(form: Mapping[str, Any], name: str, title: str, errors: dict[str, str]) -> float | None:
    """Read an amount in yuan, with at most two decimals; thousands separators are allowed."""
    text = form[name].replace(",", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if (
        amount is None
        or not amount.is_finite()
        or not 0 <= amount <= MAX_AMOUNT
        or amount.as_tuple().exponent < -2
    ):
        errors[name] = f"{title}须为 0 至 {MAX_AMOUNT:,} 元之间的金额，最多两位小数。"
        return None
    return float(amount)


def _tags(
    form: Mapping[str, Any], name: str, tag_names: Collection[str], errors: dict[str, str]
) -> list[str]:
    tags = list(dict.fromkeys(tag for tag in TAG_SEPARATORS.split(form[name]) if tag))
    unknown = [tag for tag in tags if tag not in tag_names]
    if len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG_NAME for tag in tags):
        errors[name] = f"最多填写 {MAX_TAGS} 个标签，每个不超过 {MAX_TAG_NAME} 个字，用顿号或逗号分隔。"
    elif unknown:
        errors[name] = f"标签体系中没有这些标签：{'、'.join(unknown)}。请从表单中列出的标签里选择。"
    return tags
