"""Configurable views of the retail 360 page: built-in views, switching, and the admin page that edits them."""

from __future__ import annotations

import re

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from graph_model.users import save_user

PASSWORD = "correct-horse-views"


@pytest.fixture
def app_and_store(scratch_store, scratch_settings):
    scratch_store.write(
        "CREATE (:Customer {customer_id: 'V1', customer_type: 'retail', name: '周一'})"
        "-[:HOLDS {role: 'owner'}]->(:Account {account_id: '6228480000000001', account_type: 'savings', "
        "currency: 'CNY'})"
    )
    save_user(scratch_store, "hom_views", generate_password_hash(PASSWORD), "总行", "head_office_manager")
    save_user(scratch_store, "admin_views", generate_password_hash(PASSWORD), "管理员", "admin")
    return create_app(scratch_settings, {"TESTING": True}), scratch_store


def _client(app, username: str):
    client = app.test_client()
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)
    ).group(1)
    assert (
        client.post(
            "/login", data={"csrf_token": token, "username": username, "password": PASSWORD}
        ).status_code
        == 302
    )
    return client


def _modules_shown(page: str) -> list[str]:
    return re.findall(r'<section class="panel" id="module-(R\d\d)"', page)


def _token(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


@pytest.mark.parametrize(
    ("view", "modules"),
    [
        ("simple", ["R01", "R12"]),
        ("branch", ["R01", "R12", "R17", "R03"]),
        ("whole_bank", ["R01", "R03", "R12", "R17"]),
    ],
)
def test_each_built_in_view_shows_its_modules_in_order(app_and_store, view, modules):
    app, _store = app_and_store
    client = _client(app, "hom_views")

    page = client.get("/customers/V1", query_string={"view": view}).get_data(as_text=True)

    assert _modules_shown(page) == modules


def test_the_chosen_view_is_remembered_and_an_unknown_one_ignored(app_and_store):
    app, _store = app_and_store
    client = _client(app, "hom_views")

    first = client.get("/customers/V1").get_data(as_text=True)
    client.get("/customers/V1", query_string={"view": "simple"})
    later = client.get("/customers/V1").get_data(as_text=True)
    unknown = client.get("/customers/V1", query_string={"view": "no_such_view"}).get_data(as_text=True)

    assert _modules_shown(first) == ["R01", "R12", "R17", "R03"]
    assert _modules_shown(later) == ["R01", "R12"]
    assert _modules_shown(unknown) == ["R01", "R12"]
    assert '<strong aria-current="page">简版视图</strong>' in later


def test_an_admin_reorders_a_view_and_adds_one_audited(app_and_store):
    app, store = app_and_store
    admin = _client(app, "admin_views")
    user = _client(app, "hom_views")
    user.get("/customers/V1")

    token = _token(admin, "/admin/views/simple")
    edited = admin.post(
        "/admin/views/simple",
        data={
            "csrf_token": token,
            "name": "简版",
            "show_R17": "1",
            "order_R17": "1",
            "show_R01": "1",
            "order_R01": "2",
        },
    )
    added = admin.post(
        "/admin/views/new",
        data={
            "csrf_token": token,
            "view_id": "risk_view",
            "name": "风险视图",
            "show_R03": "1",
            "order_R03": "1",
        },
    )
    empty = admin.post("/admin/views/new", data={"csrf_token": token, "view_id": "x_view", "name": "空"})
    bad_id = admin.post(
        "/admin/views/new", data={"csrf_token": token, "view_id": "风险", "name": "风险", "show_R01": "1"}
    )

    assert edited.status_code == 302
    assert added.status_code == 302
    assert empty.status_code == 400
    assert "请至少选择一个模块" in empty.get_data(as_text=True)
    assert bad_id.status_code == 400
    assert "视图编号须为" in bad_id.get_data(as_text=True)
    assert _modules_shown(
        user.get("/customers/V1", query_string={"view": "simple"}).get_data(as_text=True)
    ) == [
        "R17",
        "R01",
    ]
    assert _modules_shown(
        user.get("/customers/V1", query_string={"view": "risk_view"}).get_data(as_text=True)
    ) == ["R03"]
    events = store.read(
        "MATCH (e:AuditEvent) WHERE e.action IN ['update_view', 'create_view'] "
        "RETURN e.action AS action, e.before AS before, e.after AS after ORDER BY e.at"
    )
    assert events == [
        {
            "action": "update_view",
            "before": "简版视图：客户概况、账户信息",
            "after": "简版：交易明细、客户概况",
        },
        {"action": "create_view", "before": None, "after": "风险视图：知识图谱"},
    ]


def test_only_admins_edit_views(app_and_store):
    app, _store = app_and_store
    user = _client(app, "hom_views")

    assert user.get("/admin/views").status_code == 403
    assert (
        user.post("/admin/views/simple", data={"csrf_token": _token(user, "/"), "name": "x"}).status_code
        == 403
    )
