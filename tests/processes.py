"""Helpers for tests that start servers as child processes on loopback ports."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """Return a loopback port that nothing listens on, chosen by the kernel."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def wait_for_port(process: subprocess.Popen, port: int, log_path: Path, timeout_s: float, name: str) -> None:
    """Wait until ``port`` accepts connections; fail with the process's log if it exits or times out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"{name} exited with code {process.returncode} before port {port} opened:\n{_log(log_path)}"
            )
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"{name} did not accept connections on port {port} within {timeout_s} s:\n{_log(log_path)}")


def stop_process(process: subprocess.Popen, timeout_s: float) -> None:
    """Terminate a child process and wait for it, killing it if it does not stop in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout_s)


def _log(log_path: Path) -> str:
    return log_path.read_text(errors="replace") if log_path.exists() else "(no log)"
