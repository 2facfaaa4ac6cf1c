"""Confirming and rejecting mined links from the 360 page's graph, audited and kept by reruns."""

from __future__ import annotations

import json
import re

import pytest

from graph_model import links as link_repository

LINK = {"source": "P1", "target": "P2", "link_type": "family"}


@pytest.fixture
def client(scratch_web_client, scratch_store):
    scratch_store.write(
        "CREATE (:Customer {customer_id: 'P1', customer_type: 'retail', name: '李明'}), "
        "(:Customer {customer_id: 'P2', customer_type: 'retail', name: '王芳'})"
    )
    _mine_family_link(scratch_store, "run-1")
    return scratch_web_client


def _mine_family_link(store, run_id: str) -> None:
    props = {
        "origin": "mined",
        "miner": "flows",
        "run_id": run_id,
        "confidence": 0.84,
        "basis": ["same_address"],
    }
    rows = [{**LINK, "props": props}]
    link_repository.upsert_links(store, rows, target_label="Customer", batch_size=10)
    link_repository.remove_stale_links(store, "flows", run_id, batch_size=10)


def _csrf(client) -> str:
    page = client.get("/customers/P1").get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)


def _review(client, decision: str, token: str | None, **overrides):
    headers = {"X-CSRF-Token": token} if token else {}
    return client.post("/links/review", json={**LINK, "decision": decision, **overrides}, headers=headers)


def _link_status(store) -> list:
    return store.read(
        "MATCH (:Customer {customer_id: 'P1'})-[r:RELATED_TO {link_type: 'family'}]->(:Customer {customer_id: 'P2'}) "
        "RETURN r.review_status AS status, r.reviewed_by AS reviewer"
    )


def _drawn_links(client) -> list[dict]:
    page = client.get("/customers/P1").get_data(as_text=True)
    network = json.loads(
        re.search(r'<script type="application/json" id="network-data">(.*?)</script>', page, re.S).group(1)
    )
    return [edge for edge in network["edges"] if "review" in edge]


def _drawn_link_types(client) -> list[str]:
    return [edge["review"]["link_type"] for edge in _drawn_links(client)]


def test_review_audited_and_rejected_hidden(client, scratch_store):
    token = _csrf(client)
    assert _drawn_link_types(client) == ["family"]

    assert [edge["dashes"] for edge in _drawn_links(client)] == [True]
    confirmed = _review(client, "confirmed", token)
    # A confirmed link is drawn solid, with its decision, so the page can warn before changing it.
    assert [(edge["dashes"], edge["review"]["status"]) for edge in _drawn_links(client)] == [
        (False, "confirmed")
    ]
    rejected = _review(client, "rejected", token)

    assert confirmed.status_code == 200
    assert confirmed.get_json()["message"] == "已确认该关系。"
    assert rejected.get_json()["status"] == "rejected"
    assert _link_status(scratch_store) == [{"status": "rejected", "reviewer": "rm_scratch"}]
    events = scratch_store.read(
        "MATCH (e:AuditEvent {action: 'review_link'}) RETURN e.user AS user, e.subject AS subject, "
        "e.before AS before, e.after AS after ORDER BY e.at, e.after"
    )
    assert {(e["before"], e["after"]) for e in events} == {(None, "confirmed"), ("confirmed", "rejected")}
    assert {e["subject"] for e in events} == {"family:P1->P2"}
    assert _drawn_link_types(client) == []


def test_review_without_csrf_token_is_refused(client, scratch_store):
    response = _review(client, "rejected", None)

    assert response.status_code == 400
    assert _link_status(scratch_store) == [{"status": None, "reviewer": None}]


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"target": "P9"}, 404, "未找到该关系"),
        ({"decision": "maybe"}, 400, "请求内容不完整或无效"),
        ({"source": ""}, 400, "请求内容不完整或无效"),
    ],
)
def test_bad_review_requests_answer_in_chinese(client, overrides, status, message):
    response = _review(client, overrides.pop("decision", "confirmed"), _csrf(client), **overrides)

    assert response.status_code == status
    assert message in response.get_json()["message"]


def test_rejected_link_stays_rejected_after_reruns(client, scratch_store):
    assert _review(client, "rejected", _csrf(client)).status_code == 200

    _mine_family_link(scratch_store, "run-2")
    # A run that no longer infers the link keeps the rejection as well.
    link_repository.remove_stale_links(scratch_store, "flows", "run-3", batch_size=10)

    assert _link_status(scratch_store) == [{"status": "rejected", "reviewer": "rm_scratch"}]
    assert _drawn_link_types(client) == []
