"""Day-end feeds: typed columns, encodings, snapshots and history, rejects and their limit."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from graph_model.bookkeeping import graph_statistics, recent_load_runs
from loaders.feeds.feed_file import FeedLoadFailed, find_feed_files
from loaders.feeds.runner import load_feed_folder
from loaders.identity_codes import resident_id_check_character


def _resident_id(body: str) -> str:
    return body + resident_id_check_character(body)


# 11010519491231002 ends in check character X; 44052419800101001 belongs to a man born 1980-01-01.
WOMAN_ID = _resident_id("11010519491231002")
MAN_ID = _resident_id("44052419800101001")
HEADERS = {
    "org_branch": "branch_code|branch_name|parent_code|branch_level",
    "crm_manager": "manager_id|manager_name|branch_code|grid_code",
    "cbs_retail_customer": "customer_no|customer_name|id_type|id_number|mobile|address|division_code|occupation|"
    "employer|customer_level|open_branch|open_date",
    "cbs_account": "account_no|customer_no|account_type|product_code|currency|balance|open_date|branch_code",
    "cbs_transaction": "transaction_no|account_no|posted_at|direction|amount|balance|channel|transaction_code|"
    "branch_code|counterparty_name|counterparty_bank|counterparty_account|purpose",
    "crm_manager_assignment": "customer_no|manager_id|role",
    "crm_rating": "customer_no|rating_date|grade|score|rated_by",
}
ENCODINGS = {"cbs_retail_customer": "gb18030", "cbs_account": "gb18030", "cbs_transaction": "gb18030"}


def _write_feed(folder: Path, feed: str, day: str, lines: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{feed}_{day}.csv"
    text = "\r\n".join([HEADERS[feed], *lines]) + "\r\n"
    path.write_bytes(text.encode(ENCODINGS.get(feed, "utf-8")))
    return path


def _first_day(folder: Path) -> None:
    _write_feed(folder, "org_branch", "20261203", ["0100|总行||HEAD", "0101|杭州分行|0100|BRANCH"])
    _write_feed(folder, "crm_manager", "20261203", ["M001|王经理|0101|G01", "M002|李经理|0101|G02"])
    _write_feed(folder, "cbs_retail_customer", "20261203", [
        f"0000123|张三|RESIDENT_ID|{WOMAN_ID}|13800000000|北京市朝阳区某路1号|110105|教师|某中学|GOLD|0101|20200115",
        f"0000124|李四|RESIDENT_ID|{MAN_ID}|13900000000|广东省某地|440524|工程师|某公司|NORMAL|0101|20210301",
        "0000125|JOHN SMITH|PASSPORT|E12345678||||||NORMAL|0101|20220501",
    ])  # fmt: skip
    _write_feed(
        folder,
        "cbs_account",
        "20261203",
        [
            "6222000012345678|0000123|SAVINGS|D001|CNY|10500.10|20200115|0101",
            "6222000087654321|0000124|SAVINGS|D001|CNY|320.00|20210301|0101",
        ],
    )
    _write_feed(folder, "cbs_transaction", "20261203", [
        "T0001|6222000012345678|20261203093000|debit|500.00|10500.10|MOBILE|TR01|0101|李四|ICBC|6212000011112222|生活费",
        "T0002|6222000087654321|20261203101500|credit|500.00|320.00|MOBILE|TR02|0101|张三|C360|6222000012345678|生活费",
    ])  # fmt: skip
    _write_feed(
        folder, "crm_manager_assignment", "20261203", ["0000123|M001|primary", "0000124|M001|primary"]
    )
    _write_feed(folder, "crm_rating", "20261203", ["0000123|20261130|A|88.5|M001"])


def _load(store, folder: Path, tmp_path: Path, **options):
    defaults = {"runs_dir": tmp_path / "runs", "batch_size": 100, "max_reject_ratio": 0.05}
    return load_feed_folder(store, folder, **(defaults | options))


def _one(store, cypher: str, **params):
    rows = store.read(cypher, params)
    assert len(rows) == 1, rows
    return rows[0]


def test_files_are_matched_in_load_order(tmp_path):
    _first_day(tmp_path / "day1")
    (tmp_path / "day1" / "readme.txt").write_text("not a feed")

    feed_files, unmatched = find_feed_files(tmp_path / "day1")

    assert [f.spec.name for f in feed_files] == [
        "org_branch", "crm_manager", "cbs_retail_customer", "cbs_account", "cbs_transaction",
        "crm_manager_assignment", "crm_rating",
    ]  # fmt: skip
    assert {f.business_date for f in feed_files} == {"2026-12-03"}
    assert [path.name for path in unmatched] == ["readme.txt"]


def test_first_day_loads_typed_values(scratch_store, tmp_path):
    _first_day(tmp_path / "day1")

    reports = _load(scratch_store, tmp_path / "day1", tmp_path)

    assert all(report.rejects.total == 0 for report in reports)
    customer = _one(scratch_store, "MATCH (c:Customer {customer_id: '0000123'}) RETURN c {.*} AS c")["c"]
    assert customer["name"] == "张三"
    assert customer["id_number"] == WOMAN_ID
    assert customer["id_number"].endswith("X")
    assert customer["gender"] == "F"
    assert customer["birth_date"] == "1949-12-31"
    assert customer["mobile"] == "13800000000"
    assert customer["first_seen"] == "2026-12-03"
    passport = _one(scratch_store, "MATCH (c:Customer {customer_id: '0000125'}) RETURN c {.*} AS c")["c"]
    assert passport["id_number"] == "E12345678"
    assert "gender" not in passport
    account = _one(
        scratch_store,
        "MATCH (:Customer {customer_id: '0000123'})-[h:HOLDS]->(a:Account) RETURN a {.*} AS a, h.role AS role",
    )
    assert account["a"]["account_id"] == "6222000012345678"
    assert account["a"]["balance"] == 10500.1
    assert account["role"] == "owner"


def test_transactions_reach_counterparties(scratch_store, tmp_path):
    _first_day(tmp_path / "day1")
    _load(scratch_store, tmp_path / "day1", tmp_path)

    row = _one(
        scratch_store,
        "MATCH (:Account {account_id: '6222000012345678'})-[:POSTED]->(t:Transaction)-[:WITH_COUNTERPARTY]->(p) "
        "RETURN t {.*} AS t, p {.*} AS p",
    )

    assert row["t"]["posted_at"] == "2026-12-03T09:30:00"
    assert row["t"]["date"] == "2026-12-03"
    assert row["t"]["purpose"] == "生活费"
    assert row["p"] == {
        "account_key": "ICBC/6212000011112222",
        "bank_code": "ICBC",
        "account_number": "6212000011112222",
    }


def test_same_day_twice_changes_nothing(scratch_store, tmp_path):
    _first_day(tmp_path / "day1")
    _load(scratch_store, tmp_path / "day1", tmp_path)
    before = graph_statistics(scratch_store)

    _load(scratch_store, tmp_path / "day1", tmp_path)

    after = graph_statistics(scratch_store)
    assert after["nodes"] == before["nodes"]
    assert after["relationships"] == before["relationships"]
    customer = _one(scratch_store, "MATCH (c:Customer {customer_id: '0000124'}) RETURN c.closed_on AS closed")
    assert customer["closed"] is None


def test_next_snapshot_closes_and_keeps_history(scratch_store, tmp_path):
    _first_day(tmp_path / "day1")
    _load(scratch_store, tmp_path / "day1", tmp_path)
    day2 = tmp_path / "day2"
    _write_feed(day2, "cbs_retail_customer", "20261204", [
        f"0000123|张三|RESIDENT_ID|{WOMAN_ID}|13800000001|北京市朝阳区某路1号|110105|教师|某中学|GOLD|0101|20200115",
        "0000125|JOHN SMITH|PASSPORT|E12345678||||||NORMAL|0101|20220501",
    ])  # fmt: skip
    _write_feed(day2, "crm_manager_assignment", "20261204", ["0000123|M002|primary"])

    _load(scratch_store, day2, tmp_path, max_close_ratio=0.5)

    closed = _one(scratch_store, "MATCH (c:Customer {customer_id: '0000124'}) RETURN c {.*} AS c")["c"]
    assert closed["closed_on"] == "2026-12-04"
    assert closed["name"] == "李四"
    updated = _one(scratch_store, "MATCH (c:Customer {customer_id: '0000123'}) RETURN c {.*} AS c")["c"]
    assert updated["mobile"] == "13800000001"
    assert updated["first_seen"] == "2026-12-03"
    history = scratch_store.read(
        "MATCH (:Customer {customer_id: '0000123'})-[r:MANAGED_BY]->(m:Manager) "
        "RETURN m.manager_id AS manager, r.valid_from AS valid_from, r.valid_to AS valid_to ORDER BY valid_from"
    )
    assert history == [
        {"manager": "M001", "valid_from": "2026-12-03", "valid_to": "2026-12-04"},
        {"manager": "M002", "valid_from": "2026-12-04", "valid_to": None},
    ]


def test_bad_rows_are_rejected_with_field(scratch_store, tmp_path):
    folder = tmp_path / "day1"
    _write_feed(folder, "org_branch", "20261203", ["0100|总行||HEAD", "0101|杭州分行|0100|BRANCH"])
    _write_feed(folder, "cbs_retail_customer", "20261203", [
        f"0000123|张三|RESIDENT_ID|{WOMAN_ID}|13800000000|||||NORMAL|0101|20200115",
        f"0000126|错号|RESIDENT_ID|{WOMAN_ID[:17]}3|13800000000|||||NORMAL|0101|20200115",
        "0000127|坏日期|PASSPORT|E1||||||NORMAL|0101|20201340",
        "0000128|缺字段|PASSPORT|E2",
        "0000123|张三重复|PASSPORT|E3||||||NORMAL|0101|20200115",
    ])  # fmt: skip

    reports = _load(scratch_store, folder, tmp_path, max_reject_ratio=0.9)

    with open(reports[-1].rejects_path, newline="", encoding="utf-8-sig") as handle:
        rejects = [(row["row_number"], row["field"], row["reason"]) for row in csv.DictReader(handle)]
    assert [(number, field) for number, field, _reason in rejects] == [
        ("3", "id_number"),
        ("4", "open_date"),
        ("5", ""),
        ("6", "customer_no"),
    ]
    assert "expected X" in rejects[0][2]
    assert "duplicate key '0000123', first given on line 2" in rejects[3][2]
    assert "not a valid date in the form YYYYMMDD" in rejects[1][2]
    assert graph_statistics(scratch_store)["nodes"]["Customer"] == 1


def test_too_many_rejects_write_nothing(scratch_store, tmp_path):
    folder = tmp_path / "day1"
    _write_feed(folder, "org_branch", "20261203", ["0100|总行||HEAD", "0101|杭州分行|0100|BRANCH"])
    _write_feed(folder, "cbs_retail_customer", "20261203", [
        f"0000123|张三|RESIDENT_ID|{WOMAN_ID}|13800000000|||||NORMAL|0101|20200115",
        "0000127|坏日期|PASSPORT|E1||||||NORMAL|0101|20201340",
    ])  # fmt: skip

    with pytest.raises(FeedLoadFailed, match="1 of 2 rows rejected"):
        _load(scratch_store, folder, tmp_path)

    assert "Customer" not in graph_statistics(scratch_store)["nodes"]
    runs = [run for run in recent_load_runs(scratch_store) if run["source"] == "cbs_retail_customer"]
    assert [run["status"] for run in runs] == ["failed"]
    assert "1 of 2 rows rejected (50.0%)" in runs[0]["error"]


def test_file_refused_for_its_header_is_recorded(scratch_store, tmp_path):
    folder = tmp_path / "day1"
    _write_feed(folder, "org_branch", "20261203", ["0100|总行||HEAD"])
    (folder / "crm_manager_20261203.csv").write_text(
        "manager_id|manager_name\nM001|李经理\n", encoding="utf-8"
    )

    with pytest.raises(FeedLoadFailed, match="lacks the column"):
        _load(scratch_store, folder, tmp_path)

    runs = {run["source"]: run for run in recent_load_runs(scratch_store)}
    assert runs["org_branch"]["status"] == "loaded"
    assert runs["crm_manager"]["status"] == "failed"
    assert "the header lacks the column(s) branch_code" in runs["crm_manager"]["error"]


def test_older_business_date_is_refused(scratch_store, tmp_path):
    _first_day(tmp_path / "day1")
    _load(scratch_store, tmp_path / "day1", tmp_path)
    older = tmp_path / "older"
    _write_feed(older, "crm_manager_assignment", "20261202", ["0000123|M002|primary"])

    with pytest.raises(FeedLoadFailed, match="before 2026-12-03"):
        _load(scratch_store, older, tmp_path)


def test_invalid_bytes_reject_only_their_line(scratch_store, tmp_path):
    folder = tmp_path / "day1"
    _write_feed(folder, "org_branch", "20261203", ["0101|杭州分行||BRANCH"])
    good = [f"M{number:03d}|王经理|0101|G01".encode() for number in range(40)]
    # GB18030 bytes in a file declared UTF-8.
    spoiled = "M900|王经理|0101|G01".encode("gb18030")
    (folder / "crm_manager_20261203.csv").write_bytes(
        b"\r\n".join([HEADERS["crm_manager"].encode(), *good, spoiled]) + b"\r\n"
    )

    reports = _load(scratch_store, folder, tmp_path)

    assert reports[-1].loaded["Manager"] == 40
    with open(reports[-1].rejects_path, newline="", encoding="utf-8-sig") as handle:
        rejects = list(csv.DictReader(handle))
    assert [row["row_number"] for row in rejects] == ["42"]
    assert "invalid utf-8 bytes" in rejects[0]["reason"]


def test_undated_file_needs_business_date(scratch_store, tmp_path):
    folder = tmp_path / "day1"
    folder.mkdir()
    (folder / "org_branch.csv").write_text(
        HEADERS["org_branch"] + "\n0101|杭州分行||BRANCH\n", encoding="utf-8"
    )
    (folder / "crm_manager.csv").write_text(
        HEADERS["crm_manager"] + "\nM001|王经理|0101|G01\n", encoding="utf-8"
    )

    with pytest.raises(FeedLoadFailed, match="pass --date"):
        find_feed_files(folder)
    reports = _load(scratch_store, folder, tmp_path, business_date=date(2026, 12, 3))

    assert reports[-1].loaded["Manager"] == 1


def test_payment_to_own_account_links_it(scratch_store, tmp_path):
    _first_day(tmp_path / "day1")
    _load(scratch_store, tmp_path / "day1", tmp_path)

    row = _one(
        scratch_store,
        "MATCH (p:CounterpartyAccount)-[:SAME_AS]->(a:Account) RETURN p.account_key AS key, a.account_id AS account",
    )

    assert row == {"key": "C360/6222000012345678", "account": "6222000012345678"}


def test_every_feed_node_has_a_unique_key():
    from graph_model.schema import NODE_KEYS
    from loaders.feeds.catalogue import FEEDS

    declared = {(key.label, key.key) for key in NODE_KEYS}
    targets = {(spec.node.label, spec.node.key) for spec in FEEDS if spec.node is not None}
    targets |= {
        (end.label, end.key) for spec in FEEDS for link in spec.links for end in (link.source, link.target)
    }

    assert targets - declared == set()


def test_every_kind_of_bad_row_is_named(scratch_store, tmp_path):
    _first_day(tmp_path / "day1")
    _load(scratch_store, tmp_path / "day1", tmp_path)
    folder = tmp_path / "day2"
    folder.mkdir()
    good = [
        f"62220000{n:08d}|0000123|SAVINGS|D001|CNY|100.00|20200115|0101".encode("gb18030") for n in range(30)
    ]
    bad = [
        b"6222000099999991|0000123|SAVINGS|D001|CNY|1\xff00.00|20200115|0101",
        "6222000099999992|0000123|SAVINGS|D001|XXX|100.00|20200115|0101".encode("gb18030"),
        "|0000123|SAVINGS|D001|CNY|100.00|20200115|0101".encode("gb18030"),
        "6222000000000001|0000123|SAVINGS|D001|CNY|100.00|20200115|0101".encode("gb18030"),
        "6222000099999993|0000123|SAVINGS|D001|CNY|12,3a|20200115|0101".encode("gb18030"),
        "6222000099999994|0000123|SAVINGS|D001|CNY|100.00|20261340|0101".encode("gb18030"),
        "6222000099999995|0000123|SAVINGS|D001|CNY|100.005|20200115|0101".encode("gb18030"),
    ]
    header = HEADERS["cbs_account"].encode("gb18030")
    (folder / "cbs_account_20261204.csv").write_bytes(b"\r\n".join([header, *good, *bad]) + b"\r\n")

    reports = _load(scratch_store, folder, tmp_path, max_reject_ratio=0.5)

    with open(reports[0].rejects_path, newline="", encoding="utf-8-sig") as handle:
        rejects = {row["row_number"]: (row["field"], row["reason"]) for row in csv.DictReader(handle)}
    assert reports[0].loaded["Account"] == 30
    assert "invalid gb18030 bytes" in rejects["32"][1]
    assert rejects["33"][0] == "currency"
    assert rejects["34"] == ("account_no", "is missing")
    assert rejects["35"][0] == "account_no"
    assert "duplicate key" in rejects["35"][1]
    assert rejects["36"] == ("balance", "'12,3a' is not a number")
    assert rejects["37"][0] == "open_date"
    assert rejects["38"] == ("balance", "'100.005' has more than two decimal places")
    assert len(rejects) == 7


def test_empty_snapshot_is_refused(scratch_store, tmp_path):
    _first_day(tmp_path / "day1")
    _load(scratch_store, tmp_path / "day1", tmp_path)
    day2 = tmp_path / "day2"
    _write_feed(day2, "cbs_retail_customer", "20261204", [])

    with pytest.raises(FeedLoadFailed, match="would close about 3"):
        _load(scratch_store, day2, tmp_path)

    open_customers = scratch_store.read("MATCH (c:Customer) WHERE c.closed_on IS NULL RETURN count(c) AS n")
    assert open_customers == [{"n": 3}]


def test_unknown_reference_is_rejected(scratch_store, tmp_path):
    _first_day(tmp_path / "day1")
    _load(scratch_store, tmp_path / "day1", tmp_path)
    day2 = tmp_path / "day2"
    accounts = [f"62220000{n:08d}|0000123|SAVINGS|D001|CNY|1.00|20200115|0101" for n in range(30)]
    _write_feed(
        day2,
        "cbs_account",
        "20261204",
        [*accounts, "6222999900000001|9999999|SAVINGS|D001|CNY|1.00|20200115|0101"],
    )

    reports = _load(scratch_store, day2, tmp_path, max_close_ratio=1.0)

    with open(reports[0].rejects_path, newline="", encoding="utf-8-sig") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(row["row_number"], row["field"], row["reason"]) for row in rejects] == [
        ("32", "customer_no", "'9999999' is not a known Customer")
    ]
    assert reports[0].loaded["HOLDS"] == 30


def test_loaded_customers_are_searchable(scratch_store, tmp_path):
    from graph_model.customers import customer_accounts, search_customers
    from graph_model.scope import WHOLE_BANK

    _first_day(tmp_path / "day1")
    _load(scratch_store, tmp_path / "day1", tmp_path)

    assert [c["customer_id"] for c in search_customers(scratch_store, WOMAN_ID, WHOLE_BANK).customers] == [
        "0000123"
    ]
    assert [
        c["customer_id"] for c in search_customers(scratch_store, "13900000000", WHOLE_BANK).customers
    ] == ["0000124"]
    assert [c["customer_id"] for c in search_customers(scratch_store, "张", WHOLE_BANK).customers] == [
        "0000123"
    ]
    # The account feed's day-end balance is the book balance shown.
    assert customer_accounts(scratch_store, "0000123", WHOLE_BANK)[0]["balance"] == 10500.1
