"""Charts of the retail 360 page (R01, R11, R28) on the real embedded FalkorDB, with numbers worked by hand.

Customer K1 owns accounts A1 and A2 and is an authorised user of A3, whose money is not theirs.
The newest posting in the graph is on 2026-03-25, so the 90-day flow window starts on 2025-12-26.

A1 (day-end book balance 1,650.00):
  2025-12-01 +100 cash (before the window) → 100; 2026-01-10 +900 cash → 1,000;
  2026-01-20 -50 cash → 950; 2026-03-05 +500 from retail customer K2 → 1,450;
  2026-03-25 +200 from K1's own A2 → 1,650.
A2 (no book balance, so its last posting counts):
  2026-02-15 +2,000 from corporate customer K3 → 2,000; 2026-03-20 -300 to another bank → 1,700;
  2026-03-25 -200 to K1's own A1 → 1,500.
Holdings: 理财 10,000 from 2026-02-01; 基金 2,500.50 from 2025-06-01; 存款 3,000 from 2026-03-10;
one ended holding of 99,999. Credit lines used 20,000 and 5,000.25, one ended (7,777).
Credit cards spent 1,234.56 and 100.00 in the last 30 days.
"""

from __future__ import annotations

import json
import re

import pytest

from app.retail.charts import business_overview, channel_behaviour, customer_position, overview_charts

OWN_ACCOUNTS = """
CREATE (k1:Customer {customer_id: 'K1', customer_type: 'retail', name: '图表甲'})
CREATE (k2:Customer {customer_id: 'K2', customer_type: 'retail', name: '个人乙'})
CREATE (k3:Customer {customer_id: 'K3', customer_type: 'corporate', name: '对公丙'})
CREATE (k1)-[:HOLDS {role: 'owner'}]->(:Account {account_id: 'A1', account_type: 'SAVINGS', balance: 1650.0})
CREATE (k1)-[:HOLDS {role: 'owner'}]->(:Account {account_id: 'A2', account_type: 'SAVINGS'})
CREATE (k1)-[:HOLDS {role: 'authorised'}]->(:Account {account_id: 'A3', account_type: 'SAVINGS'})
       <-[:HOLDS {role: 'owner'}]-(k2)
CREATE (k2)-[:HOLDS {role: 'owner'}]->(:Account {account_id: 'B1'})
CREATE (k3)-[:HOLDS {role: 'owner'}]->(:Account {account_id: 'B2'})
"""

COUNTERPARTIES = """
MATCH (b1:Account {account_id: 'B1'}), (b2:Account {account_id: 'B2'}),
      (a1:Account {account_id: 'A1'}), (a2:Account {account_id: 'A2'})
CREATE (:CounterpartyAccount {account_key: 'P-RETAIL'})-[:SAME_AS]->(b1)
CREATE (:CounterpartyAccount {account_key: 'P-CORPORATE'})-[:SAME_AS]->(b2)
CREATE (:CounterpartyAccount {account_key: 'P-OTHER-BANK'})
CREATE (:CounterpartyAccount {account_key: 'P-A1'})-[:SAME_AS]->(a1)
CREATE (:CounterpartyAccount {account_key: 'P-A2'})-[:SAME_AS]->(a2)
"""

POSTINGS = """
UNWIND $rows AS row
MATCH (a:Account {account_id: row.account_id})
CREATE (a)-[:POSTED]->(t:Transaction {transaction_id: row.id, date: row.date, direction: row.direction,
                                       amount: row.amount, balance: row.balance, sequence: 1})
WITH t, row
MATCH (p:CounterpartyAccount {account_key: row.counterparty})
CREATE (t)-[:WITH_COUNTERPARTY]->(p)
"""

RECORDS = """
MATCH (k1:Customer {customer_id: 'K1'})
CREATE (wealth:Product {product_code: 'W201', name: '稳享理财', category_l1: '理财'})
CREATE (fund:Product {product_code: 'F401', name: '指数基金', category_l1: '基金'})
CREATE (deposit:Product {product_code: 'D101', name: '三个月定期', category_l1: '存款'})
CREATE (k1)-[:HAS_HOLDING]->(:Holding {holding_id: 'H1', balance: 10000.0, start_date: '2026-02-01'})
       -[:OF_PRODUCT]->(wealth)
CREATE (k1)-[:HAS_HOLDING]->(:Holding {holding_id: 'H2', balance: 2500.5, start_date: '2025-06-01'})
       -[:OF_PRODUCT]->(fund)
CREATE (k1)-[:HAS_HOLDING]->(:Holding {holding_id: 'H3', balance: 3000.0, start_date: '2026-03-10'})
       -[:OF_PRODUCT]->(deposit)
CREATE (k1)-[:HAS_HOLDING {valid_to: '2026-03-01'}]->(:Holding {holding_id: 'H4', balance: 99999.0,
                                                                start_date: '2025-01-01'})-[:OF_PRODUCT]->(fund)
CREATE (k1)-[:HAS_CREDIT_LINE]->(:CreditLine {credit_line_id: 'L1', limit_amount: 50000.0, used_amount: 20000.0})
CREATE (k1)-[:HAS_CREDIT_LINE]->(:CreditLine {credit_line_id: 'L2', limit_amount: 9000.0, used_amount: 5000.25})
CREATE (k1)-[:HAS_CREDIT_LINE {valid_to: '2026-01-01'}]->(:CreditLine {credit_line_id: 'L3', used_amount: 7777.0})
CREATE (k1)-[:HAS_CARD]->(:CreditCard {card_id: 'C1', credit_limit: 30000.0, spend_30d: 1234.56})
CREATE (k1)-[:HAS_CARD]->(:CreditCard {card_id: 'C2', credit_limit: 10000.0, spend_30d: 100.0})
"""

EVENTS = """
MATCH (k1:Customer {customer_id: 'K1'})
UNWIND $rows AS row
CREATE (k1)-[link:ACTED_ON]->(:ChannelEvent {event_id: row.id, channel: row.channel, event_type: row.type,
                                             product_code: row.product, event_time: row.time})
SET link.valid_to = row.valid_to
"""

# (id, account, date, direction, amount, balance after, counterparty key or None for cash)
POSTING_ROWS = [
    ("T1", "A1", "2025-12-01", "credit", 100.0, 100.0, None),
    ("T2", "A1", "2026-01-10", "credit", 900.0, 1000.0, None),
    ("T3", "A1", "2026-01-20", "debit", 50.0, 950.0, None),
    ("T4", "A1", "2026-03-05", "credit", 500.0, 1450.0, "P-RETAIL"),
    ("T5", "A1", "2026-03-25", "credit", 200.0, 1650.0, "P-A2"),
    ("T6", "A2", "2026-02-15", "credit", 2000.0, 2000.0, "P-CORPORATE"),
    ("T7", "A2", "2026-03-20", "debit", 300.0, 1700.0, "P-OTHER-BANK"),
    ("T8", "A2", "2026-03-25", "debit", 200.0, 1500.0, "P-A1"),
    ("T9", "A3", "2026-03-01", "credit", 9999.0, 9999.0, None),
]

# (id, channel, event type, product code, ended on)
EVENT_ROWS = [
    ("E1", "MOBILE", "BROWSE", "P1", None),
    ("E2", "MOBILE", "BROWSE", "P2", None),
    ("E3", "WECHAT", "CLICK", "P2", None),
    ("E4", "WECHAT", "CLICK", "P3", None),
    ("E5", "MOBILE", "PURCHASE", "P2", None),
    ("E6", "MOBILE", "LOGIN", None, None),
    ("E7", "ONLINE", "LOGIN", None, None),
    ("E8", "MOBILE", "PURCHASE", "P9", "2026-03-01"),
]


@pytest.fixture
def bank(scratch_store):
    """The graph with K1 and its counterparties, and K0, a retail customer with no data."""
    store = scratch_store
    store.write(OWN_ACCOUNTS)
    store.write(COUNTERPARTIES)
    store.write(
        POSTINGS,
        {
            "rows": [
                {
                    "id": key,
                    "account_id": account,
                    "date": day,
                    "direction": direction,
                    "amount": amount,
                    "balance": balance,
                    "counterparty": counterparty,
                }
                for key, account, day, direction, amount, balance, counterparty in POSTING_ROWS
            ]
        },
    )
    store.write(RECORDS)
    store.write(
        EVENTS,
        {
            "rows": [
                {
                    "id": key,
                    "channel": channel,
                    "type": kind,
                    "product": product,
                    "time": "2026-03-01T10:00:00",
                    "valid_to": ended,
                }
                for key, channel, kind, product, ended in EVENT_ROWS
            ]
        },
    )
    store.write("CREATE (:Customer {customer_id: 'K0', customer_type: 'retail', name: '空客户'})")
    return store


def test_aum_trend_by_month(bank):
    aum = overview_charts(bank, "K1", customer_position(bank, "K1"))["aum"]

    assert aum["months"] == ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert aum["deposits"] == [100.0, 950.0, 2950.0, 3150.0]
    assert aum["holdings"] == [2500.5, 2500.5, 12500.5, 15500.5]
    assert aum["aum"] == [2600.5, 3450.5, 15450.5, 18650.5]


def test_product_share_and_volumes(bank):
    charts = overview_charts(bank, "K1", customer_position(bank, "K1"))

    assert charts["share"] == [
        {"name": "理财", "value": 10000.0, "percent": 53.62},
        {"name": "存款", "value": 6150.0, "percent": 32.97},
        {"name": "基金", "value": 2500.5, "percent": 13.41},
    ]
    assert charts["volumes"] == [
        {"name": "存款余额", "value": 3150.0},
        {"name": "贷款（授信已用额度）", "value": 25000.25},
    ]


def test_fund_flows_by_counterparty_type(bank):
    flows = overview_charts(bank, "K1", customer_position(bank, "K1"))["flows"]

    assert flows["since"] == "2025-12-26"
    assert flows["until"] == "2026-03-25"
    assert flows["rows"] == [
        {"name": "本行个人客户", "incoming": 500.0, "outgoing": 0.0},
        {"name": "本行对公客户", "incoming": 2000.0, "outgoing": 0.0},
        {"name": "他行账户", "incoming": 0.0, "outgoing": 300.0},
        {"name": "现金/其他", "incoming": 900.0, "outgoing": 50.0},
    ]


def test_business_overview_assets_and_liabilities(bank):
    overview = business_overview(customer_position(bank, "K1"))

    assert overview["assets"] == [
        {"name": "理财", "value": 10000.0},
        {"name": "存款", "value": 6150.0},
        {"name": "基金", "value": 2500.5},
    ]
    assert overview["liabilities"] == [
        {"name": "授信已用额度", "value": 25000.25},
        {"name": "信用卡近30天消费", "value": 1334.56},
    ]
    assert overview["total_assets"] == 18650.5
    assert overview["total_liabilities"] == 26334.81
    assert overview["net_assets"] == -7684.31


def test_channel_funnel_and_events_by_channel(bank):
    behaviour = channel_behaviour(bank, "K1")

    assert behaviour["funnel"] == [
        {"stage": "浏览", "products": 3, "rate": None, "overall_rate": 100.0},
        {"stage": "点击", "products": 2, "rate": 66.67, "overall_rate": 66.67},
        {"stage": "购买", "products": 1, "rate": 50.0, "overall_rate": 33.33},
    ]
    assert behaviour["channels"] == {
        "event_types": ["登录", "浏览", "点击", "购买"],
        "rows": [
            {"channel": "手机银行", "events": [1, 2, 0, 1], "total": 4},
            {"channel": "微信银行", "events": [0, 0, 2, 0], "total": 2},
            {"channel": "网上银行", "events": [1, 0, 0, 0], "total": 1},
        ],
    }


def test_customer_without_data_has_empty_charts(bank):
    charts = overview_charts(bank, "K0", customer_position(bank, "K0"))
    overview = business_overview(customer_position(bank, "K0"))
    behaviour = channel_behaviour(bank, "K0")

    assert charts["aum"] == {"months": [], "deposits": [], "holdings": [], "aum": []}
    assert charts["share"] == []
    assert charts["volumes"] == []
    assert charts["flows"]["rows"] == []
    assert overview["assets"] == []
    assert overview["liabilities"] == []
    assert overview["net_assets"] == 0
    assert behaviour["funnel"] == []
    assert behaviour["channels"] == {"event_types": [], "rows": []}


def test_posting_without_balance_left_out(scratch_store, scratch_web_client):
    scratch_store.write(
        "CREATE (c:Customer {customer_id: 'NB1', customer_type: 'retail', name: '缺余额'})"
        "-[:HOLDS {role: 'owner'}]->(a:Account {account_id: '6222000000000009'}), "
        "(a)-[:POSTED]->(:Transaction {transaction_id: 'NB-T1', date: '2026-10-05', amount: 100.0, "
        "direction: 'credit', balance: 100.0}), "
        "(a)-[:POSTED]->(:Transaction {transaction_id: 'NB-T2', date: '2026-11-05', amount: 40.0, "
        "direction: 'debit'})"
    )

    charts = overview_charts(scratch_store, "NB1", customer_position(scratch_store, "NB1"))
    page = scratch_web_client.get("/customers/NB1", query_string={"view": "whole_bank"})

    assert charts["aum"]["months"] == ["2026-10"]
    assert charts["aum"]["deposits"] == [100.0]
    assert page.status_code == 200


def _page(client, customer_id: str) -> str:
    response = client.get(f"/customers/{customer_id}", query_string={"view": "whole_bank"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _json_block(page: str, block_id: str):
    match = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', page, re.S)
    assert match, f"no JSON block {block_id!r} on the page"
    return json.loads(match.group(1))


def _table_rows(page: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table class="data-table" id="{table_id}">(.*?)</table>', page, re.S)
    assert table, f"no table {table_id!r} on the page"
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(1), re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_page_embeds_chart_data(bank, scratch_web_client):
    page = _page(scratch_web_client, "K1")

    assert _json_block(page, "aum-data")["aum"] == [2600.5, 3450.5, 15450.5, 18650.5]
    assert [item["name"] for item in _json_block(page, "share-data")] == ["理财", "存款", "基金"]
    assert _json_block(page, "volume-data")[1] == {"name": "贷款（授信已用额度）", "value": 25000.25}
    assert _json_block(page, "flow-data")[3] == {"name": "现金/其他", "incoming": 900.0, "outgoing": 50.0}
    assert _json_block(page, "balance-sheet-data")["net_assets"] == -7684.31
    assert [stage["products"] for stage in _json_block(page, "funnel-data")] == [3, 2, 1]
    assert _json_block(page, "channel-data")["rows"][0]["total"] == 4
    assert page.count('src="/static/js/customer_charts.js"') == 1


def test_page_table_fallbacks_match_the_charts(bank, scratch_web_client):
    page = _page(scratch_web_client, "K1")

    assert _table_rows(page, "aum-table") == [
        ["2025-12", "100.00", "2,500.50", "2,600.50"],
        ["2026-01", "950.00", "2,500.50", "3,450.50"],
        ["2026-02", "2,950.00", "12,500.50", "15,450.50"],
        ["2026-03", "3,150.00", "15,500.50", "18,650.50"],
    ]
    assert _table_rows(page, "share-table") == [
        ["理财", "10,000.00", "53.62%"],
        ["存款", "6,150.00", "32.97%"],
        ["基金", "2,500.50", "13.41%"],
    ]
    assert _table_rows(page, "volume-table") == [
        ["存款余额", "3,150.00"],
        ["贷款（授信已用额度）", "25,000.25"],
    ]
    assert _table_rows(page, "flow-table") == [
        ["本行个人客户", "500.00", "0.00", "500.00"],
        ["本行对公客户", "2,000.00", "0.00", "2,000.00"],
        ["他行账户", "0.00", "300.00", "-300.00"],
        ["现金/其他", "900.00", "50.00", "850.00"],
    ]
    assert _table_rows(page, "balance-sheet-table") == [
        ["资产", "理财", "10,000.00"],
        ["资产", "存款", "6,150.00"],
        ["资产", "基金", "2,500.50"],
        ["资产", "资产合计", "18,650.50"],
        ["负债", "授信已用额度", "25,000.25"],
        ["负债", "信用卡近30天消费", "1,334.56"],
        ["负债", "负债合计", "26,334.81"],
        ["净资产", "资产合计减负债合计", "-7,684.31"],
    ]
    assert _table_rows(page, "funnel-table") == [
        ["浏览", "3", "—", "100.00%"],
        ["点击", "2", "66.67%", "66.67%"],
        ["购买", "1", "50.00%", "33.33%"],
    ]
    assert _table_rows(page, "channel-table") == [
        ["手机银行", "1", "2", "0", "1", "4"],
        ["微信银行", "0", "0", "2", "0", "2"],
        ["网上银行", "1", "0", "0", "0", "1"],
    ]
    assert len(_table_rows(page, "channel-events-table")) == 7


def test_page_empty_states_without_data(bank, scratch_web_client):
    page = _page(scratch_web_client, "K0")

    for sentence in (
        "已加载的数据中没有该客户名下账户的交易，无法按月计算资产走势。",
        "该客户没有存款余额，也没有持有理财、基金、保险等产品。",
        "该客户没有存款余额，也没有已使用的授信额度。",
        "该客户名下账户在近 90 天的已加载数据中没有资金往来。",
        "该客户没有存款、产品持有、已用授信或信用卡消费。",
        "没有该客户在手机银行、微信银行或网上银行的行为记录。",
    ):
        assert sentence in page
    assert 'data-chart="' not in page
    assert 'type="application/json" id="aum-data"' not in page


def test_funnel_empty_state_with_only_logins(bank, scratch_web_client):
    bank.write(
        "MATCH (k:Customer {customer_id: 'K0'}) "
        "CREATE (k)-[:ACTED_ON]->(:ChannelEvent {event_id: 'E0', channel: 'MOBILE', event_type: 'LOGIN'})"
    )

    page = _page(scratch_web_client, "K0")

    assert "该客户没有浏览、点击或购买产品的记录，无法计算转化率。" in page
    assert 'id="channel-chart"' in page
    assert _table_rows(page, "channel-table") == [["手机银行", "1", "1"]]
