"""The retail pages in headless Chromium, served by a real `c360 serve` process on the Berka graph.

Playwright drives the Debian chromium binary instead of downloading its own browser, so the test
needs no network. It saves full-page screenshots to tests/artifacts/ for a person to review.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.security import generate_password_hash

from graph_model import links as link_repository
from graph_model.users import save_user
from tests.conftest import BERKA_GRAPH
from tests.processes import free_port, stop_process, wait_for_port

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: run pip install -e '.[test]'"
)

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
if CHROMIUM is None:
    pytest.skip("no chromium executable on PATH or at /usr/bin/chromium", allow_module_level=True)

# --no-sandbox lets Chromium start as root in a container, and headless pages need no GPU. The
# other flags skip first-run setup and the background calls to Google services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"
SERVER_START_TIMEOUT_S = 30.0
SERVER_STOP_TIMEOUT_S = 10.0
PAGE_TIMEOUT_MS = 15_000
# A common laptop screen size.
VIEWPORT = {"width": 1440, "height": 900}

USERNAME = "browser_rm"
PASSWORD = "browser-rm-password"

# In the Berka files, client 2 owns account 2 and client 3 is its disponent. The newest loaded
# transaction is dated 1994-03-31, so the 30-day window starts on 1994-03-02 and account 2 has
# six transactions in it.
EXPECTED_RECENT_TRANSACTIONS = 6
EXPECTED_WINDOW = "统计区间：1994-03-02 至 1994-03-31"


@pytest.fixture(scope="module")
def server_url(berka_store, data_dir, tmp_path_factory):
    """Start `python -m c360 serve` on a free loopback port, yield its base URL, then stop it."""
    save_user(
        berka_store, USERNAME, generate_password_hash(PASSWORD), "测试总行业务管理员", "head_office_manager"
    )

    port = free_port()
    env = os.environ | {
        "C360_DATA_DIR": str(data_dir),
        "C360_GRAPH_NAME": BERKA_GRAPH,
        "C360_HOST": "127.0.0.1",
        "C360_PORT": str(port),
    }
    env.pop("C360_GRAPH_URL", None)
    log_path = tmp_path_factory.mktemp("browser") / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "c360", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(server, port, log_path, SERVER_START_TIMEOUT_S, "c360 serve")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(server, SERVER_STOP_TIMEOUT_S)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _log_in(page, server_url: str) -> None:
    page.goto(f"{server_url}/login")
    login_form = page.locator("form:has(input[name=password])")
    login_form.locator("input[name=username]").fill(USERNAME)
    login_form.locator("input[name=password]").fill(PASSWORD)
    login_form.locator("button[type=submit]").click()
    page.wait_for_url(f"{server_url}/")


def _wait_for_customer_page(page, customer_id: str) -> None:
    page.wait_for_url(f"**/customers/{customer_id}")
    page.wait_for_selector('#knowledge-graph[data-ready="true"]')
    page.wait_for_selector("#knowledge-graph canvas")


def _wait_for_chart_animation(page) -> None:
    """Wait until ECharts has drawn the whole balance line, so the screenshot shows it complete.

    customer.js marks the chart ready right after setOption, while ECharts still animates the
    line (ECharts 5.6 animationDuration defaults to 1000 ms). The "finished" event fires when that
    animation ends. If it ended before this listener was added, the bounded timeout returns instead.
    """
    page.evaluate(
        """() => new Promise((resolve) => {
            const chart = echarts.getInstanceByDom(document.getElementById("balance-chart"));
            chart.on("finished", resolve);
            setTimeout(resolve, 3000);
        })"""
    )


@pytest.mark.browser
def test_search_customer_and_graph(server_url, browser):
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    requested_urls: list[str] = []
    page_errors: list[str] = []
    console_errors: list[str] = []

    def record_console_error(message) -> None:
        # The app serves no favicon, so Chromium's automatic /favicon.ico request gets a 404.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            console_errors.append(f"{message.text} at {message.location['url']}")

    page.on("request", lambda request: requested_urls.append(request.url))
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.on("console", record_console_error)

    try:
        _log_in(page, server_url)

        # Search from the page's own search form, not the one in the top bar.
        search_form = page.locator("form.search-form")
        search_form.locator("input[name=q]").fill("2")
        search_form.locator("button[type=submit]").click()
        results = page.locator("#search-results")
        results.wait_for()
        page.screenshot(path=ARTIFACTS_DIR / "search.png", full_page=True)
        results.get_by_role("link", name="2", exact=True).click()

        _wait_for_customer_page(page, "2")
        _wait_for_chart_animation(page)
        page.screenshot(path=ARTIFACTS_DIR / "customer-2.png", full_page=True)

        # Account numbers are masked; "显示" asks the server for the number in full.
        account_cell = page.locator("#accounts-table tbody tr td:first-child")
        assert account_cell.locator(".masked").all_inner_texts() == ["*"]
        account_cell.get_by_role("button", name="显示").click()
        _wait_for_text(account_cell.locator(".masked"), "2")
        assert account_cell.locator(".masked").all_inner_texts() == ["2"]

        assert page.locator("#module-R17").get_by_text(EXPECTED_WINDOW).count() == 1
        assert page.locator("#transactions-table tbody tr").count() == EXPECTED_RECENT_TRANSACTIONS
        assert page.locator("#module-R17 .empty-state").count() == 0

        assert page.locator('#balance-chart[data-ready="true"]').count() == 1
        assert page.locator("#balance-chart canvas").count() >= 1

        customer_3 = page.evaluate('() => window.c360Graph.body.data.nodes.get("customer:3")')
        assert customer_3 is not None
        assert customer_3["url"] == "/customers/3"

        # Click the drawn node: canvasToDOM gives its centre relative to the graph container.
        graph = page.locator("#knowledge-graph")
        graph.scroll_into_view_if_needed()
        box = graph.bounding_box()
        node_point = page.evaluate(
            '() => window.c360Graph.canvasToDOM(window.c360Graph.getPosition("customer:3"))'
        )
        position_message = f"node customer:3 is drawn outside the {box} canvas, at {node_point}"
        assert 0 <= node_point["x"] <= box["width"], position_message
        assert 0 <= node_point["y"] <= box["height"], position_message
        page.mouse.click(box["x"] + node_point["x"], box["y"] + node_point["y"])

        _wait_for_customer_page(page, "3")
        assert "客户号 3" in page.locator("h1.page-title").inner_text()
        assert page.locator("#accounts-table tbody tr td:first-child .masked").all_inner_texts() == ["*"]
    finally:
        context.close()

    assert page_errors == []
    assert console_errors == []
    assert requested_urls, "the page recorded no request"
    outside = [url for url in requested_urls if urlsplit(url).hostname != "127.0.0.1"]
    assert outside == [], f"requests left the machine: {outside}"


# Three customers of the review test, planted in the Berka graph and removed afterwards.
REVIEW_CUSTOMERS = {"BRW-A": "审核甲", "BRW-B": "审核乙", "BRW-C": "审核丙"}
REVIEW_LINKS = [("BRW-A", "BRW-B", "family"), ("BRW-A", "BRW-C", "supplies")]


@pytest.fixture
def review_pair(berka_store):
    rows = [{"customer_id": key, "name": name} for key, name in REVIEW_CUSTOMERS.items()]
    berka_store.write(
        "UNWIND $rows AS row CREATE (:Customer {customer_id: row.customer_id, name: row.name, "
        "customer_type: 'retail'})",
        {"rows": rows},
    )
    link_rows = [
        {
            "source": source,
            "target": target,
            "link_type": link_type,
            "props": {"origin": "mined", "miner": "browser-test", "run_id": "run-1", "confidence": 0.8},
        }
        for source, target, link_type in REVIEW_LINKS
    ]
    link_repository.upsert_links(berka_store, link_rows, target_label="Customer", batch_size=10)
    yield
    berka_store.write(
        "MATCH (c:Customer) WHERE c.customer_id IN $keys DETACH DELETE c", {"keys": list(REVIEW_CUSTOMERS)}
    )


def _click_edge(page, link_type: str) -> None:
    """Click the middle of the drawn edge whose review names ``link_type``."""
    graph = page.locator("#knowledge-graph")
    graph.scroll_into_view_if_needed()
    box = graph.bounding_box()
    point = page.evaluate(
        """(linkType) => {
            const network = window.c360Graph;
            const edge = network.body.data.edges.get({
                filter: (candidate) => candidate.review && candidate.review.link_type === linkType,
            })[0];
            return network.canvasToDOM(network.body.edges[edge.id].edgeType.getPoint(0.5));
        }""",
        link_type,
    )
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.locator("#link-review").wait_for(state="visible")


def _wait_for_text(locator, text: str) -> None:
    """Poll in Python: the page's content security policy forbids the string form of wait_for_function."""
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    while text not in locator.inner_text():
        assert time.monotonic() < deadline, f"{text!r} never appeared; the text is {locator.inner_text()!r}"
        time.sleep(0.1)


def _review_status(store, link_type: str) -> list:
    return store.read(
        "MATCH (:Customer {customer_id: 'BRW-A'})-[r:RELATED_TO {link_type: $link_type}]->(:Customer) "
        "RETURN r.review_status AS status, r.reviewed_by AS reviewer",
        {"link_type": link_type},
    )


def _drawn_review_types(page) -> list[str]:
    return sorted(
        page.evaluate(
            "() => window.c360Graph.body.data.edges.get({filter: (edge) => Boolean(edge.review)})"
            ".map((edge) => edge.review.link_type)"
        )
    )


@pytest.mark.browser
def test_graph_confirm_and_reject_links(server_url, browser, berka_store, review_pair):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        _log_in(page, server_url)
        page.goto(f"{server_url}/customers/BRW-A")
        _wait_for_customer_page(page, "BRW-A")
        assert _drawn_review_types(page) == ["family", "supplies"]

        _click_edge(page, "family")
        assert "置信度" in page.locator("#link-review-detail").inner_text()
        page.get_by_role("button", name="确认关系").click()
        _wait_for_text(page.locator("#link-review-detail"), "审核：已确认")
        page.screenshot(path=ARTIFACTS_DIR / "link-review-confirmed.png", full_page=True)

        _click_edge(page, "supplies")
        page.get_by_role("button", name="否决（今后不再推荐）").click()
        _wait_for_text(page.locator("#link-review-detail"), "审核：已否决")
        assert _drawn_review_types(page) == ["family"]

        page.reload()
        _wait_for_customer_page(page, "BRW-A")
        assert _drawn_review_types(page) == ["family"]
    finally:
        context.close()

    assert page_errors == []
    assert _review_status(berka_store, "family") == [{"status": "confirmed", "reviewer": USERNAME}]
    assert _review_status(berka_store, "supplies") == [{"status": "rejected", "reviewer": USERNAME}]
