"""Reviewing mined links and recording manual ones, from the 360 page's knowledge graph.

Every change is written to the audit trail with the value before and after. Forms post with
the page's CSRF token; the graph's script sends JSON with it in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask_login import current_user

from app.access import audit, customer_visible, permission_required, require_customer
from app.database import graph_store
from app.text_input import clean_text
from c360.roles import MAINTAIN, REVIEW_LINKS
from graph_model.links import REVIEW_DECISIONS, LinkNotFound, review_mined_link
from graph_model.manual_links import (
    ManualLinkConflict,
    ManualLinkNotFound,
    add_manual_link,
    remove_manual_link,
    update_manual_link,
)

logger = logging.getLogger(__name__)

bp = Blueprint("links", __name__)

#: Maximum length of each field of a review request (ids, keys, link type, decision).
MAX_REVIEW_FIELD = 200
MAX_CUSTOMER_ID = 64
MAX_RELATION = 20
MAX_NOTE = 200
REVIEW_MESSAGES = {"confirmed": "已确认该关系。", "rejected": "已否决该关系，今后不再推荐。"}


class InvalidInput(ValueError):
    """A field of a manual-link request that the user must correct; the message is in Chinese."""


@bp.route("/links/review", methods=["POST"])
@permission_required(REVIEW_LINKS)
def review_link():
    """Confirm or reject a mined link; responds with JSON carrying a message in Chinese."""
    payload = _json_payload()
    fields = {name: payload.get(name) for name in ("source", "target", "link_type", "decision")}
    valid = all(isinstance(value, str) and 0 < len(value) <= MAX_REVIEW_FIELD for value in fields.values())
    if not valid or fields["decision"] not in REVIEW_DECISIONS:
        return _json_refusal(400, "请求内容不完整或无效，请刷新页面后重试。", f"invalid fields {fields}")
    require_customer(fields["source"], "api")
    require_customer(fields["target"], "api")
    try:
        before = review_mined_link(graph_store(), **fields, user=current_user.username, at=_now())
    except LinkNotFound as error:
        return _json_refusal(404, "未找到该关系，可能已被重新挖掘，请刷新页面。", error)
    subject = f"{fields['link_type']}:{fields['source']}->{fields['target']}"
    _audit("review_link", subject, before, fields["decision"], fields["source"])
    return jsonify(status=fields["decision"], message=REVIEW_MESSAGES[fields["decision"]])


@bp.route("/customers/<customer_id>/manual-links", methods=["POST"])
@permission_required(MAINTAIN)
def add_link(customer_id: str):
    """Record a manual link from this customer to another, from the form under the graph.

    Both customers must lie in the user's scope: a different answer for an out-of-scope number
    than for an unknown one would tell the user that the customer exists.
    """
    page = url_for("retail.customer_page", customer_id=customer_id)
    require_customer(customer_id, "api")
    try:
        target = _customer_id(request.form.get("target"))
        relation = _relation(request.form.get("relation"))
        note = _note(request.form.get("note"))
        if target == customer_id:
            raise InvalidInput("不能与客户本人建立关系。")
        if not customer_visible(target, "api"):
            return _form_refusal(page, "未找到该客户号，请核对后重试。", f"target {target} out of scope")
        created, before = add_manual_link(
            graph_store(), source=customer_id, target=target, relation=relation, note=note,
            user=current_user.username, at=_now(),
        )  # fmt: skip
    except InvalidInput as error:
        return _form_refusal(page, str(error), error)
    except ManualLinkNotFound as error:
        return _form_refusal(page, "未找到该客户号，请核对后重试。", error)
    action = "add_manual_link" if created else "update_manual_link"
    _audit(action, _manual_subject(relation, customer_id, target), before, note, customer_id)
    if created:
        flash(f"已记录手工关系“{relation}”。", "info")
    else:
        flash(f"与该客户的“{relation}”关系已存在，已更新其备注。", "info")
    return redirect(page)


@bp.route("/links/manual/update", methods=["POST"])
@permission_required(MAINTAIN)
def update_link():
    """Rename a manual link's relation or change its note; JSON in and out."""
    payload = _json_payload()
    try:
        source, target = _customer_id(payload.get("source")), _customer_id(payload.get("target"))
        relation = _relation(payload.get("relation"))
        new_relation = _relation(payload.get("new_relation"))
        note = _note(payload.get("note"))
        require_customer(source, "api")
        before_relation, before_note = update_manual_link(
            graph_store(), source=source, target=target, relation=relation, new_relation=new_relation,
            note=note, user=current_user.username, at=_now(),
        )  # fmt: skip
    except InvalidInput as error:
        return _json_refusal(400, str(error), error)
    except ManualLinkConflict as error:
        return _json_refusal(409, f"这两位客户之间已有“{new_relation}”关系。", error)
    except ManualLinkNotFound as error:
        return _json_refusal(404, "未找到该手工关系，可能已被他人删除，请刷新页面。", error)
    _audit(
        "update_manual_link",
        _manual_subject(new_relation, source, target),
        f"{before_relation}｜{before_note or ''}",
        f"{new_relation}｜{note}",
        source,
    )
    return jsonify(message="已保存。", relation=new_relation)


@bp.route("/links/manual/remove", methods=["POST"])
@permission_required(MAINTAIN)
def remove_link():
    """Delete a manual link; JSON in and out."""
    payload = _json_payload()
    try:
        source, target = _customer_id(payload.get("source")), _customer_id(payload.get("target"))
        relation = _relation(payload.get("relation"))
        require_customer(source, "api")
        before = remove_manual_link(graph_store(), source=source, target=target, relation=relation)
    except InvalidInput as error:
        return _json_refusal(400, str(error), error)
    except ManualLinkNotFound as error:
        return _json_refusal(404, "未找到该手工关系，可能已被他人删除，请刷新页面。", error)
    _audit("remove_manual_link", _manual_subject(relation, source, target), before, None, source)
    return jsonify(message="已删除该手工关系。")


def _json_payload() -> dict:
    payload = request.get_json(silent=True)
    return payload if isinstance(payload, dict) else {}


def _customer_id(value) -> str:
    text = clean_text(value)
    if not text or len(text) > MAX_CUSTOMER_ID:
        raise InvalidInput("请填写对方的客户号。")
    return text


def _relation(value) -> str:
    text = clean_text(value)
    if not text or len(text) > MAX_RELATION:
        raise InvalidInput(f"请填写关系名称（不超过 {MAX_RELATION} 个字）。")
    return text


def _note(value) -> str:
    text = clean_text(value)
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"备注不能超过 {MAX_NOTE} 个字。")
    return text


def _json_refusal(status: int, message: str, reason: object) -> tuple:
    """Log a rejected request, and respond with ``message`` in JSON."""
    _log_rejection(reason)
    return jsonify(message=message), status


def _form_refusal(page: str, message: str, reason: object):
    """Log a rejected form, and show ``message`` on ``page``."""
    _log_rejection(reason)
    flash(message, "error")
    return redirect(page)


def _log_rejection(reason: object) -> None:
    logger.info("%s %s by %s rejected: %s", request.method, request.path, current_user.username, reason)


def _manual_subject(relation: str, source: str, target: str) -> str:
    return f"manual:{relation}:{source}->{target}"


def _audit(action: str, subject: str, before: str | None, after: str | None, customer_id: str) -> None:
    audit(action, subject, before=before, after=after, customer_id=customer_id)
    logger.info("%s %s by %s", action, subject, current_user.username)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
