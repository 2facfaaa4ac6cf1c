"""The audit trail for administrators and auditors: filter by user, customer, action and time; export."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import render_template, request
from flask_login import current_user

from app import labels
from app.access import audit, permission_required
from app.admin.audit_text import described
from app.admin.routes import bp
from app.database import graph_store
from app.exports import csv_download
from app.filters import DISPLAY_TIME_ZONE, local_time
from c360.roles import READ_AUDIT
from graph_model.audit import AuditFilter, audit_events

logger = logging.getLogger(__name__)

#: Events listed on the page; the export holds up to ``EXPORTED_EVENTS``.
EVENTS_SHOWN = 500
EXPORTED_EVENTS = 50_000
MAX_FILTER_TEXT = 64
FILTER_FIELDS = ("user", "customer_id", "action", "since", "until")


class InvalidFilter(ValueError):
    """A filter field the auditor must correct; the message is in Chinese."""


@bp.route("/audit")
@permission_required(READ_AUDIT)
def audit_trail():
    form = _filter_form()
    error = None
    events: list[dict] = []
    try:
        events = audit_events(graph_store(), _audit_filter(form), EVENTS_SHOWN)
    except InvalidFilter as problem:
        logger.info("Invalid audit filter from %s: %s", current_user.username, form)
        error = str(problem)
    return render_template(
        "admin/audit.html",
        form=form,
        events=events,
        error=error,
        limit=EVENTS_SHOWN,
        actions=labels.AUDIT_ACTIONS,
        described=described,
        labels=labels,
    )


@bp.route("/audit/export.csv")
@permission_required(READ_AUDIT)
def export_audit_trail():
    form = _filter_form()
    try:
        wanted = _audit_filter(form)
    except InvalidFilter:
        wanted = AuditFilter()
    events = audit_events(graph_store(), wanted, EXPORTED_EVENTS)
    audit("export_audit", "audit", detail=_export_detail(len(events), form))
    logger.info("Audit trail exported by %s: %d events", current_user.username, len(events))
    rows = [["时间（北京时间）", "用户", "操作", "对象", "客户号", "说明", "修改前", "修改后"]]
    for event in events:
        text = described(event)
        rows.append(
            [
                local_time(event.get("at")),
                event.get("user"),
                labels.label(labels.AUDIT_ACTIONS, event.get("action")),
                text["subject"],
                event.get("customer_id"),
                text["detail"],
                text["before"],
                text["after"],
            ]
        )
    return csv_download(rows, "audit-trail.csv")


def _export_detail(count: int, form: dict[str, str]) -> str:
    names = {
        "user": "用户",
        "customer_id": "客户号",
        "action": "操作",
        "since": "开始日期",
        "until": "结束日期",
    }
    conditions = [
        f"{names[field]} {labels.label(labels.AUDIT_ACTIONS, value) if field == 'action' else value}"
        for field, value in form.items()
        if value
    ]
    return f"共 {count} 条；条件：{'，'.join(conditions) or '全部'}"


def _filter_form() -> dict[str, str]:
    return {name: request.args.get(name, "").strip() for name in FILTER_FIELDS}


def _audit_filter(form: dict[str, str]) -> AuditFilter:
    for name in ("user", "customer_id", "action"):
        if len(form[name]) > MAX_FILTER_TEXT:
            raise InvalidFilter(f"筛选条件过长，请输入不超过 {MAX_FILTER_TEXT} 个字符。")
    since = _day_start(form["since"], "开始日期")
    until = _day_start(form["until"], "结束日期", days_after=1)
    if since and until and since >= until:
        raise InvalidFilter("开始日期不能晚于结束日期。")
    return AuditFilter(
        user=form["user"] or None,
        customer_id=form["customer_id"] or None,
        action=form["action"] or None,
        since=since,
        until=until,
    )


def _day_start(text: str, name: str, days_after: int = 0) -> str | None:
    """Return the UTC instant that starts the Beijing day ``text`` (plus ``days_after``), ISO formatted."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text) + timedelta(days=days_after)
    except ValueError:
        raise InvalidFilter(f"{name}格式应为 年-月-日，例如 2026-12-01。") from None
    start = datetime.combine(day, time(), tzinfo=ZoneInfo(DISPLAY_TIME_ZONE))
    return start.astimezone(UTC).isoformat(timespec="microseconds")
