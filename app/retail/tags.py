"""Routes that add and remove a customer's manual tags on the 360 page; system tags stay read-only."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import audit, permission_required, require_customer
from app.database import graph_store
from app.retail.routes import bp
from app.text_input import clean_text
from c360.roles import MAINTAIN
from graph_model.tags import TagNotRemovable, add_manual_tag, customer_tags, remove_manual_tag

logger = logging.getLogger(__name__)

MAX_TAG_NAME = 20
MAX_TAG_CATEGORY = 10
#: Category of a manual tag when the user names none.
DEFAULT_CATEGORY = "手工标签"


@bp.route("/customers/<customer_id>/tags", methods=["POST"])
@permission_required(MAINTAIN)
def add_tag(customer_id: str):
    require_customer(customer_id, "api")
    name = clean_text(request.form.get("name"))
    category = clean_text(request.form.get("category")) or DEFAULT_CATEGORY
    if not name or len(name) > MAX_TAG_NAME:
        return _rejected(
            customer_id, "missing or too long name", f"请填写标签名称（不超过 {MAX_TAG_NAME} 个字）。"
        )
    if len(category) > MAX_TAG_CATEGORY:
        return _rejected(customer_id, "category too long", f"标签类别不能超过 {MAX_TAG_CATEGORY} 个字。")
    if name in {tag["name"] for tag in customer_tags(graph_store(), customer_id)}:
        return _rejected(customer_id, f"duplicate tag {name!r}", f"该客户已有标签“{name}”。")
    at = datetime.now(UTC).isoformat(timespec="seconds")
    added = add_manual_tag(
        graph_store(), customer_id, name=name, category=category, user=current_user.username, at=at
    )
    if added is None:
        return _rejected(customer_id, "customer not found", "未找到该客户。")
    audit("add_tag", f"customer:{customer_id}", after=f"{category}：{name}", customer_id=customer_id)
    return _back(customer_id, f"已添加标签“{name}”。", "info")


@bp.route("/customers/<customer_id>/tags/remove", methods=["POST"])
@permission_required(MAINTAIN)
def remove_tag(customer_id: str):
    require_customer(customer_id, "api")
    tag_code = request.form.get("tag_code", "")
    try:
        name = remove_manual_tag(graph_store(), customer_id, tag_code)
    except TagNotRemovable as error:
        logger.warning("Refused tag removal by %s: %s", current_user.username, error)
        audit("change_refused", f"customer:{customer_id}", customer_id=customer_id, detail=f"R02:{tag_code}")
        message = "系统标签由源系统维护，不能在此删除；或该标签已被他人删除。请返回客户页面刷新后查看。"
        return render_template("error.html", status=403, title="无法删除标签", message=message), 403
    audit("remove_tag", f"customer:{customer_id}", before=name, customer_id=customer_id)
    return _back(customer_id, f"已删除标签“{name}”。", "info")


def _rejected(customer_id: str, reason: str, message: str):
    logger.info("Tag request for customer %s by %s rejected: %s", customer_id, current_user.username, reason)
    return _back(customer_id, message, "error")


def _back(customer_id: str, message: str, category: str):
    flash(message, category)
    return redirect(url_for("retail.customer_page", customer_id=customer_id) + "#module-R02")
