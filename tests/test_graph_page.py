"""The knowledge graph page: depth, filters, expansion, hub grouping and paths, on the real engine.

The small graph is written by hand. Branch 0101 has manager M1 (grid G1); M9 works at branch
0201. Customers A, B, C, E, F, G and the chain H1–H4 are managed by M1, and D by M9. A
relationship manager with M1's record may open all of them but D.

    A and B hold account ACC-AB together.  A -family-> C -supplies-> E -family-> F -> H1 -> ... -> H4
    A -regular_payee-> counterparty account CP-1.  B -manual 同学-> D -family-> G

A second graph has a hub: customer HUB with 5,000 counterparty accounts, linked to FOCUS and
to NEXT, which has three neighbours of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from app.access import reference
from graph_model import links as link_repository
from graph_model.graph_explore import MAX_PATH_LENGTH, neighbourhoods
from graph_model.scope import WHOLE_BANK
from graph_model.store import open_store
from graph_model.users import save_user
from tests.conftest import logged_in_client
from tests.processes import free_port, stop_process, wait_for_port

PASSWORD = "correct-horse-graph"
HUB_COUNTERPARTIES = 5_000

ORGANISATION = """
CREATE (:Branch {branch_code: '0101', name: '第1支行', level: 'SUB_BRANCH'}),
       (:Branch {branch_code: '0201', name: '第2支行', level: 'SUB_BRANCH'}),
       (:Manager {manager_id: 'M1', name: '经理一', branch_code: '0101', grid_code: 'G1'}),
       (:Manager {manager_id: 'M9', name: '经理九', branch_code: '0201', grid_code: 'G9'})
"""

CUSTOMERS = """
UNWIND $rows AS row
MATCH (m:Manager {manager_id: row.manager})
CREATE (c:Customer {customer_id: row.customer_id, customer_type: 'retail', name: row.name,
                    open_branch: m.branch_code})
CREATE (c)-[:MANAGED_BY {role: 'primary'}]->(m)
"""

JOINT_ACCOUNT = """
MATCH (a:Customer {customer_id: 'A'}), (b:Customer {customer_id: 'B'})
CREATE (acc:Account {account_id: '6228480000000012', account_type: 'savings', currency: 'CNY'})
CREATE (a)-[:HOLDS {role: 'owner'}]->(acc), (b)-[:HOLDS {role: 'authorised'}]->(acc)
"""

COUNTERPARTY = """
CREATE (:CounterpartyAccount {account_key: '0300/9876543210', bank_code: '0300', account_number: '9876543210'})
"""

MANUAL_LINK = """
MATCH (b:Customer {customer_id: 'B'}), (d:Customer {customer_id: 'D'})
CREATE (b)-[:RELATED_TO {link_type: 'manual', origin: 'manual', relation: '同学', confidence: 1.0,
                         updated_by: 'rm', updated_at: '2026-01-05T08:00:00+00:00'}]->(d)
"""

#: (source, target, link_type, confidence) of the mined links between customers.
MINED_LINKS = [
    ("A", "C", "family", 0.9),
    ("C", "E", "supplies", 0.7),
    ("E", "F", "family", 0.8),
    ("D", "G", "family", 0.6),
    ("F", "H1", "regular_transfer", 0.5),
    ("H1", "H2", "regular_transfer", 0.5),
    ("H2", "H3", "regular_transfer", 0.5),
    ("H3", "H4", "regular_transfer", 0.5),
]

NAMES = {
    "A": "甲客户",
    "B": "乙客户",
    "C": "丙客户",
    "D": "丁客户",
    "E": "戊客户",
    "F": "己客户",
    "G": "庚客户",
    "H1": "链一",
    "H2": "链二",
    "H3": "链三",
    "H4": "链四",
    "Z": "孤立客户",
}


def _mined(source: str, target: str, link_type: str, confidence: float) -> dict:
    props = {"origin": "mined", "miner": "flows", "run_id": "run-1", "confidence": confidence}
    return {"source": source, "target": target, "link_type": link_type, "props": props}


@pytest.fixture
def bank(scratch_store, scratch_settings):
    store = scratch_store
    store.write(ORGANISATION)
    rows = [
        {"customer_id": key, "name": name, "manager": "M9" if key == "D" else "M1"}
        for key, name in NAMES.items()
    ]
    store.write(CUSTOMERS, {"rows": rows})
    store.write(JOINT_ACCOUNT)
    store.write(COUNTERPARTY)
    store.write(MANUAL_LINK)
    link_repository.upsert_links(
        store, [_mined(*link) for link in MINED_LINKS], target_label="Customer", batch_size=50
    )
    link_repository.upsert_links(
        store,
        [_mined("A", "0300/9876543210", "regular_payee", 0.6)],
        target_label="CounterpartyAccount",
        batch_size=50,
    )
    save_user(store, "hq", generate_password_hash(PASSWORD), "总行用户", "head_office_manager")
    save_user(
        store, "rm", generate_password_hash(PASSWORD), "客户经理", "relationship_manager",
        branch_code="0101", manager_id="M1",
    )  # fmt: skip
    return create_app(scratch_settings, {"TESTING": True}), store


def _client(app, username: str):
    return logged_in_client(app, username, PASSWORD)


def _customers(graph: dict) -> set[str]:
    return {
        node["id"].removeprefix("customer:") for node in graph["nodes"] if node["id"].startswith("customer:")
    }


def _kinds(graph: dict) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for node in graph["nodes"]:
        kind = node["id"].split(":", 1)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def _audit_rows(store, action: str) -> list[dict]:
    rows = store.read(
        "MATCH (e:AuditEvent {action: $action}) RETURN e {.*} AS event ORDER BY e.at", {"action": action}
    )
    return [row["event"] for row in rows]


def test_depth_one_and_two_node_sets(bank):
    app, _store = bank
    client = _client(app, "hq")

    depth_1 = client.get("/customers/A/graph.json?depth=1").get_json()
    depth_2 = client.get("/customers/A/graph.json?depth=2").get_json()
    depth_3 = client.get("/customers/A/graph.json?depth=3").get_json()

    assert _customers(depth_1) == {"A", "B", "C"}
    assert _kinds(depth_1) == {"customer": 3, "account": 1, "counterparty": 1}
    assert _customers(depth_2) == {"A", "B", "C", "D", "E"}
    assert _kinds(depth_2) == {"customer": 5, "account": 1, "counterparty": 1}
    assert _customers(depth_3) == {"A", "B", "C", "D", "E", "F", "G"}
    assert depth_1["nodes"][0]["id"] == "customer:A"
    assert depth_1["truncated"] is False


def test_expanded_customers_are_marked(bank):
    app, _store = bank
    client = _client(app, "hq")

    graph = client.get("/customers/A/graph.json?depth=1").get_json()

    expanded = {node["id"] for node in graph["nodes"] if node.get("expanded")}
    assert expanded == {"customer:A"}
    expandable = {
        node["id"]: node.get("expand") for node in graph["nodes"] if node["id"].startswith("customer:")
    }
    assert expandable["customer:C"] == "/customers/C/graph/neighbours.json"


def test_filter_choices_follow_drawn_links(bank):
    app, _store = bank
    client = _client(app, "hq")

    depth_1 = client.get("/customers/A/graph.json?depth=1").get_json()["filters"]
    depth_2 = client.get("/customers/A/graph.json?depth=2").get_json()["filters"]

    assert {choice["value"] for choice in depth_1["link_types"]} == {"holds", "family", "regular_payee"}
    assert [choice["value"] for choice in depth_1["origins"]] == ["system", "mined"]
    assert {choice["value"] for choice in depth_2["link_types"]} == {
        "holds",
        "family",
        "regular_payee",
        "supplies",
        "manual",
    }
    assert [choice["label"] for choice in depth_2["origins"]] == ["系统", "挖掘", "手工"]


def test_edges_carry_type_and_origin(bank):
    app, _store = bank
    client = _client(app, "hq")

    edges = client.get("/customers/A/graph.json?depth=2").get_json()["edges"]

    by_type = {edge.get("link_type"): edge for edge in edges}
    assert by_type["holds"]["origin"] == "system"
    assert by_type["manual"]["origin"] == "manual"
    assert by_type["family"]["origin"] == "mined"
    assert "置信度：0.90" in by_type["family"]["title"]
    assert by_type["family"]["review"] == {
        "source": "A",
        "target": "C",
        "link_type": "family",
        "status": None,
    }
    assert len({edge["id"] for edge in edges}) == len(edges)


def test_invalid_depth_rejected(bank):
    app, _store = bank
    client = _client(app, "hq")

    response = client.get("/customers/A/graph.json?depth=4")

    assert response.status_code == 400
    assert "深度" in response.get_json()["message"]
    assert client.get("/customers/A/graph?depth=x").status_code == 400


def test_out_of_scope_neighbour_anonymous(bank):
    app, _store = bank
    client = _client(app, "rm")

    graph = client.get("/customers/A/graph.json?depth=3").get_json()

    assert "D" not in _customers(graph)
    assert "G" not in _customers(graph)
    hidden = [node for node in graph["nodes"] if node["id"].startswith("hidden:")]
    assert [node["label"] for node in hidden] == ["无权查看的客户"]
    assert "url" not in hidden[0]
    assert "expand" not in hidden[0]
    assert NAMES["D"] not in repr(graph)
    assert "6228480000000012" not in repr(graph)
    assert any(node["label"] == "账户 622848******0012" for node in graph["nodes"])


def test_expansion_adds_neighbours(bank):
    app, store = bank
    client = _client(app, "hq")

    graph = client.get("/customers/E/graph/neighbours.json").get_json()

    assert _customers(graph) == {"E", "C", "F"}
    assert {node["id"]: node.get("expanded") for node in graph["nodes"]}["customer:E"] is True
    views = [event for event in _audit_rows(store, "view_customer") if event["customer_id"] == "E"]
    assert [event["detail"] for event in views] == ["R03"]


def test_expansion_out_of_scope_refused_and_audited(bank):
    app, store = bank
    client = _client(app, "rm")

    response = client.get("/customers/D/graph/neighbours.json")

    assert response.status_code == 403
    assert response.get_json() == {"message": "您无权查看或操作该客户的信息。"}
    refusals = _audit_rows(store, "access_refused")
    assert [(event["customer_id"], event["detail"], event["user"]) for event in refusals] == [
        ("D", "graph", "rm")
    ]


def test_graph_page_renders_and_is_audited(bank):
    app, store = bank
    client = _client(app, "hq")

    page = client.get("/customers/A/graph").get_data(as_text=True)
    customer_page = client.get("/customers/A").get_data(as_text=True)

    assert 'id="graph-canvas"' in page
    assert "js/graph_page.js" in page
    assert 'id="link-review"' in page
    assert "在独立页面中打开图谱" in customer_page
    assert 'href="/customers/A/graph"' in customer_page
    details = [
        event["detail"] for event in _audit_rows(store, "view_customer") if event["customer_id"] == "A"
    ]
    assert details[0] == "R03"


def test_graph_page_out_of_scope_refused(bank):
    app, store = bank
    client = _client(app, "rm")

    assert client.get("/customers/D/graph").status_code == 403
    assert client.get("/customers/D/graph.json").status_code == 403
    assert [event["detail"] for event in _audit_rows(store, "access_refused")] == ["page", "graph"]


def test_review_panel_only_for_reviewers(bank, scratch_settings):
    app, store = bank
    save_user(store, "analyst", generate_password_hash(PASSWORD), "分析员", "head_office_analyst")
    client = _client(app, "analyst")

    page = client.get("/customers/A/graph").get_data(as_text=True)

    assert 'id="link-review"' not in page


def test_path_finds_exact_sequence(bank):
    app, store = bank
    client = _client(app, "hq")

    answer = client.get("/customers/A/graph/path.json?target=F").get_json()

    assert answer["found"] is True
    assert answer["path"] == ["customer:A", "customer:C", "customer:E", "customer:F"]
    assert answer["message"] == "已找到最短路径，共 3 步。"
    path_edges = [edge for edge in answer["edges"] if edge["id"] in answer["path_edges"]]
    assert [edge["link_type"] for edge in path_edges] == ["family", "supplies", "family"]
    views = [event for event in _audit_rows(store, "view_customer") if event["customer_id"] == "F"]
    assert [event["detail"] for event in views] == ["R03"]


def test_path_through_shared_account_and_manual_link(bank):
    app, _store = bank
    client = _client(app, "hq")

    answer = client.get("/customers/A/graph/path.json?target=G").get_json()

    account = next(node["id"] for node in answer["nodes"] if node["id"].startswith("account:"))
    assert answer["path"] == ["customer:A", account, "customer:B", "customer:D", "customer:G"]


def test_path_draws_out_of_scope_customer_anonymous(bank):
    app, _store = bank
    client = _client(app, "rm")

    answer = client.get("/customers/A/graph/path.json?target=G").get_json()

    assert answer["found"] is True
    assert answer["path"][0] == "customer:A"
    assert answer["path"][2] == "customer:B"
    assert answer["path"][3].startswith("hidden:")
    assert answer["path"][4] == "customer:G"
    assert NAMES["D"] not in repr(answer)


def test_path_within_bound_only(bank):
    app, _store = bank
    client = _client(app, "hq")

    at_bound = client.get("/customers/A/graph/path.json?target=H3").get_json()
    beyond = client.get("/customers/A/graph/path.json?target=H4").get_json()
    isolated = client.get("/customers/A/graph/path.json?target=Z").get_json()

    assert len(at_bound["path"]) == MAX_PATH_LENGTH + 1
    assert beyond == {
        "found": False,
        "message": f"在 {MAX_PATH_LENGTH} 步以内未找到两位客户之间的关联路径（不经过已否决的关系）。",
    }
    assert isolated["found"] is False


def test_path_skips_rejected_links(bank):
    app, store = bank
    store.write(
        "MATCH (:Customer {customer_id: 'C'})-[r:RELATED_TO {link_type: 'supplies'}]->(:Customer {customer_id: 'E'}) "
        "SET r.review_status = 'rejected'"
    )
    client = _client(app, "hq")

    answer = client.get("/customers/A/graph/path.json?target=F").get_json()
    graph = client.get("/customers/A/graph.json?depth=2").get_json()

    assert answer["found"] is False
    assert "E" not in _customers(graph)


@pytest.mark.parametrize(
    ("target", "status", "message"),
    [
        ("", 400, "请输入对方客户号。"),
        ("A", 400, "请输入另一位客户的客户号。"),
        ("NOPE", 404, "未找到客户号 NOPE，请核对后重试。"),
    ],
)
def test_path_target_checked(bank, target, status, message):
    app, _store = bank
    client = _client(app, "hq")

    response = client.get("/customers/A/graph/path.json", query_string={"target": target})

    assert response.status_code == status
    assert response.get_json()["message"] == message


def test_path_to_out_of_scope_target_refused(bank):
    app, store = bank
    client = _client(app, "rm")

    response = client.get("/customers/A/graph/path.json?target=D")

    assert response.status_code == 403
    assert [event["customer_id"] for event in _audit_rows(store, "access_refused")] == ["D"]


# The hub: HUB has HUB_COUNTERPARTIES counterparty accounts, weakest first, and links to FOCUS and NEXT.
HUB_GRAPH = """
CREATE (focus:Customer {customer_id: 'FOCUS', customer_type: 'retail', name: '焦点客户'}),
       (hub:Customer {customer_id: 'HUB', customer_type: 'corporate', name: '枢纽商户'}),
       (next:Customer {customer_id: 'NEXT', customer_type: 'retail', name: '下一客户'})
CREATE (focus)-[:RELATED_TO {link_type: 'regular_payee', origin: 'mined', confidence: 0.9}]->(hub),
       (next)-[:RELATED_TO {link_type: 'regular_payee', origin: 'mined', confidence: 0.8}]->(hub)
WITH hub, next
UNWIND range(1, 3) AS i
CREATE (next)-[:RELATED_TO {link_type: 'family', origin: 'mined', confidence: 0.7}]
       ->(:Customer {customer_id: 'NEXT-' + toString(i), customer_type: 'retail', name: '亲属' + toString(i)})
"""

HUB_COUNTERPARTY_ACCOUNTS = """
MATCH (hub:Customer {customer_id: 'HUB'})
UNWIND range(1, $count) AS i
CREATE (hub)-[:RELATED_TO {link_type: 'common_payee', origin: 'mined', confidence: 0.5 * i / $count}]
       ->(:CounterpartyAccount {account_key: 'CP-' + toString(i), bank_code: '0800',
                                account_number: '44440000' + toString(i)})
"""


def _write_hub(store) -> None:
    store.write(HUB_GRAPH)
    store.write(HUB_COUNTERPARTY_ACCOUNTS, {"count": HUB_COUNTERPARTIES})


# WIDE pays WIDE_CUSTOMERS customers, and each of them pays WIDE_COUNTERPARTIES counterparty
# accounts: at depth 2 with the default limit of 50 the page draws about a thousand nodes.
WIDE_CUSTOMERS = 19
WIDE_COUNTERPARTIES = 60
WIDE_GRAPH = """
CREATE (wide:Customer {customer_id: 'WIDE', customer_type: 'retail', name: '往来广泛的客户'})
WITH wide
UNWIND range(1, $customers) AS i
CREATE (wide)-[:RELATED_TO {link_type: 'regular_transfer', origin: 'mined', confidence: 0.6}]
       ->(c:Customer {customer_id: 'WIDE-' + toString(i), customer_type: 'retail', name: '往来客户' + toString(i)})
WITH c, i
UNWIND range(1, $counterparties) AS j
CREATE (c)-[:RELATED_TO {link_type: 'regular_payee', origin: 'mined', confidence: 0.5}]
       ->(:CounterpartyAccount {account_key: 'W' + toString(i) + '-' + toString(j), bank_code: '0800',
                                account_number: '5555' + toString(i) + toString(j)})
"""


class CountingStore:
    """A real store that counts the rows its reads return."""

    def __init__(self, store):
        self.store = store
        self.engine_name = store.engine_name
        self.shortest_path_match = store.shortest_path_match
        self.rows = 0

    def read(self, cypher, params=None):
        rows = self.store.read(cypher, params)
        self.rows += len(rows)
        return rows


def test_hub_neighbours_counted_not_fetched(scratch_store):
    _write_hub(scratch_store)
    store = CountingStore(scratch_store)

    [hub] = neighbourhoods(store, ["HUB"], WHOLE_BANK, 50)

    assert len(hub.links) == 50
    assert hub.more == HUB_COUNTERPARTIES + 2 - 50
    assert [row["node"].get("customer_id") for row in hub.links[:2]] == ["FOCUS", "NEXT"]
    assert hub.links[2]["node"]["account_key"] == f"CP-{HUB_COUNTERPARTIES}"
    # The 50 links, then one row each for the two customers among them from the scope check.
    assert store.rows == 50 + 2


def test_hub_batches_cover_every_link_once(scratch_store):
    _write_hub(scratch_store)
    drawn: list[str] = []
    skip = 0
    more = None

    while more != 0:
        [hub] = neighbourhoods(scratch_store, ["HUB"], WHOLE_BANK, 1_000, skip=skip)
        drawn += [row["node"].get("customer_id") or row["node"]["account_key"] for row in hub.links]
        skip += len(hub.links)
        more = hub.more

    assert len(drawn) == HUB_COUNTERPARTIES + 2
    assert len(set(drawn)) == len(drawn)
    assert drawn[:3] == ["FOCUS", "NEXT", f"CP-{HUB_COUNTERPARTIES}"]
    assert drawn[-1] == "CP-1"


def test_later_batch_passes_accounts_then_links(scratch_store):
    scratch_store.write(
        "CREATE (c:Customer {customer_id: 'PAGED', customer_type: 'retail', name: '分批客户'}) "
        "WITH c UNWIND range(1, 3) AS i "
        "CREATE (c)-[:HOLDS {role: 'owner'}]->(:Account {account_id: 'PA-' + toString(i)}) "
        "WITH c, i "
        "CREATE (c)-[:RELATED_TO {link_type: 'regular_payee', origin: 'mined', confidence: 0.5}]"
        "->(:CounterpartyAccount {account_key: 'PL-' + toString(i)})"
    )
    batches = []
    for skip in (0, 2, 4, 6):
        [hood] = neighbourhoods(scratch_store, ["PAGED"], WHOLE_BANK, 2, skip=skip)
        ids = [row["account_id"] for row in hood.accounts] + [
            row["node"]["account_key"] for row in hood.links
        ]
        batches.append((ids, hood.more))

    assert batches == [
        (["PA-1", "PA-2"], 4),
        (["PA-3", "PL-1"], 2),
        (["PL-2", "PL-3"], 0),
        ([], 0),
    ]


def test_next_batch_request_checked(scratch_web_client, scratch_store):
    _write_hub(scratch_store)
    limit = scratch_web_client.application.config["C360_SETTINGS"].graph_hub_limit

    batch = scratch_web_client.get(f"/customers/HUB/graph/neighbours.json?skip={limit}").get_json()
    invalid = scratch_web_client.get("/customers/HUB/graph/neighbours.json?skip=-5")

    [group] = [node for node in batch["nodes"] if node["id"] == "group:customer:HUB"]
    assert group["label"] == f"另有 {HUB_COUNTERPARTIES + 2 - 2 * limit:,} 条关系"
    assert group["expand"] == f"/customers/HUB/graph/neighbours.json?skip={2 * limit}"
    assert len([node for node in batch["nodes"] if node["id"].startswith("counterparty:")]) == limit
    assert invalid.status_code == 400
    assert invalid.get_json() == {"message": "请求内容无效，请刷新页面后重试。"}


def test_hub_grouped_in_graph(scratch_web_client, scratch_store):
    _write_hub(scratch_store)
    app = scratch_web_client.application
    limit = app.config["C360_SETTINGS"].graph_hub_limit

    graph = scratch_web_client.get("/customers/FOCUS/graph.json?depth=2").get_json()

    hub_edges = [edge for edge in graph["edges"] if "customer:HUB" in (edge["from"], edge["to"])]
    group = [node for node in graph["nodes"] if node["id"] == "group:customer:HUB"]
    assert len(hub_edges) == limit + 1
    assert [node["label"] for node in group] == [f"另有 {HUB_COUNTERPARTIES + 2 - limit:,} 条关系"]
    with app.test_request_context():
        strongest = {
            f"counterparty:{reference(f'CP-{i}')}"
            for i in range(HUB_COUNTERPARTIES - limit + 3, HUB_COUNTERPARTIES + 1)
        }
    drawn = {node["id"] for node in graph["nodes"] if node["id"].startswith("counterparty:")}
    assert drawn == strongest
    assert "NEXT-1" not in _customers(graph)


# The browser test serves its own graph with the hub through a real `c360 serve` process.
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"
PAGE_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1440, "height": 900}
BROWSER_USER = "graph_browser"


@pytest.fixture(scope="module")
def hub_server(base_settings, berka_store, tmp_path_factory):
    """Start `python -m c360 serve` on a graph with the hub, yield its base URL, then stop it."""
    settings = base_settings.with_overrides(graph_name=f"c360_test_hub_{uuid.uuid4().hex[:10]}")
    store = open_store(settings)
    _write_hub(store)
    store.write(WIDE_GRAPH, {"customers": WIDE_CUSTOMERS, "counterparties": WIDE_COUNTERPARTIES})
    save_user(store, BROWSER_USER, generate_password_hash(PASSWORD), "图谱测试用户", "head_office_manager")
    port = free_port()
    env = os.environ | {
        "C360_DATA_DIR": str(settings.data_dir),
        "C360_GRAPH_NAME": settings.graph_name,
        "C360_HOST": "127.0.0.1",
        "C360_PORT": str(port),
    }
    env.pop("C360_GRAPH_URL", None)
    log_path = tmp_path_factory.mktemp("graph-browser") / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "c360", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(server, port, log_path, 30.0, "c360 serve")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(server, 10.0)
        store.delete_graph()
        store.close()


def _wait_until(check, what: str) -> None:
    """Poll in Python: the page's content security policy forbids the string form of wait_for_function."""
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _node_point(page, node_id: str) -> dict:
    box = page.locator("#graph-canvas").bounding_box()
    point = page.evaluate("(id) => window.c360Graph.canvasToDOM(window.c360Graph.getPosition(id))", node_id)
    assert 0 <= point["x"] <= box["width"], f"{node_id} is drawn outside the canvas at {point}"
    assert 0 <= point["y"] <= box["height"], f"{node_id} is drawn outside the canvas at {point}"
    return {"x": box["x"] + point["x"], "y": box["y"] + point["y"]}


@pytest.fixture
def browser_page(hub_server):
    """A logged-in Chromium page on the hub server; yields (page, requested URLs, page errors)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if CHROMIUM is None:
        pytest.skip("no chromium executable on PATH or at /usr/bin/chromium")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    requested_urls: list[str] = []
    page_errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.on("request", lambda request: requested_urls.append(request.url))
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        page.goto(f"{hub_server}/login")
        form = page.locator("form:has(input[name=password])")
        form.locator("input[name=username]").fill(BROWSER_USER)
        form.locator("input[name=password]").fill(PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"{hub_server}/")
        try:
            yield page, requested_urls, page_errors
        finally:
            browser.close()
    outside = [url for url in requested_urls if urlsplit(url).hostname != "127.0.0.1"]
    assert outside == [], f"requests left the machine: {outside}"


def _open_graph(page, url: str) -> int:
    """Open a graph page, wait until it is laid out and print how long that took; returns the node count."""
    started = time.monotonic()
    page.goto(url)
    page.wait_for_selector('#graph-canvas[data-ready="true"]')
    elapsed_ms = (time.monotonic() - started) * 1000
    layout_ms = page.locator("#graph-canvas").get_attribute("data-layout-ms")
    drawn = page.evaluate("() => window.c360Graph.body.data.nodes.length")
    print(
        f"\n{url}: {drawn} nodes, laid out {elapsed_ms:.0f} ms after navigation ({layout_ms} ms in the page)"
    )
    return drawn


def _group_label(page) -> str | None:
    group = page.evaluate('() => window.c360Graph.body.data.nodes.get("group:customer:HUB")')
    return group["label"] if group else None


def _counterparty_count(page) -> int:
    return len([node_id for node_id in _node_ids(page) if node_id.startswith("counterparty:")])


def _node_ids(page) -> set[str]:
    return set(page.evaluate("() => window.c360Graph.body.data.nodes.getIds()"))


@pytest.mark.browser
def test_hub_page_in_browser(hub_server, browser_page):
    page, _requested, page_errors = browser_page

    _open_graph(page, f"{hub_server}/customers/FOCUS/graph")

    group = page.evaluate('() => window.c360Graph.body.data.nodes.get("group:customer:HUB")')
    assert group is not None
    assert group["label"] == f"另有 {HUB_COUNTERPARTIES + 2 - 50:,} 条关系"
    _node_point(page, "group:customer:HUB")

    before = _node_ids(page)
    assert "customer:NEXT-1" not in before
    point = _node_point(page, "customer:NEXT")
    page.mouse.dblclick(point["x"], point["y"])
    _wait_until(lambda: "customer:NEXT-3" in _node_ids(page), "the expansion of NEXT")
    page.wait_for_selector('#graph-canvas[data-ready="true"]')
    assert _node_ids(page) - before == {"customer:NEXT-1", "customer:NEXT-2", "customer:NEXT-3"}
    assert "已展开“下一客户”" in page.locator("#graph-status").inner_text()
    page.screenshot(path=ARTIFACTS_DIR / "graph-page-hub.png")

    page.locator("#path-target").fill("NEXT-2")
    page.get_by_role("button", name="查找").click()
    _wait_until(lambda: "已找到最短路径" in page.locator("#path-message").inner_text(), "the path")
    highlighted = page.evaluate(
        "() => window.c360Graph.body.data.edges.get({filter: (edge) => edge.path}).map((edge) => edge.id)"
    )
    assert len(highlighted) == 3
    page.screenshot(path=ARTIFACTS_DIR / "graph-page-path.png")
    hub = _node_point(page, "customer:HUB")
    page.screenshot(
        path=ARTIFACTS_DIR / "graph-page-hub-label.png",
        clip={"x": hub["x"] - 120, "y": hub["y"] - 80, "width": 240, "height": 160},
    )

    counterparties_before = _counterparty_count(page)
    point = _node_point(page, "group:customer:HUB")
    page.mouse.dblclick(point["x"], point["y"])
    _wait_until(
        lambda: _group_label(page) == f"另有 {HUB_COUNTERPARTIES + 2 - 100:,} 条关系",
        "the next batch of HUB",
    )
    assert _counterparty_count(page) == counterparties_before + 50
    assert "新增 50 个节点，另有" in page.locator("#graph-status").inner_text()

    page.get_by_role("button", name="全屏显示").click()
    _wait_until(
        lambda: (
            page.evaluate("() => document.fullscreenElement && document.fullscreenElement.id") == "graph-page"
        ),
        "full screen",
    )
    _wait_until(
        lambda: page.get_by_role("button", name="退出全屏").count() == 1, "the button to leave full screen"
    )
    page.screenshot(path=ARTIFACTS_DIR / "graph-page-fullscreen.png")
    assert page_errors == []


@pytest.mark.browser
def test_thousand_nodes_stay_responsive(hub_server, browser_page):
    page, _requested, page_errors = browser_page

    drawn = _open_graph(page, f"{hub_server}/customers/WIDE/graph")

    assert drawn > 900
    assert page.evaluate("() => window.c360Graph.physics.options.enabled") is False
    redraw_ms = page.evaluate(
        "() => { const started = performance.now(); window.c360Graph.redraw(); return performance.now() - started; }"
    )
    print(f"one redraw of {drawn} nodes: {redraw_ms:.0f} ms")
    page.screenshot(path=ARTIFACTS_DIR / "graph-page-thousand.png")
    assert page_errors == []
