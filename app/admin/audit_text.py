"""Audit events said in Chinese for the audit page and its export.

Events keep codes (actions, channels, module ids, link types) and JSON values, so that they stay
exact and searchable; this module turns them into text an auditor reads without a code list.
"""

from __future__ import annotations

import json
from typing import Any

from app import labels
from app.retail.maintenance_forms import MAINTAINED_MODULES, FormField, LockedField, MaintainedModule
from app.retail.page_views import RETAIL_MODULES
from c360.reminder_rules import KINDS, reminder_kind
from c360.roles import ROLES

EXPORT_FORMATS = {"csv": "CSV 文件", "xlsx": "Excel 文件", "pdf": "PDF 文件"}
#: Actions on maintained fields and records; their detail names the module, record and field.
FIELD_CHANGES = {"maintain_customer", "update_record"}
RECORD_CHANGES = {"add_record", "remove_record"}
#: Name of the number that the detail of an event creating a sales opportunity or campaign carries.
OFFER_NUMBERS = {"create_opportunity": "商机编号", "create_campaign": "营销活动编号"}
VALUE_FIELDS = {
    "address": "登录地址",
    "reason": "原因",
    "display_name": "姓名",
    "role": "角色",
    "branch_code": "所属机构",
    "manager_id": "客户经理编号",
    "active": "状态",
    "sessions_ended": "结束的登录会话数",
    "relation": "关系",
    "name": "姓名",
    "birth_year": "出生年份",
    "note": "备注",
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
    if action in FIELD_CHANGES | RECORD_CHANGES:
        return _maintenance(event)
    return {
        "subject": _subject(action, event.get("subject") or ""),
        "detail": _detail(action, event.get("detail")),
        "before": _value(action, event.get("before")),
        "after": _value(action, event.get("after")),
    }


def _maintenance(event: dict[str, Any]) -> dict[str, str]:
    """Describe a change on a maintenance page: module, record and field, values as the page shows them.

    The detail is ``<module>.<field>`` for a customer field, ``<module>:<record>.<field>`` for a
    field of a record, and ``<module>:<record>`` for a record added or removed whole.
    """
    target, _, field_name = (event.get("detail") or "").partition(".")
    module_id, _, record_id = target.partition(":")
    module = MAINTAINED_MODULES.get(module_id)
    title = module.title if module else module_id
    detail = f"{title}（记录 {record_id}）" if record_id else title
    if event.get("action") in RECORD_CHANGES:
        before, after = (_record_text(module, event.get(side)) for side in ("before", "after"))
    else:
        form_field = module.field_named(field_name) if module else None
        detail += f"：{form_field.label if form_field else field_name}"
        before, after = (_field_text(form_field, event.get(side)) for side in ("before", "after"))
    subject = _subject(None, event.get("subject") or "")
    return {"subject": subject, "detail": detail, "before": before, "after": after}


def _field_text(form_field: FormField | LockedField | None, value: object) -> str:
    if value is None or value == "":
        return "—"
    return form_field.shown(value) if form_field else str(value)


def _record_text(module: MaintainedModule | None, value: str | None) -> str:
    if not value:
        return "—"
    try:
        fields = json.loads(value)
    except ValueError:
        return value
    if module is None or not isinstance(fields, dict):
        return value
    parts = []
    for name, item in fields.items():
        form_field = module.field_named(name)
        parts.append(f"{form_field.label if form_field else name}：{_field_text(form_field, item)}")
    return "；".join(parts)


def _subject(action: str | None, subject: str) -> str:
    kind, _, rest = subject.partition(":")
    if kind == "customer":
        return f"客户 {rest}"
    if kind == "manual":
        relation, _, ends = rest.rpartition(":")
        return f"手工关系“{relation}”：{_ends(ends)}"
    if action == "review_link":
        return f"挖掘关系“{labels.label(labels.LINK_TYPES, kind)}”：{_ends(rest)}"
    if kind == "path":
        return f"页面 {rest}"
    if subject == "audit":
        return "审计日志"
    if kind == "view":
        return f"视图 {rest}"
    if kind == "recommendation_rule":
        return f"推荐规则 {rest}"
    return f"用户 {subject}" if subject else "—"


def _ends(text: str) -> str:
    return text.replace("->", " → ")


def _detail(action: str | None, detail: str | None) -> str:
    if not detail:
        return "—"
    if action == "permission_refused" and detail in labels.PERMISSIONS:
        return f"需要“{labels.PERMISSIONS[detail]}”权限"
    if action in ("access_refused", "permission_refused"):
        return labels.label(labels.ACCESS_CHANNELS, detail)
    if action == "view_customer":
        return "、".join(RETAIL_MODULES.get(module, module) for module in detail.split(","))
    if action == "export_customer":
        return EXPORT_FORMATS.get(detail, detail)
    if action in OFFER_NUMBERS:
        return f"{OFFER_NUMBERS[action]} {detail}"
    if action == "dismiss_reminder":
        kind = reminder_kind(detail)
        return f"{KINDS[kind]}提醒（{detail}）" if kind else detail
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
    if name == "relation":
        return labels.label(labels.FAMILY_RELATIONS, str(value))
    return str(value)
