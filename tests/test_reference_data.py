"""Loading the division and industry code lists into the graph."""

from __future__ import annotations

from graph_model.bookkeeping import graph_statistics
from graph_model.reference import division, industry_with_ancestors
from loaders.reference_data import load_divisions, load_industries
from tests.conftest import SHARED_DATA


def test_divisions_load_with_history(scratch_store, tmp_path):
    report = load_divisions(scratch_store, SHARED_DATA / "cn-areacodes", runs_dir=tmp_path, batch_size=2000)

    assert report.loaded["division"] == 6823
    assert report.rejected["division"] == 0
    chongwen = division(scratch_store, "110103")
    assert chongwen["name"] == "崇文区"
    assert chongwen["status"] == "retired"
    assert chongwen["retired_in"] == 2010
    successors = scratch_store.read(
        "MATCH (:AdminDivision {code: '110103'})-[:SUCCEEDED_BY]->(d) RETURN d.code AS code"
    )
    assert successors == [{"code": "110101"}]


def test_industries_load_as_a_tree(scratch_store, tmp_path):
    report = load_industries(
        scratch_store, SHARED_DATA / "cn-industry-gbt4754", runs_dir=tmp_path, batch_size=500
    )

    assert report.loaded["industry"] == 1971
    rice = industry_with_ancestors(scratch_store, "0111")
    assert rice["industry"]["name"] == "稻谷种植"
    assert [ancestor["code"] for ancestor in rice["ancestors"]] == ["011", "01", "A"]
    assert graph_statistics(scratch_store)["relationships"]["PART_OF"] == 1971 - 20


def test_reference_reload_changes_nothing(scratch_store, tmp_path):
    load_industries(scratch_store, SHARED_DATA / "cn-industry-gbt4754", runs_dir=tmp_path, batch_size=500)
    before = graph_statistics(scratch_store)

    load_industries(scratch_store, SHARED_DATA / "cn-industry-gbt4754", runs_dir=tmp_path, batch_size=500)

    after = graph_statistics(scratch_store)
    assert after["nodes"] == before["nodes"]
    assert after["relationships"] == before["relationships"]
