"""The retail 360 page of a fully populated generated customer in each built-in view, in Chromium.

A synthetic bank is generated and loaded, and the retail customer with the most kinds of records
is chosen. The few kinds it happens to lack are added by hand, so that every module has data.
For each view the test checks that the page shows exactly the view's modules, in its order, none
of them empty, and keeps a full-page screenshot in tests/artifacts/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from graph_model.customer_records import RECORD_KINDS
from graph_model.users import save_user
from graph_model.views import views_of_page
from loaders.feeds.runner import load_feed_folder
from synthetic.bank import generate_bank
from synthetic.vocabulary import county_divisions, small_industries
from synthetic.writer import write_feed_files
from tests.conftest import SHARED_DATA
from tests.processes import free_port, stop_process, wait_for_port
from tests.test_browser import ARTIFACTS_DIR, CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT_MS, VIEWPORT, sync_api

USERNAME = "views_hom"
PASSWORD = "views-hom-password"
VIEWS = ("simple", "branch", "whole_bank")

RICHEST_RETAIL_CUSTOMER = """
MATCH (c:Customer {customer_type: 'retail'})-[r]->()
WITH c, count(DISTINCT type(r)) AS kinds
RETURN c.customer_id AS customer_id
ORDER BY kinds DESC, customer_id
LIMIT 1
"""

KINDS_PRESENT = """
MATCH (:Customer {customer_id: $customer_id})-[r]->(n)
RETURN DISTINCT type(r) AS relationship
"""

ADD_RECORD = "MATCH (c:Customer {{customer_id: $customer_id}}) CREATE (c)-[:{relationship}]->(n:{label}) SET n = $props"

#: A record for each kind the chosen customer may lack, with the properties its module shows.
TOP_UPS = {
    "HAS_RATING": {"rating_id": "TOPUP-RT", "rating_date": "2026-11-01", "grade": "AA", "score": 88.0},
    "HAS_CREDIT_LINE": {
        "credit_line_id": "TOPUP-CL", "limit_amount": 50000.0, "used_amount": 12000.0,
        "available_amount": 38000.0, "start_date": "2026-01-01", "status": "ACTIVE",
    },
    "HAS_GUARANTEE": {"guarantee_id": "TOPUP-GU", "guarantee_type": "MORTGAGE", "collateral": "住房", "amount": 300000.0},
    "HAS_AGREEMENT": {"agreement_id": "TOPUP-AG", "agreement_type": "DEPOSIT", "sign_date": "2026-02-01", "status": "ACTIVE"},
    "HAS_CONTRIBUTION": {"contribution_id": "TOPUP-CO", "period": "202611", "total": 900.0, "deposit": 500.0},
    "HAS_CARD": {"card_id": "TOPUP-CC", "card_product": "GOLD", "credit_limit": 20000.0, "spend_30d": 3000.0},
    "FILED": {"complaint_id": "TOPUP-CP", "channel": "COUNTER", "category": "服务态度", "status": "RESOLVED"},
    "PARTICIPATED": {"participation_id": "TOPUP-MP", "campaign_name": "理财节", "channel": "MOBILE", "response": "JOINED"},
    "EXPRESSED": {"need_id": "TOPUP-ND", "need_type": "稳健理财", "channel": "MANAGER", "status": "OPEN"},
    "CONTACTED_IN": {"contact_id": "TOPUP-CT", "contact_type": "CALL", "contact_time": "2026-11-20T10:00:00"},
    "HAS_POINTS": {"points_account_id": "TOPUP-PT", "points_balance": 1200, "rights_level": "V2"},
    "ACTED_ON": {"event_id": "TOPUP-EV", "channel": "MOBILE", "event_type": "CLICK", "event_time": "2026-11-21T09:00:00"},
    "HAD_EVENT": {"event_id": "TOPUP-KE", "event_type": "FIRST_ACCOUNT", "event_date": "2015-03-01"},
    "HAD_MAJOR_EVENT": {"major_event_id": "TOPUP-ME", "category": "FAMILY", "event_date": "2026-05-01", "description": "乔迁新居"},
    "HAS_PREFERENCE": {"preference_id": "TOPUP-PF", "category": "HOBBY", "preference": "钓鱼", "source": "MANAGER"},
    "TAGGED": {"tag_code": "TOPUP-TAG", "name": "高净值", "category": "资产"},
}  # fmt: skip
LABEL_OF = {kind.relationship: kind.label for kind in RECORD_KINDS.values()} | {"TAGGED": "Tag"}

#: A deposit maturing 17 days after the business date, so that the reminders module (R24) has a
#: reminder whatever the generator drew for the customer.
ADD_MATURING_HOLDING = """
MATCH (c:Customer {customer_id: $customer_id}), (p:Product {product_code: 'D112'})
CREATE (c)-[:HAS_HOLDING]->(h:Holding)-[:OF_PRODUCT]->(p)
SET h = $props
"""
MATURING_HOLDING = {
    "holding_id": "TOPUP-MH", "product_code": "D112", "balance": 80000.0, "income": 1200.0,
    "start_date": "2025-12-20", "maturity_date": "2026-12-20",
}  # fmt: skip


def _populated_customer(store, tmp_path: Path) -> str:
    bank = generate_bank(
        300,
        seed=11,
        business_date=date(2026, 12, 3),
        divisions=county_divisions(SHARED_DATA / "cn-areacodes"),
        industries=small_industries(SHARED_DATA / "cn-industry-gbt4754"),
    )
    write_feed_files(bank, tmp_path / "feeds")
    load_feed_folder(
        store, tmp_path / "feeds", runs_dir=tmp_path / "runs", batch_size=2000, max_reject_ratio=0.0
    )
    customer_id = store.read(RICHEST_RETAIL_CUSTOMER)[0]["customer_id"]
    present = {row["relationship"] for row in store.read(KINDS_PRESENT, {"customer_id": customer_id})}
    for relationship, props in TOP_UPS.items():
        if relationship not in present:
            cypher = ADD_RECORD.format(relationship=relationship, label=LABEL_OF[relationship])
            store.write(cypher, {"customer_id": customer_id, "props": props})
    store.write(ADD_MATURING_HOLDING, {"customer_id": customer_id, "props": MATURING_HOLDING})
    if "DECLARED_FAMILY" not in present:
        store.write(
            "MATCH (c:Customer {customer_id: $customer_id}), (m:Customer {customer_type: 'retail'}) "
            "WHERE m <> c WITH c, m LIMIT 1 CREATE (c)-[:DECLARED_FAMILY {relation: 'SPOUSE'}]->(m)",
            {"customer_id": customer_id},
        )
    return customer_id


@pytest.fixture
def served_bank(scratch_store, scratch_settings, data_dir, tmp_path):
    customer_id = _populated_customer(scratch_store, tmp_path)
    save_user(
        scratch_store, USERNAME, generate_password_hash(PASSWORD), "总行业务管理员", "head_office_manager"
    )
    port = free_port()
    env = os.environ | {
        "C360_DATA_DIR": str(data_dir),
        "C360_GRAPH_NAME": scratch_settings.graph_name,
        "C360_HOST": "127.0.0.1",
        "C360_PORT": str(port),
    }
    env.pop("C360_GRAPH_URL", None)
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "c360", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(server, port, log_path, 30.0, "c360 serve")
        yield f"http://127.0.0.1:{port}", customer_id, scratch_store
    finally:
        stop_process(server, 10.0)


def _wait_until_drawn(page) -> None:
    """Wait for the graph's layout and every chart's drawing, polled from Python (the CSP forbids eval)."""
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    drawing = page.locator('#knowledge-graph:not([data-ready="true"]), .chart:not([data-ready="true"])')
    while drawing.count():
        assert time.monotonic() < deadline, f"graph or charts still drawing after {PAGE_TIMEOUT_MS} ms"
        time.sleep(0.2)


@pytest.mark.browser
def test_views_show_modules_with_data(served_bank):
    base_url, customer_id, store = served_bank
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    seen: dict[str, list[str]] = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base_url}/login")
        form = page.locator("form:has(input[name=password])")
        form.locator("input[name=username]").fill(USERNAME)
        form.locator("input[name=password]").fill(PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"{base_url}/")
        for view in VIEWS:
            page.goto(f"{base_url}/customers/{customer_id}?view={view}")
            shown = page.evaluate(
                "() => Array.from(document.querySelectorAll('section.panel[id^=module-]')).map((s) => s.id.slice(7))"
            )
            _wait_until_drawn(page)
            empty = page.evaluate(
                "() => Array.from(document.querySelectorAll('section.panel[id^=module-]'))"
                ".filter((s) => s.querySelector('.empty-state')).map((s) => s.id.slice(7))"
            )
            page.screenshot(path=ARTIFACTS_DIR / f"view-{view}.png", full_page=True)
            seen[view] = shown
            assert empty == [], f"{view}: modules without data {empty}"
        browser.close()

    defined = {view["view_id"]: list(view["modules"]) for view in views_of_page(store, "retail")}
    assert seen == {view: defined[view] for view in VIEWS}
    assert errors == []
