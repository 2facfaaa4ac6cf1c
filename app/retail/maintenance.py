"""Maintenance pages of the retail 360 page (P02): forms for what relationship managers know.

Each maintainable module has one page, ``/customers/<id>/maintain/<module>``, open to users with
the maintain permission and within their data scope. Every change is audited field by field with
the value before and after. Fields and records a source system delivered are shown locked: the
forms never send them, and the repository's change queries match only records users entered.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import labels
from app.access import audit, current_scope, customer_visible, permission_required, require_customer
from app.database import graph_store
from app.filters import DISPLAY_TIME_ZONE
from app.retail.maintenance_forms import (
    FAMILY_PERSON_FIELDS,
    MAINTAINED_MODULES,
    MaintainedModule,
    checked_form,
    stored_form,
)
from app.retail.routes import bp
from app.text_input import clean_text
from c360.roles import MAINTAIN
from graph_model.customer_records import customer_records
from graph_model.family import family_members
from graph_model.maintenance import (
    MAINTAINED_KINDS,
    CustomerNotFound,
    FieldChange,
    RecordNotMaintainable,
    add_manual_record,
    customer_fields,
    declare_family_member,
    end_declared_member,
    end_family_person,
    manual_record,
    record_family_person,
    remove_manual_record,
    update_customer_fields,
    update_manual_record,
)

logger = logging.getLogger(__name__)

#: Records listed on a maintenance page, newest first.
RECORDS_LISTED = 50
FAMILY_MODULE = "R07"
#: A customer number a user types to declare a family member.
MAX_CUSTOMER_NUMBER = 32


@bp.route("/customers/<customer_id>/maintain/<module_id>", methods=["GET", "POST"])
@permission_required(MAINTAIN)
def maintain_module(customer_id: str, module_id: str):
    customer = _customer_in_scope(customer_id)
    if module_id == FAMILY_MODULE:
        return _family_page(customer)
    module = MAINTAINED_MODULES.get(module_id)
    if module is None:
        abort(404)
    if module.record_kind is None:
        return _fields_page(customer, module)
    return _records_page(customer, module)


@bp.route("/customers/<customer_id>/maintain/<module_id>/<record_id>", methods=["GET", "POST"])
@permission_required(MAINTAIN)
def edit_record(customer_id: str, module_id: str, record_id: str):
    customer = _customer_in_scope(customer_id)
    module = _record_module(module_id)
    try:
        record = manual_record(graph_store(), customer_id, module.record_kind, record_id)
    except RecordNotMaintainable as problem:
        return _not_maintainable(customer_id, module, record_id, problem)
    form = stored_form(module.fields, record)
    errors: dict[str, str] = {}
    if request.method == "POST":
        submitted = checked_form(module.fields, request.form, _now())
        form, errors = submitted.typed, submitted.errors
        if not errors:
            try:
                changes = update_manual_record(
                    graph_store(), customer_id, module.record_kind, record_id, submitted.values, **_by_now()
                )
            except RecordNotMaintainable as problem:
                return _not_maintainable(customer_id, module, record_id, problem)
            _audit_changes("update_record", customer, module, changes, record_id)
            flash(_saved_message(module, changes), "info")
            return _to_module_page(customer_id, module_id)
        _log_rejected(customer_id, module, errors)
    return _page(
        "retail/maintain_record.html", customer, module=module, record_id=record_id, form=form, errors=errors
    )


@bp.route("/customers/<customer_id>/maintain/<module_id>/<record_id>/remove", methods=["POST"])
@permission_required(MAINTAIN)
def remove_record(customer_id: str, module_id: str, record_id: str):
    customer = _customer_in_scope(customer_id)
    if module_id == FAMILY_MODULE:
        return _end_family_member(customer, record_id)
    module = _record_module(module_id)
    try:
        record = remove_manual_record(graph_store(), customer_id, module.record_kind, record_id, **_by_now())
    except RecordNotMaintainable as problem:
        return _not_maintainable(customer_id, module, record_id, problem)
    audit(
        "remove_record", f"customer:{customer_id}", customer_id=customer_id,
        detail=f"{module.module_id}:{record_id}", before=_record_json(module, record),
    )  # fmt: skip
    flash(f"已删除该条{module.title}记录。", "info")
    return _to_module_page(customer_id, module_id)


def _fields_page(customer: dict[str, Any], module: MaintainedModule):
    form = stored_form(module.fields, customer)
    errors: dict[str, str] = {}
    if request.method == "POST":
        submitted = checked_form(module.fields, request.form, _now())
        form, errors = submitted.typed, submitted.errors
        if not errors:
            changes = update_customer_fields(
                graph_store(), customer["customer_id"], submitted.values, **_by_now()
            )
            _audit_changes("maintain_customer", customer, module, changes)
            flash(_saved_message(module, changes), "info")
            return redirect(_page_address(customer["customer_id"], module.module_id))
        _log_rejected(customer["customer_id"], module, errors)
    return _page("retail/maintain_fields.html", customer, module=module, form=form, errors=errors)


def _records_page(customer: dict[str, Any], module: MaintainedModule):
    customer_id = customer["customer_id"]
    form: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        submitted = checked_form(module.fields, request.form, _now())
        form, errors = submitted.typed, submitted.errors
        if not errors:
            record_id = f"M{uuid.uuid4().hex}"
            values = submitted.values | _stamped_values(module.module_id)
            try:
                add_manual_record(
                    graph_store(), customer_id, module.record_kind, record_id, values, **_by_now()
                )
            except CustomerNotFound:
                abort(404)
            audit(
                "add_record", f"customer:{customer_id}", customer_id=customer_id,
                detail=f"{module.module_id}:{record_id}", after=_record_json(module, values),
            )  # fmt: skip
            flash(f"已新增一条{module.title}记录。", "info")
            return _to_module_page(customer_id, module.module_id)
        _log_rejected(customer_id, module, errors)
    records, total = customer_records(graph_store(), customer_id, module.record_kind, limit=RECORDS_LISTED)
    return _page(
        "retail/maintain_records.html", customer, module=module, records=records, total=total,
        module_key=MAINTAINED_KINDS[module.record_kind], form=form, errors=errors,
    )  # fmt: skip


def _family_page(customer: dict[str, Any]):
    """Show the family page; a POST declares a customer (``kind=customer``) or records a non-customer."""
    customer_id = customer["customer_id"]
    form = {"member_id": "", "relation": ""}
    errors: dict[str, str] = {}
    person_form: dict[str, str] = {}
    person_errors: dict[str, str] = {}
    if request.method == "POST" and request.form.get("kind") == "person":
        submitted = checked_form(FAMILY_PERSON_FIELDS, request.form, _now())
        person_form, person_errors = submitted.typed, submitted.errors
        if not person_errors:
            _record_person(customer_id, submitted.values)
            return _to_module_page(customer_id, FAMILY_MODULE)
        _log_rejected(customer_id, None, person_errors)
    elif request.method == "POST":
        form = {name: clean_text(request.form.get(name))[:MAX_CUSTOMER_NUMBER] for name in form}
        errors = _declare_member(customer_id, form["member_id"], form["relation"])
        if not errors:
            relation = labels.FAMILY_RELATIONS[form["relation"]]
            flash(f"已登记家庭成员：客户 {form['member_id']}（{relation}）。", "info")
            return _to_module_page(customer_id, FAMILY_MODULE)
        _log_rejected(customer_id, None, errors)
    members = family_members(graph_store(), customer_id, current_scope())
    return _page(
        "retail/maintain_family.html", customer, members=members, form=form, errors=errors,
        relations=labels.FAMILY_RELATIONS, person_fields=FAMILY_PERSON_FIELDS, person_form=person_form,
        person_errors=person_errors,
    )  # fmt: skip


def _record_person(customer_id: str, values: dict[str, Any]) -> None:
    """Record a family member who is not a customer, audit it, and flash a confirmation for the next page."""
    member_id = f"F{uuid.uuid4().hex}"
    try:
        record_family_person(graph_store(), customer_id, values | {"member_id": member_id}, **_by_now())
    except CustomerNotFound:
        abort(404)
    audit(
        "declare_family", f"customer:{customer_id}", customer_id=customer_id, detail=f"R07:{member_id}",
        after=json.dumps(values, ensure_ascii=False),
    )  # fmt: skip
    relation = labels.FAMILY_RELATIONS[values["relation"]]
    flash(f"已登记家庭成员：{values['name']}（{relation}，非本行客户）。", "info")


@bp.route("/customers/<customer_id>/maintain/R07/persons/<member_id>/remove", methods=["POST"])
@permission_required(MAINTAIN)
def remove_family_person(customer_id: str, member_id: str):
    _customer_in_scope(customer_id)
    try:
        person = end_family_person(graph_store(), customer_id, member_id, **_by_now())
    except RecordNotMaintainable as problem:
        return _family_removal_refused(problem, "该家庭成员不存在或已被他人删除，请返回维护页面刷新后查看。")
    _audit_family_end(customer_id, member_id, person)
    flash(f"已删除家庭成员：{person['name']}。", "info")
    return _to_module_page(customer_id, FAMILY_MODULE)


def _declare_member(customer_id: str, member_id: str, relation: str) -> dict[str, str]:
    """Declare the family member and audit it; returns the Chinese messages of fields in error."""
    if relation not in labels.FAMILY_RELATIONS:
        return {"relation": "请从列表中选择关系。"}
    if not member_id:
        return {"member_id": "请填写家庭成员的客户号。"}
    if member_id == customer_id:
        return {"member_id": "不能把客户本人登记为家庭成员。"}

    not_found = {
        "member_id": (
            f"未找到客户号 {member_id}，或该客户不在您的查看范围内。非本行客户的家庭成员请在下方按姓名登记。"
        )
    }
    member = customer_fields(graph_store(), member_id) if customer_visible(member_id, "page") else None
    if member is None:
        return not_found
    if member.get("customer_type") == "corporate":
        return {"member_id": f"客户 {member_id} 是对公客户，不能登记为家庭成员；可在知识图谱中添加手工关系。"}

    try:
        declared = declare_family_member(graph_store(), customer_id, member_id, relation, **_by_now())
    except CustomerNotFound:
        return not_found
    if not declared:
        return {"member_id": f"客户 {member_id} 已登记为该客户的家庭成员。"}

    audit(
        "declare_family", f"customer:{customer_id}", customer_id=customer_id, detail=f"R07:{member_id}",
        after=json.dumps({"relation": relation}),
    )  # fmt: skip
    return {}


def _end_family_member(customer: dict[str, Any], member_id: str):
    customer_id = customer["customer_id"]
    try:
        relation = end_declared_member(graph_store(), customer_id, member_id, **_by_now())
    except RecordNotMaintainable as problem:
        message = "该家庭成员由源系统登记或由关系挖掘发现，不能在此删除；或已被他人删除。"
        return _family_removal_refused(problem, message)
    _audit_family_end(customer_id, member_id, {"relation": relation})
    flash(f"已删除家庭成员：客户 {member_id}。", "info")
    return _to_module_page(customer_id, FAMILY_MODULE)


def _family_removal_refused(problem: RecordNotMaintainable, message: str):
    logger.warning("Rejected family removal by %s: %s", current_user.username, problem)
    return render_template("error.html", status=403, title="无法删除家庭成员", message=message), 403


def _audit_family_end(customer_id: str, member_id: str, before: dict[str, Any]) -> None:
    audit(
        "end_family", f"customer:{customer_id}", customer_id=customer_id, detail=f"R07:{member_id}",
        before=json.dumps(before, ensure_ascii=False),
    )  # fmt: skip


def _page(template: str, customer: dict[str, Any], **context: Any) -> str:
    return render_template(template, customer=customer, today=_today().isoformat(), **context)


def _customer_in_scope(customer_id: str) -> dict[str, Any]:
    require_customer(customer_id, "page" if request.method == "GET" else "api")
    customer = customer_fields(graph_store(), customer_id)
    if customer is None:
        abort(404)
    return customer


def _record_module(module_id: str) -> MaintainedModule:
    module = MAINTAINED_MODULES.get(module_id)
    if module is None or module.record_kind is None:
        abort(404)
    return module


def _not_maintainable(
    customer_id: str, module: MaintainedModule, record_id: str, problem: RecordNotMaintainable
):
    logger.warning("Rejected %s change by %s: %s", module.module_id, current_user.username, problem)
    audit(
        "change_refused",
        f"customer:{customer_id}",
        customer_id=customer_id,
        detail=f"{module.module_id}:{record_id}",
    )
    message = (
        f"该条{module.title}记录由源系统提供，不能在此修改或删除；或已被他人删除。请返回维护页面刷新后查看。"
    )
    return render_template("error.html", status=403, title="无法维护该记录", message=message), 403


def _audit_changes(
    action: str,
    customer: dict[str, Any],
    module: MaintainedModule,
    changes: list[FieldChange],
    record_id: str | None = None,
) -> None:
    """Audit each changed field with its value before and after."""
    customer_id = customer["customer_id"]
    for change in changes:
        target = f"{module.module_id}:{record_id}" if record_id else module.module_id
        audit(
            action, f"customer:{customer_id}", customer_id=customer_id, detail=f"{target}.{change.field}",
            before=_audit_value(change.before), after=_audit_value(change.after),
        )  # fmt: skip


def _record_json(module: MaintainedModule, record: dict[str, Any]) -> str:
    """Return the record's form fields as JSON, as the audit keeps a record added or removed whole."""
    return json.dumps({item.name: record.get(item.name) for item in module.fields}, ensure_ascii=False)


def _audit_value(value: Any) -> str | None:
    return None if value is None else str(value)


def _saved_message(module: MaintainedModule, changes: list[FieldChange]) -> str:
    if not changes:
        return "内容没有变化，未保存。"
    order = [form_field.name for form_field in module.fields]
    changed = sorted(changes, key=lambda change: order.index(change.field))
    names = "、".join(module.field_named(change.field).label for change in changed)
    return f"已保存{module.title}：{names}。"


def _stamped_values(module_id: str) -> dict[str, Any]:
    """Return what the system records with a new record: who entered it and on which day."""
    recorder = current_user.manager_id or current_user.username
    return {
        "R09": {"recorded_by": recorder},
        "R10": {"source": "MANAGER", "recorded_on": _today().isoformat()},
        "R18": {"rated_by": "MANUAL"},
        "R25": {"manager_id": recorder},
    }.get(module_id, {})


def _log_rejected(customer_id: str, module: MaintainedModule | None, errors: dict[str, str]) -> None:
    logger.info(
        "Maintenance form %s for customer %s by %s rejected: fields %s",
        module.module_id if module else FAMILY_MODULE, customer_id, current_user.username, sorted(errors),
    )  # fmt: skip


def _to_module_page(customer_id: str, module_id: str):
    return redirect(url_for("retail.maintain_module", customer_id=customer_id, module_id=module_id))


def _page_address(customer_id: str, module_id: str) -> str:
    return url_for("retail.customer_page", customer_id=customer_id) + f"#module-{module_id}"


def _by_now() -> dict[str, str]:
    return {"user": current_user.username, "at": datetime.now(UTC).isoformat(timespec="seconds")}


def _now() -> datetime:
    """Return the bank's local time without a time zone, as forms compare dates and moments with it."""
    return datetime.now(ZoneInfo(DISPLAY_TIME_ZONE)).replace(tzinfo=None)


def _today() -> date:
    return _now().date()
