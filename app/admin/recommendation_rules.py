"""Administration of the product recommendation rules: list, add, edit, enable and disable.

Every change is audited with the whole rule before and after, in words. Only administrators
reach these pages; the rules take effect on the next 360 page shown.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import audit
from app.admin.routes import admin_required, bp
from app.admin.rule_form import blank_form, checked_rule, form_of_rule, submitted_form
from app.database import graph_store
from app.retail.recommendation_rules import (
    conditions_text,
    offer_text,
    recommendation_rules,
    rule_from_node,
    rule_text,
)
from c360.product_matching import RISK_LEVELS
from graph_model.recommendations import active_products, add_rule, find_rule, set_rule_enabled, update_rule
from graph_model.tags import tag_names

logger = logging.getLogger(__name__)


@bp.route("/recommendations")
@admin_required
def recommendation_rule_list():
    names = _product_names(active_products(graph_store()))
    rules = []
    for node in recommendation_rules():
        rule = rule_from_node(node)
        rules.append(
            {
                "node": node,
                "rule": rule,
                "conditions": conditions_text(rule),
                "offer": offer_text(rule, names),
            }
        )
    return render_template("admin/recommendations.html", rules=rules, catalogue_size=len(names))


@bp.route("/recommendations/new", methods=["GET", "POST"])
@admin_required
def new_recommendation_rule():
    catalogue = active_products(graph_store())
    form, errors = blank_form(), {}
    if request.method == "POST":
        form = submitted_form(request.form, request.form.getlist("product_codes"))
        fields, errors = _checked(form, catalogue, new=True)
        if not errors:
            rule_id = fields.pop("rule_id")
            if add_rule(graph_store(), rule_id, fields, **_by_now()):
                names = _product_names(catalogue)
                audit(
                    "create_recommendation_rule",
                    f"recommendation_rule:{rule_id}",
                    after=rule_text(rule_from_node(fields | {"rule_id": rule_id}), names),
                )
                flash(f"已新建推荐规则“{fields['name']}”。", "info")
                return redirect(url_for("admin.recommendation_rule_list"))
            errors["rule_id"] = f"规则编号 {rule_id} 已存在。"
        logger.info("Recommendation rule form rejected for %s: %s", current_user.username, sorted(errors))
    return _form_page(form, errors, catalogue, new=True)


@bp.route("/recommendations/<rule_id>", methods=["GET", "POST"])
@admin_required
def edit_recommendation_rule(rule_id: str):
    node = find_rule(graph_store(), rule_id)
    if node is None:
        abort(404)
    catalogue = active_products(graph_store())
    form, errors = form_of_rule(node), {}
    if request.method == "POST":
        form = submitted_form(request.form, request.form.getlist("product_codes")) | {"rule_id": rule_id}
        fields, errors = _checked(form, catalogue, new=False)
        if not errors:
            fields.pop("rule_id")
            before = update_rule(graph_store(), rule_id, fields, **_by_now())
            if before is None:
                abort(404)
            names = _product_names(catalogue)
            audit(
                "update_recommendation_rule",
                f"recommendation_rule:{rule_id}",
                before=rule_text(rule_from_node(before), names),
                after=rule_text(rule_from_node(fields | {"rule_id": rule_id}), names),
            )
            flash(f"已保存推荐规则“{fields['name']}”。", "info")
            return redirect(url_for("admin.recommendation_rule_list"))
        logger.info("Recommendation rule form rejected for %s: %s", current_user.username, sorted(errors))
    return _form_page(form, errors, catalogue, new=False)


@bp.route("/recommendations/<rule_id>/enabled", methods=["POST"])
@admin_required
def switch_recommendation_rule(rule_id: str):
    enabled = request.form.get("enabled") == "1"
    was_enabled = set_rule_enabled(graph_store(), rule_id, enabled, **_by_now())
    if was_enabled is None:
        abort(404)
    state = "启用" if enabled else "停用"
    if was_enabled != enabled:
        audit(
            f"{'enable' if enabled else 'disable'}_recommendation_rule",
            f"recommendation_rule:{rule_id}",
            before="启用" if was_enabled else "停用",
            after=state,
        )
    flash(f"推荐规则 {rule_id} 已{state}。", "info")
    return redirect(url_for("admin.recommendation_rule_list"))


def _checked(
    form: dict[str, Any], catalogue: list[dict[str, Any]], *, new: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    codes = {row["product_code"] for row in catalogue}
    return checked_rule(
        form,
        new=new,
        product_codes=codes,
        categories=_categories(catalogue),
        tag_names=tag_names(graph_store()),
    )


def _form_page(form: dict[str, Any], errors: dict[str, str], catalogue: list[dict[str, Any]], *, new: bool):
    page = render_template(
        "admin/recommendation_form.html",
        form=form,
        errors=errors,
        new=new,
        catalogue=catalogue,
        categories=sorted(_categories(catalogue)),
        tags=tag_names(graph_store()),
        risk_levels=RISK_LEVELS,
    )
    return page, 400 if errors else 200


def _categories(catalogue: list[dict[str, Any]]) -> set[str]:
    """Return the catalogue's category names at every level."""
    return {
        row[level]
        for row in catalogue
        for level in ("category_l1", "category_l2", "category_l3")
        if row[level]
    }


def _product_names(catalogue: list[dict[str, Any]]) -> dict[str, str]:
    return {row["product_code"]: row["name"] or row["product_code"] for row in catalogue}


def _by_now() -> dict[str, str]:
    return {"user": current_user.username, "at": datetime.now(UTC).isoformat(timespec="seconds")}
