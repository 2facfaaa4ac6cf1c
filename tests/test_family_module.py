"""Family module: declared members with their relation, then mined family links, within the scope."""

from __future__ import annotations

import re

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from graph_model.users import save_user
from tests.conftest import logged_in_client

PASSWORD = "correct-horse-family"

# H1 declared H2 as spouse and H3 as child; H4 declared H1 as its child (so H1 is H4's... parent:
# from H1's side H4 is a parent). A miner linked H1 and H5 as family. H5 is managed from another
# branch, out of the relationship manager's scope.
FAMILY = """
CREATE (m1:Manager {manager_id: 'FM1', branch_code: 'B1', grid_code: 'FG1'}),
       (m2:Manager {manager_id: 'FM2', branch_code: 'B2', grid_code: 'FG2'})
CREATE (h1:Customer {customer_id: 'H1', customer_type: 'retail', name: '韩一', id_type: 'RESIDENT_ID',
                     id_number: '110105198001011234', occupation: '教师', employer: '实验小学'})-[:MANAGED_BY]->(m1),
       (h2:Customer {customer_id: 'H2', customer_type: 'retail', name: '韩二', gender: 'F'})-[:MANAGED_BY]->(m1),
       (h3:Customer {customer_id: 'H3', customer_type: 'retail', name: '韩三'})-[:MANAGED_BY]->(m1),
       (h4:Customer {customer_id: 'H4', customer_type: 'retail', name: '韩四'})-[:MANAGED_BY]->(m1),
       (h5:Customer {customer_id: 'H5', customer_type: 'retail', name: '韩五'})-[:MANAGED_BY]->(m2),
       (h6:Customer {customer_id: 'H6', customer_type: 'retail', name: '韩六'})-[:MANAGED_BY]->(m1)
CREATE (h1)-[:DECLARED_FAMILY {relation: 'SPOUSE'}]->(h2),
       (h1)-[:DECLARED_FAMILY {relation: 'CHILD'}]->(h3),
       (h4)-[:DECLARED_FAMILY {relation: 'CHILD'}]->(h1),
       (h1)-[:RELATED_TO {link_type: 'family', origin: 'mined', confidence: 0.8}]->(h5),
       (h1)-[:RELATED_TO {link_type: 'family', origin: 'mined', confidence: 0.9}]->(h2)
"""


@pytest.fixture
def client(scratch_store, scratch_settings):
    scratch_store.write(FAMILY)
    save_user(
        scratch_store, "rm_family", generate_password_hash(PASSWORD), "经理", "relationship_manager",
        branch_code=None, manager_id="FM1",
    )  # fmt: skip
    return logged_in_client(create_app(scratch_settings, {"TESTING": True}), "rm_family", PASSWORD)


def _section(client, customer_id: str, module_id: str) -> str:
    page = client.get(f"/customers/{customer_id}", query_string={"view": "whole_bank"}).get_data(as_text=True)
    return re.search(rf'<section class="panel" id="module-{module_id}".*?</section>', page, re.S).group(0)


def test_family_declared_then_mined(client):
    family = _section(client, "H1", "R07")

    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", family, re.S)
    members = [(re.sub(r"<[^>]+>", "", who).strip(), relation, source[:4]) for who, relation, source in rows]
    assert members == [
        ("韩二", "配偶", "客户申报"),
        ("韩三", "子女", "客户申报"),
        ("韩四", "父母", "客户申报"),
        ("其他客户", "家庭成员", "关系挖掘"),
    ]
    assert "韩五" not in family
    assert "H5" not in family


def test_basic_id_work_modules(client):
    id_module = _section(client, "H1", "R05")
    work = _section(client, "H1", "R06")

    assert "居民身份证" in id_module
    assert "110***********1234" in id_module
    assert "110105198001011234" not in id_module
    assert "教师" in work
    assert "实验小学" in work


def test_empty_modules_explained(client):
    assert "该客户没有申报家庭成员" in _section(client, "H6", "R07")
    assert "源系统未提供该客户的职业和工作单位" in _section(client, "H6", "R06")
    assert "源系统未提供该客户的证件信息" in _section(client, "H6", "R05")
