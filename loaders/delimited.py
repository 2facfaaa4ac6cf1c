"""Read delimited text files line by line, keeping each line's number and raw text for rejects."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

WIDTH_MISMATCH = "the row has a different number of fields than the header"


class Line(NamedTuple):
    """One data line: its number in the file, its text, and its fields or the problem with it."""

    number: int
    raw: str
    row: dict[str, str] | None
    problem: str | None


def read_delimited(
    path: Path, *, delimiter: str, encoding: str, errors: str = "strict", fieldnames: list[str] | None = None
) -> Iterator[Line]:
    """Yield each data line of a delimited file.

    The first line is the header unless ``fieldnames`` are given. Each line is decoded on its
    own, so bytes that are invalid in ``encoding`` spoil only their line: it comes with ``row``
    None and a ``problem``, as does a line with a different number of fields. Blank lines are
    skipped. Line numbers count from 1 at the first line of the file.
    """
    raw_lines = path.read_bytes().splitlines()
    header_text = raw_lines[0].decode(encoding, errors=errors) if raw_lines else ""
    if header_text.startswith("\ufeff"):
        header_text = header_text[1:]
    header = fieldnames or next(csv.reader([header_text], delimiter=delimiter))
    first_data_line = 1 if fieldnames else 2
    for number, data in enumerate(raw_lines[first_data_line - 1 :], start=first_data_line):
        try:
            raw = data.decode(encoding, errors=errors)
        except UnicodeDecodeError as error:
            text = data.decode(encoding, errors="replace")
            yield Line(number, text, None, f"invalid {encoding} bytes at byte {error.start} of the line")
            continue
        if not raw.strip():
            continue
        values = next(csv.reader([raw], delimiter=delimiter))
        if len(values) != len(header):
            yield Line(number, raw, None, WIDTH_MISMATCH)
        else:
            yield Line(number, raw, dict(zip(header, values, strict=True)), None)
