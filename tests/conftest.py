"""Shared fixtures: a real embedded FalkorDB server, the Berka data loaded once, and settings.

Every test process uses one data directory under pytest's temporary folder. Read-only tests
share one graph with the real Berka data and the mined links; tests that write use a graph of
their own, deleted afterwards.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest

from c360.config import Settings
from c360.mining_run import mine_flow_links
from graph_model.falkordb_engine import FalkorDBStore
from graph_model.store import open_store
from loaders.berka import load_berka

CHECKOUT = Path(__file__).resolve().parents[1]


def _shared_data() -> Path:
    """Find the shared data: ``C360_SHARED_DATA``, else ``../shared/data`` beside this checkout.

    A clone made elsewhere (for example in a temporary folder) also finds it beside the local
    checkout it was cloned from.
    """
    if os.environ.get("C360_SHARED_DATA"):
        return Path(os.environ["C360_SHARED_DATA"])
    beside = CHECKOUT.parent / "shared" / "data"
    if beside.is_dir():
        return beside
    origin = subprocess.run(
        ["git", "-C", str(CHECKOUT), "config", "--get", "remote.origin.url"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    if origin and Path(origin).is_dir():
        return Path(origin).resolve().parent / "shared" / "data"
    return beside


SHARED_DATA = _shared_data()
BERKA_DIR = SHARED_DATA / "berka"
BERKA_GRAPH = "c360_test_berka"


def pytest_configure(config):
    if not BERKA_DIR.is_dir():
        raise pytest.UsageError(
            f"the Berka data is missing: expected it in {BERKA_DIR}; set C360_SHARED_DATA to the shared data folder"
        )


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("c360-data")
    os.environ["C360_DATA_DIR"] = str(path)
    os.environ.pop("C360_GRAPH_URL", None)
    return path


@pytest.fixture(scope="session")
def base_settings(data_dir) -> Settings:
    return Settings(data_dir=data_dir, graph_name=BERKA_GRAPH, secret_key="test-secret-key")


@pytest.fixture(scope="session")
def berka_store(base_settings) -> FalkorDBStore:
    """The embedded store with the Berka files loaded and the flow miner run once."""
    store = open_store(base_settings)
    store.delete_graph()
    load_berka(
        store, BERKA_DIR, runs_dir=base_settings.data_dir / "load-runs", batch_size=base_settings.batch_size
    )
    mine_flow_links(store, batch_size=base_settings.batch_size)
    yield store
    store.close()


@pytest.fixture
def scratch_settings(base_settings, monkeypatch) -> Settings:
    """Settings naming a fresh, empty graph on the same embedded server, also set in the environment."""
    settings = base_settings.with_overrides(graph_name=f"c360_test_{uuid.uuid4().hex[:10]}")
    monkeypatch.setenv("C360_GRAPH_NAME", settings.graph_name)
    return settings


@pytest.fixture
def scratch_store(scratch_settings, berka_store) -> FalkorDBStore:
    # Depending on berka_store keeps the session's lease, so the server is not restarted per test.
    store = open_store(scratch_settings)
    yield store
    store.delete_graph()
    store.close()


@pytest.fixture
def scratch_web_client(scratch_settings, scratch_store):
    """A test client of the web app on the scratch graph, logged in as a head-office business manager.

    That role covers the whole bank and may maintain data and review links.
    """
    from werkzeug.security import generate_password_hash

    from app import create_app
    from graph_model.users import save_user

    password = "correct-horse-scratch"
    save_user(scratch_store, "rm_scratch", generate_password_hash(password), "孙经理", "head_office_manager")
    client = create_app(scratch_settings, {"TESTING": True}).test_client()
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)
    ).group(1)
    login = client.post("/login", data={"csrf_token": token, "username": "rm_scratch", "password": password})
    assert login.status_code == 302
    return client


def logged_in_client(app, username: str, password: str):
    """Return a test client of ``app`` logged in through the login form, CSRF token included."""
    client = app.test_client()
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)
    ).group(1)
    response = client.post("/login", data={"csrf_token": token, "username": username, "password": password})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def page_csrf_token(client, path: str = "/") -> str:
    """Return the CSRF token a signed-in page carries for its scripts."""
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
