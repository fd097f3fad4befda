"""The yearly table as an Excel workbook (XLSX), written row by row in openpyxl's write-only mode.

Above the header: the title line, the data date and (outside Russian) what the marks of
untranslated text mean. Cells spanning rows (country, city, events) are merged ranges, a
region's line is merged across the table; the import reads both as the blank cells they
stand for. A cell's paragraphs are its lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

from events.report.export.cells import COLUMNS, Cell, Headings, Row, Span
from events.report.export.content import Text

WIDTHS = (18, 20, 45, 22, 80)  # characters
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_GREY = PatternFill("solid", fgColor="D9D9D9")


def _styles(workbook: Workbook) -> None:
    top = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for style in (
        NamedStyle("report-cell", alignment=top),
        NamedStyle("report-title", font=Font(bold=True, size=14)),
        NamedStyle("report-note", font=Font(italic=True)),
        NamedStyle("report-header", font=Font(bold=True), alignment=centred, fill=_GREY),
        NamedStyle("report-region", font=Font(bold=True), alignment=centred, fill=_GREY),
    ):
        workbook.add_named_style(style)


def cell_text(cell: Cell) -> str:
    return "\n".join("".join(_part(part) for part in paragraph) for paragraph in cell.paragraphs)


def _part(part: Text) -> str:
    text = " ".join(part.text.split("\n"))
    return f"{text} [{part.fallback.upper()}]" if part.fallback else text


class _Sheet:
    def __init__(self, workbook: Workbook, title: str) -> None:
        self.sheet = workbook.create_sheet(title[:31])
        self.number = 0
        self.spans: dict[int, int] = {}  # column → the row its open span starts on
        # Merged ranges, kept aside: openpyxl's add() compares each new range with every one before it.
        self.merged: list[CellRange] = []

    def append(self, values: list[str | None], style: str) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.sheet, value=_INVALID.sub("", value) if value else None)
            if value and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cell.style = style
            cells.append(cell)
        self.sheet.append(cells)
        self.number += 1

    def merge_across(self) -> None:
        self.merged.append(CellRange(f"A{self.number}:{get_column_letter(COLUMNS)}{self.number}"))

    def close_spans(self, columns=range(COLUMNS)) -> None:
        for column in list(columns):
            start = self.spans.pop(column, None)
            if start is not None and self.number - start >= 1:
                letter = get_column_letter(column + 1)
                self.merged.append(CellRange(f"{letter}{start}:{letter}{self.number}"))

    def row(self, row: Row) -> None:
        for column, cell in enumerate(row):
            if cell.span != Span.CONTINUES:
                self.close_spans([column])
        self.append([cell_text(cell) or None for cell in row], "report-cell")
        for column, cell in enumerate(row):
            if cell.span == Span.STARTS:
                self.spans[column] = self.number


def write_xlsx(headings: Headings, rows: Iterator[Row | Text], out: BinaryIO, *, sheet_title: str) -> None:
    workbook = Workbook(write_only=True)
    _styles(workbook)
    sheet = _Sheet(workbook, sheet_title)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.sheet.page_setup.orientation = "landscape"
    sheet.sheet.page_setup.paperSize = "9"  # A4
    sheet.sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.sheet.page_setup.fitToHeight = 0
    notes = [line for line in (headings.data_line, headings.legend) if line]
    header = len(notes) + 3  # the title, the notes, a blank line, then the header
    sheet.sheet.print_title_rows = f"{header}:{header}"
    sheet.sheet.freeze_panes = f"A{header + 1}"  # a write-only sheet is told before its first row
    sheet.append([headings.title], "report-title")
    sheet.merge_across()
    for line in notes:
        sheet.append([line], "report-note")
        sheet.merge_across()
    sheet.append([], "report-cell")
    sheet.append(list(headings.columns), "report-header")
    for row in rows:
        if isinstance(row, Text):
            sheet.close_spans()
            sheet.append([row.text], "report-region")
            sheet.merge_across()
        else:
            sheet.row(row)
    sheet.close_spans()
    sheet.sheet.merged_cells = MultiCellRange(sheet.merged)  # distinct by construction
    workbook.save(out)
