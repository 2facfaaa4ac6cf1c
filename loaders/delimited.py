"""Read delimited text files line by line, keeping each line's number and raw text for rejects."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

WIDTH_MISMATCH = "the row has a different number of fields than the header"


def read_delimited(
    path: Path, *, delimiter: str, encoding: str, errors: str = "strict", fieldnames: list[str] | None = None
) -> Iterator[tuple[int, str, dict[str, str] | None]]:
    """Yield (line number, raw text, row) for each data line.

    The first line is the header unless ``fieldnames`` are given. ``row`` maps field names to
    values, or is None when the line has a different number of fields. Blank lines are skipped.
    Line numbers count from 1 at the first line of the file.
    """
    with open(path, newline="", encoding=encoding, errors=errors) as handle:
        lines = handle.read().splitlines()
    header = fieldnames or next(csv.reader(lines[:1], delimiter=delimiter))
    first_data_line = 1 if fieldnames else 2
    for line_number, raw in enumerate(lines[first_data_line - 1 :], start=first_data_line):
        if not raw.strip():
            continue
        values = next(csv.reader([raw], delimiter=delimiter))
        yield line_number, raw, dict(zip(header, values, strict=True)) if len(values) == len(header) else None
