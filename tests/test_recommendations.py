"""Product recommendation (R26): rules matched on the page, best sellers, rule administration, and
opportunities and campaigns created with one click, on a small graph written by hand.

Customer V1 is 60 years old, owns an account of 80,000 and holds W201 for 20,000 (AUM 100,000),
is tagged 银发客群 and clicked G601 on mobile banking. The holdings feed was loaded for business
date 2026-12-03, so the best-seller window runs from 2026-11-04 to 2026-12-03.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from graph_model.bookkeeping import record_load_run
from graph_model.recommendations import best_sellers
from graph_model.users import save_user
from tests.conftest import logged_in_client, page_csrf_token

PASSWORD = "correct-horse-recommend"
BUSINESS_DATE = "2026-12-03"

PRODUCTS = [
    ("D101", "三个月定期", "存款", "定期存款", "R1"),
    ("W201", "稳享理财30天", "理财", "固定收益类", "R2"),
    ("W202", "安鑫一年期理财", "理财", "固定收益类", "R2"),
    ("W301", "权益精选理财", "理财", "权益类", "R4"),
    ("I502", "百万医疗险", "保险", "人身险", "R1"),
    ("F401", "沪深300指数基金", "基金", "指数基金", "R4"),
    ("G601", "积存金", "贵金属", "黄金", "R3"),
]
#: Holdings of other customers: (product, start date, balance, customer type).
SALES = [
    ("W301", "2026-11-10", 10_000.0, "retail"),
    ("W301", "2026-11-10", 10_000.0, "retail"),
    ("W301", "2026-12-03", 10_000.0, "retail"),
    ("D101", "2026-11-20", 20_000.0, "retail"),
    ("D101", "2026-11-21", 20_000.0, "retail"),
    ("D101", "2026-11-22", 10_000.0, "retail"),
    ("G601", "2026-11-05", 5_000.0, "retail"),
    ("G601", "2026-11-06", 5_000.0, "retail"),
    ("G601", "2026-11-03", 5_000.0, "retail"),
    ("G601", "2026-10-01", 5_000.0, "retail"),
    ("W201", "2026-11-15", 1_000.0, "retail"),
    ("W201", "2026-11-16", 1_000.0, "retail"),
    ("W201", "2026-11-17", 1_000.0, "retail"),
    ("W201", "2026-11-18", 1_000.0, "retail"),
    ("I502", "2026-11-20", 3_000.0, "corporate"),
    ("F401", "2026-11-04", 2_000.0, "retail"),
    ("F401", "2026-12-04", 2_000.0, "retail"),
]

CUSTOMER = """
CREATE (c:Customer {customer_id: 'V1', customer_type: 'retail', name: '吴一', birth_date: $birth_date}),
       (c)-[:HOLDS {role: 'owner'}]->(:Account {account_id: '6228480000000009', account_type: 'savings',
                                               currency: 'CNY', balance: 80000.0, product_code: 'D001'}),
       (c)-[:TAGGED {tag_source: 'system'}]->(:Tag {tag_code: 'T_AGE_SENIOR', name: '银发客群', category: '人口属性'}),
       (c)-[:ACTED_ON]->(:ChannelEvent {event_id: 'EV1', channel: 'MOBILE', event_type: 'CLICK', product_code: 'G601'})
"""
PRODUCT = """
UNWIND $rows AS row
CREATE (p:Product {product_code: row[0], name: row[1], category_l1: row[2], category_l2: row[3], risk_level: row[4]})
"""
OWN_HOLDING = """
MATCH (c:Customer {customer_id: 'V1'}), (p:Product {product_code: 'W201'})
CREATE (c)-[:HAS_HOLDING]->(h:Holding {holding_id: 'HV1', product_code: 'W201', balance: 20000.0, start_date: '2025-06-01'})
CREATE (h)-[:OF_PRODUCT]->(p)
"""
OTHER_HOLDINGS = """
UNWIND range(0, size($sales) - 1) AS i
WITH i, $sales[i] AS sale
MATCH (p:Product {product_code: sale[0]})
CREATE (c:Customer {customer_id: 'S' + toString(i), customer_type: sale[3]})
CREATE (c)-[:HAS_HOLDING]->(h:Holding {holding_id: 'HS' + toString(i), product_code: sale[0], start_date: sale[1], balance: sale[2]})
CREATE (h)-[:OF_PRODUCT]->(p)
"""


@pytest.fixture
def app_and_store(scratch_store, scratch_settings):
    store = scratch_store
    today = date.today()
    store.write(PRODUCT, {"rows": [list(row) for row in PRODUCTS]})
    store.write(CUSTOMER, {"birth_date": date(today.year - 60, 1, 1).isoformat()})
    store.write(OWN_HOLDING)
    store.write(OTHER_HOLDINGS, {"sales": [list(sale) for sale in SALES]})
    record_load_run(
        store,
        {
            "run_id": "run-holdings",
            "source": "wm_holding",
            "status": "loaded",
            "business_date": BUSINESS_DATE,
        },
    )
    store.write("CREATE (:Branch {branch_code: '0200', name: '第2分行', level: 'BRANCH'})")
    users = {
        "hom_rec": ("head_office_manager", None),
        "hoa_rec": ("head_office_analyst", None),
        "admin_rec": ("admin", None),
        "bm_rec": ("branch_manager", "0200"),
    }
    for username, (role, branch) in users.items():
        save_user(store, username, generate_password_hash(PASSWORD), username, role, branch_code=branch)
    return create_app(scratch_settings, {"TESTING": True}), store


def _client(app, username: str):
    return logged_in_client(app, username, PASSWORD)


def _module(client) -> str:
    return _r26(client.get("/customers/V1", query_string={"view": "branch"}).get_data(as_text=True))


def _r26(page: str) -> str:
    return re.search(r'<section class="panel" id="module-R26".*?</section>', page, re.S).group(0)


def _table_codes(module: str, table_id: str) -> list[str]:
    table = re.search(rf'<table class="data-table" id="{table_id}">.*?</table>', module, re.S)
    return (
        re.findall(r'<td>[^<]+ <span class="muted">([A-Z0-9]+)</span></td>', table.group(0)) if table else []
    )


def _offers(store) -> list[dict]:
    return store.read(
        "MATCH (o)-[:TARGETS]->(:Customer {customer_id: 'V1'}), (o)-[:OFFERS]->(p:Product) "
        "RETURN labels(o)[0] AS label, p.product_code AS product, o.status AS status, o.source AS source, "
        "o.source_rule_id AS rule, o.created_by AS created_by ORDER BY label, product"
    )


def _audit(store, actions: list[str]) -> list[dict]:
    return store.read(
        "MATCH (e:AuditEvent) WHERE e.action IN $actions "
        "RETURN e.action AS action, e.subject AS subject, e.before AS before, e.after AS after, "
        "e.detail AS detail, e.customer_id AS customer ORDER BY e.at",
        {"actions": actions},
    )


def test_rules_match_customer(app_and_store):
    app, _store = app_and_store

    module = _module(_client(app, "hom_rec"))

    assert _table_codes(module, "matched-products-table") == ["W202", "I502", "D101", "G601"]
    assert "<strong>银发客群稳健理财</strong>：客户年龄在55岁及以上" in module
    assert "推荐依据：年龄 60 岁，资产（AUM）100,000.00 元，标签 银发客群。" in module
    assert "尚未为该客户创建商机或营销活动" in module


def test_best_sellers_window_and_order(app_and_store):
    app, store = app_and_store

    counts = {
        row["product_code"]: (row["new_holdings"], row["amount"])
        for row in best_sellers(store, customer_type="retail", since="2026-11-04", until=BUSINESS_DATE)
    }
    module = _module(_client(app, "hom_rec"))

    assert counts == {
        "W301": (3, 30000.0),
        "D101": (3, 50000.0),
        "G601": (2, 10000.0),
        "W201": (4, 4000.0),
        "F401": (1, 2000.0),
    }
    assert _table_codes(module, "best-sellers-table") == ["D101", "W301", "G601", "F401"]
    assert "统计区间：2026-11-04 至 2026-12-03" in module


def test_nothing_to_recommend_says_why(app_and_store):
    app, store = app_and_store
    store.write("MATCH (r:LoadRun) DELETE r")
    admin = _client(app, "admin_rec")
    admin.get("/admin/recommendations")
    store.write("MATCH (r:RecommendationRule) SET r.enabled = false")

    module = _module(_client(app, "hom_rec"))

    assert (
        '<p class="empty-state">暂无可推荐的产品：管理员尚未启用任何推荐规则。产品持有数据尚未加载，无法统计热销产品。</p>'
        in module
    )


def test_create_opportunity_once_audited(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_rec")
    token = page_csrf_token(client)
    form = {"csrf_token": token, "product_code": "W202", "kind": "opportunity"}

    created = client.post("/customers/V1/offers", data=form, follow_redirects=True)
    again = client.post("/customers/V1/offers", data=form, follow_redirects=True)
    campaign = client.post(
        "/customers/V1/offers",
        data=form | {"kind": "campaign", "product_code": "F401"},
        follow_redirects=True,
    )
    module = _module(client)

    assert '<p class="notice" role="status">已创建销售商机：向该客户推荐“安鑫一年期理财”。</p>' in _r26(
        created.get_data(as_text=True)
    )
    assert (
        '<p class="alert" role="status">该客户已有“安鑫一年期理财”的进行中销售商机，不能重复创建。</p>'
        in _r26(again.get_data(as_text=True))
    )
    assert "已创建营销活动：向该客户推荐“沪深300指数基金”。" in _r26(campaign.get_data(as_text=True))
    assert _offers(store) == [
        {"label": "Campaign", "product": "F401", "status": "open", "source": "best_seller", "rule": None,
         "created_by": "hom_rec"},
        {"label": "SalesOpportunity", "product": "W202", "status": "open", "source": "rule",
         "rule": "senior_steady_wealth", "created_by": "hom_rec"},
    ]  # fmt: skip
    assert _table_codes(module, "open-offers-table") == ["F401", "W202"]
    assert '<span class="offer-pending">商机跟进中</span>' in module
    events = _audit(store, ["create_opportunity", "create_campaign"])
    opportunity_id = store.read("MATCH (o:SalesOpportunity) RETURN o.opportunity_id AS id")[0]["id"]
    assert [event["action"] for event in events] == ["create_opportunity", "create_campaign"]
    assert events[0] == {
        "action": "create_opportunity",
        "subject": "customer:V1",
        "before": None,
        "after": "产品：安鑫一年期理财（W202）；来源：推荐规则“银发客群稳健理财”",
        "detail": opportunity_id,
        "customer": "V1",
    }
    assert events[1]["after"] == "产品：沪深300指数基金（F401）；来源：近30天热销"


def test_offer_of_unrecommended_product_rejected(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_rec")
    token = page_csrf_token(client)

    held = client.post(
        "/customers/V1/offers", data={"csrf_token": token, "product_code": "W201", "kind": "opportunity"},
        follow_redirects=True,
    )  # fmt: skip
    bad_kind = client.post(
        "/customers/V1/offers", data={"csrf_token": token, "product_code": "W202", "kind": "lead"},
        follow_redirects=True,
    )  # fmt: skip
    without_token = client.post("/customers/V1/offers", data={"product_code": "W202", "kind": "opportunity"})

    assert "该产品已不在此客户的推荐列表中" in _r26(held.get_data(as_text=True))
    assert "请求内容无效，请刷新页面后重试。" in _r26(bad_kind.get_data(as_text=True))
    assert without_token.status_code == 400
    assert _offers(store) == []


@pytest.mark.parametrize("username", ["hoa_rec", "admin_rec", "bm_rec"])
def test_offer_forbidden_without_maintain_or_scope(app_and_store, username):
    app, store = app_and_store
    client = _client(app, username)

    response = client.post(
        "/customers/V1/offers",
        data={"csrf_token": page_csrf_token(client), "product_code": "W202", "kind": "opportunity"},
    )

    assert response.status_code == 403
    assert _offers(store) == []


def test_buttons_only_for_maintainers(app_and_store):
    app, _store = app_and_store

    analyst_module = _module(_client(app, "hoa_rec"))
    manager_module = _module(_client(app, "hom_rec"))

    assert _table_codes(analyst_module, "matched-products-table") == ["W202", "I502", "D101", "G601"]
    assert 'class="offer-form"' not in analyst_module
    assert manager_module.count('class="offer-form"') == 16


def test_admin_adds_rule_audited(app_and_store):
    app, store = app_and_store
    admin = _client(app, "admin_rec")
    token = page_csrf_token(admin, "/admin/recommendations")
    form = {
        "csrf_token": token, "rule_id": "gold_for_seniors", "name": "银发积存金", "priority": "5",
        "enabled": "1", "min_age": "50", "min_aum": "80,000", "max_aum": "500000",
        "required_tags": "银发客群", "product_codes": ["G601", "F401"], "max_risk_level": "R3",
        "reason": "资产稳健的银发客户：可配置少量黄金。",
    }  # fmt: skip

    response = admin.post("/admin/recommendations/new", data=form)
    again = admin.post("/admin/recommendations/new", data=form)
    module = _module(_client(app, "hom_rec"))

    assert response.status_code == 302
    assert again.status_code == 400
    assert store.read("MATCH (r:RecommendationRule {rule_id: 'gold_for_seniors'}) RETURN count(r) AS n") == [
        {"n": 1}
    ]
    rule = store.read("MATCH (r:RecommendationRule {rule_id: 'gold_for_seniors'}) RETURN r {.*} AS rule")[0][
        "rule"
    ]
    assert {name: rule.get(name) for name in ("min_age", "max_age", "min_aum", "max_aum", "product_codes")} == {
        "min_age": 50, "max_age": None, "min_aum": 80000.0, "max_aum": 500000.0, "product_codes": ["G601", "F401"],
    }  # fmt: skip
    assert _table_codes(module, "matched-products-table") == ["G601", "W202", "I502", "D101"]
    assert "<strong>银发积存金</strong>：资产稳健的银发客户：可配置少量黄金。" in module
    assert _audit(store, ["create_recommendation_rule"]) == [
        {
            "action": "create_recommendation_rule",
            "subject": "recommendation_rule:gold_for_seniors",
            "before": None,
            "after": "银发积存金（启用，优先级 5）：适用 年龄 50 岁及以上；资产（AUM）不低于 80,000 元；"
            "资产（AUM）低于 500,000 元；带有标签 银发客群；推荐 积存金（G601）、沪深300指数基金（F401），"
            "风险等级不高于 R3；理由：资产稳健的银发客户：可配置少量黄金。",
            "detail": None,
            "customer": None,
        }
    ]


def test_admin_edit_validated(app_and_store):
    app, store = app_and_store
    admin = _client(app, "admin_rec")
    token = page_csrf_token(admin, "/admin/recommendations")
    before = store.read(
        "MATCH (r:RecommendationRule {rule_id: 'senior_steady_wealth'}) RETURN r {.*} AS rule"
    )

    response = admin.post(
        "/admin/recommendations/senior_steady_wealth",
        data={"csrf_token": token, "name": "银发理财", "min_age": "70", "max_age": "60", "min_aum": "-1",
              "required_tags": "银发客群、不存在的标签", "product_category": "外汇", "reason": ""},
    )  # fmt: skip
    errors = re.findall(r'<p class="field-error" role="alert">([^<]+)</p>', response.get_data(as_text=True))

    assert response.status_code == 400
    assert errors == [
        "最高年龄不能小于最低年龄。",
        "资产下限须为 0 至 1,000,000,000,000 元之间的金额，最多两位小数。",
        "标签体系中没有这些标签：不存在的标签。请从表单中列出的标签里选择。",
        "产品目录中没有名为“外汇”的类别，请从下拉提示中选择。",
        "请填写向客户经理展示的推荐理由（不超过 200 个字）。",
    ]
    after = store.read("MATCH (r:RecommendationRule {rule_id: 'senior_steady_wealth'}) RETURN r {.*} AS rule")
    assert after == before
    assert _audit(store, ["update_recommendation_rule"]) == []


def test_admin_edit_and_disable_audited(app_and_store):
    app, store = app_and_store
    admin = _client(app, "admin_rec")
    token = page_csrf_token(admin, "/admin/recommendations")

    edited = admin.post(
        "/admin/recommendations/insurance_gap",
        data={"csrf_token": token, "name": "保障缺口", "priority": "30", "enabled": "1", "min_age": "25",
              "max_age": "59", "product_category": "保险", "reason": "补齐保障。"},
    )  # fmt: skip
    disabled = admin.post(
        "/admin/recommendations/senior_steady_wealth/enabled", data={"csrf_token": token, "enabled": "0"}
    )
    module = _module(_client(app, "hom_rec"))

    assert (edited.status_code, disabled.status_code) == (302, 302)
    assert _table_codes(module, "matched-products-table") == ["D101", "G601"]
    events = _audit(store, ["update_recommendation_rule", "disable_recommendation_rule"])
    assert [(event["action"], event["subject"]) for event in events] == [
        ("update_recommendation_rule", "recommendation_rule:insurance_gap"),
        ("disable_recommendation_rule", "recommendation_rule:senior_steady_wealth"),
    ]
    assert events[0]["before"].startswith("保障缺口补齐（启用，优先级 30）：适用 年龄 25 至 60 岁；")
    assert (
        events[0]["after"]
        == "保障缺口（启用，优先级 30）：适用 年龄 25 至 59 岁；推荐 “保险”类产品；理由：补齐保障。"
    )
    assert (events[1]["before"], events[1]["after"]) == ("启用", "停用")
    built_in = store.read(
        "MATCH (r:RecommendationRule {rule_id: 'insurance_gap'}) RETURN r.built_in AS built_in"
    )
    assert built_in == [{"built_in": True}]


def test_rule_admin_only(app_and_store):
    app, _store = app_and_store
    manager = _client(app, "hom_rec")

    listing = manager.get("/admin/recommendations")
    switch = manager.post(
        "/admin/recommendations/senior_steady_wealth/enabled",
        data={"csrf_token": page_csrf_token(manager), "enabled": "0"},
    )

    assert (listing.status_code, switch.status_code) == (403, 403)


def test_retired_product_shown_on_edit(app_and_store):
    app, store = app_and_store
    admin = _client(app, "admin_rec")
    admin.get("/admin/recommendations")
    store.write(
        "MATCH (r:RecommendationRule {rule_id: 'wealth_preference'}) SET r.product_codes = ['X99', 'W202']"
    )

    form = admin.get("/admin/recommendations/wealth_preference").get_data(as_text=True)

    assert '<input type="checkbox" name="product_codes" value="W202" checked>' in form
    assert (
        '<input type="checkbox" name="product_codes" value="X99" checked> X99 '
        '<span class="error-text">产品目录中已无此产品，请取消勾选</span>' in form
    )
