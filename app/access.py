"""The signed-in user's data scope and permissions, and the audit of their views and rejected requests.

Views call ``require_customer`` before reading a customer's data and ``permission_required`` to
guard actions. A rejected request gets the 403 page (or JSON for the page's scripts) and is
written to the audit trail with the channel it came through: page, search, graph, export or api.
"""

from __future__ import annotations

import logging
from functools import wraps

from flask import abort, current_app, g, jsonify, request
from flask_login import current_user, login_required

from app.database import graph_store
from c360.masking import MaskRule, mask_value, opaque_reference
from c360.roles import role_of
from graph_model.audit import record_audit_event
from graph_model.scope import DataScope, OutOfScope, require_in_scope, resolve_scope

logger = logging.getLogger(__name__)

MASKING_RULES_KEY = "C360_MASKING_RULES"


def current_scope() -> DataScope:
    """Return the signed-in user's scope, resolved once per request."""
    if "data_scope" not in g:
        g.data_scope = resolve_scope(
            graph_store(),
            role_of(current_user.role).scope,
            branch_code=current_user.branch_code,
            manager_id=current_user.manager_id,
        )
    return g.data_scope


def audit(action: str, subject: str, **fields: str | None) -> None:
    """Record an audit event by the signed-in user; ``fields`` are before, after, customer_id, detail."""
    record_audit_event(graph_store(), user=current_user.username, action=action, subject=subject, **fields)


def require_customer(customer_id: str, channel: str) -> None:
    """Refuse (403, audited) a customer outside the user's scope; an unknown customer passes."""
    try:
        require_in_scope(graph_store(), current_scope(), customer_id)
    except OutOfScope:
        refuse(customer_id, channel)


def customer_visible(customer_id: str, channel: str) -> bool:
    """Return whether the customer is in the user's scope, an unknown one included.

    A customer out of scope is logged and audited as refused. The caller then responds as for an
    unknown number, so the response does not reveal that the customer exists.
    """
    try:
        require_in_scope(graph_store(), current_scope(), customer_id)
    except OutOfScope:
        logger.warning("Refused %s access to customer %s for %s", channel, customer_id, current_user.username)
        audit("access_refused", f"customer:{customer_id}", customer_id=customer_id, detail=channel)
        return False
    return True


def refuse(customer_id: str, channel: str) -> None:
    """Audit and log a refused request for a customer, then stop it with 403.

    Requests from the page's scripts (JSON bodies, or addresses ending in ``.json``) get JSON.
    """
    logger.warning(
        "Refused %s access to customer %s for %s (%s %s)",
        channel, customer_id, current_user.username, request.method, request.path,
    )  # fmt: skip
    audit("access_refused", f"customer:{customer_id}", customer_id=customer_id, detail=channel)
    if (
        request.is_json
        or request.path.endswith(".json")
        or request.accept_mimetypes.best == "application/json"
    ):
        abort(_json_refusal("您无权查看或操作该客户的信息。"))
    abort(403)


def refuse_permission(customer_id: str, channel: str) -> None:
    """Audit and log a request for a customer that the role lacks the permission for; stop it with 403."""
    logger.warning(
        "Refused %s of customer %s to %s: role %s lacks the permission",
        channel, customer_id, current_user.username, current_user.role,
    )  # fmt: skip
    audit("permission_refused", f"customer:{customer_id}", customer_id=customer_id, detail=channel)
    abort(403)


def _json_refusal(message: str):
    response = jsonify(message=message)
    response.status_code = 403
    return response


def permission_required(permission: str):
    """Allow the view to signed-in users whose role has ``permission``; others get 403, audited."""

    def decorate(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not current_user.can(permission):
                logger.warning("Refused %s to %s: needs %s", request.path, current_user.username, permission)
                customer_id = kwargs.get("customer_id")
                subject = f"customer:{customer_id}" if customer_id else f"path:{request.path}"
                audit("permission_refused", subject, customer_id=customer_id, detail=permission)
                if request.is_json:
                    abort(_json_refusal("您的角色无权进行此操作。"))
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def mask(value: object, kind: str) -> str:
    """Mask a value by the configured rule of its kind (see ``c360.masking``)."""
    rules: dict[str, MaskRule] = current_app.config[MASKING_RULES_KEY]
    return mask_value(value, kind, rules)


def reference(value: str) -> str:
    """Return an opaque, stable stand-in for a sensitive value, for node ids and requests to reveal it."""
    return opaque_reference(current_app.config["SECRET_KEY"], value)
