"""User administration pages: list, create and edit users, deactivate them, reset passwords, unlock logins.

Every change is written to the audit trail with the profile before and after it; passwords and
their hashes never are. Deactivating a user or resetting a password ends all of the user's sessions.
Resetting a password also lifts the login lock that failed logins put on the username.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.access import audit
from app.admin.routes import admin_required, bp
from app.auth import login_sessions, login_throttle
from app.database import graph_store
from c360.roles import ADMINISTER, ROLES, has_permission
from c360.users import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    RESERVED_USERNAMES,
    USERNAME_PATTERN,
    hash_password,
    needs_branch_code,
    needs_manager_id,
)
from graph_model.store import GraphStore
from graph_model.users import (
    PROFILE_FIELDS,
    find_branch,
    find_manager,
    find_user,
    insert_user,
    list_users,
    set_password_hash,
    update_profile,
    users_of_manager,
)

logger = logging.getLogger(__name__)

MAX_DISPLAY_NAME_LENGTH = 64
MAX_CODE_LENGTH = 64


@dataclass(frozen=True)
class Profile:
    """The fields of a user that an administrator edits; an empty code is None."""

    display_name: str
    role: str
    branch_code: str | None
    manager_id: str | None
    active: bool

    @classmethod
    def from_form(cls, form: MultiDict, *, username: str, active: bool) -> Profile:
        return cls(
            display_name=form.get("display_name", "").strip() or username,
            role=form.get("role", ""),
            branch_code=form.get("branch_code", "").strip() or None,
            manager_id=form.get("manager_id", "").strip() or None,
            active=active,
        )

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Profile:
        return cls(
            display_name=record.get("display_name") or record["username"],
            role=record["role"],
            branch_code=record.get("branch_code"),
            manager_id=record.get("manager_id"),
            active=record.get("active", True),
        )

    def audit_value(self) -> str:
        values = asdict(self)
        return json.dumps({field: values[field] for field in PROFILE_FIELDS}, ensure_ascii=False)


@bp.route("/users")
@admin_required
def users():
    records = list_users(graph_store())
    locks = login_throttle().username_locks([record["username"] for record in records])
    return render_template("admin/users.html", users=records, locks=locks, roles=ROLES)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user():
    if request.method == "GET":
        return _new_user_page("", None, {})

    store = graph_store()
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    profile = Profile.from_form(request.form, username=username, active=True)
    errors = {
        **_username_errors(store, username),
        **_profile_errors(store, username, profile),
        **_password_errors(password),
    }
    if not errors and not _insert(store, username, password, profile):
        errors["username"] = f"用户名 {username} 已存在。"
    if errors:
        _log_rejected("new user", username, errors)
        return _new_user_page(username, profile, errors), 400

    _audit("create_user", username, None, profile.audit_value())
    logger.info("User %s created with role %s by %s", username, profile.role, current_user.username)
    flash(f"已创建用户 {username}。", "info")
    return redirect(url_for("admin.users"))


@bp.route("/users/<username>", methods=["GET", "POST"])
@admin_required
def edit_user(username: str):
    store = graph_store()
    record = _user_or_404(store, username)
    before = Profile.from_record(record)
    if request.method == "GET":
        return _edit_user_page(record, before, {})

    after = Profile.from_form(request.form, username=username, active=request.form.get("active") == "1")
    errors = {**_profile_errors(store, username, after), **_self_protection_errors(username, before, after)}
    if errors:
        _log_rejected("change of user", username, errors)
        return _edit_user_page(record, after, errors), 400
    if after == before:
        flash("没有需要保存的修改。", "info")
        return redirect(url_for("admin.edit_user", username=username))

    update_profile(store, username, **asdict(after))
    deactivated = before.active and not after.active
    _audit(
        "deactivate_user" if deactivated else "update_user",
        username,
        before.audit_value(),
        after.audit_value(),
    )
    if deactivated:
        ended = login_sessions().end_all(username)
        logger.warning("User %s deactivated by %s; %d sessions ended", username, current_user.username, ended)
        flash(f"已停用用户 {username}，并结束其 {ended} 个登录会话。", "info")
    else:
        _log_update(username, before, after)
        flash(f"已保存用户 {username} 的修改。", "info")
    return redirect(url_for("admin.edit_user", username=username))


@bp.route("/users/<username>/password", methods=["POST"])
@admin_required
def reset_password(username: str):
    store = graph_store()
    record = _user_or_404(store, username)
    password = request.form.get("password", "")
    errors = _password_errors(password)
    if errors:
        _log_rejected("password reset of user", username, errors)
        return _edit_user_page(record, Profile.from_record(record), errors), 400

    set_password_hash(store, username, hash_password(password))
    ended = login_sessions().end_all(username)
    unlocked = login_throttle().unlock_username(username)
    _audit("reset_password", username, None, json.dumps({"sessions_ended": ended}))
    logger.warning(
        "Password of user %s reset by %s; %d sessions ended; login lock lifted: %s",
        username,
        current_user.username,
        ended,
        unlocked,
    )
    unlocked_text = "，已解除其登录锁定" if unlocked else ""
    flash(f"已重置用户 {username} 的密码，并结束其 {ended} 个登录会话{unlocked_text}。", "info")
    return redirect(url_for("admin.edit_user", username=username))


@bp.route("/users/<username>/unlock", methods=["POST"])
@admin_required
def unlock_user(username: str):
    _user_or_404(graph_store(), username)
    if not login_throttle().unlock_username(username):
        flash(f"用户 {username} 当前没有登录锁定，无需解除。", "info")
        return redirect(url_for("admin.edit_user", username=username))

    _audit("unlock_user", username, None, None)
    logger.warning("Login lock of user %s lifted by %s", username, current_user.username)
    flash(f"已解除用户 {username} 的登录锁定，该用户现在可以登录。", "info")
    return redirect(url_for("admin.edit_user", username=username))


def _insert(store: GraphStore, username: str, password: str, profile: Profile) -> bool:
    return insert_user(
        store,
        username,
        hash_password(password),
        display_name=profile.display_name,
        role=profile.role,
        branch_code=profile.branch_code,
        manager_id=profile.manager_id,
    )


def _username_errors(store: GraphStore, username: str) -> dict[str, str]:
    if not USERNAME_PATTERN.match(username):
        return {"username": "用户名须为 2 至 64 个字母、数字或 _ . - 字符。"}
    if username in RESERVED_USERNAMES:
        return {"username": f"用户名 {username} 为系统保留，请换一个。"}
    if find_user(store, username) is not None:
        return {"username": f"用户名 {username} 已存在。"}
    return {}


def _profile_errors(store: GraphStore, username: str, profile: Profile) -> dict[str, str]:
    errors = {}
    if len(profile.display_name) > MAX_DISPLAY_NAME_LENGTH:
        errors["display_name"] = f"姓名不能超过 {MAX_DISPLAY_NAME_LENGTH} 个字符。"
    elif _has_control_characters(profile.display_name):
        errors["display_name"] = "姓名不能包含控制字符。"
    if profile.role in ROLES:
        errors.update(_role_needs_errors(profile))
    else:
        errors["role"] = "请从列表中选择角色。"
    if profile.branch_code:
        branch_error = _branch_error(store, profile.branch_code)
        if branch_error:
            errors["branch_code"] = branch_error
    if profile.manager_id and "manager_id" not in errors:
        manager_error = _manager_error(store, username, profile.manager_id, profile.branch_code)
        if manager_error:
            errors["manager_id"] = manager_error
    return errors


def _role_needs_errors(profile: Profile) -> dict[str, str]:
    """Check that the role has the code it finds customers by, and no manager id that it does not take."""
    label = ROLES[profile.role].label
    errors = {}
    if needs_branch_code(profile.role) and not profile.branch_code:
        errors["branch_code"] = f"{label}必须填写所属机构号，否则该用户看不到任何客户。"
    if needs_manager_id(profile.role) and not profile.manager_id:
        errors["manager_id"] = f"{label}必须填写客户经理编号，否则该用户看不到任何客户。"
    elif profile.manager_id and not needs_manager_id(profile.role):
        managed_labels = "、".join(role.label for name, role in ROLES.items() if needs_manager_id(name))
        errors["manager_id"] = f"只有{managed_labels}需要填写客户经理编号，{label}请留空。"
    return errors


def _branch_error(store: GraphStore, branch_code: str) -> str | None:
    if len(branch_code) > MAX_CODE_LENGTH or _has_control_characters(branch_code):
        return "机构号格式无效。"
    branch = find_branch(store, branch_code)
    if branch is None:
        return f"机构号 {branch_code} 不存在，请核对机构号，或先加载机构数据（org_branch）。"
    if branch.get("closed_on"):
        name = branch.get("name") or "—"
        return f"机构 {branch_code}（{name}）已于 {branch['closed_on']} 撤销，不能再分配用户。"
    return None


def _manager_error(store: GraphStore, username: str, manager_id: str, branch_code: str | None) -> str | None:
    if len(manager_id) > MAX_CODE_LENGTH or _has_control_characters(manager_id):
        return "客户经理编号格式无效。"
    manager = find_manager(store, manager_id)
    if manager is None:
        return f"客户经理编号 {manager_id} 不存在，请核对编号，或先加载客户经理数据（crm_manager）。"
    if manager.get("closed_on"):
        return f"客户经理 {manager_id} 自 {manager['closed_on']} 起已不在客户经理数据中，不能再分配给用户。"
    if branch_code and manager.get("branch_code") != branch_code:
        home = manager.get("branch_code") or "—"
        return f"客户经理 {manager_id} 属于机构 {home}，与所填机构号 {branch_code} 不一致。"
    others = [name for name in users_of_manager(store, manager_id) if name != username]
    if others:
        return f"客户经理编号 {manager_id} 已分配给用户 {others[0]}。"
    return None


def _password_errors(password: str) -> dict[str, str]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return {"password": f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。"}
    if len(password) > MAX_PASSWORD_LENGTH:
        return {"password": f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符。"}
    return {}


def _self_protection_errors(username: str, before: Profile, after: Profile) -> dict[str, str]:
    """Keep administrators from locking themselves out: at least the acting one stays an administrator."""
    if username != current_user.username:
        return {}
    errors = {}
    if not after.active:
        errors["active"] = "不能停用自己的账号。"
    if has_permission(before.role, ADMINISTER) and not has_permission(after.role, ADMINISTER):
        errors["role"] = "不能取消自己的系统管理员角色。"
    return errors


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(character).startswith("C") for character in text)


def _user_or_404(store: GraphStore, username: str) -> dict[str, Any]:
    record = find_user(store, username)
    if record is None:
        abort(404)
    return record


def _audit(action: str, username: str, before: str | None, after: str | None) -> None:
    audit(action, username, before=before, after=after)


def _log_rejected(request_name: str, username: str, errors: dict[str, str]) -> None:
    # Only the field names are logged: a rejected value may be a password.
    logger.info(
        "Rejected %s %r by %s: invalid %s", request_name, username, current_user.username, ", ".join(errors)
    )


def _log_update(username: str, before: Profile, after: Profile) -> None:
    changed = [field for field in PROFILE_FIELDS if getattr(before, field) != getattr(after, field)]
    # Role changes alter what the user may see, so they are logged as security-relevant.
    log = logger.warning if "role" in changed else logger.info
    log("User %s changed by %s: %s", username, current_user.username, ", ".join(changed))


def _new_user_page(username: str, profile: Profile | None, errors: dict[str, str]) -> str:
    return render_template(
        "admin/users_new.html", username=username, profile=profile, errors=errors, roles=ROLES
    )


def _edit_user_page(record: dict[str, Any], profile: Profile, errors: dict[str, str]) -> str:
    username = record["username"]
    user_without_hash = {key: value for key, value in record.items() if key != "password_hash"}
    return render_template(
        "admin/users_edit.html",
        user=user_without_hash,
        profile=profile,
        errors=errors,
        roles=ROLES,
        lock=login_throttle().username_locks([username]).get(username),
    )
