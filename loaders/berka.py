"""Load the PKDD'99 Czech bank files ("Berka") into the graph.

The files are semicolon-separated with a quoted header. Rows are parsed and checked one by one.
A row that fails goes to the run's rejects file with its line number and reason, and the rest
loads. References are checked against the rows of this same load (a disposition needs its
client and account, a transaction its account), because the files are one consistent extract.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from graph_model.retail_ingest import upsert_records
from graph_model.store import GraphStore
from loaders import berka_rows
from loaders.delimited import read_delimited
from loaders.load_run import LoadReport, SourceFilesMissing, begin_run, finish_run
from loaders.posting_order import assign_posting_sequence
from loaders.rejects import RejectsFile, RowRejected

logger = logging.getLogger(__name__)

SOURCE = "berka"

#: Entities in load order (references point backwards), with their file and row parser.
ENTITY_FILES: tuple[tuple[str, str, Callable[[dict[str, str]], dict]], ...] = (
    ("district", "district.asc", berka_rows.parse_district),
    ("client", "client.asc", berka_rows.parse_client),
    ("account", "account.asc", berka_rows.parse_account),
    ("disposition", "disp.asc", berka_rows.parse_disposition),
    ("order", "order.asc", berka_rows.parse_order),
    ("transaction", ("trans.asc", "trans_first49k.asc"), berka_rows.parse_transaction),
    ("loan", "loan.asc", berka_rows.parse_loan),
    ("card", "card.asc", berka_rows.parse_card),
)

ProgressCallback = Callable[[str, int, int], None]


def load_berka(
    store: GraphStore,
    folder: Path,
    *,
    runs_dir: Path,
    batch_size: int,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """Load every Berka file in ``folder``; returns counts of loaded and rejected rows.

    :raises SourceFilesMissing: when a file is absent, before anything is written.
    """
    files = _locate_files(folder)
    report = begin_run(SOURCE, folder, runs_dir)
    rejects = report.rejects
    known: dict[str, dict[str, dict]] = {}
    store.ensure_schema()

    try:
        for entity, path, parser in files:
            rows = _parsed_rows(path, parser, rejects)
            accepted = [row for row in rows if _references_known(entity, row, known, rejects, path.name)]
            if entity in KEY_COLUMNS:
                known[entity] = {row[KEY_COLUMNS[entity]]: row for row in accepted}
            if entity == "card":
                _attach_card_holders(accepted, known["disposition"])
            if entity == "transaction":
                assign_posting_sequence(accepted)
            for row in accepted:
                row["source"] = SOURCE
            report.loaded[entity] = _write_with_progress(store, entity, accepted, batch_size, progress)
            report.rejected[entity] = rejects.counts[path.name]
            logger.info(
                "Loaded %d %s rows from %s, rejected %d",
                report.loaded[entity],
                entity,
                path,
                report.rejected[entity],
            )
    finally:
        rejects.close()
    return finish_run(store, report)


def _locate_files(folder: Path) -> list[tuple[str, Path, Callable]]:
    located, missing = [], []
    for entity, names, parser in ENTITY_FILES:
        candidates = (names,) if isinstance(names, str) else names
        found = next((folder / name for name in candidates if (folder / name).is_file()), None)
        if found is None:
            missing.append(" or ".join(candidates))
        else:
            located.append((entity, found, parser))
    if missing:
        raise SourceFilesMissing(f"{folder} lacks {', '.join(missing)}; nothing was loaded")
    return located


def _parsed_rows(path: Path, parser, rejects: RejectsFile) -> list[dict]:
    parsed = []
    for line_number, raw, row, problem in read_delimited(
        path, delimiter=";", encoding="ascii", errors="replace"
    ):
        if row is None:
            rejects.add(path.name, line_number, problem, raw)
            continue
        try:
            parsed.append(parser(row) | {"_line": line_number, "_raw": raw})
        except RowRejected as reason:
            rejects.add(path.name, line_number, str(reason), raw)
    return parsed


# A row's references (column -> entity whose keys it must be among).
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "client": (("district_id", "district"),),
    "account": (("district_id", "district"),),
    "disposition": (("customer_id", "client"), ("account_id", "account")),
    "order": (("account_id", "account"),),
    "transaction": (("account_id", "account"),),
    "loan": (("account_id", "account"),),
    "card": (("disposition_id", "disposition"),),
}
KEY_COLUMNS = {
    "district": "district_id",
    "client": "customer_id",
    "account": "account_id",
    "disposition": "disposition_id",
}


def _references_known(
    entity: str, row: dict, known: dict[str, dict[str, dict]], rejects: RejectsFile, file_name: str
) -> bool:
    for column, target in REFERENCES.get(entity, ()):
        if row[column] not in known.get(target, {}):
            rejects.add(file_name, row["_line"], f"{column} {row[column]!r} has no {target} row", row["_raw"])
            return False
    return True


def _attach_card_holders(cards: list[dict], dispositions: dict[str, dict]) -> None:
    """Give each card the client and account of its disposition (one client on one account)."""
    for card in cards:
        disposition = dispositions[card["disposition_id"]]
        card["customer_id"] = disposition["customer_id"]
        card["account_id"] = disposition["account_id"]


def _write_with_progress(
    store: GraphStore, entity: str, rows: list[dict], batch_size: int, progress: ProgressCallback | None
) -> int:
    clean = [{key: value for key, value in row.items() if not key.startswith("_")} for row in rows]
    written = 0
    for start in range(0, len(clean), batch_size):
        written += upsert_records(store, entity, clean[start : start + batch_size], batch_size)
        if progress is not None:
            progress(entity, written, len(clean))
    if not clean and progress is not None:
        progress(entity, 0, 0)
    return written
