"""Load day-end feed files into the graph, one file at a time, in the catalogue's order.

A file is parsed and checked completely before anything is written. Bad rows go to the run's
rejects file with their line, field and reason. When the share of bad rows passes the limit,
nothing of that file is written, the run is recorded as failed and loading stops, because the
file is more likely broken than its rows.
"""

from __future__ import annotations

import logging
from collections.abc import Container, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graph_model.feed_writes import (
    all_keys,
    close_missing_links,
    close_missing_nodes,
    last_loaded_business_date,
    open_link_count,
    open_node_count,
    upsert_feed_links,
    upsert_feed_nodes,
)
from graph_model.reference import division_codes
from graph_model.store import GraphStore
from loaders.delimited import read_delimited
from loaders.feeds.catalogue import FEEDS
from loaders.feeds.fields import FieldRejected, convert
from loaders.feeds.spec import FeedMode, FeedSpec, LinkTarget, NodeTarget
from loaders.load_run import LoadReport, begin_run, finish_run

logger = logging.getLogger(__name__)


#: Share of a snapshot feed's open records that one file may close; an empty or truncated
#: extract would otherwise close the whole book.
DEFAULT_MAX_CLOSE_RATIO = 0.2


class FeedLoadFailed(RuntimeError):
    """A feed file could not be loaded; nothing of it was written."""


@dataclass(frozen=True)
class FeedFile:
    spec: FeedSpec
    path: Path
    business_date: str


def find_feed_files(folder: Path, business_date: date | None = None) -> tuple[list[FeedFile], list[Path]]:
    """Match the files in ``folder`` to feeds; returns them in load order, and the unmatched files.

    :raises FeedLoadFailed: when a file's name has no date and ``business_date`` is not given, or
        the name's date contradicts it.
    """
    matched: list[FeedFile] = []
    unmatched: list[Path] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        spec = next((spec for spec in FEEDS if spec.file_pattern.match(path.name)), None)
        if spec is None:
            unmatched.append(path)
            continue
        matched.append(FeedFile(spec, path, _business_date(spec, path, business_date)))
    order = {spec.name: index for index, spec in enumerate(FEEDS)}
    matched.sort(key=lambda feed_file: (feed_file.business_date, order[feed_file.spec.name]))
    return matched, unmatched


def load_feed_folder(
    store: GraphStore,
    folder: Path,
    *,
    runs_dir: Path,
    batch_size: int,
    max_reject_ratio: float,
    max_close_ratio: float = DEFAULT_MAX_CLOSE_RATIO,
    business_date: date | None = None,
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

    # Keys of the labels that rows refer to, read once per folder and kept current as feeds write.
    known_keys: dict[NodeTarget, set] = {}
    reports = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-parser") as parser:
        upcoming = parser.submit(parse_feed_file, feed_files[0], runs_dir, known_divisions)
        for index, feed_file in enumerate(feed_files):
            report, rows = upcoming.result()
            if index + 1 < len(feed_files):
                upcoming = parser.submit(parse_feed_file, feed_files[index + 1], runs_dir, known_divisions)
            reports.append(
                write_feed_file(
                    store, feed_file, report, rows, batch_size, max_reject_ratio, max_close_ratio, known_keys
                )
            )
    return reports


def parse_feed_file(
    feed_file: FeedFile, runs_dir: Path, known_divisions: Container[str] | None
) -> tuple[LoadReport, list[dict]]:
    """Start the file's run and return it with the file's good rows; bad rows go to its rejects."""
    report = begin_run(feed_file.spec.name, feed_file.path, runs_dir)
    return report, list(_parsed_rows(feed_file.spec, feed_file.path, report, known_divisions))


def write_feed_file(
    store: GraphStore,
    feed_file: FeedFile,
    report: LoadReport,
    rows: list[dict],
    batch_size: int,
    max_reject_ratio: float,
    max_close_ratio: float,
    known_keys: dict[NodeTarget, set],
) -> LoadReport:
    """Write a parsed file unless it is out of order or has too many bad rows; record the run.

    :raises FeedLoadFailed: for a business date before one already loaded, or too many bad rows.
    """
    spec, business_date = feed_file.spec, feed_file.business_date
    last_loaded = last_loaded_business_date(store, spec.name)
    if last_loaded and business_date < last_loaded:
        finish_run(store, report, business_date=business_date, status="failed")
        raise FeedLoadFailed(
            f"{feed_file.path.name}: business date {business_date} is before {last_loaded}, already loaded; "
            "a snapshot loaded out of order would close current records"
        )
    rows = _rows_with_known_references(store, feed_file, rows, report, known_keys)
    total = len(rows) + report.rejects.total
    ratio = report.rejects.total / total if total else 0.0
    _reject_shrunken_snapshot(store, feed_file, rows, report, max_close_ratio)
    if ratio > max_reject_ratio:
        finish_run(store, report, business_date=business_date, status="failed")
        raise FeedLoadFailed(
            f"{feed_file.path.name}: {report.rejects.total} of {total} rows rejected ({ratio:.1%}), "
            f"more than the allowed {max_reject_ratio:.1%}; nothing was written. See {report.rejects_path}"
        )

    _write_rows(store, spec, rows, business_date, batch_size, report)
    if spec.node in known_keys:
        known_keys[spec.node] |= {row[spec.node.key] for row in rows}
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


def _rows_with_known_references(
    store: GraphStore,
    feed_file: FeedFile,
    rows: list[dict],
    report: LoadReport,
    known_keys: dict[NodeTarget, set],
) -> list[dict]:
    """Reject rows whose links point at a record the graph does not have, such as an unknown customer.

    The node a feed writes itself, and targets a link creates, need not exist beforehand.
    """
    spec = feed_file.spec
    own_key = spec.node.key if spec.node is not None else None
    created = {link.target for link in spec.links if link.create_target}
    for link in spec.links:
        if not link.required:
            continue
        ends = [(link.source, link.source_property)]
        if not link.create_target:
            ends.append((link.target, link.target_property))
        for end, prop in ends:
            if (end == spec.node and prop == own_key) or end in created:
                continue
            if end not in known_keys:
                known_keys[end] = all_keys(store, end.label, end.key)
            known = known_keys[end]
            if spec.node is not None and end == spec.node:
                # A link within the feed, such as a branch's parent branch, may point at a row of this file.
                known = known | {row[own_key] for row in rows}
            accepted = []
            for row in rows:
                value = row.get(prop)
                if value is None or value in known:
                    accepted.append(row)
                    continue
                column = next((c.name for c in spec.columns if c.property == prop), prop)
                reason = f"{value!r} is not a known {end.label}"
                report.rejects.add(feed_file.path.name, row["_line"], reason, row["_raw"], field=column)
            rows = accepted
    return rows


def _reject_shrunken_snapshot(
    store: GraphStore, feed_file: FeedFile, rows: list[dict], report: LoadReport, max_close_ratio: float
) -> None:
    """Fail a snapshot file that would close more than ``max_close_ratio`` of the feed's open records.

    The count compares sizes, not keys: a file that drops some records and adds as many new
    ones passes.
    """
    spec = feed_file.spec
    if spec.mode is not FeedMode.SNAPSHOT:
        return
    if spec.node is not None:
        open_count = open_node_count(store, spec.node.label, spec.name)
        listed = len({row[spec.node.key] for row in rows})
    elif spec.links:
        open_count = open_link_count(store, spec.links[0].rel_type, spec.name)
        listed = len(rows)
    else:
        return
    closing = max(0, open_count - listed)
    if open_count and closing / open_count > max_close_ratio:
        finish_run(store, report, business_date=feed_file.business_date, status="failed")
        raise FeedLoadFailed(
            f"{feed_file.path.name}: this snapshot has {listed} records where {open_count} are open, so it "
            f"would close about {closing} ({closing / open_count:.0%}), more than the allowed "
            f"{max_close_ratio:.0%}; nothing was written. Check that the extract is complete"
        )


def _business_date(spec: FeedSpec, path: Path, requested: date | None) -> str:
    named = spec.file_pattern.match(path.name).group("date")
    if named:
        try:
            from_name = date(int(named[:4]), int(named[4:6]), int(named[6:]))
        except ValueError:
            raise FeedLoadFailed(f"{path.name}: {named} in the name is not a valid date") from None
        if requested and requested != from_name:
            raise FeedLoadFailed(f"{path.name}: the name's date {from_name} differs from --date {requested}")
        return from_name.isoformat()
    if requested is None:
        raise FeedLoadFailed(f"{path.name}: the name carries no business date; pass --date")
    return requested.isoformat()


def _parsed_rows(
    spec: FeedSpec, path: Path, report: LoadReport, known_divisions: Container[str] | None
) -> Iterator[dict]:
    fieldnames = None if spec.has_header else [column.name for column in spec.columns]
    key_property = spec.node.key if spec.node is not None and not spec.duplicates_allowed else None
    key_column = next(
        (column.name for column in spec.columns if column.property == key_property), key_property
    )
    first_line_of_key: dict[str, int] = {}
    records = read_delimited(
        path, delimiter=spec.delimiter, encoding=spec.python_encoding, fieldnames=fieldnames
    )
    header_checked = False
    for line_number, raw, record, problem in records:
        if record is None:
            report.rejects.add(path.name, line_number, problem, raw)
            continue
        if not header_checked:
            missing = [column.name for column in spec.columns if column.name not in record]
            if missing:
                raise FeedLoadFailed(f"{path.name}: the header lacks the column(s) {', '.join(missing)}")
            header_checked = True
        try:
            row = {
                column.property: convert(column, record.get(column.name), known_divisions)
                for column in spec.columns
            }
            if spec.derive is not None:
                row |= spec.derive(row, known_divisions)
        except FieldRejected as error:
            report.rejects.add(path.name, line_number, error.reason, raw, field=error.column)
            continue
        if key_property is not None:
            first_line = first_line_of_key.setdefault(row[key_property], line_number)
            if first_line != line_number:
                reason = f"duplicate key {row[key_property]!r}, first given on line {first_line}"
                report.rejects.add(path.name, line_number, reason, raw, field=key_column)
                continue
        yield row | {"_line": line_number, "_raw": raw}


def _write_rows(
    store: GraphStore,
    spec: FeedSpec,
    rows: list[dict],
    business_date: str,
    batch_size: int,
    report: LoadReport,
) -> None:
    options = {"feed": spec.name, "business_date": business_date, "batch_size": batch_size}
    if spec.node is not None:
        properties = spec.node_properties or tuple(
            column.property for column in spec.columns if column.property != spec.node.key
        ) + _derived_properties(spec, rows)
        # Keyed by node key: where rows may repeat a key, the last row of each key is written.
        node_rows = {
            row[spec.node.key]: {
                "key": row[spec.node.key],
                "props": {name: row.get(name) for name in properties},
            }
            for row in rows
        }.values()
        report.loaded[spec.node.label] = upsert_feed_nodes(
            store, spec.node.label, spec.node.key, node_rows, **options
        )
    for link in spec.links:
        # Many rows can name the same relationship, as every payment to one account names its
        # SAME_AS link. The last row of each wins, as it would after writing them all.
        unique: dict[tuple, dict] = {}
        for row in rows:
            if row.get(link.source_property) and row.get(link.target_property):
                link_row = _link_row(link, row)
                unique[(link_row["source"], link_row["target"], *link_row["rel_key"].values())] = link_row
        report.loaded[link.rel_type] = upsert_feed_links(
            store, _link_description(link), unique.values(), **options
        )

    if spec.mode is FeedMode.SNAPSHOT:
        if spec.node is not None:
            closed = close_missing_nodes(store, spec.node.label, feed=spec.name, business_date=business_date)
            report.loaded[f"closed_{spec.node.label}"] = closed
        for link in spec.links:
            closed = close_missing_links(store, link.rel_type, feed=spec.name, business_date=business_date)
            report.loaded[f"ended_{link.rel_type}"] = closed


def _derived_properties(spec: FeedSpec, rows: list[dict]) -> tuple[str, ...]:
    mapped = {column.property for column in spec.columns}
    return tuple(
        sorted({name for row in rows for name in row if name not in mapped and not name.startswith("_")})
    )


def _link_row(link: LinkTarget, row: dict) -> dict:
    return {
        "source": row[link.source_property],
        "target": row[link.target_property],
        "rel_key": {name: row.get(name) for name in link.key_properties},
        "props": {name: row.get(name) for name in link.properties},
        "target_props": {name: row.get(name) for name in link.target_properties},
    }


def _link_description(link: LinkTarget) -> dict:
    return {
        "rel_type": link.rel_type,
        "source_label": link.source.label,
        "source_key": link.source.key,
        "target_label": link.target.label,
        "target_key": link.target.key,
        "key_properties": link.key_properties,
        "create_target": link.create_target,
    }
