"""File downloads; CSV written so that Excel opens it correctly and cannot run formulas.

Excel reads UTF-8 only with a byte-order mark, and treats a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula. Such a cell from a feed or a user is
written with a leading apostrophe, which Excel shows as plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_download(rows: Iterable[Sequence[object]], file_name: str) -> Response:
    """Return ``rows`` as a CSV attachment named ``file_name``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return file_download("\ufeff" + buffer.getvalue(), file_name, "text/csv")


def file_download(content: bytes | str, file_name: str, mimetype: str) -> Response:
    """Return ``content`` as an attachment named ``file_name``, which may hold Chinese characters."""
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    return response


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
