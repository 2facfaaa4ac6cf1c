"""The user administration pages on the real embedded FalkorDB: access, validation, audit, sessions."""

from __future__ import annotations

import json
import re

import pytest
from werkzeug.security import check_password_hash

from app import create_app
from c360.roles import ROLES
from c360.users import hash_password
from graph_model.users import find_user, save_user

ADMIN_PASSWORD = "correct-horse-admin"
USER_PASSWORD = "correct-horse-user"
WRONG_PASSWORD = "wrong-horse-user"
ORGANISATION = """
CREATE (:Branch {branch_code: 'B01', name: '城东支行'}),
       (:Branch {branch_code: 'B02', name: '城西支行'}),
       (:Branch {branch_code: 'B09', name: '旧城支行', closed_on: '2026-06-30'}),
       (:Manager {manager_id: 'M001', name: '赵敏', branch_code: 'B01'}),
       (:Manager {manager_id: 'M002', name: '钱坤', branch_code: 'B02'}),
       (:Manager {manager_id: 'M003', name: '孙丽', branch_code: 'B01'})
"""
NEW_USER = {
    "username": "qian.kun",
    "display_name": "钱坤",
    "role": "relationship_manager",
    "branch_code": "B02",
    "manager_id": "M002",
    "password": "initial-pass-1",
}


@pytest.fixture
def web_app(scratch_settings, scratch_store):
    scratch_store.write(ORGANISATION)
    save_user(scratch_store, "admin_ops", hash_password(ADMIN_PASSWORD), "运维管理员", "admin")
    save_user(
        scratch_store,
        "zhao.min",
        hash_password(USER_PASSWORD),
        "赵敏",
        "relationship_manager",
        branch_code="B01",
        manager_id="M001",
    )
    return create_app(scratch_settings, {"TESTING": True})


def _csrf(client, path="/login") -> str:
    return re.search(
        r'name="csrf_token" value="([^"]+)"', client.get(path, follow_redirects=True).get_data(as_text=True)
    ).group(1)


def _logged_in(web_app, username: str, password: str):
    client = web_app.test_client()
    response = client.post(
        "/login", data={"csrf_token": _csrf(client), "username": username, "password": password}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def admin(web_app):
    return _logged_in(web_app, "admin_ops", ADMIN_PASSWORD)


def _post(client, path: str, data: dict):
    return client.post(path, data={"csrf_token": _csrf(client, "/"), **data})


def _profile_form(**changes) -> dict:
    form = {
        "display_name": "赵敏",
        "role": "relationship_manager",
        "branch_code": "B01",
        "manager_id": "M001",
        "active": "1",
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def _events(store, action: str) -> list[dict]:
    rows = store.read(
        "MATCH (e:AuditEvent {action: $action}) RETURN e {.*} AS event ORDER BY e.at", {"action": action}
    )
    return [row["event"] for row in rows]


def _field_error(response, field: str) -> str:
    page = response.get_data(as_text=True)
    return re.search(rf'<p class="field-error" id="{field}-error" role="alert">(.*?)</p>', page).group(1)


def _is_logged_in(client) -> bool:
    return client.get("/").status_code == 200


def _login_status(web_app, username: str, password: str) -> int:
    client = web_app.test_client()
    return client.post(
        "/login", data={"csrf_token": _csrf(client), "username": username, "password": password}
    ).status_code


def _lock_out(web_app, username: str) -> None:
    statuses = [_login_status(web_app, username, WRONG_PASSWORD) for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]


def _user_row(client, username: str) -> str:
    page = client.get("/admin/users").get_data(as_text=True)
    return re.search(
        rf'<tr>\s*<td><a href="/admin/users/{re.escape(username)}">{re.escape(username)}</a></td>(.*?)</tr>',
        page,
        re.S,
    ).group(1)


@pytest.mark.parametrize("role", [name for name in ROLES if name != "admin"])
def test_user_pages_forbidden_to_non_admins(web_app, scratch_store, role):
    save_user(scratch_store, "not_admin", hash_password(USER_PASSWORD), "普通用户", role)
    client = _logged_in(web_app, "not_admin", USER_PASSWORD)

    for path in ("/admin/users", "/admin/users/new", "/admin/users/zhao.min"):
        assert client.get(path).status_code == 403, path
    assert _post(client, "/admin/users/new", NEW_USER).status_code == 403
    assert _post(client, "/admin/users/zhao.min", _profile_form(role="admin")).status_code == 403
    assert _post(client, "/admin/users/zhao.min/password", {"password": "taken-over-1"}).status_code == 403
    assert _post(client, "/admin/users/zhao.min/unlock", {}).status_code == 403
    assert find_user(scratch_store, "qian.kun") is None
    assert find_user(scratch_store, "zhao.min")["role"] == "relationship_manager"
    assert check_password_hash(find_user(scratch_store, "zhao.min")["password_hash"], USER_PASSWORD)


def test_user_pages_need_login(web_app):
    response = web_app.test_client().get("/admin/users")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_user_list_shows_role_branch_and_status(admin):
    page = admin.get("/admin/users").get_data(as_text=True)
    row = re.search(
        r'<tr>\s*<td><a href="/admin/users/zhao.min">zhao.min</a></td>(.*?)</tr>', page, re.S
    ).group(1)

    assert "<td>赵敏</td>" in row
    assert ROLES["relationship_manager"].label in row
    assert "B01 城东支行" in row
    assert "M001" in row
    assert "启用" in row
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", page)


def test_admin_link_in_top_bar(admin):
    page = admin.get("/").get_data(as_text=True)

    assert '<a class="topbar-link" href="/admin/users">用户管理</a>' in page


def test_create_user_saves_and_audits(admin, scratch_store):
    response = _post(admin, "/admin/users/new", NEW_USER)

    assert response.status_code == 302
    user = find_user(scratch_store, "qian.kun")
    assert (user["display_name"], user["role"], user["branch_code"], user["manager_id"], user["active"]) == (
        "钱坤",
        "relationship_manager",
        "B02",
        "M002",
        True,
    )
    assert user["password_hash"].startswith("scrypt:")
    assert check_password_hash(user["password_hash"], NEW_USER["password"])
    [event] = _events(scratch_store, "create_user")
    assert (event["user"], event["subject"], event.get("before")) == ("admin_ops", "qian.kun", None)
    assert json.loads(event["after"]) == {
        "display_name": "钱坤",
        "role": "relationship_manager",
        "branch_code": "B02",
        "manager_id": "M002",
        "active": True,
    }
    assert NEW_USER["password"] not in json.dumps(event, ensure_ascii=False)
    assert "scrypt" not in json.dumps(event, ensure_ascii=False)


def test_created_user_can_log_in(web_app, admin):
    _post(admin, "/admin/users/new", NEW_USER)

    client = _logged_in(web_app, "qian.kun", NEW_USER["password"])

    assert _is_logged_in(client)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "钱 坤"}, "username", "用户名须为 2 至 64 个字母、数字或 _ . - 字符"),
        ({"username": "q"}, "username", "用户名须为 2 至 64 个字母、数字或 _ . - 字符"),
        ({"username": "new"}, "username", "用户名 new 为系统保留"),
        ({"username": "zhao.min"}, "username", "用户名 zhao.min 已存在"),
        ({"role": "superuser"}, "role", "请从列表中选择角色"),
        ({"role": ""}, "role", "请从列表中选择角色"),
        ({"branch_code": "B77"}, "branch_code", "机构号 B77 不存在"),
        (
            {"role": "branch_manager", "branch_code": "B09", "manager_id": ""},
            "branch_code",
            "已于 2026-06-30 撤销",
        ),
        ({"manager_id": ""}, "manager_id", "客户经理必须填写客户经理编号，否则该用户看不到任何客户"),
        (
            {"role": "branch_manager", "branch_code": "", "manager_id": ""},
            "branch_code",
            "支行/分行负责人必须填写所属机构号，否则该用户看不到任何客户",
        ),
        (
            {"role": "head_office_manager", "branch_code": ""},
            "manager_id",
            "只有客户经理需要填写客户经理编号，总行业务管理员请留空",
        ),
        ({"role": "branch_manager"}, "manager_id", "只有客户经理需要填写客户经理编号，支行/分行负责人请留空"),
        ({"manager_id": "M999"}, "manager_id", "客户经理编号 M999 不存在"),
        ({"branch_code": "B01"}, "manager_id", "客户经理 M002 属于机构 B02，与所填机构号 B01 不一致"),
        (
            {"branch_code": "B01", "manager_id": "M001"},
            "manager_id",
            "客户经理编号 M001 已分配给用户 zhao.min",
        ),
        ({"display_name": "钱" * 65}, "display_name", "姓名不能超过 64 个字符"),
        ({"display_name": "钱\x00坤"}, "display_name", "姓名不能包含控制字符"),
        ({"password": "short"}, "password", "密码至少需要 8 个字符"),
        ({"password": "p" * 257}, "password", "密码不能超过 256 个字符"),
    ],
)
def test_invalid_new_user_rejected_in_chinese(admin, scratch_store, changes, field, message):
    response = _post(admin, "/admin/users/new", {**NEW_USER, **changes})

    assert response.status_code == 400
    assert message in _field_error(response, field)
    assert "请修改下面标出的内容后再提交" in response.get_data(as_text=True)
    assert find_user(scratch_store, "qian.kun") is None
    assert _events(scratch_store, "create_user") == []
    assert find_user(scratch_store, "zhao.min")["display_name"] == "赵敏"


def test_invalid_new_user_keeps_values(admin):
    page = _post(admin, "/admin/users/new", {**NEW_USER, "branch_code": "B77"}).get_data(as_text=True)

    assert 'value="qian.kun"' in page
    assert 'value="钱坤"' in page
    assert 'value="B77"' in page
    assert NEW_USER["password"] not in page


def test_role_change_audited_before_after(admin, scratch_store):
    response = _post(admin, "/admin/users/zhao.min", _profile_form(role="branch_manager", manager_id=""))

    assert response.status_code == 302
    user = find_user(scratch_store, "zhao.min")
    assert user["role"] == "branch_manager"
    assert "manager_id" not in user or user["manager_id"] is None
    [event] = _events(scratch_store, "update_user")
    assert (event["user"], event["subject"]) == ("admin_ops", "zhao.min")
    before, after = json.loads(event["before"]), json.loads(event["after"])
    assert (before["role"], after["role"]) == ("relationship_manager", "branch_manager")
    assert (before["manager_id"], after["manager_id"]) == ("M001", None)
    assert before["branch_code"] == after["branch_code"] == "B01"
    assert "password_hash" not in before
    assert "password_hash" not in after


def test_role_change_applies_to_open_session(web_app, admin, scratch_store):
    user_client = _logged_in(web_app, "zhao.min", USER_PASSWORD)
    assert user_client.get("/admin/users").status_code == 403

    _post(admin, "/admin/users/zhao.min", _profile_form(role="admin", manager_id="", branch_code=""))

    assert user_client.get("/admin/users").status_code == 200


def test_unchanged_edit_writes_no_audit(admin, scratch_store):
    response = _post(admin, "/admin/users/zhao.min", _profile_form())

    assert response.status_code == 302
    assert "没有需要保存的修改" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert _events(scratch_store, "update_user") == []


def test_invalid_edit_rejected_in_chinese(admin, scratch_store):
    response = _post(admin, "/admin/users/zhao.min", _profile_form(manager_id="M002"))

    assert response.status_code == 400
    assert "客户经理 M002 属于机构 B02" in _field_error(response, "manager_id")
    assert find_user(scratch_store, "zhao.min")["manager_id"] == "M001"
    assert _events(scratch_store, "update_user") == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"manager_id": ""}, "manager_id", "客户经理必须填写客户经理编号"),
        ({"role": "branch_manager", "branch_code": ""}, "manager_id", "只有客户经理需要填写客户经理编号"),
        (
            {"role": "branch_manager", "branch_code": "", "manager_id": ""},
            "branch_code",
            "必须填写所属机构号",
        ),
        ({"role": "auditor", "branch_code": ""}, "manager_id", "只有客户经理需要填写客户经理编号"),
    ],
)
def test_edit_without_customer_scope_rejected(admin, scratch_store, changes, field, message):
    response = _post(admin, "/admin/users/zhao.min", _profile_form(**changes))

    assert response.status_code == 400
    assert message in _field_error(response, field)
    user = find_user(scratch_store, "zhao.min")
    assert (user["role"], user["branch_code"], user["manager_id"]) == ("relationship_manager", "B01", "M001")
    assert _events(scratch_store, "update_user") == []


def test_moving_manager_record_to_other_user(admin, scratch_store):
    save_user(
        scratch_store,
        "sun.li",
        hash_password(USER_PASSWORD),
        "孙丽",
        "relationship_manager",
        branch_code="B01",
    )

    response = _post(admin, "/admin/users/sun.li", _profile_form(display_name="孙丽", manager_id="M003"))

    assert response.status_code == 302
    assert find_user(scratch_store, "sun.li")["manager_id"] == "M003"


def test_deactivation_ends_sessions_and_login(web_app, admin, scratch_store):
    user_client = _logged_in(web_app, "zhao.min", USER_PASSWORD)

    response = _post(admin, "/admin/users/zhao.min", _profile_form(active=None))

    assert response.status_code == 302
    assert find_user(scratch_store, "zhao.min")["active"] is False
    assert not _is_logged_in(user_client)
    [event] = _events(scratch_store, "deactivate_user")
    assert (json.loads(event["before"])["active"], json.loads(event["after"])["active"]) == (True, False)
    assert "停用" in admin.get("/admin/users").get_data(as_text=True)
    relogin = web_app.test_client()
    rejected = relogin.post(
        "/login", data={"csrf_token": _csrf(relogin), "username": "zhao.min", "password": USER_PASSWORD}
    )
    assert rejected.status_code == 403


def test_reactivation_is_an_update(admin, scratch_store):
    _post(admin, "/admin/users/zhao.min", _profile_form(active=None))

    _post(admin, "/admin/users/zhao.min", _profile_form())

    assert find_user(scratch_store, "zhao.min")["active"] is True
    [event] = _events(scratch_store, "update_user")
    assert (json.loads(event["before"])["active"], json.loads(event["after"])["active"]) == (False, True)


def test_password_reset_ends_sessions(web_app, admin, scratch_store):
    user_client = _logged_in(web_app, "zhao.min", USER_PASSWORD)

    response = _post(admin, "/admin/users/zhao.min/password", {"password": "brand-new-pass-1"})

    assert response.status_code == 302
    assert not _is_logged_in(user_client)
    assert check_password_hash(find_user(scratch_store, "zhao.min")["password_hash"], "brand-new-pass-1")
    assert _logged_in(web_app, "zhao.min", "brand-new-pass-1")
    [event] = _events(scratch_store, "reset_password")
    assert (event["user"], event["subject"], event.get("before")) == ("admin_ops", "zhao.min", None)
    assert json.loads(event["after"]) == {"sessions_ended": 1}
    assert "brand-new-pass-1" not in json.dumps(event)


def test_short_reset_password_rejected(admin, scratch_store):
    response = _post(admin, "/admin/users/zhao.min/password", {"password": "short"})

    assert response.status_code == 400
    assert "密码至少需要 8 个字符" in _field_error(response, "password")
    assert check_password_hash(find_user(scratch_store, "zhao.min")["password_hash"], USER_PASSWORD)
    assert _events(scratch_store, "reset_password") == []


def test_admin_cannot_deactivate_self(admin, scratch_store):
    form = {"display_name": "运维管理员", "role": "admin"}

    response = _post(admin, "/admin/users/admin_ops", form)

    assert response.status_code == 400
    assert "不能停用自己的账号" in _field_error(response, "active")
    assert find_user(scratch_store, "admin_ops")["active"] is True
    assert _is_logged_in(admin)


def test_admin_cannot_drop_own_admin_role(admin, scratch_store):
    form = {"display_name": "运维管理员", "role": "auditor", "active": "1"}

    response = _post(admin, "/admin/users/admin_ops", form)

    assert response.status_code == 400
    assert "不能取消自己的系统管理员角色" in _field_error(response, "role")
    assert find_user(scratch_store, "admin_ops")["role"] == "admin"


def test_admin_can_deactivate_other_admin(admin, scratch_store):
    save_user(scratch_store, "admin_two", hash_password(ADMIN_PASSWORD), "第二管理员", "admin")

    response = _post(admin, "/admin/users/admin_two", {"display_name": "第二管理员", "role": "auditor"})

    assert response.status_code == 302
    assert find_user(scratch_store, "admin_two")["active"] is False
    assert find_user(scratch_store, "admin_two")["role"] == "auditor"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/admin/users/new", NEW_USER),
        ("/admin/users/zhao.min", {"display_name": "改名", "role": "admin", "active": "1"}),
        ("/admin/users/zhao.min/password", {"password": "taken-over-1"}),
    ],
)
def test_user_forms_need_csrf_token(admin, scratch_store, path, data):
    response = admin.post(path, data=data)

    assert response.status_code == 400
    assert "请求无效" in response.get_data(as_text=True)
    assert find_user(scratch_store, "qian.kun") is None
    user = find_user(scratch_store, "zhao.min")
    assert (user["display_name"], user["role"]) == ("赵敏", "relationship_manager")
    assert check_password_hash(user["password_hash"], USER_PASSWORD)


def test_unknown_user_page_is_404(admin):
    assert admin.get("/admin/users/nobody").status_code == 404
    assert _post(admin, "/admin/users/nobody/password", {"password": "long-enough-1"}).status_code == 404
    assert _post(admin, "/admin/users/nobody/unlock", {}).status_code == 404


def test_edit_page_never_shows_password_hash(admin):
    page = admin.get("/admin/users/zhao.min").get_data(as_text=True)

    assert "scrypt" not in page
    assert 'value="M001"' in page


def test_locked_user_shown_in_list_and_page(web_app, admin):
    _lock_out(web_app, "zhao.min")

    row = _user_row(admin, "zhao.min")
    page = admin.get("/admin/users/zhao.min").get_data(as_text=True)

    assert "已锁定（约 15 分钟后解除）" in row
    assert "启用" not in row
    assert "已锁定（约 15 分钟后解除）" in page
    assert 'action="/admin/users/zhao.min/unlock"' in page
    assert "解除锁定</button>" in page
    assert "启用" in _user_row(admin, "admin_ops")


def test_unlocked_user_has_no_unlock_button(admin):
    page = admin.get("/admin/users/zhao.min").get_data(as_text=True)

    assert "已锁定" not in page
    assert "/admin/users/zhao.min/unlock" not in page


def test_password_reset_lifts_lock(web_app, admin):
    _lock_out(web_app, "zhao.min")

    response = _post(admin, "/admin/users/zhao.min/password", {"password": "brand-new-pass-1"})

    assert response.status_code == 302
    assert "已解除其登录锁定" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "启用" in _user_row(admin, "zhao.min")
    assert _is_logged_in(_logged_in(web_app, "zhao.min", "brand-new-pass-1"))


def test_password_reset_clears_failure_count(web_app, admin):
    statuses = [_login_status(web_app, "zhao.min", WRONG_PASSWORD) for _ in range(4)]
    _post(admin, "/admin/users/zhao.min/password", {"password": "brand-new-pass-1"})

    after_reset = [_login_status(web_app, "zhao.min", WRONG_PASSWORD) for _ in range(4)]

    assert statuses == [401] * 4
    assert after_reset == [401] * 4


def test_unlock_button_lifts_lock_and_audits(web_app, admin, scratch_store):
    _lock_out(web_app, "zhao.min")

    response = _post(admin, "/admin/users/zhao.min/unlock", {})

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users/zhao.min"
    assert "已解除用户 zhao.min 的登录锁定" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "启用" in _user_row(admin, "zhao.min")
    [event] = _events(scratch_store, "unlock_user")
    assert (event["user"], event["subject"]) == ("admin_ops", "zhao.min")
    assert _is_logged_in(_logged_in(web_app, "zhao.min", USER_PASSWORD))


def test_unlock_without_lock_writes_no_audit(admin, scratch_store):
    response = _post(admin, "/admin/users/zhao.min/unlock", {})

    assert response.status_code == 302
    assert "当前没有登录锁定" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert _events(scratch_store, "unlock_user") == []


def test_unlock_needs_csrf_token(web_app, admin, scratch_store):
    _lock_out(web_app, "zhao.min")

    response = admin.post("/admin/users/zhao.min/unlock")

    assert response.status_code == 400
    assert "已锁定" in _user_row(admin, "zhao.min")
    assert _events(scratch_store, "unlock_user") == []
    assert _login_status(web_app, "zhao.min", USER_PASSWORD) == 429
