"""One day-end feed file: finding it in a folder, its business date, and parsing its rows.

A file is decoded line by line and each field converted by its column's declaration. Bad rows
go to the run's rejects file with their line, field and reason. The good rows come back as
dicts of properties, with the line number and raw text kept for later checks.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graph_model.store import GraphStore
from loaders.delimited import read_delimited
from loaders.feeds.catalogue import FEEDS
from loaders.feeds.fields import FieldRejected, convert
from loaders.feeds.spec import FeedSpec
from loaders.load_run import LoadReport, begin_run, finish_run


class FeedLoadFailed(RuntimeError):
    """A feed file could not be loaded; nothing of it was written.

    ``report`` is the file's run when one was started, so that the caller can record it failed.
    """

    report: LoadReport | None = None


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


def parse_feed_file(
    feed_file: FeedFile, runs_dir: Path, known_divisions: Container[str] | None
) -> tuple[LoadReport, list[dict]]:
    """Start the file's run and return it with the file's good rows; bad rows go to its rejects."""
    report = begin_run(feed_file.spec.name, feed_file.path, runs_dir)
    try:
        return report, list(_parsed_rows(feed_file.spec, feed_file.path, report, known_divisions))
    except FeedLoadFailed as error:
        error.report = report
        raise


def record_failed_run(store: GraphStore, feed_file: FeedFile, error: FeedLoadFailed) -> None:
    """Record the run of a refused file as failed, with the reason, if the run was started."""
    if error.report is not None:
        finish_run(
            store, error.report, business_date=feed_file.business_date, status="failed", error=str(error)
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
