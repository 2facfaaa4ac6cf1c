"""Manual links recorded from the 360 page: added, renamed, removed, audited, kept by miners."""

from __future__ import annotations

import json
import re

import pytest

from c360.mining_run import mine_flow_links


@pytest.fixture
def client(scratch_web_client, scratch_store):
    scratch_store.write(
        "CREATE (:Customer {customer_id: 'P1', customer_type: 'retail', name: '李明'}), "
        "(:Customer {customer_id: 'C1', customer_type: 'corporate', name: '<b>{{7*7}}</b>贸易公司'})"
    )
    return scratch_web_client


def _token(client) -> str:
    page = client.get("/customers/P1").get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)


def _add(client, **fields):
    data = {
        "csrf_token": _token(client),
        "target": "C1",
        "relation": "合作伙伴",
        "note": "2019年起合作",
    } | fields
    return client.post("/customers/P1/manual-links", data=data, follow_redirects=True)


def _manual_links(store) -> list[dict]:
    return store.read(
        "MATCH (a:Customer)-[r:RELATED_TO {link_type: 'manual'}]->(b:Customer) "
        "RETURN a.customer_id AS source, b.customer_id AS target, r.relation AS relation, r.note AS note, "
        "r.created_by AS created_by ORDER BY relation"
    )


def _audit(store) -> list[tuple]:
    rows = store.read(
        "MATCH (e:AuditEvent) WHERE e.action ENDS WITH 'manual_link' "
        "RETURN e.action AS action, e.before AS before, e.after AS after ORDER BY e.at, e.action"
    )
    return [(row["action"], row["before"], row["after"]) for row in rows]


def test_manual_link_added_renamed_and_removed_with_audit(client, scratch_store):
    page = _add(client).get_data(as_text=True)

    assert "已记录手工关系“合作伙伴”" in page
    assert _manual_links(scratch_store) == [
        {
            "source": "P1",
            "target": "C1",
            "relation": "合作伙伴",
            "note": "2019年起合作",
            "created_by": "rm_scratch",
        }
    ]
    # The company's name carries markup: it reaches the graph as data, never as markup or template.
    assert "<b>{{7*7}}</b>" not in page
    network = json.loads(
        re.search(r'<script type="application/json" id="network-data">(.*?)</script>', page, re.S).group(1)
    )
    assert "<b>{{7*7}}</b>贸易公司" in [node["label"] for node in network["nodes"]]
    assert [edge["label"] for edge in network["edges"] if "manual" in edge] == ["合作伙伴"]

    headers = {"X-CSRF-Token": _token(client)}
    link = {"source": "P1", "target": "C1", "relation": "合作伙伴"}
    renamed = client.post(
        "/links/manual/update", json={**link, "new_relation": "上游供应商", "note": ""}, headers=headers
    )
    assert renamed.get_json() == {"message": "已保存。", "relation": "上游供应商"}
    removed = client.post("/links/manual/remove", json={**link, "relation": "上游供应商"}, headers=headers)
    assert removed.get_json()["message"] == "已删除该手工关系。"

    assert _manual_links(scratch_store) == []
    assert _audit(scratch_store) == [
        ("add_manual_link", None, "2019年起合作"),
        ("update_manual_link", "合作伙伴｜2019年起合作", "上游供应商｜"),
        ("remove_manual_link", "", None),
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"target": "NOBODY"}, "未找到该客户号"),
        ({"target": "P1"}, "不能与客户本人建立关系"),
        ({"relation": ""}, "请填写关系名称"),
        ({"relation": "关" * 21}, "请填写关系名称（不超过 20 个字）"),
        ({"note": "备" * 201}, "备注不能超过 200 个字"),
    ],
)
def test_bad_manual_link_is_refused_in_chinese(client, scratch_store, fields, message):
    page = _add(client, **fields).get_data(as_text=True)

    assert message in page
    assert _manual_links(scratch_store) == []


def test_manual_link_forms_need_the_csrf_token(client, scratch_store):
    forged = client.post("/customers/P1/manual-links", data={"target": "C1", "relation": "朋友"})
    forged_json = client.post(
        "/links/manual/remove", json={"source": "P1", "target": "C1", "relation": "朋友"}
    )

    assert forged.status_code == 400
    assert forged_json.status_code == 400
    assert _manual_links(scratch_store) == []


def test_miners_keep_manual_links(client, scratch_store):
    _add(client)

    mine_flow_links(scratch_store, batch_size=100)

    assert [link["relation"] for link in _manual_links(scratch_store)] == ["合作伙伴"]


def test_rename_onto_an_existing_relation_is_refused(client, scratch_store):
    _add(client, relation="朋友")
    _add(client, relation="同学")

    response = client.post(
        "/links/manual/update",
        json={"source": "P1", "target": "C1", "relation": "朋友", "new_relation": "同学", "note": ""},
        headers={"X-CSRF-Token": _token(client)},
    )

    assert response.status_code == 409
    assert "已有“同学”关系" in response.get_json()["message"]
    assert [link["relation"] for link in _manual_links(scratch_store)] == ["同学", "朋友"]
