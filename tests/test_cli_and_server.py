"""The command line in its own processes, and the embedded server's life around them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from c360.config import Settings
from graph_model.embedded_server import EmbeddedServer
from graph_model.exceptions import QueryTimedOut
from graph_model.store import open_store
from tests.conftest import BERKA_DIR
from tests.processes import free_port, wait_for_port


def _c360(data_dir: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = os.environ | {"C360_DATA_DIR": str(data_dir), "C360_GRAPH_NAME": "c360"}
    return subprocess.run(
        [sys.executable, "-m", "c360", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _server_processes(data_dir: Path) -> list[int]:
    """Return pids of redis-server processes whose command line names this data directory's socket."""
    socket_path = str(EmbeddedServer(data_dir).socket_path)
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "redis-server" in command and socket_path in command:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def loaded_data_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli-data")
    loaded = _c360(data_dir, "load", "berka", str(BERKA_DIR))
    assert loaded.returncode == 0, loaded.stderr
    return data_dir


def test_stats_json_after_load(loaded_data_dir):
    result = _c360(loaded_data_dir, "stats", "--json")
    stats = json.loads(result.stdout)

    assert result.returncode == 0, result.stderr
    assert stats["nodes"]["Customer"] == 5369
    assert stats["nodes"]["Account"] == 4500
    assert stats["relationships"]["HOLDS"] == 5369


def test_second_load_changes_no_count(loaded_data_dir):
    before = json.loads(_c360(loaded_data_dir, "stats", "--json").stdout)

    reloaded = _c360(loaded_data_dir, "load", "berka", str(BERKA_DIR))
    after = json.loads(_c360(loaded_data_dir, "stats", "--json").stdout)

    assert reloaded.returncode == 0, reloaded.stderr
    assert after["nodes"] == before["nodes"]
    assert after["relationships"] == before["relationships"]
    assert after["bookkeeping"]["LoadRun"] == before["bookkeeping"]["LoadRun"] + 1


def test_no_server_left_after_commands(loaded_data_dir):
    _c360(loaded_data_dir, "stats", "--json")

    assert _server_processes(loaded_data_dir) == []
    assert (loaded_data_dir / "appendonlydir").is_dir()


def test_missing_folder_is_a_clear_error(tmp_path):
    result = _c360(tmp_path, "load", "berka", str(tmp_path / "nowhere"))

    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_data_survives_a_restart(tmp_path):
    settings = Settings(data_dir=tmp_path, graph_name="durable")
    store = open_store(settings)
    store.write("CREATE (:Customer {customer_id: 'kept', name: $name})", {"name": "张三"})
    store.close()
    assert _server_processes(tmp_path) == []

    reopened = open_store(settings)
    rows = reopened.read("MATCH (c:Customer {customer_id: 'kept'}) RETURN c.name AS name")
    reopened.close()

    assert rows == [{"name": "张三"}]


def test_serve_stops_server_on_sigterm(tmp_path):
    port = free_port()
    env = os.environ | {"C360_DATA_DIR": str(tmp_path), "C360_PORT": str(port)}
    server = subprocess.Popen(
        [sys.executable, "-m", "c360", "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(server, port, tmp_path / "none.log", 30, "c360 serve")
        assert len(_server_processes(tmp_path)) == 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    assert _server_processes(tmp_path) == []


def test_slow_read_times_out(tmp_path):
    store = open_store(Settings(data_dir=tmp_path, graph_name="slow", read_timeout_ms=200))
    try:
        store.write("UNWIND range(1, 2000) AS i CREATE (:Customer {customer_id: toString(i)})")
        started = time.monotonic()
        # Eight billion combinations: hours of work unless the engine stops it.
        with pytest.raises(QueryTimedOut):
            store.read("MATCH (a:Customer), (b:Customer), (c:Customer) RETURN count(*) AS combinations")
        assert time.monotonic() - started < 10
        assert store.read("MATCH (c:Customer) RETURN count(c) AS n") == [{"n": 2000}]
    finally:
        store.close()
