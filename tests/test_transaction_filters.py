"""Filters and paging of the transactions module on the retail 360 page."""

from __future__ import annotations

import re

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from graph_model.users import save_user
from tests.conftest import logged_in_client

PASSWORD = "correct-horse-transactions"
SAVINGS = "6228480000000011"
CURRENT = "6228480000000022"

# Account SAVINGS has 60 card payments of 1.00 to 60.00 in October. Payment n falls on day
# 1 + n mod 31, so payment 30 falls on 31 October. Account CURRENT has a salary credit of 8,000.00
# on 28 November and a transfer of 500.00 to a relative on 29 November, the newest day loaded.
TRANSACTIONS = """
MATCH (c:Customer {customer_id: 'F1'})
CREATE (c)-[:HOLDS {role: 'owner'}]->(savings:Account {account_id: $savings, account_type: 'SAVINGS', currency: 'CNY'})
CREATE (c)-[:HOLDS {role: 'owner'}]->(current:Account {account_id: $current, account_type: 'SAVINGS', currency: 'CNY'})
CREATE (shop:CounterpartyAccount {account_key: 'UNIONPAY/888800000001'})
CREATE (employer:CounterpartyAccount {account_key: 'C360/9000000001'})
CREATE (relative:CounterpartyAccount {account_key: 'ICBC/6222000000000003'})
WITH savings, current, shop, employer, relative
UNWIND range(1, 60) AS n
CREATE (savings)-[:POSTED]->(t:Transaction {transaction_id: 'S' + toString(n),
    date: '2026-10-' + right('0' + toString(1 + n % 31), 2), direction: 'debit', amount: toFloat(n),
    balance: 1000.0, sequence: n})-[:WITH_COUNTERPARTY]->(shop)
WITH DISTINCT current, employer, relative
CREATE (current)-[:POSTED]->(:Transaction {transaction_id: 'C1', date: '2026-11-28', direction: 'credit',
    amount: 8000.0, balance: 8000.0, counterparty_name: '星辰科技有限公司', sequence: 1})-[:WITH_COUNTERPARTY]->(employer)
CREATE (current)-[:POSTED]->(:Transaction {transaction_id: 'C2', date: '2026-11-29', direction: 'debit',
    amount: 500.0, balance: 7500.0, sequence: 2})-[:WITH_COUNTERPARTY]->(relative)
"""


@pytest.fixture
def client(scratch_store, scratch_settings):
    scratch_store.write("CREATE (:Customer {customer_id: 'F1', customer_type: 'retail', name: '冯一'})")
    scratch_store.write(TRANSACTIONS, {"savings": SAVINGS, "current": CURRENT})
    save_user(scratch_store, "hom_tx", generate_password_hash(PASSWORD), "总行", "head_office_manager")
    return logged_in_client(create_app(scratch_settings, {"TESTING": True}), "hom_tx", PASSWORD)


def _listed(client, **filters) -> tuple[list[str], str]:
    page = client.get("/customers/F1", query_string={"view": "whole_bank", **filters}).get_data(as_text=True)
    section = re.search(r'<section class="panel" id="module-R17".*?</section>', page, re.S).group(0)
    amounts = re.findall(r'<td class="num (?:credit|debit)">([-+][\d,.]+)</td>', section)
    return amounts, section


def _account_reference(client, account: str) -> str:
    page = client.get("/customers/F1", query_string={"view": "whole_bank"}).get_data(as_text=True)
    masked = account[:6] + "*" * (len(account) - 10) + account[-4:]
    return re.search(rf'<option value="([0-9a-f]+)"[^>]*>{re.escape(masked)}</option>', page).group(1)


def test_default_window_last_30_days(client):
    amounts, section = _listed(client)

    assert amounts == ["-500.00", "+8,000.00", "-30.00"]
    assert "统计区间：2026-10-31 至 2026-11-29" in section


def test_filters_narrow_transactions(client):
    savings = _account_reference(client, SAVINGS)
    october = {"tx_since": "2026-10-01", "tx_until": "2026-11-30"}

    by_account, _ = _listed(client, tx_account=savings, tx_min="55", **october)
    credits, _ = _listed(client, tx_direction="credit", **october)
    by_amount, _ = _listed(client, tx_min="100", tx_max="1,000", **october)
    by_name, _ = _listed(client, tx_counterparty="星辰", **october)
    by_bank, _ = _listed(client, tx_counterparty="ICBC", **october)

    assert sorted(by_account) == ["-55.00", "-56.00", "-57.00", "-58.00", "-59.00", "-60.00"]
    assert credits == ["+8,000.00"]
    assert by_amount == ["-500.00"]
    assert by_name == ["+8,000.00"]
    assert by_bank == ["-500.00"]


def test_transactions_paged(client):
    first, section = _listed(client, tx_since="2026-10-01", tx_until="2026-11-30")
    second, second_section = _listed(client, tx_since="2026-10-01", tx_until="2026-11-30", tx_page="2")

    assert len(first) == 50
    assert len(second) == 12
    assert "共 62 笔" in section
    assert "第 1 / 2 页" in section
    assert "上一页" in second_section


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"tx_since": "2026-13-01"}, "开始日期格式应为"),
        ({"tx_since": "2026-11-30", "tx_until": "2026-11-01"}, "开始日期不能晚于结束日期"),
        ({"tx_min": "abc"}, "最小金额应为不小于 0 的数字"),
        ({"tx_account": "not-an-account"}, "所选账户不属于该客户"),
    ],
)
def test_invalid_filters_reported(client, filters, message):
    amounts, section = _listed(client, **filters)

    assert message in section
    assert amounts == ["-500.00", "+8,000.00", "-30.00"]


def test_no_match_explained(client):
    amounts, section = _listed(client, tx_counterparty="无此对手")

    assert amounts == []
    assert "没有符合筛选条件的交易" in section
