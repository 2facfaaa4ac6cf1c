"""Maintenance of the retail 360 page (P02): forms, locked system fields and records, audit old → new."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from app.retail.maintenance_forms import MAINTAINED_MODULES, checked_form
from graph_model.feed_writes import close_missing_links
from graph_model.users import save_user
from loaders.feeds.catalogue import FEEDS
from tests.conftest import logged_in_client, page_csrf_token

PASSWORD = "correct-horse-maintain"
#: A résumé as a browser sends it, and as it is kept: full-width punctuation and the line break stay.
RESUME_TYPED = "1998年起任教（语文），\r\n2005年任教研组长"
RESUME = "1998年起任教（语文），\n2005年任教研组长"

CUSTOMERS = """
CREATE (b:Branch {branch_code: 'B1', name: '一支行'}), (other:Branch {branch_code: 'B2', name: '二支行'}),
       (m:Manager {manager_id: 'M1', name: '钱经理', branch_code: 'B1'}),
       (c:Customer {customer_id: 'P1', customer_type: 'retail', name: '吴一', gender: 'M',
                    birth_date: '1980-05-01', occupation: '教师', employer: '第一中学',
                    education: 'BACHELOR', feed: 'cbs_retail_customer'}),
       (s:Customer {customer_id: 'P2', customer_type: 'retail', name: '吴二'}),
       (x:Customer {customer_id: 'P9', customer_type: 'retail', name: '外行客户'}),
       (:Customer {customer_id: 'B9', customer_type: 'corporate', name: '吴氏商贸有限公司'}),
       (c)-[:MANAGED_BY {role: 'primary'}]->(m), (c)-[:OPENED_AT]->(b), (s)-[:OPENED_AT]->(b),
       (x)-[:OPENED_AT]->(other),
       (c)-[:HAD_MAJOR_EVENT {feed: 'crm_major_event', last_seen: '2026-11-30'}]->
         (:MajorEvent {major_event_id: 'E-FEED', category: 'CAREER', event_date: '2026-10-01',
                       description: '晋升为教研组长', recorded_by: 'M1'}),
       (c)-[:HAS_PREFERENCE {feed: 'crm_preference', last_seen: '2026-11-30'}]->
         (:Preference {preference_id: 'PF-FEED', category: 'HOBBY', preference: '钓鱼', source: 'SURVEY'})
"""

AUDIT_EVENTS = """
MATCH (e:AuditEvent) WHERE e.action IN $actions
RETURN e.action AS action, e.detail AS detail, e.before AS before, e.after AS after, e.customer_id AS customer
ORDER BY e.at, e.detail
"""


@pytest.fixture
def app_and_store(scratch_store, scratch_settings):
    scratch_store.write(CUSTOMERS)
    users = (
        ("hom_maint", "head_office_manager", None, None),
        ("rm_maint", "relationship_manager", "B1", "M1"),
        ("hoa_maint", "head_office_analyst", None, None),
        ("audit_maint", "auditor", None, None),
    )
    for username, role, branch, manager in users:
        save_user(
            scratch_store, username, generate_password_hash(PASSWORD), username, role,
            branch_code=branch, manager_id=manager,
        )  # fmt: skip
    return create_app(scratch_settings, {"TESTING": True}), scratch_store


def _client(app, username: str):
    return logged_in_client(app, username, PASSWORD)


def _post(client, path: str, data: dict[str, str]):
    return client.post(path, data={"csrf_token": page_csrf_token(client)} | data)


def _audit(store, *actions: str) -> list[dict]:
    return store.read(AUDIT_EVENTS, {"actions": list(actions)})


def _customer(store) -> dict:
    return store.read("MATCH (c:Customer {customer_id: 'P1'}) RETURN c {.*} AS c")[0]["c"]


def test_basic_info_edit_audited_old_new(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_maint")

    response = _post(
        client, "/customers/P1/maintain/R04",
        {"education": "MASTER", "marital_status": "MARRIED", "bank_relationship": "", "resume": RESUME_TYPED},
    )  # fmt: skip

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/customers/P1#module-R04")
    customer = _customer(store)
    assert (customer["education"], customer["marital_status"], customer["resume"]) == (
        "MASTER",
        "MARRIED",
        RESUME,
    )
    assert customer["maintained_by"] == "hom_maint"
    assert _audit(store, "maintain_customer") == [
        {"action": "maintain_customer", "detail": "R04.education", "before": "BACHELOR", "after": "MASTER",
         "customer": "P1"},
        {"action": "maintain_customer", "detail": "R04.marital_status", "before": None, "after": "MARRIED",
         "customer": "P1"},
        {"action": "maintain_customer", "detail": "R04.resume", "before": None, "after": RESUME,
         "customer": "P1"},
    ]  # fmt: skip
    trail = _client(app, "audit_maint").get("/admin/audit").get_data(as_text=True)
    assert re.search(r"客户基本信息：学历</td>\s*<td>大学本科</td>\s*<td>硕士研究生</td>", trail)


def test_page_maintained_and_locked_fields(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_maint")
    _post(client, "/customers/P1/maintain/R06", {"position": "教研组长", "annual_income": "180,000.50"})

    form = client.get("/customers/P1/maintain/R06").get_data(as_text=True)
    page = client.get("/customers/P1", query_string={"view": "whole_bank"}).get_data(as_text=True)

    locked = re.search(r'<dl class="facts" id="locked-fields">.*?</dl>', form, re.S).group(0)
    assert "<dt>工作单位</dt><dd>第一中学</dd>" in locked
    assert 'name="employer"' not in form
    assert 'name="annual_income" value="180000.50"' in form
    work = re.search(r'id="module-R06".*?</section>', page, re.S).group(0)
    assert "<dt>职务</dt><dd>教研组长</dd>" in work
    assert "<dt>职业</dt><dd>教师</dd>" in work
    basic = re.search(r'id="module-R04".*?</section>', page, re.S).group(0)
    assert "<dt>开户机构</dt><dd>一支行</dd>" in basic
    assert _customer(store)["annual_income"] == 180000.5


#: The bank's local time the form checks below compare with.
NOW = datetime(2026, 12, 5, 10, 30)


@pytest.mark.parametrize(
    ("module_id", "field", "typed", "stored", "message"),
    [
        ("R06", "annual_income", "120,000.50", 120000.5, None),
        ("R06", "annual_income", "1e9", None, "年收入（元）须为金额，例如 120000 或 120000.50。"),
        ("R06", "annual_income", "NaN", None, "年收入（元）须为金额，例如 120000 或 120000.50。"),
        ("R06", "annual_income", "-5", None, "年收入（元）须为金额，例如 120000 或 120000.50。"),
        ("R06", "annual_income", "10.005", None, "年收入（元）最多保留两位小数。"),
        ("R06", "annual_income", "１２００", 1200.0, None),
        ("R06", "annual_income", "1000000000001", None, "年收入（元）须在 0 至 1 万亿元之间。"),
        ("R25", "contact_time", "2026-12-05T10:00", "2026-12-05T10:00:00", None),
        ("R25", "contact_time", "2026-12-05T11:00", None, "接触时间不能晚于现在。"),
        ("R25", "contact_time", "2026-12-06T09:00", None, "接触时间不能晚于今天。"),
        ("R25", "contact_type", "", None, "请选择方式。"),
        ("R09", "description", "", None, "请填写事件。"),
    ],
)
def test_form_field_checks(module_id, field, typed, stored, message):
    fields = tuple(item for item in MAINTAINED_MODULES[module_id].fields if item.name == field)

    checked = checked_form(fields, {field: typed}, NOW)

    assert checked.values.get(field) == stored
    assert checked.errors.get(field) == message


def test_forged_system_field_ignored(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_maint")

    _post(client, "/customers/P1/maintain/R06", {"employer": "伪造单位", "name": "伪造", "position": "校长"})

    customer = _customer(store)
    assert (customer["employer"], customer["name"], customer["position"]) == ("第一中学", "吴一", "校长")
    assert [event["detail"] for event in _audit(store, "maintain_customer")] == ["R06.position"]


def test_invalid_input_messages_nothing_saved(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_maint")

    income = _post(client, "/customers/P1/maintain/R06", {"annual_income": "十万", "position": "校长"})
    event = _post(
        client, "/customers/P1/maintain/R09",
        {"category": "LOTTERY", "event_date": "2999-01-01", "description": "x" * 201},
    )  # fmt: skip

    assert income.status_code == 200
    income_page = income.get_data(as_text=True)
    assert "年收入（元）须为金额，例如 120000 或 120000.50。" in income_page
    assert 'name="position" value="校长"' in income_page
    event_page = event.get_data(as_text=True)
    assert "请从列表中选择类别。" in event_page
    assert "日期不能晚于今天。" in event_page
    assert "事件不能超过 200 个字。" in event_page
    assert "position" not in _customer(store)
    events = store.read(
        "MATCH (:Customer {customer_id: 'P1'})-[:HAD_MAJOR_EVENT]->(e) RETURN e.major_event_id AS id"
    )
    assert events == [{"id": "E-FEED"}]
    assert _audit(store, "maintain_customer", "add_record") == []


def test_manual_record_add_change_remove(app_and_store):
    app, store = app_and_store
    client = _client(app, "rm_maint")

    _post(
        client, "/customers/P1/maintain/R09",
        {"category": "FAMILY", "event_date": "2026-11-20", "description": "女儿考入大学"},
    )  # fmt: skip
    listing = client.get("/customers/P1/maintain/R09").get_data(as_text=True)
    record_id = store.read(
        "MATCH (:Customer {customer_id: 'P1'})-[r:HAD_MAJOR_EVENT {origin: 'manual'}]->(e) "
        "RETURN e.major_event_id AS id, e.recorded_by AS recorded_by, r.created_by AS created_by"
    )[0]
    path = f"/customers/P1/maintain/R09/{record_id['id']}"
    edited = _post(
        client, path, {"category": "FAMILY", "event_date": "2026-11-21", "description": "女儿考入大学"}
    )
    shown = client.get("/customers/P1", query_string={"view": "whole_bank"}).get_data(as_text=True)
    removed = _post(client, path + "/remove", {})
    after_removal = client.get("/customers/P1", query_string={"view": "whole_bank"}).get_data(as_text=True)

    assert (record_id["recorded_by"], record_id["created_by"]) == ("M1", "rm_maint")
    assert "已新增一条客户大事记记录。" in listing
    assert edited.status_code == removed.status_code == 302
    events_shown = re.search(r'id="module-R09".*?</section>', shown, re.S).group(0)
    assert "女儿考入大学" in events_shown
    assert "<td>钱经理（M1）</td>" in events_shown
    assert "女儿考入大学" not in re.search(r'id="module-R09".*?</section>', after_removal, re.S).group(0)
    kept = store.read(
        "MATCH (:Customer {customer_id: 'P1'})-[r:HAD_MAJOR_EVENT {origin: 'manual'}]->(e) "
        "RETURN r.removed_by AS removed_by, r.valid_to IS NOT NULL AS ended, e.event_date AS day"
    )
    assert kept == [{"removed_by": "rm_maint", "ended": True, "day": "2026-11-21"}]
    events = _audit(store, "add_record", "update_record", "remove_record")
    assert [(event["action"], event["before"], event["after"]) for event in events] == [
        (
            "add_record",
            None,
            '{"category": "FAMILY", "event_date": "2026-11-20", "description": "女儿考入大学"}',
        ),
        ("update_record", "2026-11-20", "2026-11-21"),
        (
            "remove_record",
            '{"category": "FAMILY", "event_date": "2026-11-21", "description": "女儿考入大学"}',
            None,
        ),
    ]
    assert events[1]["detail"] == f"R09:{record_id['id']}.event_date"


def test_rating_adjustment_recorded_as_manual(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_maint")

    _post(
        client,
        "/customers/P1/maintain/R18",
        {"rating_date": "2026-11-28", "grade": "AA", "reason": "新增大额存款"},
    )
    page = client.get("/customers/P1", query_string={"view": "whole_bank"}).get_data(as_text=True)

    ratings = store.read(
        "MATCH (:Customer {customer_id: 'P1'})-[:HAS_RATING {origin: 'manual'}]->(r) "
        "RETURN r.grade AS grade, r.rated_by AS rated_by, r.reason AS reason"
    )
    assert ratings == [{"grade": "AA", "rated_by": "MANUAL", "reason": "新增大额存款"}]
    section = re.search(r'id="module-R18".*?</section>', page, re.S).group(0)
    assert re.search(
        r"<td>2026-11-28</td>\s*<td>AA</td>\s*<td[^>]*>—</td>\s*<td>人工调整</td>\s*<td>新增大额存款</td>",
        section,
    )


def test_source_records_locked(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_maint")

    listing = client.get("/customers/P1/maintain/R09").get_data(as_text=True)
    edit = _post(client, "/customers/P1/maintain/R09/E-FEED", {"category": "OTHER", "event_date": "2026-10-01",
                                                               "description": "篡改"})  # fmt: skip
    remove = _post(client, "/customers/P1/maintain/R09/E-FEED/remove", {})

    assert "/maintain/R09/E-FEED" not in listing
    assert re.search(r'name="event_date" value="" min="1900-01-01" max="\d{4}-\d{2}-\d{2}"', listing)
    assert "源系统" in listing
    assert edit.status_code == remove.status_code == 403
    assert "由源系统提供，不能在此修改或删除" in remove.get_data(as_text=True)
    record = store.read(
        "MATCH (:Customer {customer_id: 'P1'})-[r:HAD_MAJOR_EVENT]->(e {major_event_id: 'E-FEED'}) "
        "RETURN e.description AS description, r.valid_to AS ended"
    )
    assert record == [{"description": "晋升为教研组长", "ended": None}]
    assert _audit(store, "update_record", "remove_record") == []
    refused = _audit(store, "change_refused")
    assert [event["detail"] for event in refused] == ["R09:E-FEED", "R09:E-FEED"]


def test_snapshot_feed_keeps_manual_records(app_and_store):
    app, store = app_and_store
    _post(
        _client(app, "hom_maint"),
        "/customers/P1/maintain/R10",
        {"category": "INVESTMENT", "preference": "稳健型"},
    )
    link = {"source_label": "Customer", "rel_type": "HAS_PREFERENCE", "target_label": "Preference"}

    closed = close_missing_links(store, link, feed="crm_preference", business_date="2026-12-01")

    open_preferences = store.read(
        "MATCH (:Customer {customer_id: 'P1'})-[r:HAS_PREFERENCE]->(p) WHERE r.valid_to IS NULL "
        "RETURN p.preference AS preference, p.source AS source"
    )
    assert closed == 1
    assert open_preferences == [{"preference": "稳健型", "source": "MANAGER"}]


def test_maintained_fields_written_by_no_feed():
    maintained = {
        form_field.name
        for module in MAINTAINED_MODULES.values()
        if module.record_kind is None
        for form_field in module.fields
    }
    fed = {
        column.property
        for feed in FEEDS
        if feed.node and feed.node.label == "Customer"
        for column in feed.columns
    }

    assert maintained == {
        "education", "marital_status", "bank_relationship", "resume",
        "position", "industry", "annual_income", "business_name", "business_scope",
    }  # fmt: skip
    assert not maintained & fed


def test_family_member_declared_and_removed(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_maint")

    unknown = _post(client, "/customers/P1/maintain/R07", {"member_id": "NOPE", "relation": "SPOUSE"})
    company = _post(client, "/customers/P1/maintain/R07", {"member_id": "B9", "relation": "CHILD"})
    declared = _post(client, "/customers/P1/maintain/R07", {"member_id": "P2", "relation": "SPOUSE"})
    again = _post(client, "/customers/P1/maintain/R07", {"member_id": "P2", "relation": "SIBLING"})
    family = client.get("/customers/P1", query_string={"view": "whole_bank"}).get_data(as_text=True)
    removed = _post(client, "/customers/P1/maintain/R07/P2/remove", {})

    assert "未找到客户号 NOPE" in unknown.get_data(as_text=True)
    assert "客户 B9 是对公客户，不能登记为家庭成员" in company.get_data(as_text=True)
    assert declared.status_code == 302
    assert "客户 P2 已登记为该客户的家庭成员。" in again.get_data(as_text=True)
    section = re.search(r'id="module-R07".*?</section>', family, re.S).group(0)
    assert re.search(r"吴二</a></td>\s*<td>配偶</td>\s*<td>客户经理登记</td>", section)
    assert removed.status_code == 302
    events = _audit(store, "declare_family", "end_family")
    assert [(event["action"], event["detail"]) for event in events] == [
        ("declare_family", "R07:P2"),
        ("end_family", "R07:P2"),
    ]


def test_family_member_out_of_scope_said_not_found(app_and_store):
    app, store = app_and_store
    manager = _client(app, "rm_maint")

    response = _post(manager, "/customers/P1/maintain/R07", {"member_id": "P2", "relation": "SPOUSE"})

    assert "未找到客户号 P2，或该客户不在您的查看范围内。" in response.get_data(as_text=True)
    assert store.read("MATCH ()-[d:DECLARED_FAMILY]->() RETURN count(d) AS n") == [{"n": 0}]
    refused = store.read("MATCH (e:AuditEvent {action: 'access_refused'}) RETURN e.customer_id AS customer")
    assert refused == [{"customer": "P2"}]


def test_family_member_not_a_customer(app_and_store):
    app, store = app_and_store
    client = _client(app, "hom_maint")

    invalid = _post(
        client, "/customers/P1/maintain/R07", {"kind": "person", "name": "", "relation": "CHILD", "birth_year": "1850"}
    )  # fmt: skip
    recorded = _post(
        client, "/customers/P1/maintain/R07",
        {"kind": "person", "name": "吴小明", "relation": "CHILD", "birth_year": "2012", "note": "在读初中"},
    )  # fmt: skip
    page = client.get("/customers/P1", query_string={"view": "whole_bank"}).get_data(as_text=True)
    [member_id] = [row["id"] for row in store.read("MATCH (p:FamilyMember) RETURN p.member_id AS id")]
    removed = _post(client, f"/customers/P1/maintain/R07/persons/{member_id}/remove", {})
    again = _post(client, f"/customers/P1/maintain/R07/persons/{member_id}/remove", {})

    invalid_page = invalid.get_data(as_text=True)
    assert "请填写姓名。" in invalid_page
    assert "出生年份须为 1900 至" in invalid_page
    assert recorded.status_code == 302
    section = re.search(r'id="module-R07".*?</section>', page, re.S).group(0)
    assert re.search(
        r"吴小明<span class=\"muted\">（非本行客户）</span>.*?</td>\s*<td>子女</td>\s*<td>客户经理登记</td>",
        section,
        re.S,
    )
    assert "2012 年" in section
    assert removed.status_code == 302
    assert again.status_code == 403
    events = _audit(store, "declare_family", "end_family")
    assert [event["action"] for event in events] == ["declare_family", "end_family"]
    assert (
        events[0]["after"]
        == '{"name": "吴小明", "relation": "CHILD", "birth_year": 2012, "note": "在读初中"}'
    )
    kept = store.read(
        "MATCH (:Customer {customer_id: 'P1'})-[r:HAS_FAMILY_MEMBER]->(p) RETURN r.removed_by AS by"
    )
    assert kept == [{"by": "hom_maint"}]


def test_maintenance_needs_permission_and_scope(app_and_store):
    app, store = app_and_store
    analyst = _client(app, "hoa_maint")
    manager = _client(app, "rm_maint")

    read_only = analyst.get("/customers/P1/maintain/R04")
    forged = analyst.post("/customers/P1/maintain/R04", data={"csrf_token": page_csrf_token(analyst),
                                                             "education": "DOCTORATE"})  # fmt: skip
    outside = _post(manager, "/customers/P9/maintain/R09", {"category": "OTHER", "event_date": "2026-11-01",
                                                            "description": "越权"})  # fmt: skip
    page = analyst.get("/customers/P1", query_string={"view": "whole_bank"}).get_data(as_text=True)

    assert read_only.status_code == forged.status_code == outside.status_code == 403
    assert _customer(store)["education"] == "BACHELOR"
    assert "/maintain/" not in page
    refused = store.read(
        "MATCH (e:AuditEvent {action: 'access_refused'}) RETURN e.customer_id AS customer, e.user AS user"
    )
    assert {"customer": "P9", "user": "rm_maint"} in refused
    lacking = store.read(
        "MATCH (e:AuditEvent {action: 'permission_refused'}) "
        "RETURN e.customer_id AS customer, e.user AS user, e.detail AS detail ORDER BY e.at"
    )
    assert lacking == [{"customer": "P1", "user": "hoa_maint", "detail": "maintain"}] * 2
    trail = _client(app, "audit_maint").get("/admin/audit").get_data(as_text=True)
    assert "需要“维护客户信息”权限" in trail
