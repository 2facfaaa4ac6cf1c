"""The first business day of feeds into a graph without feed data, built in one pass.

On an engine with a bulk path (FalkorDB's ``GRAPH.BULK``), the files of the first business day
are parsed and checked as in any load. Their rows are merged into an image of the graph's
current contents (reference data, users) by the same rules as the Cypher writes. The engine then
builds the result as a new graph in place of the old one. Nothing is closed: no record was open.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Container
from pathlib import Path
from typing import Any

from graph_model.exceptions import GraphChanged
from graph_model.feed_writes import has_nodes, stage_feed_links, stage_feed_nodes
from graph_model.graph_image import GraphImage
from graph_model.store import GraphStore, RebuildableStore
from loaders.feeds.catalogue import FEEDS
from loaders.feeds.checks import accepted_rows
from loaders.feeds.feed_file import FeedFile, FeedLoadFailed, parse_feed_file, record_failed_run
from loaders.feeds.graph_rows import write_feed_rows
from loaders.feeds.spec import NodeTarget
from loaders.load_run import LoadReport, finish_run

logger = logging.getLogger(__name__)

FEED_LABELS = sorted(
    {spec.node.label for spec in FEEDS if spec.node is not None}
    | {end.label for spec in FEEDS for link in spec.links for end in (link.source, link.target)}
)


def plan_first_day_in_bulk(
    store: GraphStore, feed_files: list[FeedFile]
) -> tuple[list[FeedFile], GraphImage] | None:
    """Return the files of the earliest business day and the graph's image, if they can go in bulk.

    That needs an engine with a bulk path, a graph holding no node of any feed's label, and
    current contents the bulk path can carry.
    """
    if not isinstance(store, RebuildableStore) or any(has_nodes(store, label) for label in FEED_LABELS):
        return None
    image = store.graph_image()
    if image is None:
        return None
    first_date = feed_files[0].business_date
    return [feed_file for feed_file in feed_files if feed_file.business_date == first_date], image


def load_first_day_in_bulk(
    store: RebuildableStore,
    image: GraphImage,
    feed_files: list[FeedFile],
    runs_dir: Path,
    known_divisions: Container[str] | None,
    *,
    max_reject_ratio: float,
    max_close_ratio: float,
) -> list[LoadReport]:
    """Check and stage every file, build the graph, then record each file's run.

    Files before one that a check refuses are loaded; that one is recorded as failed.

    :raises FeedLoadFailed: when a check refuses a file, or the graph changed during the load
        (then nothing was written).
    """
    known_keys = _ImageKeys(image)
    staged: list[tuple[FeedFile, LoadReport]] = []
    rejected_file: tuple[FeedFile, FeedLoadFailed] | None = None
    for feed_file in feed_files:
        spec = feed_file.spec
        try:
            report, rows = parse_feed_file(feed_file, runs_dir, known_divisions)
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
            rejected_file = (feed_file, error)
            break
        write_feed_rows(ImageWriter(image, spec.name, feed_file.business_date), spec, rows, report)
        report.rejected[spec.name] = report.rejects.total
        staged.append((feed_file, report))

    if staged:
        try:
            store.replace_graph(image)
        except GraphChanged as error:
            message = f"{error}; nothing was written, load the folder again"
            for feed_file, report in staged:
                finish_run(
                    store, report, business_date=feed_file.business_date, status="failed", error=message
                )
            raise FeedLoadFailed(message) from error
    for feed_file, report in staged:
        finish_run(store, report, business_date=feed_file.business_date, write_path="bulk")
        logger.info(
            "Feed %s of %s staged for the first load: %s, %d rejected",
            feed_file.spec.name,
            feed_file.business_date,
            report.loaded,
            report.rejects.total,
        )
    if rejected_file is not None:
        feed_file, error = rejected_file
        record_failed_run(store, feed_file, error)
        raise error
    return [report for _feed_file, report in staged]


class _ImageKeys:
    """The keys rows may refer to: those of the image, which contains every node staged so far."""

    def __init__(self, image: GraphImage) -> None:
        self._image = image

    def of(self, node: NodeTarget) -> Collection[Any]:
        return self._image.keys(node.label)


class ImageWriter:
    """Merges a feed file's rows into a graph image by the rules of the Cypher writes."""

    def __init__(self, image: GraphImage, feed: str, business_date: str) -> None:
        self._image = image
        self._options = {"feed": feed, "business_date": business_date}

    def nodes(self, label: str, key: str, rows: list[dict]) -> int:
        return stage_feed_nodes(self._image, label, key, rows, **self._options)

    def links(self, link: dict, rows: list[dict]) -> int:
        return stage_feed_links(self._image, link, rows, **self._options)

    def close_nodes(self, label: str) -> int:
        return 0  # a first load has nothing open to close

    def close_links(self, link: dict) -> int:
        return 0
