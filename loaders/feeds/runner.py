"""Load day-end feed files into the graph, one file at a time, in the catalogue's order.

A file is parsed and checked completely before anything is written. When a check refuses the
file, nothing of it is written, the run is recorded as failed and loading stops, because the
file is more likely broken than its rows. The first business day loaded into a graph without
feed data is built in bulk where the engine can (``first_load``).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from graph_model.feed_writes import (
    close_missing_links,
    close_missing_nodes,
    upsert_feed_links,
    upsert_feed_nodes,
)
from graph_model.reference import division_codes
from graph_model.store import GraphStore
from loaders.feeds.checks import DEFAULT_MAX_CLOSE_RATIO, GraphKeys, accepted_rows
from loaders.feeds.feed_file import (
    FeedFile,
    FeedLoadFailed,
    find_feed_files,
    parse_feed_file,
    record_failed_run,
)
from loaders.feeds.first_load import load_first_day_in_bulk, plan_first_day_in_bulk
from loaders.feeds.graph_rows import write_feed_rows
from loaders.load_run import LoadReport, finish_run

logger = logging.getLogger(__name__)


def load_feed_folder(
    store: GraphStore,
    folder: Path,
    *,
    runs_dir: Path,
    batch_size: int,
    max_reject_ratio: float,
    max_close_ratio: float = DEFAULT_MAX_CLOSE_RATIO,
    business_date: date | None = None,
    bulk_first_load: bool = True,
) -> list[LoadReport]:
    """Load every feed file in ``folder``; stops at the first file that fails.

    The next file is parsed in a second thread while this one is written, because writing
    mostly waits on the database and parsing is the loader's own main cost.
    """
    feed_files, unmatched = find_feed_files(folder, business_date)
    for path in unmatched:
        logger.warning("Skipped %s: its name matches no feed", path)
    if not feed_files:
        raise FeedLoadFailed(f"no feed file found in {folder}; names look like cbs_account_20261203.csv")
    store.ensure_schema()
    known_divisions = division_codes(store) or None
    checks = {"max_reject_ratio": max_reject_ratio, "max_close_ratio": max_close_ratio}

    reports: list[LoadReport] = []
    plan = plan_first_day_in_bulk(store, feed_files) if bulk_first_load else None
    if plan is not None:
        first_day, image = plan
        reports += load_first_day_in_bulk(store, image, first_day, runs_dir, known_divisions, **checks)
        feed_files = feed_files[len(first_day) :]
    if not feed_files:
        return reports
    known_keys = GraphKeys(store)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-parser") as parser:
        upcoming = parser.submit(parse_feed_file, feed_files[0], runs_dir, known_divisions)
        for index, feed_file in enumerate(feed_files):
            try:
                report, rows = upcoming.result()
            except FeedLoadFailed as error:
                record_failed_run(store, feed_file, error)
                raise
            if index + 1 < len(feed_files):
                upcoming = parser.submit(parse_feed_file, feed_files[index + 1], runs_dir, known_divisions)
            reports.append(write_feed_file(store, feed_file, report, rows, batch_size, known_keys, **checks))
    return reports


def write_feed_file(
    store: GraphStore,
    feed_file: FeedFile,
    report: LoadReport,
    rows: list[dict],
    batch_size: int,
    known_keys: GraphKeys,
    *,
    max_reject_ratio: float,
    max_close_ratio: float,
) -> LoadReport:
    """Write a parsed file unless a check refuses it; record the run.

    :raises FeedLoadFailed: when a check refuses the file; the run is recorded as failed.
    """
    spec, business_date = feed_file.spec, feed_file.business_date
    try:
        rows = accepted_rows(
            store,
            feed_file,
            report,
            rows,
            max_reject_ratio=max_reject_ratio,
            max_close_ratio=max_close_ratio,
            known_keys=known_keys,
        )
    except FeedLoadFailed as error:
        record_failed_run(store, feed_file, error)
        raise
    write_feed_rows(QueryWriter(store, spec.name, business_date, batch_size), spec, rows, report)
    if spec.node is not None:
        known_keys.add(spec.node, (row[spec.node.key] for row in rows))
    report.rejected[spec.name] = report.rejects.total
    finish_run(store, report, business_date=business_date)
    logger.info(
        "Feed %s of %s: %s rows written, %d rejected",
        spec.name,
        business_date,
        report.loaded,
        report.rejects.total,
    )
    return report


class QueryWriter:
    """Writes a feed file's rows with batched Cypher queries."""

    def __init__(self, store: GraphStore, feed: str, business_date: str, batch_size: int) -> None:
        self._store = store
        self._options = {"feed": feed, "business_date": business_date}
        self._batch_size = batch_size

    def nodes(self, label: str, key: str, rows: list[dict]) -> int:
        return upsert_feed_nodes(self._store, label, key, rows, batch_size=self._batch_size, **self._options)

    def links(self, link: dict, rows: list[dict]) -> int:
        return upsert_feed_links(self._store, link, rows, batch_size=self._batch_size, **self._options)

    def close_nodes(self, label: str) -> int:
        return close_missing_nodes(self._store, label, **self._options)

    def close_links(self, link: dict) -> int:
        return close_missing_links(self._store, link, **self._options)
