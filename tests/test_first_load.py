"""The first day-end load built in bulk: the same graph as by queries, kept across restarts."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from c360.config import Settings
from c360.users import create_user
from graph_model.exceptions import GraphChanged
from graph_model.falkordb_bulk import BulkUnsupported, encoded_value
from graph_model.store import open_store
from loaders.feeds.feed_file import FeedLoadFailed
from loaders.feeds.fields import Column, FieldRejected, Kind, convert
from loaders.feeds.runner import load_feed_folder
from loaders.reference_data import load_divisions
from synthetic.bank import generate_bank
from synthetic.vocabulary import county_divisions, small_industries
from synthetic.writer import write_feed_files
from tests.conftest import SHARED_DATA

BUSINESS_DATE = date(2026, 12, 3)


@pytest.fixture(scope="module")
def feed_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("first-load-feeds")
    bank = generate_bank(
        150,
        seed=11,
        business_date=BUSINESS_DATE,
        divisions=county_divisions(SHARED_DATA / "cn-areacodes"),
        industries=small_industries(SHARED_DATA / "cn-industry-gbt4754"),
    )
    write_feed_files(bank, folder)
    return folder


def _load(store, folder: Path, tmp_path: Path, **options):
    defaults = {"runs_dir": tmp_path / "runs", "batch_size": 500, "max_reject_ratio": 0.05}
    return load_feed_folder(store, folder, **(defaults | options))


def _graph_dump(store) -> tuple[list[str], list[str]]:
    """Every node and relationship with its properties, as sorted text.

    Load runs and users are left out: their ids, times and password salts differ between loads.
    """
    nodes = store.read(
        "MATCH (n) WHERE NOT (n:LoadRun OR n:User) RETURN labels(n) AS labels, properties(n) AS properties"
    )
    relationships = store.read(
        "MATCH (a)-[r]->(b) WHERE NOT (a:LoadRun OR a:User) "
        "RETURN labels(a) AS a, properties(a) AS a_properties, type(r) AS type, properties(r) AS properties, "
        "labels(b) AS b, properties(b) AS b_properties"
    )

    def text(record):
        return json.dumps(record, sort_keys=True, ensure_ascii=False)

    return sorted(map(text, nodes)), sorted(map(text, relationships))


def _write_paths(store) -> list:
    rows = store.read("MATCH (r:LoadRun) WHERE r.status = 'loaded' RETURN DISTINCT r.write_path AS path")
    return sorted(row["path"] or "queries" for row in rows)


def _prepare_reference_data_and_user(store, tmp_path: Path) -> None:
    load_divisions(store, SHARED_DATA / "cn-areacodes", runs_dir=tmp_path / "runs", batch_size=2000)
    create_user(store, "zhang.wei", "a long enough password", "head_office_analyst", "张伟")


def test_bulk_first_load_equals_loading_by_queries(scratch_store, base_settings, feed_folder, tmp_path):
    _prepare_reference_data_and_user(scratch_store, tmp_path)
    divisions_before = scratch_store.read("MATCH (d:AdminDivision) RETURN count(d) AS n")[0]["n"]
    bulk_reports = _load(scratch_store, feed_folder, tmp_path)

    by_queries = open_store(base_settings.with_overrides(graph_name=scratch_store.graph_name + "_queries"))
    try:
        _prepare_reference_data_and_user(by_queries, tmp_path)
        query_reports = _load(by_queries, feed_folder, tmp_path, bulk_first_load=False)
        assert _write_paths(scratch_store) == ["bulk", "queries"]  # the division load ran by queries
        assert _write_paths(by_queries) == ["queries"]
        assert [report.loaded for report in bulk_reports] == [report.loaded for report in query_reports]
        assert _graph_dump(scratch_store) == _graph_dump(by_queries)
    finally:
        by_queries.delete_graph()
        by_queries.close()

    assert scratch_store.read("MATCH (d:AdminDivision) RETURN count(d) AS n")[0]["n"] == divisions_before
    user = scratch_store.read("MATCH (u:User {username: 'zhang.wei'}) RETURN u.display_name AS name")
    assert user == [{"name": "张伟"}]
    # The constraints and indexes are back on the new graph.
    with pytest.raises(Exception, match="constraint"):
        scratch_store.write("CREATE (:Customer {customer_id: $id})", {"id": "1000000001"})


def test_bulk_built_graph_survives_restarts(feed_folder, tmp_path):
    """FalkorDB 4.22 could not replay its log after a bulk-built graph replaced one with indexes."""
    settings = Settings(data_dir=tmp_path / "db", graph_name="bank")
    expected = None
    for cycle in range(3):
        store = open_store(settings)
        try:
            if expected is not None:
                # The server was stopped after the last cycle and has just replayed its log.
                assert _graph_dump(store) == expected
                name = store.read("MATCH (u:User {username: 'li.na'}) RETURN u.display_name AS name")
                assert name == [{"name": "李娜（支行）"}]
            if cycle == 2:
                break
            store.delete_graph()
            store.ensure_schema()
            create_user(store, "li.na", "a long enough password", "head_office_analyst", "李娜")
            _load(store, feed_folder, tmp_path / f"cycle-{cycle}")
            store.write("MATCH (u:User {username: 'li.na'}) SET u.display_name = '李娜（支行）'")
            expected = _graph_dump(store)
        finally:
            store.close()


def test_graph_with_feed_data_is_loaded_by_queries(scratch_store, feed_folder, tmp_path):
    _load(scratch_store, feed_folder, tmp_path)
    next_day = tmp_path / "next-day"
    next_day.mkdir()
    day = (BUSINESS_DATE + timedelta(days=1)).strftime("%Y%m%d")
    source = next(feed_folder.glob("org_branch_*.csv"))
    (next_day / f"org_branch_{day}.csv").write_bytes(source.read_bytes())

    _load(scratch_store, next_day, tmp_path)

    runs = scratch_store.read(
        "MATCH (r:LoadRun {source: 'org_branch'}) RETURN r.business_date AS day, r.write_path AS path "
        "ORDER BY day"
    )
    assert runs == [{"day": "2026-12-03", "path": "bulk"}, {"day": "2026-12-04", "path": None}]


def test_bulk_load_stops_at_refused_file(scratch_store, feed_folder, tmp_path):
    folder = tmp_path / "feeds"
    folder.mkdir()
    for path in feed_folder.glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    account_file = next(folder.glob("cbs_account_*.csv"))
    header, *lines = account_file.read_text(encoding="gb18030").splitlines()
    broken = [line.replace("|CNY|", "|XXX|") for line in lines]
    account_file.write_text("\n".join([header, *broken]) + "\n", encoding="gb18030")

    with pytest.raises(FeedLoadFailed, match="cbs_account"):
        _load(scratch_store, folder, tmp_path)

    statuses = {
        row["source"]: row["status"]
        for row in scratch_store.read("MATCH (r:LoadRun) RETURN r.source AS source, r.status AS status")
    }
    assert statuses["cbs_account"] == "failed"
    assert statuses["cbs_retail_customer"] == "loaded"
    assert "cbs_transaction" not in statuses
    assert scratch_store.read("MATCH (c:Customer) RETURN count(c) AS n")[0]["n"] > 150
    assert scratch_store.read("MATCH (a:Account) RETURN count(a) AS n") == [{"n": 0}]


def test_replacement_is_refused_when_the_graph_changed(scratch_store):
    create_user(scratch_store, "wang.fang", "a long enough password", "head_office_analyst", "王芳")
    image = scratch_store.graph_image()
    create_user(scratch_store, "zhao.lei", "a long enough password", "head_office_analyst", "赵磊")

    with pytest.raises(GraphChanged):
        scratch_store.replace_graph(image)

    users = scratch_store.read("MATCH (u:User) RETURN u.username AS name ORDER BY name")
    assert users == [{"name": "wang.fang"}, {"name": "zhao.lei"}]
    staging = scratch_store.server.client().exists(scratch_store.graph_name + "__bulk")
    assert staging == 0


def test_bulk_encoding_names_unsupported_values():
    assert encoded_value("客户") == b"\x03" + "客户".encode() + b"\x00"
    assert encoded_value(None) == b"\x00"
    assert encoded_value(True) == b"\x01\x01"
    with pytest.raises(BulkUnsupported, match="NUL"):
        encoded_value("a\x00b")
    with pytest.raises(BulkUnsupported, match="64-bit"):
        encoded_value(2**63)
    with pytest.raises(BulkUnsupported, match="dict"):
        encoded_value({"a": 1})


def test_feed_rejects_nul_and_huge_integers():
    with pytest.raises(FieldRejected, match="NUL"):
        convert(Column("customer_name", "name"), "张\x00三", None)
    with pytest.raises(FieldRejected, match="64-bit"):
        convert(Column("points", "points", Kind.INTEGER), "99999999999999999999", None)
    assert convert(Column("points", "points", Kind.INTEGER), "-9223372036854775808", None) == -(2**63)
