"""The reminders module (R24) on the retail 360 page: generated from the graph, dismissed, audited.

The data date is 2026-12-03, the business date of a loaded feed. Customer R1, managed by M1,
has an overdue credit card, a large debit, a deposit maturing and a birthday in three days. A
transfer of 200,000.00 to R1's own second account is no outflow. R2 is managed at another
branch, out of the relationship manager's scope.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from app.admin.audit_text import described
from c360.reminder_thresholds import ReminderConfigError
from graph_model.users import save_user
from tests.conftest import logged_in_client, page_csrf_token

PASSWORD = "correct-horse-reminders"
BIRTHDAY_KEY = "birthday:R1:2026-12-06"

BANK = """
CREATE (:LoadRun {run_id: 'run-1', source: 'crm_rating', status: 'loaded', business_date: '2026-12-03'}),
       (b:Branch {branch_code: '0101', name: '第1支行', level: 'SUB_BRANCH'}),
       (m1:Manager {manager_id: 'M1', name: '经理一', branch_code: '0101', grid_code: 'G1'})-[:WORKS_AT]->(b),
       (m3:Manager {manager_id: 'M3', name: '经理三', branch_code: '0201', grid_code: 'G9'}),
       (r1:Customer {customer_id: 'R1', customer_type: 'retail', name: '郑一', birth_date: '1954-12-06',
                     open_branch: '0101'})-[:MANAGED_BY {role: 'primary'}]->(m1),
       (r2:Customer {customer_id: 'R2', customer_type: 'retail', name: '王二', birth_date: '1980-12-05',
                     open_branch: '0201'})-[:MANAGED_BY {role: 'primary'}]->(m3),
       (r3:Customer {customer_id: 'R3', customer_type: 'retail', name: '李三', birth_date: '1980-06-01',
                     open_branch: '0101'})-[:MANAGED_BY {role: 'primary'}]->(m1),
       (r1)-[:HAS_HOLDING]->(:Holding {holding_id: 'H1', balance: 80000.0, maturity_date: '2026-12-20'})
           -[:OF_PRODUCT]->(:Product {product_code: 'D112', name: '一年定期'}),
       (r1)-[:HAS_CARD]->(:CreditCard {card_id: '6225880012345678', credit_limit: 20000.0, overdue_days: 15}),
       (r1)-[:HOLDS {role: 'owner'}]->(a1:Account {account_id: 'A1', account_type: 'SAVINGS', currency: 'CNY'}),
       (r1)-[:HOLDS {role: 'owner'}]->(a2:Account {account_id: 'A2', account_type: 'SAVINGS', currency: 'CNY'}),
       (a1)-[:POSTED]->(:Transaction {transaction_id: 'T1', date: '2026-12-01', direction: 'debit', amount: 80000.0,
                                      balance: 120000.0})
           -[:WITH_COUNTERPARTY]->(:CounterpartyAccount {account_key: 'ICBC/9558800001'}),
       (a1)-[:POSTED]->(:Transaction {transaction_id: 'T2', date: '2026-12-02', direction: 'debit', amount: 200000.0,
                                      balance: 20000.0})
           -[:WITH_COUNTERPARTY]->(:CounterpartyAccount {account_key: 'C360/A2'})-[:SAME_AS]->(a2)
"""  # fmt: skip

#: username: (role, branch, manager record)
USERS = {
    "rm_reminders": ("relationship_manager", "0101", "M1"),
    "analyst_reminders": ("head_office_analyst", "0000", None),
    "hom_reminders": ("head_office_manager", "0000", None),
}


@pytest.fixture
def app_and_store(scratch_store, scratch_settings):
    scratch_store.write(BANK)
    for username, (role, branch, manager) in USERS.items():
        save_user(
            scratch_store, username, generate_password_hash(PASSWORD), username, role,
            branch_code=branch, manager_id=manager,
        )  # fmt: skip
    return create_app(scratch_settings, {"TESTING": True}), scratch_store


def _client(app, username: str):
    return logged_in_client(app, username, PASSWORD)


def _page(client, customer_id: str = "R1") -> str:
    return client.get(f"/customers/{customer_id}", query_string={"view": "simple"}).get_data(as_text=True)


def _module(client, customer_id: str = "R1") -> str:
    return re.search(
        r'<section class="panel" id="module-R24".*?</section>', _page(client, customer_id), re.S
    ).group(0)


def _pending_rows(module: str) -> list[list[str]]:
    table = re.search(r'<table class="data-table" id="reminders-table">.*?</table>', module, re.S)
    if table is None:
        return []
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(0).split("<tbody>")[1], re.S)
    return [re.findall(r"<td[^>]*>(?:<span[^>]*>)?([^<]*)", row)[:4] for row in rows]


def _dismissals(store) -> list[dict]:
    return store.read(
        "MATCH (:Customer)-[:DISMISSED_REMINDER]->(d:ReminderDismissal) "
        "RETURN d.customer_id AS customer, d.reminder_key AS key, d.dismissed_by AS user ORDER BY key"
    )


def _dismiss_audits(store) -> list[dict]:
    return store.read(
        "MATCH (e:AuditEvent {action: 'dismiss_reminder'}) "
        "RETURN e.user AS user, e.subject AS subject, e.customer_id AS customer, e.detail AS detail, "
        "e.before AS before ORDER BY e.at"
    )


def test_reminders_listed_by_severity(app_and_store):
    app, _store = app_and_store

    module = _module(_client(app, "rm_reminders"))

    assert "按数据日期 2026-12-03（最新一批已加载数据的业务日期）生成" in module
    assert _pending_rows(module) == [
        ["紧急", "逾期", "2026-11-19", "信用卡已逾期 15 天（自 2026-11-19 起），信用额度 20,000.00。"],
        [
            "重要",
            "大额支出",
            "2026-12-01",
            "2026-12-01 单笔支出 80,000.00，达到大额支出标准 50,000.00，请关注资金去向。",
        ],
        ["重要", "到期", "2026-12-20", "一年定期将于 2026-12-20 到期，持有余额 80,000.00。"],
        ["一般", "生日", "2026-12-06", "客户 2026-12-06 过 72 岁生日。"],
    ]
    assert module.count('name="reminder_key"') == 4
    assert f'name="reminder_key" value="{BIRTHDAY_KEY}"' in module
    assert "6225880012345678" not in module


def test_dismissal_hides_and_audits(app_and_store):
    app, store = app_and_store
    manager = _client(app, "rm_reminders")

    response = manager.post(
        "/customers/R1/reminders/dismiss",
        data={"csrf_token": page_csrf_token(manager), "reminder_key": BIRTHDAY_KEY},
    )
    page = _page(manager)
    module = _module(manager)
    seen_by_analyst = _module(_client(app, "analyst_reminders"))

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/customers/R1#module-R24")
    assert '<p class="notice" role="status">已将提醒标记为已处理：客户 2026-12-06 过 72 岁生日。</p>' in page
    assert [row[1] for row in _pending_rows(module)] == ["逾期", "大额支出", "到期"]
    assert "已处理的提醒（1 条）" in module
    assert "<td>rm_reminders</td>" in module
    assert [row[1] for row in _pending_rows(seen_by_analyst)] == ["逾期", "大额支出", "到期"]
    assert _dismissals(store) == [{"customer": "R1", "key": BIRTHDAY_KEY, "user": "rm_reminders"}]
    audits = _dismiss_audits(store)
    assert audits == [
        {
            "user": "rm_reminders",
            "subject": "customer:R1",
            "customer": "R1",
            "detail": BIRTHDAY_KEY,
            "before": "客户 2026-12-06 过 72 岁生日。",
        }
    ]
    assert described({"action": "dismiss_reminder", **audits[0]})["detail"] == f"生日提醒（{BIRTHDAY_KEY}）"


def test_dismissal_twice_audited_once(app_and_store):
    app, store = app_and_store
    manager = _client(app, "rm_reminders")
    token = page_csrf_token(manager)

    for _ in range(2):
        manager.post(
            "/customers/R1/reminders/dismiss", data={"csrf_token": token, "reminder_key": BIRTHDAY_KEY}
        )

    assert len(_dismissals(store)) == 1
    assert len(_dismiss_audits(store)) == 1


def test_card_reminder_key_hides_card_number(app_and_store):
    app, store = app_and_store
    manager = _client(app, "rm_reminders")
    module = _module(manager)
    card_key = re.search(r'name="reminder_key" value="(overdue:card:[^"]+)"', module).group(1)

    manager.post(
        "/customers/R1/reminders/dismiss",
        data={"csrf_token": page_csrf_token(manager), "reminder_key": card_key},
    )

    assert re.fullmatch(r"overdue:card:[0-9a-f]{20}:2026-11-19", card_key)
    assert [row[1] for row in _pending_rows(_module(manager))] == ["大额支出", "到期", "生日"]
    assert _dismiss_audits(store)[0]["detail"] == card_key


def test_forged_dismissal_without_maintain(app_and_store):
    app, store = app_and_store
    analyst = _client(app, "analyst_reminders")
    module = _module(analyst)

    forged = analyst.post(
        "/customers/R1/reminders/dismiss",
        data={"csrf_token": page_csrf_token(analyst), "reminder_key": BIRTHDAY_KEY},
    )

    assert len(_pending_rows(module)) == 4
    assert 'name="reminder_key"' not in module
    assert "标记为已处理" not in module
    assert forged.status_code == 403
    assert _dismissals(store) == []
    assert _dismiss_audits(store) == []


def test_dismissal_without_csrf_token(app_and_store):
    app, store = app_and_store
    manager = _client(app, "rm_reminders")

    response = manager.post("/customers/R1/reminders/dismiss", data={"reminder_key": BIRTHDAY_KEY})

    assert response.status_code == 400
    assert _dismissals(store) == []


def test_dismissal_out_of_scope_refused(app_and_store):
    app, store = app_and_store
    manager = _client(app, "rm_reminders")

    response = manager.post(
        "/customers/R2/reminders/dismiss",
        data={"csrf_token": page_csrf_token(manager), "reminder_key": "birthday:R2:2026-12-05"},
    )

    assert response.status_code == 403
    assert _dismissals(store) == []
    refused = store.read(
        "MATCH (e:AuditEvent {action: 'access_refused'}) RETURN e.customer_id AS customer, e.detail AS channel"
    )
    assert refused == [{"customer": "R2", "channel": "api"}]


@pytest.mark.parametrize(
    "key",
    ["", "birthday:R1:2025-12-06", "overdue:card:6225880012345678:2026-11-19", "x" * 5000, "<b>提醒</b>"],
)
def test_dismissal_unknown_key_message(app_and_store, key):
    app, store = app_and_store
    manager = _client(app, "rm_reminders")

    response = manager.post(
        "/customers/R1/reminders/dismiss",
        data={"csrf_token": page_csrf_token(manager), "reminder_key": key},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "该提醒已不存在（数据可能已更新），请刷新页面后查看当前的提醒。" in page
    assert "<b>提醒</b>" not in page
    assert _dismissals(store) == []
    assert _dismiss_audits(store) == []


def test_dismissal_unknown_customer_404(app_and_store):
    app, store = app_and_store
    manager = _client(app, "hom_reminders")

    response = manager.post(
        "/customers/NOBODY/reminders/dismiss",
        data={"csrf_token": page_csrf_token(manager), "reminder_key": BIRTHDAY_KEY},
    )

    assert response.status_code == 404
    assert _dismissals(store) == []


def test_nothing_to_remind_empty_state(app_and_store):
    app, _store = app_and_store

    module = _module(_client(app, "rm_reminders"), "R3")

    assert '<p class="empty-state">截至数据日期 2026-12-03，该客户没有需要提醒的事项。</p>' in module
    assert "reminders-table" not in module


def test_data_date_from_newest_transaction(scratch_store, scratch_settings):
    scratch_store.write(
        "CREATE (c:Customer {customer_id: 'B1', customer_type: 'retail', birth_date: '1960-01-02'})"
        "-[:HOLDS {role: 'owner'}]->(a:Account {account_id: '1001'}), "
        "(a)-[:POSTED]->(:Transaction {transaction_id: 'BT1', date: '1998-12-31', direction: 'credit', amount: 10.0, balance: 10.0})"
    )
    save_user(scratch_store, "hom_reminders", generate_password_hash(PASSWORD), "总行", "head_office_manager")
    client = _client(create_app(scratch_settings, {"TESTING": True}), "hom_reminders")

    module = _module(client, "B1")

    assert "按数据日期 1998-12-31（尚未加载日终批量数据，取已加载交易的最新日期）生成" in module
    assert _pending_rows(module) == [["一般", "生日", "1999-01-02", "客户 1999-01-02 过 39 岁生日。"]]


def test_data_date_today_without_data(scratch_store, scratch_settings):
    scratch_store.write("CREATE (:Customer {customer_id: 'N1', customer_type: 'retail'})")
    save_user(scratch_store, "hom_reminders", generate_password_hash(PASSWORD), "总行", "head_office_manager")
    client = _client(create_app(scratch_settings, {"TESTING": True}), "hom_reminders")

    module = _module(client, "N1")

    assert f"按数据日期 {date.today().isoformat()}（尚无已加载的数据，取今天的日期）生成" in module
    assert "该客户没有需要提醒的事项。" in module


def test_invalid_thresholds_file_stops_start(scratch_settings, tmp_path):
    path = tmp_path / "reminders.toml"
    path.write_text("[birthday]\ndays_ahead = -3\n", encoding="utf-8")

    with pytest.raises(ReminderConfigError, match=r"\[birthday\] days_ahead = -3"):
        create_app(scratch_settings.with_overrides(reminders_file=path), {"TESTING": True})


def test_thresholds_file_changes_rules(app_and_store, scratch_settings, tmp_path):
    _app, _store = app_and_store
    path = tmp_path / "reminders.toml"
    path.write_text("[birthday]\ndays_ahead = 2\n[large_outflow]\namount = 100000\n", encoding="utf-8")
    app = create_app(scratch_settings.with_overrides(reminders_file=path), {"TESTING": True})

    module = _module(_client(app, "rm_reminders"))

    assert [row[1] for row in _pending_rows(module)] == ["逾期", "到期"]
