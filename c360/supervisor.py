"""Run the whole product in one terminal: embedded database, job worker and web server.

The supervisor keeps a lease on the embedded server while it runs, so the server outlives a
crash of either child. When the supervisor stops, it stops both children and gives up its
lease, and giving up the last lease stops the server.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from c360.config import Settings
from c360.users import ensure_first_admin, password_file
from graph_model.store import open_store
from loaders.berka import ProgressCallback, load_berka

logger = logging.getLogger(__name__)

CHILD_STOP_TIMEOUT_S = 20


def run_product(
    settings: Settings,
    *,
    mine_first: bool,
    berka_path: Path | None = None,
    progress: ProgressCallback | None = None,
) -> None:
    """Optionally load the Berka files, start the worker, run the mining job, then serve until interrupted."""
    store = open_store(settings)
    children: list[subprocess.Popen] = []
    stopping = False

    def request_stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        logger.info("Received signal %s, stopping", signum)

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        if berka_path is not None:
            report = load_berka(
                store,
                berka_path.resolve(),
                runs_dir=settings.data_dir / "load-runs",
                batch_size=settings.batch_size,
                progress=progress,
            )
            loaded = sum(report.loaded.values())
            click.echo(f"Loaded {loaded} rows from {berka_path}, rejected {report.rejects.total}")
        password = ensure_first_admin(store, settings.data_dir)
        children.append(_spawn("worker"))
        if mine_first:
            mined = subprocess.run([sys.executable, "-m", "c360", "mine", "--wait"], check=False)
            if mined.returncode != 0:
                click.secho("The mining job failed; the product starts without mined links.", fg="yellow")
        children.append(_spawn("serve"))
        url = f"http://{settings.host}:{settings.port}/"
        click.secho(f"Customer 360 Graph is running at {url}  (Ctrl-C stops it)", fg="green")
        if password:
            click.secho(f"First login: user admin, password {password}", fg="green")
        if password_file(settings.data_dir).exists():
            click.echo(f"The first administrator's password is kept in {password_file(settings.data_dir)}")
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    click.secho(f"`c360 {child.args[-1]}` exited with {child.returncode}; stopping", fg="red")
                    stopping = True
            time.sleep(0.5)
    finally:
        _stop_children(children)
        store.close()
        click.echo("Customer 360 Graph stopped")


def _spawn(command: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "c360", command])


def _stop_children(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=CHILD_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            logger.warning(
                "`c360 %s` (pid %s) did not stop in %d s; killing it",
                child.args[-1],
                child.pid,
                CHILD_STOP_TIMEOUT_S,
            )
            child.kill()
            child.wait()
