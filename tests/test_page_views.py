"""Configurable views of the retail 360 page: built-in views, switching, and the admin page that edits them."""

from __future__ import annotations

import re

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from graph_model.users import save_user
from tests.conftest import logged_in_client

PASSWORD = "correct-horse-views"
#: The branch view, which is also the view a page opens in.
BRANCH_MODULES = [
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
]
SIMPLE_MODULES = ["R01", "R24", "R02", "R12", "R13", "R18", "R23"]


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
    return logged_in_client(app, username, PASSWORD)


def _modules_shown(page: str) -> list[str]:
    return re.findall(r'<section class="panel" id="module-(R\d\d)"', page)


def _token(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


@pytest.mark.parametrize(
    ("view", "modules"),
    [
        ("simple", SIMPLE_MODULES),
        ("branch", BRANCH_MODULES),
        (
            "whole_bank",
            [
                "R01",
                "R11",
                "R02",
                "R03",
                "R04",
                "R05",
                "R06",
                "R07",
                "R08",
                "R09",
                "R10",
                "R12",
                "R13",
                "R14",
                "R15",
                "R16",
                "R17",
                "R18",
                "R19",
                "R20",
                "R21",
                "R22",
                "R23",
                "R24",
                "R25",
                "R26",
                "R27",
                "R28",
                "R29",
            ],
        ),
    ],
)
def test_built_in_view_module_order(app_and_store, view, modules):
    app, _store = app_and_store
    client = _client(app, "hom_views")

    page = client.get("/customers/V1", query_string={"view": view}).get_data(as_text=True)

    assert _modules_shown(page) == modules


def test_view_choice_remembered(app_and_store):
    app, _store = app_and_store
    client = _client(app, "hom_views")

    first = client.get("/customers/V1").get_data(as_text=True)
    client.get("/customers/V1", query_string={"view": "simple"})
    later = client.get("/customers/V1").get_data(as_text=True)
    unknown = client.get("/customers/V1", query_string={"view": "no_such_view"}).get_data(as_text=True)

    assert _modules_shown(first) == BRANCH_MODULES
    assert _modules_shown(later) == SIMPLE_MODULES
    assert _modules_shown(unknown) == SIMPLE_MODULES
    assert "所选视图不存在或已被删除，当前显示“简版视图”。" in unknown
    assert "所选视图不存在" not in later
    assert '<strong aria-current="page">简版视图</strong>' in later


def test_default_view_per_user(app_and_store):
    app, store = app_and_store
    first_session = _client(app, "hom_views")
    first_session.get("/customers/V1", query_string={"view": "simple"})

    chosen = first_session.post(
        "/customers/V1/default-view", data={"csrf_token": _token(first_session, "/"), "view_id": "simple"}
    )
    later_session = _client(app, "hom_views")
    opened = later_session.get("/customers/V1").get_data(as_text=True)
    switched = later_session.get("/customers/V1", query_string={"view": "whole_bank"}).get_data(as_text=True)
    colleague = _client(app, "admin_views").get("/customers/V1").get_data(as_text=True)

    assert chosen.status_code == 302
    assert store.read("MATCH (u:User {username: 'hom_views'}) RETURN u.default_view AS view") == [
        {"view": "simple"}
    ]
    assert _modules_shown(opened) == SIMPLE_MODULES
    assert "（我的默认视图）" in opened
    assert "设为我的默认视图" in switched
    assert _modules_shown(colleague) == BRANCH_MODULES


def test_unknown_default_view_rejected(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_views")

    response = client.post(
        "/customers/V1/default-view",
        data={"csrf_token": _token(client, "/"), "view_id": "no_such_view"},
        follow_redirects=True,
    )

    assert "该视图不存在或已被删除，请刷新页面后重试。" in response.get_data(as_text=True)
    assert store.read("MATCH (u:User {username: 'hom_views'}) RETURN u.default_view AS view") == [
        {"view": None}
    ]


def test_admin_edits_views_audited(app_and_store):
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
    taken_id = admin.post(
        "/admin/views/new", data={"csrf_token": token, "view_id": "simple", "name": "另一个", "show_R01": "1"}
    )
    taken_name = admin.post(
        "/admin/views/new",
        data={"csrf_token": token, "view_id": "other", "name": "支行版视图", "show_R01": "1"},
    )

    assert edited.status_code == 302
    assert added.status_code == 302
    assert empty.status_code == 400
    assert "请至少选择一个模块" in empty.get_data(as_text=True)
    assert bad_id.status_code == 400
    assert "视图编号须为" in bad_id.get_data(as_text=True)
    assert taken_id.status_code == 400
    assert "视图编号 simple 已存在。" in taken_id.get_data(as_text=True)
    assert taken_name.status_code == 400
    assert "已有名为“支行版视图”的视图，请换一个名称。" in taken_name.get_data(as_text=True)
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
            "before": "简版视图：客户概况、客户提醒信息、标签画像、账户信息、产品持有信息、客户评级信息、客户需求信息",
            "after": "简版：交易明细、客户概况",
        },
        {"action": "create_view", "before": None, "after": "风险视图：知识图谱"},
    ]


def test_views_admin_only(app_and_store):
    app, _store = app_and_store
    user = _client(app, "hom_views")

    assert user.get("/admin/views").status_code == 403
    assert (
        user.post("/admin/views/simple", data={"csrf_token": _token(user, "/"), "name": "x"}).status_code
        == 403
    )


def _section(page: str, module_id: str) -> str:
    return re.search(rf'<section class="panel" id="module-{module_id}".*?</section>', page, re.S).group(0)


def test_record_modules_newest_first(app_and_store):
    app, store = app_and_store
    store.write(
        "MATCH (c:Customer {customer_id: 'V1'}) "
        "CREATE (c)-[:HAS_RATING]->(:Rating {rating_id: 'RT1', rating_date: '2026-10-01', grade: 'A', "
        "score: 80.5, rated_by: 'SYSTEM'}), "
        "(c)-[:HAS_RATING]->(:Rating {rating_id: 'RT2', rating_date: '2026-11-01', grade: 'AA', "
        "score: 90.0, rated_by: 'MANUAL'}), "
        "(c)-[:HAS_RATING {valid_to: '2026-11-02'}]->(:Rating {rating_id: 'RT0', rating_date: '2026-12-01', "
        "grade: 'C', score: 10.0, rated_by: 'SYSTEM'})"
    )
    store.write(
        "MATCH (c:Customer {customer_id: 'V1'}) UNWIND range(1, 25) AS n "
        "CREATE (c)-[:CONTACTED_IN]->(:ContactEvent {contact_id: 'CT' + toString(n), contact_type: 'CALL', "
        "contact_time: '2026-11-' + right('0' + toString(n), 2) + 'T10:00:00', response: '有意向'})"
    )
    client = _client(app, "hom_views")

    page = client.get("/customers/V1", query_string={"view": "whole_bank"}).get_data(as_text=True)

    ratings = _section(page, "R18")
    rows = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td>(\w+)</td>", ratings)
    assert rows == [("2026-11-01", "AA"), ("2026-10-01", "A")]
    assert "人工调整" in ratings
    contacts = _section(page, "R25")
    assert "共 25 条，显示最近 20 条。" in contacts
    assert contacts.index("2026-11-25 10:00:00") < contacts.index("2026-11-06 10:00:00")
    assert "2026-11-05 10:00:00" not in contacts
    assert "电话" in contacts
    assert "该客户没有投诉记录。" in _section(page, "R21")


def test_built_in_view_upgrade_until_edited(scratch_store, scratch_settings):
    scratch_store.write(
        "CREATE (:Customer {customer_id: 'V2', customer_type: 'retail', name: '吴二'}), "
        "(:ViewConfig {view_id: 'simple', page: 'retail', name: '旧简版', modules: ['R01'], built_in: true, "
        "updated_by: 'system'}), "
        "(:ViewConfig {view_id: 'branch', page: 'retail', name: '支行版', modules: ['R12'], built_in: true, "
        "updated_by: 'admin_a'})"
    )
    save_user(scratch_store, "hom_upgrade", generate_password_hash(PASSWORD), "总行", "head_office_manager")
    client = _client(create_app(scratch_settings, {"TESTING": True}), "hom_upgrade")

    simple = client.get("/customers/V2", query_string={"view": "simple"}).get_data(as_text=True)
    branch = client.get("/customers/V2", query_string={"view": "branch"}).get_data(as_text=True)

    assert _modules_shown(simple) == SIMPLE_MODULES
    assert '<strong aria-current="page">简版视图</strong>' in simple
    assert _modules_shown(branch) == ["R12"]
