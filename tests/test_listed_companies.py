"""Listed companies, their top-ten shareholders and executives from the real public data."""

from __future__ import annotations

import pytest

from graph_model.bookkeeping import graph_statistics
from loaders.listed_companies import (
    company_id_for_stock,
    holder_kind,
    institution_of_own_account,
    load_executives,
    load_top_holders,
)
from loaders.rejects import RowRejected
from tests.conftest import SHARED_DATA

HOLDERS_DIR = SHARED_DATA / "cn-a-share-top10-holders"
EXECUTIVES_DIR = SHARED_DATA / "cn-a-share-executives-kg"


@pytest.fixture(scope="module")
def corporate_store(base_settings, berka_store, tmp_path_factory):
    from graph_model.store import open_store

    settings = base_settings.with_overrides(graph_name="c360_test_corporate")
    store = open_store(settings)
    store.delete_graph()
    runs_dir = tmp_path_factory.mktemp("corporate-runs")
    holders = load_top_holders(store, HOLDERS_DIR, runs_dir=runs_dir, batch_size=1000)
    executives = load_executives(store, EXECUTIVES_DIR, runs_dir=runs_dir, batch_size=1000)
    yield store, holders, executives
    store.delete_graph()
    store.close()


@pytest.mark.parametrize(
    ("code", "expected"), [("1", "stock:000001"), ("000001.SZ", "stock:000001"), ("601058", "stock:601058")]
)
def test_stock_codes_are_padded(code, expected):
    assert company_id_for_stock(code) == expected


def test_bad_stock_code_is_rejected():
    with pytest.raises(RowRejected):
        company_id_for_stock("ABC")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("周建新", "person"),
        ("中国平安保险(集团)股份有限公司", "organisation"),
        ("南方基金-农业银行-南方中证金融资产管理计划", "fund_product"),
        ("中央汇金资产管理有限责任公司", "organisation"),
        ("全国社保基金一零八组合", "fund_product"),
    ],
)
def test_holder_kind_by_name(name, kind):
    assert holder_kind(name) == kind


def test_own_funds_account_is_the_institution():
    assert (
        institution_of_own_account("中国平安保险(集团)股份有限公司-集团本级-自有资金")
        == "中国平安保险(集团)股份有限公司"
    )
    assert institution_of_own_account("中国平安人寿保险股份有限公司-传统-普通保险产品") == (
        "中国平安人寿保险股份有限公司-传统-普通保险产品"
    )


def test_every_holding_row_loads(corporate_store):
    _store, holders, _executives = corporate_store

    assert holders.loaded["listed_company"] == 3362
    assert holders.loaded["shareholding"] == 7364
    assert holders.rejects.total == 0


def test_ping_an_bank_largest_holder(corporate_store):
    store, _holders, _executives = corporate_store

    rows = store.read(
        "MATCH (h)-[s:HOLDS_SHARES {period_end: '2017-12-31'}]->(c:Company {company_id: 'stock:000001'}) "
        "RETURN h.name AS holder, s.ratio_percent AS ratio ORDER BY ratio DESC LIMIT 1"
    )

    assert rows == [{"holder": "中国平安保险(集团)股份有限公司", "ratio": 49.56}]


def test_executive_roles_meet_holdings_companies(corporate_store):
    store, _holders, executives = corporate_store

    rows = store.read(
        "MATCH (p:Person {name: '杜玉岱'})-[r:SERVES_AS]->(c:Company {company_id: 'stock:601058'}) "
        "RETURN r.roles AS roles, p.gender AS gender, p.age AS age"
    )

    assert executives.loaded["executive"] == 20872
    assert executives.loaded["executive_role"] == 24775
    assert rows == [{"roles": ["董事长", "董事"], "gender": "M", "age": 58}]


def test_reload_changes_no_count(corporate_store, tmp_path):
    store, _holders, _executives = corporate_store
    before = graph_statistics(store)

    load_top_holders(store, HOLDERS_DIR, runs_dir=tmp_path, batch_size=1000)
    load_executives(store, EXECUTIVES_DIR, runs_dir=tmp_path, batch_size=1000)

    after = graph_statistics(store)
    assert after["nodes"] == before["nodes"]
    assert after["relationships"] == before["relationships"]
