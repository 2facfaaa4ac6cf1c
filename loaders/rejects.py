"""Rows that could not be loaded, written beside the run with their row number and reason."""

from __future__ import annotations

import csv
import logging
from collections import Counter
from pathlib import Path

logger = logging.getLogger(__name__)


class RowRejected(ValueError):
    """A source row cannot be loaded. The message gives the reason in terms a data engineer can act on."""


class RejectsFile:
    """Collects rejected rows of one load run into ``rejects.csv`` in the run's folder.

    The file is only created when the first row is rejected, so a clean run leaves no empty file.
    """

    COLUMNS = ("source_file", "row_number", "field", "reason", "raw_row")

    def __init__(self, folder: Path) -> None:
        self.path = folder / "rejects.csv"
        self.counts: Counter[str] = Counter()
        self._handle = None
        self._writer = None

    def add(self, source_file: str, row_number: int, reason: str, raw_row: str, field: str = "") -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # With a byte-order mark, spreadsheet programs on Chinese Windows read the file as UTF-8.
            self._handle = open(self.path, "w", newline="", encoding="utf-8-sig")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(self.COLUMNS)
        self._writer.writerow((source_file, row_number, field, reason, raw_row))
        self.counts[source_file] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            logger.warning("%d rows rejected, listed in %s", self.total, self.path)
