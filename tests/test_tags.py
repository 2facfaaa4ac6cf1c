"""Tag portrait: system tags are read-only, and maintainers add and remove manual tags, audited."""

from __future__ import annotations

import re

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from graph_model.users import save_user
from tests.conftest import logged_in_client, page_csrf_token

PASSWORD = "correct-horse-tags"


@pytest.fixture
def app_and_store(scratch_store, scratch_settings):
    scratch_store.write(
        "CREATE (c:Customer {customer_id: 'G1', customer_type: 'retail', name: '郑一'}), "
        "(c)-[:TAGGED {tag_source: 'system', feed: 'tag_customer'}]->"
        "(:Tag {tag_code: 'T_HIGH_AUM', name: '高净值', category: '资产'}), "
        "(c)-[:TAGGED {tag_source: 'system', feed: 'tag_customer'}]->"
        "(:Tag {tag_code: 'T_DIGITAL', name: '手机银行活跃', category: '渠道偏好'})"
    )
    save_user(scratch_store, "hom_tags", generate_password_hash(PASSWORD), "总行", "head_office_manager")
    save_user(scratch_store, "hoa_tags", generate_password_hash(PASSWORD), "分析", "head_office_analyst")
    return create_app(scratch_settings, {"TESTING": True}), scratch_store


def _client(app, username: str):
    return logged_in_client(app, username, PASSWORD)


def _tags(store) -> list[tuple[str, str]]:
    rows = store.read(
        "MATCH (:Customer {customer_id: 'G1'})-[r:TAGGED]->(t:Tag) RETURN t.name AS name, r.tag_source AS source "
        "ORDER BY name"
    )
    return [(row["name"], row["source"]) for row in rows]


def _portrait(client) -> str:
    page = client.get("/customers/G1", query_string={"view": "simple"}).get_data(as_text=True)
    return re.search(r'<section class="panel" id="module-R02".*?</section>', page, re.S).group(0)


def test_tags_grouped_by_category(app_and_store):
    app, _store = app_and_store
    client = _client(app, "hom_tags")

    portrait = _portrait(client)

    assert re.findall(r"<dt>(.*?)</dt>", portrait) == ["渠道偏好", "资产"]
    assert '<span class="tag system" title="系统标签，由源系统维护">高净值</span>' in portrait
    assert 'name="tag_code" value="T_HIGH_AUM"' not in portrait


def test_manual_tag_add_remove_audited(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_tags")
    token = page_csrf_token(client)

    client.post("/customers/G1/tags", data={"csrf_token": token, "name": "有购房意向", "category": "需求"})
    after_add = _tags(store)
    portrait = _portrait(client)
    client.post("/customers/G1/tags/remove", data={"csrf_token": token, "tag_code": "manual:有购房意向"})

    assert ("有购房意向", "manual") in after_add
    assert "<dt>需求</dt>" in portrait
    assert 'name="tag_code" value="manual:有购房意向"' in portrait
    assert _tags(store) == [("手机银行活跃", "system"), ("高净值", "system")]
    events = store.read(
        "MATCH (e:AuditEvent) WHERE e.action IN ['add_tag', 'remove_tag'] "
        "RETURN e.action AS action, e.before AS before, e.after AS after, e.customer_id AS customer ORDER BY e.at"
    )
    assert events == [
        {"action": "add_tag", "before": None, "after": "需求：有购房意向", "customer": "G1"},
        {"action": "remove_tag", "before": "有购房意向", "after": None, "customer": "G1"},
    ]


def test_system_tag_removal_rejected(app_and_store):
    app, store = app_and_store
    maintainer = _client(app, "hom_tags")
    analyst = _client(app, "hoa_tags")

    forged = maintainer.post(
        "/customers/G1/tags/remove",
        data={"csrf_token": page_csrf_token(maintainer), "tag_code": "T_HIGH_AUM"},
    )
    without_role = analyst.post(
        "/customers/G1/tags/remove", data={"csrf_token": page_csrf_token(analyst), "tag_code": "T_HIGH_AUM"}
    )
    without_token = maintainer.post("/customers/G1/tags/remove", data={"tag_code": "T_HIGH_AUM"})

    assert forged.status_code == 403
    assert "系统标签由源系统维护，不能在此删除" in forged.get_data(as_text=True)
    assert without_role.status_code == 403
    assert without_token.status_code == 400
    assert _tags(store) == [("手机银行活跃", "system"), ("高净值", "system")]
    assert 'class="manual-link-form"' not in _portrait(analyst)
    refusals = store.read(
        "MATCH (e:AuditEvent) WHERE e.action IN ['change_refused', 'permission_refused'] "
        "RETURN e.action AS action, e.user AS user, e.detail AS detail ORDER BY e.at"
    )
    assert refusals == [
        {"action": "change_refused", "user": "hom_tags", "detail": "R02:T_HIGH_AUM"},
        {"action": "permission_refused", "user": "hoa_tags", "detail": "maintain"},
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "请填写标签名称"), ("长" * 21, "请填写标签名称"), ("高净值", "该客户已有标签“高净值”")],
)
def test_invalid_tag_rejected(app_and_store, name, message):
    app, store = app_and_store
    client = _client(app, "hom_tags")

    response = client.post(
        "/customers/G1/tags",
        data={"csrf_token": page_csrf_token(client), "name": name},
        follow_redirects=True,
    )

    assert message in response.get_data(as_text=True)
    assert _tags(store) == [("手机银行活跃", "system"), ("高净值", "system")]


def test_graph_node_shows_tags(app_and_store):
    app, _store = app_and_store
    client = _client(app, "hom_tags")

    network = client.get("/customers/G1/network.json").get_json()

    focus = next(node for node in network["nodes"] if node["id"] == "customer:G1")
    assert "标签：手机银行活跃、高净值" in focus["title"]
