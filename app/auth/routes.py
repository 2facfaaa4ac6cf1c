"""Login and logout pages, with the failed-login throttle and the audit of every attempt."""

from __future__ import annotations

import json
import logging
from functools import cache
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from app.auth import SESSION_ID_KEY, login_sessions, login_throttle, user_from_record
from app.database import graph_store
from c360.login_throttle import Lock, LockScope
from c360.users import hash_password
from graph_model.audit import record_audit_event
from graph_model.users import find_user, record_login, set_password_hash

logger = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = "用户名或密码错误。"
INACTIVE_USER = "该账号已停用，请联系系统管理员。"
LOCK_MESSAGES = {
    LockScope.USERNAME: "该用户名登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试。",
    LockScope.ADDRESS: "您所在地址登录失败次数过多，已暂时禁止登录，请 {minutes} 分钟后再试。",
}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", error=None, username="")

    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    # NOTE: behind a reverse proxy remote_addr is the proxy's address, so every user would share one
    # per-address count; the proxy's client address must then be passed on (werkzeug's ProxyFix).
    address = request.remote_addr or "unknown"
    throttle = login_throttle()

    # The lock is checked before the password, so the response is the same whether it was right or not.
    lock = throttle.lock_for(username, address)
    if lock is not None:
        _audit_attempt("login_locked", username, address, lock.scope.value)
        logger.warning("Rejected login of %r from %s: %s locked", username, address, lock.scope.value)
        return _login_page(username, _lock_message(lock), 429)

    record = find_user(graph_store(), username) if username else None
    if not _password_matches(record, password):
        new_lock = throttle.record_failure(username, address)
        reason = "unknown_user" if record is None else "wrong_password"
        _audit_attempt("login_failed", username, address, reason)
        logger.warning("Failed login of %r from %s: %s", username, address, reason)
        if new_lock is not None:
            return _login_page(username, _lock_message(new_lock), 429)
        return _login_page(username, WRONG_CREDENTIALS, 401)

    if not record.get("active", True):
        _audit_attempt("login_failed", username, address, "inactive")
        logger.warning("Rejected login of inactive user %s from %s", username, address)
        return _login_page(username, INACTIVE_USER, 403)

    throttle.clear_username(username)
    _start_session(record, password)
    _audit_attempt("login", username, address)
    logger.info("User %s logged in from %s", username, address)
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    username = current_user.username
    login_sessions().end(session.get(SESSION_ID_KEY))
    logout_user()
    session.clear()
    _audit_attempt("logout", username, request.remote_addr or "unknown")
    logger.info("User %s logged out", username)
    flash("您已安全退出。")
    return redirect(url_for("auth.login"))


def _password_matches(record: dict | None, password: str) -> bool:
    if record is None:
        # Checking a hash anyway makes an unknown username take as long as a wrong password.
        check_password_hash(_unusable_hash(), password)
        return False
    return check_password_hash(record["password_hash"], password)


@cache
def _unusable_hash() -> str:
    return hash_password("no user has this password")


def _start_session(record: dict, password: str) -> None:
    """Log the user in with a new server-side session, ending the one the browser had before."""
    username = record["username"]
    login_sessions().end(session.get(SESSION_ID_KEY))
    # A fresh cookie session too, so nothing planted before login survives it.
    session.clear()
    session[SESSION_ID_KEY] = login_sessions().start(username)
    login_user(user_from_record(record))

    store = graph_store()
    record_login(store, username)
    if not record["password_hash"].startswith("scrypt:"):
        # Hashes made before scrypt became the method are replaced while the password is at hand.
        set_password_hash(store, username, hash_password(password))
        logger.info("Rehashed the password of user %s with scrypt", username)


def _audit_attempt(action: str, username: str, address: str, reason: str | None = None) -> None:
    detail = {"address": address} if reason is None else {"address": address, "reason": reason}
    record_audit_event(
        graph_store(),
        user=username,
        action=action,
        subject=username,
        before=None,
        after=json.dumps(detail, sort_keys=True),
    )


def _lock_message(lock: Lock) -> str:
    return LOCK_MESSAGES[lock.scope].format(minutes=lock.remaining_minutes)


def _login_page(username: str, error: str, status: int):
    return render_template("auth/login.html", error=error, username=username), status


def _safe_next(target: str | None) -> str:
    """Return ``target`` if it is a path on this site, else the home page."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for("retail.search")
