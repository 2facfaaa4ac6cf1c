"""The web application through Flask's test client, on the real Berka graph."""

from __future__ import annotations

import json
import re

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from graph_model.users import save_user

PASSWORD = "correct-horse-7"


@pytest.fixture(scope="module")
def web_app(berka_store, base_settings):
    save_user(berka_store, "rm_web", generate_password_hash(PASSWORD), "王经理", "head_office_manager")
    return create_app(base_settings, {"TESTING": True})


@pytest.fixture
def client(web_app):
    return web_app.test_client()


def _csrf(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _login(client, username="rm_web", password=PASSWORD, next_path=None):
    url = "/login" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"csrf_token": _csrf(client), "username": username, "password": password})


@pytest.fixture
def logged_in(client):
    assert _login(client).status_code == 302
    return client


def _network(page: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/json" id="network-data">(.*?)</script>', page, re.S).group(1)
    )


def test_pages_need_login(client):
    response = client.get("/customers/2")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_wrong_password_is_refused_in_chinese(client):
    response = _login(client, password="wrong-password")

    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_rejected(client):
    response = client.post("/login", data={"username": "rm_web", "password": PASSWORD})

    assert response.status_code == 400
    assert "请求无效" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("next_path", "expected"),
    [
        ("/customers/2", "/customers/2"),
        ("https://example.com/", "/"),
        ("//example.com/", "/"),
        ("/\\example.com", "/"),
    ],
)
def test_login_redirects_only_to_own_paths(client, next_path, expected):
    response = _login(client, next_path=next_path)

    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_search_by_customer_number(logged_in):
    page = logged_in.get("/?q=2").get_data(as_text=True)

    assert 'href="/customers/2"' in page
    assert "客户号" in page
    # Account 2, masked: a one-digit number shows no digit at all.
    assert "*（户主）" in page


def test_search_by_account_number_finds_both_holders(logged_in):
    page = logged_in.get("/?q=2").get_data(as_text=True)
    by_account = re.findall(r'<td><a href="/customers/(\d+)">', page)

    assert by_account == ["2", "3"]


def test_search_without_match_explains(logged_in):
    page = logged_in.get("/?q=no-such-customer").get_data(as_text=True)

    assert "没有找到与“no-such-customer”匹配的客户" in page


def test_search_term_too_long_is_refused(logged_in):
    page = logged_in.get("/?q=" + "9" * 65).get_data(as_text=True)

    assert "查询内容过长" in page


def test_customer_2_page_shows_the_modules(logged_in):
    response = logged_in.get("/customers/2")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    for module in ("module-R01", "module-R03", "module-R12", "module-R17"):
        assert f'id="{module}"' in page
    assert "1945-02-04" in page
    assert "Hl.m. Praha, Prague" in page
    assert 'href="/customers/3">客户 3</a>（授权使用人）' in page


def test_customer_2_recent_transactions(logged_in):
    page = logged_in.get("/customers/2").get_data(as_text=True)
    table = re.search(r'<table class="data-table" id="transactions-table">(.*?)</table>', page, re.S).group(1)

    # The newest date in the loaded data is 1994-03-31; account 2 has 6 transactions since 1994-03-02.
    assert "1994-03-02 至 1994-03-31" in page
    assert table.count("<tr>") - 1 == 6


def test_customer_2_graph_has_household_link_to_3(logged_in):
    network = _network(logged_in.get("/customers/2").get_data(as_text=True))
    nodes = {node["id"]: node for node in network["nodes"]}
    household = [edge for edge in network["edges"] if edge.get("label") == "家庭（共同账户）"]

    assert "customer:3" in nodes
    assert nodes["customer:3"]["url"] == "/customers/3"
    assert [node["label"] for node in nodes.values() if node["id"].startswith("account:")] == ["账户 *"]
    assert "account:2" not in nodes
    assert len(household) == 1
    assert "置信度：0.90" in household[0]["title"]
    assert "依据：共同账户 *" in household[0]["title"]


def test_unknown_customer_is_404_in_chinese(logged_in):
    response = logged_in.get("/customers/999999")

    assert response.status_code == 404
    assert "您要查找的页面或客户不存在" in response.get_data(as_text=True)


def test_pages_load_nothing_from_other_hosts(logged_in):
    response = logged_in.get("/customers/2")
    page = response.get_data(as_text=True)

    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert re.findall(r'(?:src|href)="(https?:)?//', page) == []


def test_logout_needs_post_and_ends_session(logged_in):
    token = _csrf(logged_in, "/")

    assert logged_in.get("/logout").status_code == 405
    assert logged_in.post("/logout", data={"csrf_token": token}).status_code == 302
    assert logged_in.get("/customers/2").status_code == 302


def test_full_width_digits_are_searched(logged_in):
    page = logged_in.get("/?q=２").get_data(as_text=True)

    assert 'href="/customers/2"' in page


def test_authorised_user_has_no_loan(logged_in):
    page = logged_in.get("/customers/3").get_data(as_text=True)

    assert re.search(r"<dt>贷款笔数</dt><dd>0</dd>", page)


def test_failed_login_keeps_username(client):
    page = _login(client, password="wrong-password").get_data(as_text=True)

    assert 'value="rm_web"' in page


def test_logout_confirms_in_chinese(logged_in):
    token = _csrf(logged_in, "/")

    response = logged_in.post("/logout", data={"csrf_token": token}, follow_redirects=True)

    assert "您已安全退出" in response.get_data(as_text=True)


def test_load_runs_page_is_for_admins(logged_in):
    assert logged_in.get("/admin/load-runs").status_code == 403


def test_admin_sees_load_runs(web_app, berka_store):
    save_user(berka_store, "admin_web", generate_password_hash(PASSWORD), "管理员", "admin")
    client = web_app.test_client()
    _login(client, username="admin_web")

    page = client.get("/admin/load-runs").get_data(as_text=True)

    assert "数据加载记录" in page
    assert re.search(r"<td>berka</td>", page)
