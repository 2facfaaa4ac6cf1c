"""A customer profile as a PDF on landscape A4: title, cover facts, then each module with its tables.

Every page carries the customer in its header and the exporting user, the time, "page x / y"
and the confidentiality line in its footer. Tables split across pages and repeat their header
row; text too wide for its column wraps, Chinese between any two characters.
"""

from __future__ import annotations

import functools
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.retail.profile_export import CONFIDENTIAL, MASKING_NOTICE, CustomerProfile
from app.retail.profile_sections import ProfileSection, ProfileTable

PAGE_SIZE = landscape(A4)
MARGIN = 15 * mm
CELL_FONT_SIZE = 8
CELL_PADDING = 3
#: Share of the text width one column may take before its text wraps.
MAX_COLUMN_SHARE = 0.4
#: Room a module's heading or a table's caption needs below it on a page, else it starts the next page.
SECTION_START_ROOM = 45 * mm
TABLE_START_ROOM = 30 * mm
PAGE_TOTAL_FORM = "page-total"
HEADER_BACKGROUND = colors.HexColor("#DDE4EE")
GRID = colors.HexColor("#9AA5B1")


def profile_pdf(profile: CustomerProfile, font: str) -> bytes:
    """Return the profile as the bytes of a PDF whose text is set in the registered font ``font``."""
    styles = _styles(font)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN + 6 * mm,
        title=f"客户资料 {profile.customer_id}",
        author=profile.exported_by,
    )
    story = _cover(profile, styles)
    for section in profile.sections:
        story += _section(section, styles, font, document.width)

    def decorate(canvas: Canvas, _document: SimpleDocTemplate) -> None:
        _draw_header_and_footer(canvas, profile, font)

    canvas_maker = functools.partial(_PageTotalCanvas, font=font)
    document.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=canvas_maker)
    return buffer.getvalue()


class _PageTotalCanvas(Canvas):
    """A canvas whose pages show the page count through a form that is drawn once the count is known."""

    def __init__(self, *args: Any, font: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._total_font = font

    def save(self) -> None:
        # Each page has been shown, so the page number is one past the last page.
        pages = self.getPageNumber() - 1
        self.beginForm(PAGE_TOTAL_FORM)
        self.setFont(self._total_font, CELL_FONT_SIZE)
        self.drawString(0, 0, f"{pages} 页")
        self.endForm()
        super().save()


def _draw_header_and_footer(canvas: Canvas, profile: CustomerProfile, font: str) -> None:
    width, height = PAGE_SIZE
    canvas.saveState()
    canvas.setFont(font, CELL_FONT_SIZE)
    canvas.setFillColor(colors.HexColor("#333333"))
    top = height - MARGIN
    canvas.drawString(MARGIN, top, f"客户资料  客户号 {profile.customer_id}  {profile.name or ''}")
    canvas.drawRightString(width - MARGIN, top, CONFIDENTIAL)
    canvas.setStrokeColor(GRID)
    canvas.line(MARGIN, top - 2 * mm, width - MARGIN, top - 2 * mm)
    canvas.line(MARGIN, MARGIN + 4 * mm, width - MARGIN, MARGIN + 4 * mm)
    canvas.drawString(MARGIN, MARGIN, f"导出人：{profile.exported_by}    导出时间：{profile.exported_at}")
    canvas.drawCentredString(width / 2, MARGIN, CONFIDENTIAL)
    # The total is a form filled in when the document is saved; "x / " is drawn now, left of it.
    page_label = f"第 {canvas.getPageNumber()} / "
    left = width - MARGIN - 30 * mm
    canvas.drawString(left, MARGIN, page_label)
    canvas.translate(left + stringWidth(page_label, font, CELL_FONT_SIZE), MARGIN)
    canvas.doForm(PAGE_TOTAL_FORM)
    canvas.restoreState()


def _styles(font: str) -> dict[str, ParagraphStyle]:
    cell = ParagraphStyle("cell", fontName=font, fontSize=CELL_FONT_SIZE, leading=10, wordWrap="CJK")
    note = ParagraphStyle(
        "note", fontName=font, fontSize=9, leading=13, textColor=colors.HexColor("#555555"), wordWrap="CJK"
    )
    heading = ParagraphStyle("heading", fontName=font, fontSize=13, leading=18)
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=4 * mm),
        "heading": ParagraphStyle("section", parent=heading, spaceBefore=5 * mm, spaceAfter=2 * mm),
        "caption": ParagraphStyle("caption", parent=heading, fontSize=10, leading=14, spaceBefore=2 * mm),
        "note": note,
        "cell": cell,
        "number": ParagraphStyle("number", parent=cell, alignment=TA_RIGHT),
        "header": cell,
    }


def _cover(profile: CustomerProfile, styles: dict[str, ParagraphStyle]) -> list:
    title = f"零售客户资料：客户号 {profile.customer_id} {profile.name or ''}".strip()
    story = [Paragraph(escape(title), styles["title"])]
    facts = [
        f"客户状态：{profile.status}",
        f"视图：{profile.view_name}",
        f"导出人：{profile.exported_by}　导出时间：{profile.exported_at}",
        MASKING_NOTICE,
        f"密级：{CONFIDENTIAL}",
    ]
    left_out = [f"{section.title}（{' '.join(section.notes)}）" for section in profile.left_out]
    if left_out:
        facts.append("未导出的模块：" + "；".join(left_out))
    story += [Paragraph(escape(fact), styles["note"]) for fact in facts]
    return story


def _section(section: ProfileSection, styles: dict[str, ParagraphStyle], font: str, width: float) -> list:
    # A heading starts a new page when too little room is left for it and the first rows below it.
    story: list = [CondPageBreak(SECTION_START_ROOM), Paragraph(escape(section.title), styles["heading"])]
    story += [Paragraph(escape(note), styles["note"]) for note in section.notes]
    for table in section.tables:
        if table.caption:
            story += [CondPageBreak(TABLE_START_ROOM), Paragraph(escape(table.caption), styles["caption"])]
        story += [_table(table, styles, font, width), Spacer(1, 2 * mm)]
    return story


def _table(table: ProfileTable, styles: dict[str, ParagraphStyle], font: str, width: float) -> Table:
    texts = [[_text(value) for value in row] for row in table.rows]
    measured = _TextWidths(font)
    widths = _column_widths(table.headers, texts, measured, width)
    numeric = [_is_numeric_column(table.rows, column) for column in range(len(widths))]
    data = [[Paragraph(escape(header), styles["header"]) for header in table.headers]]
    for row in texts:
        cells = []
        for column, text in enumerate(row):
            if measured(text) <= widths[column] - 2 * CELL_PADDING:
                # Plain text lays out much faster than a paragraph; only text too wide has to wrap.
                cells.append(text)
            else:
                cells.append(Paragraph(escape(text), styles["number" if numeric[column] else "cell"]))
        data.append(cells)
    commands = [
        ("FONT", (0, 0), (-1, -1), font, CELL_FONT_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    commands += [
        ("ALIGN", (column, 1), (column, -1), "RIGHT") for column, is_number in enumerate(numeric) if is_number
    ]
    # splitInRow lets a row taller than a page (a long feed text) continue on the next page.
    return Table(
        data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT", style=TableStyle(commands)
    )


class _TextWidths:
    """Widths of texts in points at the cell font size, measured once per distinct text."""

    def __init__(self, font: str) -> None:
        self._font = font
        self._widths: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        if text not in self._widths:
            self._widths[text] = stringWidth(text, self._font, CELL_FONT_SIZE)
        return self._widths[text]


def _is_numeric_column(rows: list[list[object]], column: int) -> bool:
    values = [row[column] for row in rows if row[column] is not None]
    return bool(values) and all(isinstance(value, int | float | Decimal) for value in values)


def _column_widths(
    headers: tuple[str, ...], texts: list[list[str]], measured: _TextWidths, width: float
) -> list[float]:
    """Return column widths that fit ``width``: narrow columns keep their width, wide ones share the rest.

    A column no wider than an even share of what is left keeps its width, so dates and amounts do
    not wrap. The wider columns split the remaining width in proportion to their text.
    """
    cap = width * MAX_COLUMN_SHARE
    padding = 2 * CELL_PADDING + 1
    content = [max([0.0] + [measured(row[column]) for row in texts]) for column in range(len(headers))]
    natural = [
        min(max(measured(header), text) + padding, cap) for header, text in zip(headers, content, strict=True)
    ]
    if sum(natural) <= width:
        return natural
    # Short of room, a header may wrap onto two lines, so it needs only half its width.
    natural = [
        min(max(measured(header) / 2, text) + padding, cap)
        for header, text in zip(headers, content, strict=True)
    ]
    widths = list(natural)
    remaining = width
    waiting = sorted(range(len(natural)), key=lambda column: natural[column])
    while waiting and natural[waiting[0]] <= remaining / len(waiting):
        remaining -= natural[waiting.pop(0)]
    wide_total = sum(natural[column] for column in waiting)
    for column in waiting:
        widths[column] = remaining * natural[column] / wide_total
    return widths


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)
