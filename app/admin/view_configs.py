"""Administration of the 360 page views (P03): rename a view, choose and order its modules, add views."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import audit
from app.admin.routes import admin_required, bp
from app.database import graph_store
from app.retail.page_views import PAGE, RETAIL_MODULES, retail_views
from graph_model.views import add_view, find_view, update_view

logger = logging.getLogger(__name__)

VIEW_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
MAX_VIEW_NAME = 20


class InvalidView(ValueError):
    """A field of the view form the administrator must correct; the message is in Chinese."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@bp.route("/views")
@admin_required
def page_views():
    return render_template("admin/views.html", views=retail_views(), modules=RETAIL_MODULES)


@bp.route("/views/new", methods=["GET", "POST"])
@admin_required
def new_page_view():
    form = {"view_id": "", "name": "", "modules": []}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = _submitted_form()
        try:
            view_id, name, modules = _checked(form, new=True)
        except InvalidView as problem:
            errors[problem.field] = str(problem)
        else:
            if add_view(graph_store(), view_id, page=PAGE, name=name, modules=modules, **_by_now()):
                audit("create_view", f"view:{view_id}", after=_view_text(name, modules))
                flash(f"已新建视图“{name}”。", "info")
                return redirect(url_for("admin.page_views"))
            errors["view_id"] = f"视图编号 {view_id} 已存在。"
        logger.info("View form rejected for %s: %s", current_user.username, errors)
    return _form_page(form, errors, new=True)


@bp.route("/views/<view_id>", methods=["GET", "POST"])
@admin_required
def edit_page_view(view_id: str):
    view = find_view(graph_store(), view_id)
    if view is None:
        abort(404)
    form = {"view_id": view_id, "name": view["name"], "modules": list(view["modules"])}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = _submitted_form() | {"view_id": view_id}
        try:
            _, name, modules = _checked(form, new=False)
        except InvalidView as problem:
            errors[problem.field] = str(problem)
            logger.info("View form rejected for %s: %s", current_user.username, errors)
        else:
            before = update_view(graph_store(), view_id, name=name, modules=modules, **_by_now())
            if before is None:
                abort(404)
            audit(
                "update_view",
                f"view:{view_id}",
                before=_view_text(before["name"], before["modules"]),
                after=_view_text(name, modules),
            )
            flash(f"已保存视图“{name}”。", "info")
            return redirect(url_for("admin.page_views"))
    return _form_page(form, errors, new=False)


def _submitted_form() -> dict:
    """Read the form: a name, and for each module a tick and a position number."""
    chosen = []
    for module_id in RETAIL_MODULES:
        if request.form.get(f"show_{module_id}"):
            position = request.form.get(f"order_{module_id}", "").strip()
            chosen.append((int(position) if position.isdigit() else 999, module_id))
    return {
        "view_id": request.form.get("view_id", "").strip(),
        "name": request.form.get("name", "").strip(),
        "modules": [module_id for _position, module_id in sorted(chosen)],
    }


def _checked(form: dict, *, new: bool) -> tuple[str, str, list[str]]:
    if new and not VIEW_ID_PATTERN.match(form["view_id"]):
        raise InvalidView("view_id", "视图编号须为 2 至 32 个小写字母、数字或下划线，以字母开头。")
    if not form["name"] or len(form["name"]) > MAX_VIEW_NAME:
        raise InvalidView("name", f"请填写视图名称（不超过 {MAX_VIEW_NAME} 个字）。")
    if not form["modules"]:
        raise InvalidView("modules", "请至少选择一个模块。")
    # Users tell views apart by name on the page, so two views may not share one.
    if any(view["name"] == form["name"] and view["view_id"] != form["view_id"] for view in retail_views()):
        raise InvalidView("name", f"已有名为“{form['name']}”的视图，请换一个名称。")
    return form["view_id"], form["name"], form["modules"]


def _form_page(form: dict, errors: dict[str, str], *, new: bool):
    status = 400 if errors else 200
    return render_template(
        "admin/view_form.html", form=form, errors=errors, new=new, modules=RETAIL_MODULES
    ), status


def _view_text(name: str, modules: list[str]) -> str:
    return f"{name}：{'、'.join(RETAIL_MODULES.get(module, module) for module in modules)}"


def _by_now() -> dict[str, str]:
    return {"user": current_user.username, "at": datetime.now(UTC).isoformat(timespec="seconds")}
