"""Who may see what: scope by role and organisation, masking everywhere, markup as text, and the audit.

The organisation is small and written by hand: head office 0000, branch 0100 with sub-branches
0101 and 0102, branch 0200 with sub-branch 0201. Managers M1 and M2 work at 0101 in grid G1;
M3 works at 0201. Customer C1 is managed by M1, C2 by M2 (same grid), C3 by M3 (another branch);
C1 and C3 hold account A13 together and are linked by a mined family link. C4's name is markup.
"""

from __future__ import annotations

import logging
import re

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from graph_model import links as link_repository
from graph_model.users import save_user
from tests.conftest import logged_in_client, page_csrf_token

PASSWORD = "correct-horse-access"
HOSTILE_NAME = '<script>alert("x")</script>{{7*7}}'

CUSTOMERS = {
    "C1": {
        "name": "赵一",
        "id_number": "110105199001011234",
        "mobile": "13812345678",
        "address": "北京市朝阳区建国路88号院3号楼",
        "open_branch": "0101",
        "manager": "M1",
        "account": "6228480012345678901",
    },
    "C2": {
        "name": "钱二",
        "id_number": "110105199202022345",
        "mobile": "13912345679",
        "address": "北京市海淀区中关村大街1号",
        "open_branch": "0102",
        "manager": "M2",
        "account": "6228480098765432101",
    },
    "C3": {
        "name": "孙三",
        "id_number": "220102198503033456",
        "mobile": "13712345670",
        "address": "吉林省长春市南关区人民大街5号",
        "open_branch": "0201",
        "manager": "M3",
        "account": "6228481111222233334",
    },
    "C4": {
        "name": HOSTILE_NAME,
        "id_number": "110105197004044567",
        "mobile": "13612345671",
        "address": "北京市东城区王府井大街9号",
        "open_branch": "0101",
        "manager": "M1",
        "account": "6228482222333344445",
    },
}
JOINT_ACCOUNT = "6228489999000011112"

#: username: (role, branch, manager record)
USERS = {
    "rm": ("relationship_manager", "0101", "M1"),
    "bm": ("branch_manager", "0200", None),
    "analyst": ("head_office_analyst", "0000", None),
    "risk": ("risk_officer", "0000", None),
    "admin_audit": ("admin", "0000", None),
    "auditor": ("auditor", "0000", None),
}

#: Which customers' pages each user may open.
VISIBLE = {
    "rm": {"C1", "C2", "C4"},
    "bm": {"C3"},
    "analyst": {"C1", "C2", "C3", "C4"},
    "risk": {"C1", "C2", "C3", "C4"},
    "admin_audit": {"C1", "C2", "C3", "C4"},
    "auditor": set(),
}

ORGANISATION = """
CREATE (h:Branch {branch_code: '0000', name: '总行', level: 'HEAD'}),
       (b1:Branch {branch_code: '0100', name: '第1分行', level: 'BRANCH'})-[:PART_OF]->(h),
       (:Branch {branch_code: '0101', name: '第1分行第1支行', level: 'SUB_BRANCH'})-[:PART_OF]->(b1),
       (:Branch {branch_code: '0102', name: '第1分行第2支行', level: 'SUB_BRANCH'})-[:PART_OF]->(b1),
       (b2:Branch {branch_code: '0200', name: '第2分行', level: 'BRANCH'})-[:PART_OF]->(h),
       (:Branch {branch_code: '0201', name: '第2分行第1支行', level: 'SUB_BRANCH'})-[:PART_OF]->(b2),
       (:Manager {manager_id: 'M1', name: '经理一', branch_code: '0101', grid_code: 'G1'}),
       (:Manager {manager_id: 'M2', name: '经理二', branch_code: '0101', grid_code: 'G1'}),
       (:Manager {manager_id: 'M3', name: '经理三', branch_code: '0201', grid_code: 'G9'})
"""

CUSTOMERS_WITH_ACCOUNTS = """
UNWIND $rows AS row
MATCH (m:Manager {manager_id: row.manager})
CREATE (c:Customer {customer_id: row.customer_id, customer_type: 'retail', name: row.name,
                    id_number: row.id_number, mobile: row.mobile, address: row.address,
                    open_branch: row.open_branch})
CREATE (c)-[:MANAGED_BY {role: 'primary'}]->(m)
CREATE (c)-[:HOLDS {role: 'owner'}]->(:Account {account_id: row.account, account_type: 'savings',
                                               currency: 'CNY', balance: 1000.0})
"""

JOINT_HOLDING = """
MATCH (c1:Customer {customer_id: 'C1'}), (c3:Customer {customer_id: 'C3'})
CREATE (a:Account {account_id: $account, account_type: 'savings', currency: 'CNY'})
CREATE (c1)-[:HOLDS {role: 'owner'}]->(a), (c3)-[:HOLDS {role: 'disponent'}]->(a)
"""


@pytest.fixture
def bank(scratch_store, scratch_settings):
    store = scratch_store
    store.write(ORGANISATION)
    rows = [{"customer_id": key, **fields} for key, fields in CUSTOMERS.items()]
    store.write(CUSTOMERS_WITH_ACCOUNTS, {"rows": rows})
    store.write(JOINT_HOLDING, {"account": JOINT_ACCOUNT})
    props = {
        "origin": "mined",
        "miner": "flows",
        "run_id": "run-1",
        "confidence": 0.9,
        "basis": ["same_address"],
    }
    link_repository.upsert_links(
        store,
        [{"source": "C1", "target": "C3", "link_type": "family", "props": props}],
        target_label="Customer",
        batch_size=10,
    )
    for username, (role, branch, manager) in USERS.items():
        save_user(
            store, username, generate_password_hash(PASSWORD), f"用户{username}", role,
            branch_code=branch, manager_id=manager,
        )  # fmt: skip
    app = create_app(scratch_settings, {"TESTING": True})
    return app, store


def _client(app, username: str):
    return logged_in_client(app, username, PASSWORD)


def _audit_rows(store, **match) -> list[dict]:
    conditions = " AND ".join(f"e.{name} = ${name}" for name in match)
    rows = store.read(
        f"MATCH (e:AuditEvent) WHERE {conditions} RETURN e {{.*}} AS event ORDER BY e.at", match
    )
    return [row["event"] for row in rows]


@pytest.mark.parametrize("username", sorted(USERS))
def test_role_opens_own_customers(bank, username):
    app, _store = bank
    client = _client(app, username)

    opened = {key for key in CUSTOMERS if client.get(f"/customers/{key}").status_code == 200}
    refused = {key for key in CUSTOMERS if client.get(f"/customers/{key}").status_code == 403}

    assert opened == VISIBLE[username]
    assert refused == set(CUSTOMERS) - VISIBLE[username]


def test_out_of_scope_rejected_on_every_channel(bank):
    app, store = bank
    client = _client(app, "rm")
    token = page_csrf_token(client)

    page = client.get("/customers/C3")
    by_number = client.get("/?q=C3").get_data(as_text=True)
    by_id_number = client.get(f"/?q={CUSTOMERS['C3']['id_number']}").get_data(as_text=True)
    by_account = client.get(f"/?q={CUSTOMERS['C3']['account']}").get_data(as_text=True)
    expansion = client.get("/customers/C3/network.json")
    export = client.get("/customers/C3/export.csv")
    review = client.post(
        "/links/review",
        json={"source": "C3", "target": "C1", "link_type": "family", "decision": "confirmed"},
        headers={"X-CSRF-Token": token},
    )
    reveal = client.post("/customers/C3/reveal", json={"field": "id_number"}, headers={"X-CSRF-Token": token})

    assert page.status_code == 403
    assert "无权访问" in page.get_data(as_text=True)
    for results in (by_number, by_id_number, by_account):
        assert "不在您的查看范围内" in results
        assert "孙三" not in results
    assert expansion.status_code == 403
    assert export.status_code == 403
    assert review.status_code == 403
    assert reveal.status_code == 403
    refusals = [event["detail"] for event in _audit_rows(store, action="access_refused", customer_id="C3")]
    assert sorted(refusals) == ["api", "api", "export", "graph", "page", "search", "search", "search"]
    assert {event["user"] for event in _audit_rows(store, action="access_refused")} == {"rm"}


def test_name_search_skips_out_of_scope(bank):
    app, store = bank
    client = _client(app, "rm")

    page = client.get("/?q=三").get_data(as_text=True)

    assert "孙三" not in page
    assert "没有找到" in page
    assert _audit_rows(store, action="access_refused") == []


def test_out_of_scope_neighbours_anonymous(bank):
    app, _store = bank
    client = _client(app, "rm")

    network = client.get("/customers/C1/network.json").get_json()
    page = client.get("/customers/C1").get_data(as_text=True)

    hidden = [node for node in network["nodes"] if node["id"].startswith("hidden:")]
    assert len(hidden) == 2  # once as the co-holder of the joint account, once at the family link's end
    assert {node["label"] for node in hidden} == {"无权查看的客户"}
    assert "url" not in hidden[0]
    drawn = repr(network)
    assert "C3" not in drawn
    assert "孙三" not in drawn
    family = [edge for edge in network["edges"] if edge.get("label") == "家庭成员"]
    assert len(family) == 1
    assert "review" not in family[0]
    assert "C3" not in page
    assert "孙三" not in page
    assert "其他客户" in page


def _sensitive_values() -> list[str]:
    values = [JOINT_ACCOUNT]
    for fields in CUSTOMERS.values():
        values += [fields["id_number"], fields["mobile"], fields["account"], fields["address"]]
    return values


@pytest.mark.parametrize("username", sorted(USERS))
def test_masking_on_pages_exports_logs(bank, username, caplog):
    app, _store = bank
    client = _client(app, username)
    caplog.set_level(logging.DEBUG)
    outputs = []
    for key, fields in CUSTOMERS.items():
        for term in (key, fields["id_number"], fields["mobile"], fields["account"], fields["name"]):
            # The search page shows the user's own term back in the search box; that is not a leak.
            outputs.append(client.get("/", query_string={"q": term}).get_data(as_text=True).replace(term, ""))
        for path in (f"/customers/{key}", f"/customers/{key}/network.json", f"/customers/{key}/export.csv"):
            outputs.append(client.get(path).get_data(as_text=True))
    outputs.append(client.get("/admin/audit").get_data(as_text=True))
    outputs.append(client.get("/admin/audit/export.csv").get_data(as_text=True))
    outputs.append(caplog.text)

    for value in _sensitive_values():
        leaks = [text for text in outputs if value in text]
        assert leaks == [], f"{value} shown to {username}"


def test_masking_follows_patterns(bank):
    app, _store = bank
    client = _client(app, "rm")

    page = client.get("/customers/C1").get_data(as_text=True)
    export = client.get("/customers/C1/export.csv").get_data(as_text=True)

    for text in (page, export):
        assert "110***********1234" in text
        assert "138****5678" in text
        assert "622848*********8901" in text
        assert "北京市朝阳区" + "*" * 10 in text
    assert export.startswith("\ufeff")


def test_reveal_needs_permission_and_audits(bank):
    app, store = bank
    manager = _client(app, "rm")
    analyst = _client(app, "analyst")
    page = manager.get("/customers/C1").get_data(as_text=True)
    account_reference = re.search(r'data-field="account" data-reference="([0-9a-f]+)"', page).group(1)
    manager_token, analyst_token = page_csrf_token(manager), page_csrf_token(analyst)

    id_number = manager.post(
        "/customers/C1/reveal", json={"field": "id_number"}, headers={"X-CSRF-Token": manager_token}
    )
    account = manager.post(
        "/customers/C1/reveal",
        json={"field": "account", "reference": account_reference},
        headers={"X-CSRF-Token": manager_token},
    )
    forbidden = analyst.post(
        "/customers/C1/reveal", json={"field": "id_number"}, headers={"X-CSRF-Token": analyst_token}
    )
    without_token = manager.post("/customers/C1/reveal", json={"field": "mobile"})

    assert id_number.get_json() == {"value": CUSTOMERS["C1"]["id_number"]}
    assert account.get_json() == {"value": CUSTOMERS["C1"]["account"]}
    assert forbidden.status_code == 403
    assert without_token.status_code == 400
    assert "显示</button>" in page
    assert "显示</button>" not in analyst.get("/customers/C1").get_data(as_text=True)
    unmasked = _audit_rows(store, action="unmask")
    assert [(event["user"], event["customer_id"], event["detail"]) for event in unmasked] == [
        ("rm", "C1", "证件号码"),
        ("rm", "C1", "账号"),
    ]
    assert all(CUSTOMERS["C1"]["id_number"] not in repr(event) for event in unmasked)


def test_markup_name_shown_as_text(bank):
    app, _store = bank
    client = _client(app, "rm")

    search = client.get("/", query_string={"q": "script"}).get_data(as_text=True)
    page = client.get("/customers/C4").get_data(as_text=True)
    network = client.get("/customers/C1/network.json").get_data(as_text=True)
    audit_page = _client(app, "admin_audit").get("/admin/audit").get_data(as_text=True)

    for html in (search, page):
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;{{7*7}}" in html
        assert '<script>alert("x")' not in html
    assert "<script>alert" not in audit_page
    # The network's JSON is read with JSON.parse and drawn with textContent; C4 is not linked to C1.
    assert "<script>" not in network
    embedded = re.search(
        r'<script type="application/json" id="network-data">(.*?)</script>', page, re.S
    ).group(1)
    assert "\\u003cscript\\u003e" in embedded


def test_audit_page_filters_events(bank):
    app, _store = bank
    manager = _client(app, "rm")
    token = page_csrf_token(manager)
    manager.get("/customers/C1")
    manager.post("/customers/C1/reveal", json={"field": "mobile"}, headers={"X-CSRF-Token": token})
    manager.post(
        "/customers/C1/manual-links",
        data={"csrf_token": token, "target": "C2", "relation": "同事", "note": ""},
    )
    manager.get("/customers/C3")
    auditor = _client(app, "auditor")

    by_user = _event_table(auditor.get("/admin/audit", query_string={"user": "rm"}))
    by_customer = _event_table(auditor.get("/admin/audit", query_string={"customer_id": "C3"}))
    refusals = _event_table(auditor.get("/admin/audit", query_string={"action": "access_refused"}))
    export = auditor.get("/admin/audit/export.csv", query_string={"user": "rm"})
    bad_date = auditor.get("/admin/audit", query_string={"since": "2026-13-01"})

    for action in ("查看客户", "显示敏感信息", "新增手工关系", "拒绝越权访问"):
        assert action in by_user
    assert "拒绝越权访问" in by_customer
    assert "查看客户" not in by_customer
    assert refusals.count("<td>rm</td>") == 1
    assert export.status_code == 200
    assert export.headers["Content-Disposition"].startswith("attachment")
    assert "新增手工关系" in export.get_data(as_text=True)
    assert bad_date.status_code == 200
    assert "开始日期格式应为" in bad_date.get_data(as_text=True)
    assert _client(app, "rm").get("/admin/audit").status_code == 403


def _event_table(response) -> str:
    """The audit page's table of events, without the filter form that names every action."""
    page = response.get_data(as_text=True)
    return re.search(r'<table class="data-table" id="audit-events">.*?</table>', page, re.S).group(0)


def test_auditor_home_is_audit_trail(bank):
    app, _store = bank
    client = _client(app, "auditor")

    home = client.get("/")
    audit_page = client.get("/admin/audit").get_data(as_text=True)

    assert home.status_code == 302
    assert home.headers["Location"] == "/admin/audit"
    assert 'class="topbar-search"' not in audit_page


def test_review_controls_need_permission(bank):
    app, store = bank
    analyst = _client(app, "analyst")
    token = page_csrf_token(analyst)

    page = analyst.get("/customers/C1").get_data(as_text=True)
    review = analyst.post(
        "/links/review",
        json={"source": "C1", "target": "C3", "link_type": "family", "decision": "rejected"},
        headers={"X-CSRF-Token": token},
    )
    manual = analyst.post(
        "/customers/C1/manual-links", data={"csrf_token": token, "target": "C2", "relation": "同事"}
    )

    assert 'id="link-review"' not in page
    assert 'class="manual-link-form"' not in page
    assert review.status_code == 403
    assert review.get_json() == {"message": "您的角色无权进行此操作。"}
    assert manual.status_code == 403
    assert store.read("MATCH ()-[r:RELATED_TO]->() RETURN r.review_status AS status") == [{"status": None}]


def test_manual_link_target_out_of_scope(bank):
    app, store = bank
    client = _client(app, "rm")
    token = page_csrf_token(client)

    response = client.post(
        "/customers/C1/manual-links",
        data={"csrf_token": token, "target": "C3", "relation": "朋友", "note": ""},
        follow_redirects=True,
    )

    # The same message as for an unknown number, so the form does not tell that C3 exists.
    assert response.status_code == 200
    assert "未找到该客户号，请核对后重试。" in response.get_data(as_text=True)
    assert store.read("MATCH ()-[r:RELATED_TO {link_type: 'manual'}]->() RETURN count(r) AS links") == [
        {"links": 0}
    ]
    assert [event["detail"] for event in _audit_rows(store, action="access_refused", customer_id="C3")] == [
        "api"
    ]


def test_search_spaced_account_number(bank):
    app, _store = bank
    client = _client(app, "rm")

    page = client.get("/", query_string={"q": "6228 4800 1234 5678 901"}).get_data(as_text=True)

    assert 'href="/customers/C1"' in page


def test_export_amounts_to_the_cent(bank):
    app, store = bank
    store.write(
        "MATCH (a:Account {account_id: $account}) "
        "CREATE (a)-[:POSTED]->(:Transaction {transaction_id: 'T1', date: '2026-12-01', direction: 'debit', "
        "amount: 171.27, balance: 828.73})",
        {"account": CUSTOMERS["C1"]["account"]},
    )
    client = _client(app, "rm")

    export = client.get("/customers/C1/export.csv").get_data(as_text=True)

    # Date, account, direction, operation, purpose, amount, balance after it, counterparty.
    assert "2026-12-01,622848*********8901,支出,—,—,-171.27,828.73,—" in export
    assert ",1000.00," in export


def test_audit_events_in_chinese(bank):
    app, _store = bank
    manager = _client(app, "rm")
    token = page_csrf_token(manager)
    manager.get("/customers/C1")
    manager.post(
        "/links/review",
        json={"source": "C1", "target": "C2", "link_type": "family", "decision": "confirmed"},
        headers={"X-CSRF-Token": token},
    )
    manager.get("/customers/C3")

    table = _event_table(_client(app, "auditor").get("/admin/audit", query_string={"user": "rm"}))

    assert "<td>客户 C1</td>" in table
    assert (
        "<td>客户概况、客户提醒信息、客户业务概览、标签画像、管理信息、账户信息、交易明细、知识图谱、产品持有信息"
        in table
    )
    assert "<td>打开客户页面</td>" in table
    assert "登录地址：127.0.0.1" in table
    assert "customer:" not in table


def test_search_without_scope_explains(bank):
    app, store = bank
    save_user(store, "rm_unassigned", generate_password_hash(PASSWORD), "未分配", "relationship_manager")
    client = _client(app, "rm_unassigned")

    page = client.get("/", query_string={"q": "赵"}).get_data(as_text=True)

    assert "尚未分配可查看的客户范围" in page
    assert "赵一" not in page
