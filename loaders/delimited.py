"""Read delimited text files line by line, keeping each line's number and raw text for rejects."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

WIDTH_MISMATCH = "the row has a different number of fields than the header"


def read_delimited(
    path: Path, *, delimiter: str, encoding: str, errors: str = "strict"
) -> Iterator[tuple[int, str, dict[str, str] | None]]:
    """Yield (line number, raw text, row) for each data line after the header.

    ``row`` maps header names to values, or is None when the line has a different number of
    fields than the header. Blank lines are skipped. Line numbers count the header as line 1.
    """
    with open(path, newline="", encoding=encoding, errors=errors) as handle:
        lines = handle.read().splitlines()
    header = next(csv.reader(lines[:1], delimiter=delimiter))
    for line_number, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        values = next(csv.reader([raw], delimiter=delimiter))
        yield line_number, raw, dict(zip(header, values, strict=True)) if len(values) == len(header) else None
