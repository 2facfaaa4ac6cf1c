"""Audit events said in Chinese for the audit page and its export.

Events keep codes (actions, channels, module ids, link types) and JSON values, so that they stay
exact and searchable; this module turns them into text an auditor reads without a code list.
"""

from __future__ import annotations

import json
from typing import Any

from app import labels
from app.retail.page_views import RETAIL_MODULES
from c360.roles import ROLES

EXPORT_FORMATS = {"csv": "CSV 文件", "xlsx": "Excel 文件", "pdf": "PDF 文件"}
VALUE_FIELDS = {
    "address": "登录地址",
    "reason": "原因",
    "display_name": "姓名",
    "role": "角色",
    "branch_code": "所属机构",
    "manager_id": "客户经理编号",
    "active": "状态",
    "sessions_ended": "结束的登录会话数",
}
REASONS = {
    "wrong_password": "密码错误",
    "unknown_user": "用户名不存在",
    "inactive": "账号已停用",
    "username": "该用户名已锁定",
    "address": "该地址已锁定",
}


def described(event: dict[str, Any]) -> dict[str, str]:
    """Return the event's subject, detail, value before and value after as Chinese text."""
    action = event.get("action")
    return {
        "subject": _subject(action, event.get("subject") or ""),
        "detail": _detail(action, event.get("detail")),
        "before": _value(action, event.get("before")),
        "after": _value(action, event.get("after")),
    }


def _subject(action: str | None, subject: str) -> str:
    kind, _, rest = subject.partition(":")
    if kind == "customer":
        return f"客户 {rest}"
    if kind == "manual":
        relation, _, ends = rest.rpartition(":")
        return f"手工关系“{relation}”：{_ends(ends)}"
    if action == "review_link":
        return f"挖掘关系“{labels.label(labels.LINK_TYPES, kind)}”：{_ends(rest)}"
    if subject == "audit":
        return "审计日志"
    if kind == "view":
        return f"视图 {rest}"
    return f"用户 {subject}" if subject else "—"


def _ends(text: str) -> str:
    return text.replace("->", " → ")


def _detail(action: str | None, detail: str | None) -> str:
    if not detail:
        return "—"
    if action in ("access_refused", "permission_refused"):
        return labels.label(labels.ACCESS_CHANNELS, detail)
    if action == "view_customer":
        return "、".join(RETAIL_MODULES.get(module, module) for module in detail.split(","))
    if action == "export_customer":
        return EXPORT_FORMATS.get(detail, detail)
    return detail


def _value(action: str | None, value: str | None) -> str:
    if value is None or value == "":
        return "—"
    if action == "review_link":
        return labels.label(labels.REVIEW_STATUSES, value)
    if not value.startswith("{"):
        return value
    try:
        fields = json.loads(value)
    except ValueError:
        return value
    return "；".join(
        f"{VALUE_FIELDS.get(name, name)}：{_field_value(name, item)}" for name, item in fields.items()
    )


def _field_value(name: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if name == "role":
        return ROLES[value].label if value in ROLES else str(value)
    if name == "reason":
        return REASONS.get(str(value), str(value))
    if name == "active":
        return "启用" if value else "停用"
    return str(value)
