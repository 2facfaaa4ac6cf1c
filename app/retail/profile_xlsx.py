"""A customer profile as an Excel workbook: a cover sheet, then one sheet per module of the view.

Every text cell is stored as a string, so a value from a feed or a user that starts with ``=``
stays text and Excel never runs it as a formula. openpyxl would store such a string as a formula
unless the cell's data type is set. Amounts are numbers with a money format, so they can be summed.
"""

from __future__ import annotations

import io
import re
import unicodedata
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.retail.profile_export import CONFIDENTIAL, MASKING_NOTICE, CustomerProfile
from app.retail.profile_sections import ProfileSection, ProfileTable

MONEY_FORMAT = "#,##0.00"
COVER_TITLE = "导出说明"
#: Excel's limits on a sheet name: 31 characters, none of these.
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: Excel's limit on the characters of one cell.
CELL_TEXT_LENGTH = 32_767
#: Widest column, in Excel's character units; longer text wraps.
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 8
BOLD = Font(bold=True)
NOTE_FONT = Font(italic=True, color="555555")
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", start_color="DDE4EE")
WRAP = Alignment(wrap_text=True, vertical="top")


def profile_workbook(profile: CustomerProfile) -> bytes:
    """Return the profile as the bytes of an .xlsx file."""
    workbook = Workbook()
    _write_cover(workbook.active, profile)
    taken = {COVER_TITLE}
    for section in profile.sections:
        if section.left_out:
            continue
        sheet = workbook.create_sheet(sheet_name(section.title, taken))
        taken.add(sheet.title)
        _write_section(sheet, section)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_name(title: str, taken: set[str]) -> str:
    """Return ``title`` as a sheet name Excel accepts, different from the names in ``taken``."""
    name = SHEET_NAME_FORBIDDEN.sub("_", title).strip("'")[:SHEET_NAME_LENGTH] or "Sheet"
    number = 2
    candidate = name
    while candidate.casefold() in {existing.casefold() for existing in taken}:
        suffix = f"({number})"
        candidate = name[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    return candidate


def _write_cover(sheet: Worksheet, profile: CustomerProfile) -> None:
    sheet.title = COVER_TITLE
    _set(sheet.cell(1, 1), f"客户资料：{profile.customer_id} {profile.name or ''}".strip()).font = TITLE_FONT
    facts = [
        ("客户号", profile.customer_id),
        ("客户名称", profile.name or "—"),
        ("客户状态", profile.status),
        ("视图", profile.view_name),
        ("导出人", profile.exported_by),
        ("导出时间", profile.exported_at),
        ("脱敏说明", MASKING_NOTICE),
        ("密级", CONFIDENTIAL),
    ]
    left_out = "；".join(f"{section.title}：{' '.join(section.notes)}" for section in profile.left_out)
    if left_out:
        facts.append(("未导出的模块", left_out))
    for row, (name, value) in enumerate(facts, start=3):
        _set(sheet.cell(row, 1), name).font = BOLD
        _set(sheet.cell(row, 2), value).alignment = WRAP
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 80


def _write_section(sheet: Worksheet, section: ProfileSection) -> None:
    row = 1
    for note in section.notes:
        _set(sheet.cell(row, 1), note).font = NOTE_FONT
        row += 1
    first_header_row = None
    for table in section.tables:
        if table.caption:
            _set(sheet.cell(row, 1), table.caption).font = BOLD
            row += 1
        first_header_row = first_header_row or row
        row = _write_table(sheet, table, row) + 1
    if first_header_row:
        sheet.freeze_panes = sheet.cell(first_header_row + 1, 1)
    _fit_columns(sheet, section.tables)


def _write_table(sheet: Worksheet, table: ProfileTable, row: int) -> int:
    """Write the header at ``row`` and the rows below it; return the row after the last."""
    for column, header in enumerate(table.headers, start=1):
        cell = _set(sheet.cell(row, column), header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for values in table.rows:
        row += 1
        for column, value in enumerate(values, start=1):
            _set(sheet.cell(row, column), value)
    return row + 1


def _set(cell: Cell, value: object) -> Cell:
    """Store ``value`` in ``cell``: an amount with the money format, text always as a string."""
    if value is None:
        return cell
    if isinstance(value, Decimal):
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.value = value
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:CELL_TEXT_LENGTH]
        cell.data_type = "s"
    return cell


def _fit_columns(sheet: Worksheet, tables: tuple[ProfileTable, ...]) -> None:
    """Size each column to its widest cell, counting a Chinese character as two; longer text wraps."""
    widths: dict[int, int] = {}
    for table in tables:
        for values in (table.headers, *table.rows):
            for column, value in enumerate(values, start=1):
                widths[column] = max(widths.get(column, 0), _display_width(value))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH
        )
        if width + 2 > MAX_COLUMN_WIDTH:
            for (cell,) in sheet.iter_rows(min_col=column, max_col=column):
                cell.alignment = WRAP


def _display_width(value: object) -> int:
    if value is None:
        return 0
    text = f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
