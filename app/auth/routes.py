"""Login and logout pages."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from app.auth import load_user
from app.database import graph_store
from graph_model.users import find_user

logger = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()[:64]
        password = request.form.get("password", "")
        record = find_user(graph_store(), username) if username else None
        if record is None or not check_password_hash(record["password_hash"], password):
            logger.warning("Failed login for user %r from %s", username, request.remote_addr)
            error = "用户名或密码错误。"
        else:
            # A fresh session at login, so a session id planted before login is worthless.
            session.clear()
            login_user(load_user(username))
            logger.info("User %s logged in from %s", username, request.remote_addr)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", error=error, username=username), 401 if error else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash("您已安全退出。")
    return redirect(url_for("auth.login"))


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
