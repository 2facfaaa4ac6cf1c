"""Configurable views of the retail 360 page: the modules each view shows, in order.

Views are ``ViewConfig`` nodes (see ``graph_model.views``); the three built-in ones are written on
first use, and follow this module's definition until an administrator edits them. A user picks a
view with ``?view=``, which is remembered in the session; without a choice the page opens in the
user's default view (``User.default_view``), else in ``DEFAULT_VIEW``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, session
from flask_login import current_user

from app.database import graph_store
from app.retail.record_modules import RECORD_MODULES
from graph_model.users import set_default_view
from graph_model.views import ensure_views, views_of_page

PAGE = "retail"
#: The modules the retail page can show, by their ids in MODULES.md, in id order.
RETAIL_MODULES = dict(
    sorted(
        (
            {
                "R01": "客户概况",
                "R02": "标签画像",
                "R03": "知识图谱",
                "R04": "客户基本信息",
                "R05": "客户证件信息",
                "R06": "客户工作或经营信息",
                "R07": "客户家庭信息",
                "R11": "客户业务概览",
                "R12": "账户信息",
                "R17": "交易明细",
                "R24": "客户提醒信息",
                "R26": "产品推荐",
            }
            | {module_id: module.title for module_id, module in RECORD_MODULES.items()}
        ).items()
    )
)
BUILT_IN_VIEWS = (
    ("simple", "简版视图", ("R01", "R24", "R02", "R12", "R13", "R18", "R23")),
    (
        "branch",
        "支行版视图",
        (
            "R01",
            "R24",
            "R11",
            "R02",
            "R08",
            "R12",
            "R17",
            "R03",
            "R13",
            "R26",
            "R15",
            "R18",
            "R19",
            "R23",
            "R25",
            "R09",
            "R10",
            "R22",
        ),
    ),
    # The business overview follows the overview; the other modules come in id order.
    (
        "whole_bank",
        "全行版视图",
        ("R01", "R11", *(module for module in RETAIL_MODULES if module not in ("R01", "R11"))),
    ),
)
DEFAULT_VIEW = "branch"
SESSION_KEY = "retail_view"
ENSURED_KEY = "c360_retail_views_ensured"


def retail_views() -> list[dict[str, Any]]:
    """Return the retail page's views, writing the built-in ones once per process."""
    store = graph_store()
    views = views_of_page(store, PAGE) if current_app.extensions.get(ENSURED_KEY) else []
    if not views:
        # First use in this process (a new version may define the built-in views anew), or the
        # graph was replaced since.
        ensure_views(store, PAGE, BUILT_IN_VIEWS, at=datetime.now(UTC).isoformat(timespec="seconds"))
        current_app.extensions[ENSURED_KEY] = True
        views = views_of_page(store, PAGE)
    return views


def chosen_view(requested: str | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the view to show and all views; a valid ``requested`` id is remembered in the session.

    Without a choice in this session, the page opens in the user's default view, else in
    ``DEFAULT_VIEW``.
    """
    views = retail_views()
    by_id = {view["view_id"]: view for view in views}
    if requested in by_id:
        session[SESSION_KEY] = requested
    view = (
        by_id.get(session.get(SESSION_KEY))
        or by_id.get(current_user.default_view)
        or by_id.get(DEFAULT_VIEW)
        or views[0]
    )
    return view, views


def make_default_view(view_id: str) -> dict[str, Any] | None:
    """Make ``view_id`` the signed-in user's default view; returns the view, or None if there is none such."""
    view = next((view for view in retail_views() if view["view_id"] == view_id), None)
    if view is not None:
        set_default_view(graph_store(), current_user.username, view_id)
        session[SESSION_KEY] = view_id
    return view
