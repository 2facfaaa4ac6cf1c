"""Read the official code lists: administrative divisions (GB/T 2260) and industries (GB/T 4754).

The division history lists every code since 1981 with its status, so codes retired since then
stay known: an identity number issued before a redistricting still carries the old code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graph_model.reference import upsert_divisions, upsert_industries
from graph_model.store import GraphStore
from loaders.delimited import read_delimited
from loaders.load_run import LoadReport, SourceFilesMissing, begin_run, finish_run
from loaders.rejects import RowRejected

DIVISION_HISTORY_FILE = "result_1981_2024_history.csv"
INDUSTRY_FILE = "gbt4754_2017_codes.csv"

DIVISION_LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}
DIVISION_STATUSES = {"在用": "in_use", "弃用": "retired", "变更": "renamed"}


@dataclass(frozen=True)
class ParsedRow:
    line_number: int
    raw: str
    values: dict | None
    reason: str = ""


def read_divisions(folder: Path) -> list[ParsedRow]:
    """Parse the division history file into ``AdminDivision`` properties, one row per code."""
    return _parsed_rows(folder / DIVISION_HISTORY_FILE, "utf-8-sig", _division)


def read_industries(folder: Path) -> list[ParsedRow]:
    """Parse the GB/T 4754-2017 file into ``Industry`` properties (sections and three code levels)."""
    return _parsed_rows(folder / INDUSTRY_FILE, "utf-8", _industry)


def _parsed_rows(path: Path, encoding: str, parser) -> list[ParsedRow]:
    rows = []
    for line_number, raw, record, problem in read_delimited(path, delimiter=",", encoding=encoding):
        try:
            if record is None:
                raise RowRejected(problem)
            rows.append(ParsedRow(line_number, raw, parser(record)))
        except RowRejected as reason:
            rows.append(ParsedRow(line_number, raw, None, str(reason)))
    return rows


def _division(record: dict[str, str]) -> dict:
    code = record.get("代码", "").strip()
    if len(code) != 6 or not code.isdigit():
        raise RowRejected(f"代码 {code!r} is not a six-digit division code")
    status = record.get("状态", "").strip()
    if status not in DIVISION_STATUSES:
        raise RowRejected(f"状态 {status!r} is not one of {', '.join(DIVISION_STATUSES)}")
    level = record.get("级别", "").strip()
    return {
        "code": code,
        "name": record.get("名称", "").strip(),
        "province": record.get("一级行政区", "").strip(),
        "prefecture": record.get("二级行政区", "").strip(),
        "level": DIVISION_LEVELS.get(level, level),
        "status": DIVISION_STATUSES[status],
        "valid_from": _year(record, "启用时间"),
        "retired_in": _year(record, "变更/弃用时间"),
        "successor_codes": re.findall(r"\d{6}", record.get("新代码", "")),
    }


def _industry(record: dict[str, str]) -> dict:
    code = record.get("code", "").strip()
    level = record.get("level", "").strip()
    if not code or level not in {"1", "2", "3", "4"}:
        raise RowRejected(f"code {code!r} or level {level!r} is missing or invalid")
    return {
        "code": code,
        "level": int(level),
        "name": record.get("name", "").strip(),
        "section": record.get("section", "").strip(),
        "parent_code": record.get("parent_code", "").strip() or None,
        "remark": record.get("remark", "").strip(),
    }


def _year(record: dict[str, str], column: str) -> int | None:
    value = record.get(column, "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        raise RowRejected(f"{column} {value!r} is not a year")
    return int(value)


def load_divisions(store: GraphStore, folder: Path, *, runs_dir: Path, batch_size: int) -> LoadReport:
    """Load the division code history into ``AdminDivision`` nodes."""
    return _load(
        store,
        folder,
        DIVISION_HISTORY_FILE,
        "division",
        read_divisions,
        upsert_divisions,
        runs_dir=runs_dir,
        batch_size=batch_size,
    )


def load_industries(store: GraphStore, folder: Path, *, runs_dir: Path, batch_size: int) -> LoadReport:
    """Load GB/T 4754-2017 into ``Industry`` nodes linked to their parents."""
    return _load(
        store,
        folder,
        INDUSTRY_FILE,
        "industry",
        read_industries,
        upsert_industries,
        runs_dir=runs_dir,
        batch_size=batch_size,
    )


def _load(
    store, folder: Path, file_name: str, entity: str, reader, writer, *, runs_dir: Path, batch_size: int
):
    if not (folder / file_name).is_file():
        raise SourceFilesMissing(f"{folder} lacks {file_name}; nothing was loaded")
    store.ensure_schema()
    report = begin_run(f"reference-{entity}", folder, runs_dir)
    accepted = []
    for row in reader(folder):
        if row.values is None:
            report.rejects.add(file_name, row.line_number, row.reason, row.raw)
        else:
            accepted.append(row.values)
    report.loaded[entity] = writer(store, accepted, batch_size)
    report.rejected[entity] = report.rejects.total
    return finish_run(store, report)
