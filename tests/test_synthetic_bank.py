"""The synthetic bank: deterministic, valid codes, planted structures, and a clean load."""

from __future__ import annotations

import json
from datetime import date

import pytest

from graph_model.bookkeeping import graph_statistics
from loaders.feeds.runner import load_feed_folder
from loaders.identity_codes import parse_credit_code, parse_resident_id
from loaders.reference_data import read_divisions
from synthetic.bank import generate_bank
from synthetic.vocabulary import county_divisions, small_industries
from synthetic.writer import write_feed_files
from tests.conftest import SHARED_DATA

BUSINESS_DATE = date(2026, 12, 3)


@pytest.fixture(scope="module")
def reference_lists():
    return county_divisions(SHARED_DATA / "cn-areacodes"), small_industries(
        SHARED_DATA / "cn-industry-gbt4754"
    )


def _bank(reference_lists, customers=300, seed=7):
    divisions, industries = reference_lists
    return generate_bank(
        customers, seed=seed, business_date=BUSINESS_DATE, divisions=divisions, industries=industries
    )


def test_same_seed_same_bank(reference_lists, tmp_path):
    write_feed_files(_bank(reference_lists), tmp_path / "a")
    write_feed_files(_bank(reference_lists), tmp_path / "b")

    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_identity_codes_are_valid(reference_lists):
    bank = _bank(reference_lists)
    known = {row.values["code"] for row in read_divisions(SHARED_DATA / "cn-areacodes") if row.values}

    customers = bank.rows["cbs_retail_customer"]
    companies = bank.rows["cbs_corporate_customer"]
    assert len(customers) == 300
    assert len(companies) == 30
    for customer in customers:
        parse_resident_id(customer["id_number"], known, today=BUSINESS_DATE)
    for company in companies:
        parse_credit_code(company["credit_code"])


def test_balances_follow_postings(reference_lists):
    bank = _bank(reference_lists)
    last_balance = {}
    for posting in bank.rows["cbs_transaction"]:
        last_balance[posting["account_no"]] = posting["balance"]

    for account in bank.rows["cbs_account"]:
        if account["account_no"] in last_balance:
            assert account["balance"] == last_balance[account["account_no"]]
        assert float(account["balance"]) >= 0


def test_planted_structures_are_listed(reference_lists, tmp_path):
    write_feed_files(_bank(reference_lists), tmp_path)
    truth = json.loads((tmp_path / "ground_truth.json").read_text(encoding="utf-8"))
    customers = {row["customer_no"] for row in _bank(reference_lists).rows["cbs_retail_customer"]}

    assert truth["households"]
    assert truth["villages"]
    assert truth["supply_chains"]
    assert all(len(chain) >= 3 for chain in truth["supply_chains"])
    assert all(set(household["members"]) <= customers for household in truth["households"])
    assert truth["hub_counterparties"] == ["UNIONPAY/8888000000000001", "SGCC/9999000000000001"]
    assert [len(circle["members"]) for circle in truth["guarantee_circles"]] == [3, 4, 5, 7]
    assert truth["shareholding_chains"][0]["loop_back_percent"] == 10.0
    assert [group["members"] for group in truth["groups"]] == [
        chain["companies"] for chain in truth["shareholding_chains"]
    ]


def test_generated_feeds_load_without_rejects(reference_lists, scratch_store, tmp_path):
    bank = _bank(reference_lists)
    write_feed_files(bank, tmp_path / "feeds")

    reports = load_feed_folder(
        scratch_store, tmp_path / "feeds", runs_dir=tmp_path / "runs", batch_size=500, max_reject_ratio=0.0
    )

    assert [report.rejects.total for report in reports] == [0] * len(reports)
    nodes = graph_statistics(scratch_store)["nodes"]
    assert nodes["Customer"] == 330
    assert nodes["Account"] == 330
    assert nodes["Transaction"] == len(bank.rows["cbs_transaction"])
    from loaders.feeds.catalogue import FEEDS

    assert {spec.node.label for spec in FEEDS if spec.node is not None} <= set(nodes)
    circle = scratch_store.read(
        "MATCH (a:Customer)-[:GUARANTEES]->(:Guarantee)<-[:HAS_GUARANTEE]-(b:Customer)"
        "-[:GUARANTEES]->(:Guarantee)<-[:HAS_GUARANTEE]-(c:Customer)"
        "-[:GUARANTEES]->(:Guarantee)<-[:HAS_GUARANTEE]-(a) "
        "RETURN count(*) AS rings"
    )
    assert circle[0]["rings"] == 3  # the 3-company ring, found from each of its members
    family_transfer = scratch_store.read(
        "MATCH (:Customer)-[:HOLDS]->(:Account)-[:POSTED]->(t:Transaction {purpose: '生活费', direction: 'debit'})"
        "-[:WITH_COUNTERPARTY]->(:CounterpartyAccount)-[:SAME_AS]->(:Account)<-[:HOLDS]-(:Customer) "
        "RETURN count(t) AS transfers"
    )
    assert family_transfer[0]["transfers"] > 0
