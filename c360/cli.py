"""The ``c360`` command line: load data, mine links, run the worker and the web server."""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from c360.config import load_settings
from c360.roles import ROLES
from c360.users import InvalidUser, create_user, ensure_first_admin, password_file
from graph_model.bookkeeping import graph_statistics
from graph_model.exceptions import GraphStoreError
from graph_model.store import open_store

logger = logging.getLogger(__name__)

LOAD_SOURCES = ("feeds", "berka", "areacodes", "industries", "top-holders", "executives")


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages too.")
def main(verbose: bool) -> None:
    """Customer 360 Graph: a bank's 360-degree customer view on a graph database."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@main.command("load")
@click.argument("source", type=click.Choice(LOAD_SOURCES))
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--date",
    "business_date",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y%m%d"]),
    help="Business date of feed files whose names carry none (feeds only).",
)
@click.option(
    "--mine",
    "mine_after",
    is_flag=True,
    help="After a successful load, queue every miner for the running `c360 worker`.",
)
def load_command(source: str, path: Path, business_date, mine_after: bool) -> None:
    """Load the files of SOURCE found in the folder PATH into the graph.

    \b
    feeds        day-end files named <feed>_<YYYYMMDD>.csv
    berka        the PKDD'99 Czech bank files
    areacodes    the administrative division code history (GB/T 2260)
    industries   the GB/T 4754-2017 industry codes
    top-holders  listed companies' top-ten shareholders
    executives   listed companies' directors and executives
    """
    from loaders.berka import load_berka
    from loaders.listed_companies import load_executives, load_top_holders
    from loaders.load_run import SourceFilesMissing
    from loaders.reference_data import load_divisions, load_industries

    loaders = {
        "areacodes": load_divisions,
        "industries": load_industries,
        "top-holders": load_top_holders,
        "executives": load_executives,
    }

    settings = load_settings()
    if source == "feeds":
        _load_feeds(settings, path.resolve(), business_date.date() if business_date else None)
        if mine_after:
            _queue_all_miners(settings)
        return
    store = open_store(settings)
    options = {"runs_dir": settings.data_dir / "load-runs", "batch_size": settings.batch_size}
    try:
        if source == "berka":
            report = load_berka(store, path.resolve(), progress=_print_progress, **options)
        else:
            report = loaders[source](store, path.resolve(), **options)
    except SourceFilesMissing as error:
        raise click.ClickException(str(error)) from None
    finally:
        store.close()
    if mine_after:
        _queue_all_miners(settings)

    click.echo(f"Load run {report.run_id} finished in {report.duration_s} s")
    for entity, count in report.loaded.items():
        click.echo(f"  {entity:<16} loaded {count:>7}")
    for file_name, count in report.rejects.counts.items():
        click.echo(f"  {file_name:<16} rejected {count:>5}")
    if report.rejects_path:
        click.secho(f"Rejected rows and their reasons: {report.rejects_path}", fg="yellow")


def _load_feeds(settings, folder: Path, business_date) -> None:
    from loaders.feeds.feed_file import FeedLoadFailed
    from loaders.feeds.runner import load_feed_folder

    store = open_store(settings)
    try:
        reports = load_feed_folder(
            store,
            folder,
            runs_dir=settings.data_dir / "load-runs",
            batch_size=settings.batch_size,
            max_reject_ratio=settings.max_reject_ratio,
            max_close_ratio=settings.max_close_ratio,
            business_date=business_date,
        )
    except FeedLoadFailed as error:
        raise click.ClickException(str(error)) from None
    finally:
        store.close()
    for report in reports:
        written = ", ".join(f"{name} {count}" for name, count in report.loaded.items())
        click.echo(f"{report.source:<24} {report.run_id}: {written}; rejected {report.rejects.total}")
        if report.rejects_path:
            click.secho(f"  rejected rows and their reasons: {report.rejects_path}", fg="yellow")


def _print_progress(entity: str, done: int, total: int) -> None:
    # On a terminal one line per entity counts up in place; in a log only the final count appears.
    if sys.stderr.isatty():
        click.echo(f"\r  {entity:<12} {done:>7}/{total}", nl=done >= total, err=True)
    elif done >= total:
        click.echo(f"  {entity:<12} {done:>7}/{total}", err=True)


@main.command("mine")
@click.option(
    "--miner",
    "miners",
    multiple=True,
    help="Run only this miner (repeatable): flows, ownership, guarantees. All by default.",
)
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait for the jobs to finish.")
@click.option("--timeout", default=3600, show_default=True, help="Seconds to wait before giving up waiting.")
def mine_command(miners: tuple[str, ...], wait: bool, timeout: int) -> None:
    """Queue one mining job per miner; a running `c360 worker` executes them."""
    with _open_queue(load_settings()) as queue:
        jobs = _queue_miners(queue, miners)
        if wait:
            deadline = time.monotonic() + timeout
            for job in jobs:
                _wait_for_job(job, deadline)


@contextmanager
def _open_queue(settings) -> Iterator:
    """Open the job queue, holding a lease on the embedded server so that its Redis stays up."""
    from c360.queue import job_queue

    store = open_store(settings)
    queue = job_queue(settings)
    try:
        yield queue
    finally:
        queue.connection.close()
        store.close()


def _queue_miners(queue, miners: tuple[str, ...]) -> list:
    from c360.mining_jobs import UnknownMiner, queue_miners

    try:
        jobs = queue_miners(queue, miners)
    except UnknownMiner as error:
        raise click.BadParameter(str(error), param_hint="--miner") from None
    for job in jobs:
        click.echo(f"Queued mining job {job.id} ({job.description})")
    return jobs


def _queue_all_miners(settings) -> None:
    with _open_queue(settings) as queue:
        _queue_miners(queue, ())


@main.group("jobs", invoke_without_command=True)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="How many of the newest jobs to list.",
)
@click.pass_context
def jobs_command(context: click.Context, limit: int) -> None:
    """List the mining jobs: state, progress, duration, link counts and errors."""
    if context.invoked_subcommand is not None:
        return
    from c360.mining_jobs import recent_jobs

    with _open_queue(load_settings()) as queue:
        summaries = recent_jobs(queue, limit)
    if not summaries:
        click.echo("No mining jobs yet; queue them with `c360 mine`.")
        return
    click.echo(
        f"{'job':<36}  {'miner':<11} {'state':<9} {'queued (UTC)':<23}  {'duration':>8}  result or error"
    )
    for summary in summaries:
        when = f"{summary.enqueued_at:%Y-%m-%d %H:%M:%S}" if summary.enqueued_at else "-"
        duration = f"{summary.duration_s} s" if summary.duration_s is not None else "-"
        # A finished job that found nothing has an empty result, which is still its result.
        found = summary.result if summary.result is not None else summary.progress
        detail = summary.error or json.dumps(found or {}, sort_keys=True)
        click.echo(
            f"{summary.job_id}  {summary.miner:<11} {summary.status:<9} {when} UTC  {duration:>8}  {detail}"
        )


@jobs_command.command("retry")
@click.argument("job_id")
def retry_command(job_id: str) -> None:
    """Queue a failed or stopped job again."""
    from c360.mining_jobs import JobNotRetryable, retry_job

    with _open_queue(load_settings()) as queue:
        try:
            job = retry_job(queue, job_id)
        except JobNotRetryable as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"Queued job {job.id} ({job.description}) in place of {job_id}")


def _wait_for_job(job, deadline: float) -> None:
    last_progress = None
    while time.monotonic() < deadline:
        status = job.get_status(refresh=True)
        progress = job.get_meta(refresh=True).get("progress")
        if progress and progress != last_progress:
            click.echo(
                f"Mining job {job.description} {progress['stage']} {progress['done']}/{progress['total']}",
                err=True,
            )
            last_progress = progress
        if status == "finished":
            result = json.dumps(job.return_value(), sort_keys=True)
            click.echo(f"Mining job {job.id} ({job.description}) finished: {result}")
            return
        if status in ("failed", "stopped", "canceled"):
            raise click.ClickException(
                f"mining job {job.id} ({job.description}) {status}; see the worker's log"
            )
        time.sleep(0.5)
    raise click.ClickException(
        f"mining job {job.id} ({job.description}) did not finish in time; is `c360 worker` running?"
    )


@main.command("generate")
@click.option("--customers", type=click.IntRange(min=10), required=True, help="Number of retail customers.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the feed files and ground_truth.json into.",
)
@click.option(
    "--seed", default=20261204, show_default=True, help="Random seed; the same seed gives the same bank."
)
@click.option(
    "--date",
    "business_date",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y%m%d"]),
    help="Business date of the files; defaults to yesterday.",
)
@click.option(
    "--reference-data",
    "reference_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("../shared/data"),
    show_default=True,
    help="Folder with cn-areacodes and cn-industry-gbt4754; small built-in lists are used without it.",
)
def generate_command(customers: int, out_dir: Path, seed: int, business_date, reference_dir: Path) -> None:
    """Write the day-end files of a synthetic Chinese bank with planted families, villages and chains."""
    from datetime import date, timedelta

    from synthetic.bank import generate_bank
    from synthetic.vocabulary import county_divisions, small_industries
    from synthetic.writer import write_feed_files

    day = business_date.date() if business_date else date.today() - timedelta(days=1)
    bank = generate_bank(
        customers,
        seed=seed,
        business_date=day,
        divisions=county_divisions(reference_dir / "cn-areacodes"),
        industries=small_industries(reference_dir / "cn-industry-gbt4754"),
    )
    written = write_feed_files(bank, out_dir)
    for feed, count in written.items():
        click.echo(f"  {feed:<24} {count:>8} rows")
    click.echo(f"Wrote the feeds of {day} and ground_truth.json to {out_dir}")


@main.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run jobs from the queue until stopped; first queue again the jobs of workers that died."""
    from c360.mining_jobs import requeue_abandoned
    from c360.queue import QueueWorker

    with _open_queue(load_settings()) as queue:
        for job_id in requeue_abandoned(queue):
            click.echo(f"Job {job_id}, whose worker stopped, is queued again", err=True)
        QueueWorker([queue], connection=queue.connection).work(burst=burst, logging_level="INFO")


@main.command("serve")
def serve_command() -> None:
    """Serve the web application on C360_HOST:C360_PORT (127.0.0.1:8360 by default)."""
    import waitress

    from app import create_app

    settings = load_settings()
    web_app = create_app(settings)
    # SIGTERM ends the process through SystemExit, so the store's exit handler gives up its lease.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    waitress.serve(web_app, host=settings.host, port=settings.port, threads=8, ident="c360")


@main.command("up")
@click.option("--mine/--no-mine", default=True, show_default=True, help="Run the mining job before serving.")
@click.option(
    "--load-berka",
    "berka_path",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Load the Berka files in this folder first.",
)
def up_command(mine: bool, berka_path: Path | None) -> None:
    """Start the worker and the web server together; Ctrl-C stops both and the embedded database.

    Creates user admin with a random password first if there is no user.
    """
    from c360.supervisor import run_product

    run_product(load_settings(), mine_first=mine, berka_path=berka_path, progress=_print_progress)


@main.command("create-user")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(tuple(ROLES)),
    default="relationship_manager",
    show_default=True,
    help="Role deciding which customers the user sees and what the user may do.",
)
@click.option("--display-name", default="", help="Name shown on pages; defaults to USERNAME.")
@click.option(
    "--branch",
    "branch_code",
    default="",
    help="Code of the user's branch; required for branch_manager, empty for head office.",
)
@click.option(
    "--manager-id",
    default="",
    help="Id of the CRM manager record that is this user; required for relationship_manager, "
    "rejected for other roles.",
)
@click.password_option(help="Password of at least 8 characters; asked for when not given.")
def create_user_command(
    username: str, role: str, display_name: str, branch_code: str, manager_id: str, password: str
) -> None:
    """Create a user, or reset an existing user's password, role, branch and manager.

    Resetting ends the user's open sessions in the web application.
    """
    from c360.queue import queue_connection
    from c360.sessions import LoginSessions, key_prefix

    settings = load_settings()
    store = open_store(settings)
    try:
        create_user(
            store, username, password, role, display_name, branch_code=branch_code, manager_id=manager_id
        )
        connection = queue_connection(settings)
        try:
            ended = LoginSessions(connection, key_prefix(settings)).end_all(username)
        finally:
            connection.close()
    except InvalidUser as error:
        raise click.BadParameter(str(error)) from None
    finally:
        store.close()
    click.echo(f"User {username!r} saved with role {role}")
    if ended:
        click.echo(f"Ended {ended} open sessions of {username!r}; the user must log in again")


@main.command("ensure-admin")
def ensure_admin_command() -> None:
    """Create the first administrator with a random password when the product has no user."""
    settings = load_settings()
    store = open_store(settings)
    try:
        password = ensure_first_admin(store, settings.data_dir)
    finally:
        store.close()
    if password:
        click.echo(
            f"First login: user admin, password {password} (also in {password_file(settings.data_dir)})"
        )
    else:
        click.echo("Users exist already; no administrator was created")


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def stats_command(as_json: bool) -> None:
    """Count nodes per label and relationships per type."""
    settings = load_settings()
    store = open_store(settings)
    try:
        stats = graph_statistics(store)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, sort_keys=True))
        return
    for section, counts in stats.items():
        click.echo(f"{section}:")
        for name, count in counts.items():
            click.echo(f"  {name:<24} {count:>9}")


@main.command("stop-db")
def stop_db_command() -> None:
    """Save and stop the embedded database server, even if processes still use it."""
    from graph_model.embedded_server import EmbeddedServer

    settings = load_settings()
    if not settings.uses_embedded_graph:
        raise click.ClickException("C360_GRAPH_URL is set: there is no embedded server to stop")
    server = EmbeddedServer(settings.data_dir)
    if not server.is_running():
        click.echo("The embedded database server is not running")
        return
    server.stop()
    click.echo("The embedded database server saved its data and stopped")


def run() -> None:
    """Run the command line, turning graph store errors into one readable line."""
    try:
        main(standalone_mode=True)
    except GraphStoreError as error:
        click.secho(f"Error: {error}", fg="red", err=True)
        sys.exit(1)
