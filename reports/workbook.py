"""Shared spreadsheet styling: a bold frozen header with filters, real dates, sized columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MAX_WIDTH = 60
MIN_WIDTH = 8
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
"""Shared styles: one object each, not one per cell (openpyxl keeps them per workbook anyway)."""
PAGE_WIDTH = 230
"""About how many characters of column width fit across a landscape A4 page at the smallest
scale that still reads (about 60%)."""


def new_workbook() -> Workbook:
    return Workbook()


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_table(sheet: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
                kinds: Sequence[str] | None = None, start_row: int = 1) -> None:
    """Write a header and rows; freeze the header, turn filters on and size the columns to read."""
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=start_row, column=column, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=start_row + offset, column=column, value=None if value == "" else value)
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            cell.alignment = TOP_WRAPPED if isinstance(value, str) and len(value) > MAX_WIDTH else TOP
    total = 0
    for column, header in enumerate(headers, start=1):
        longest = max([_width(r[column - 1]) for r in rows] + [0])
        # Headers wrap between words only: as wide as their longest word, and onto two lines at most.
        word = max((len(w) for w in header.split()), default=0)
        width = max(longest, word, min(len(header), max(len(header) // 2 + 1, 12)), MIN_WIDTH) + 2
        sheet.column_dimensions[get_column_letter(column)].width = min(width, MAX_WIDTH)
        total += min(width, MAX_WIDTH)
    _print_setup(sheet, start_row, pages_wide=max(1, -(-total // PAGE_WIDTH)))
    sheet.freeze_panes = sheet.cell(row=start_row + 1, column=2)
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A{start_row}:{last}{start_row + max(len(rows), 1)}"


def _print_setup(sheet: Worksheet, header_row: int, *, pages_wide: int) -> None:
    """A4 landscape, the header row (and the first column) repeated on every page, as many pages wide
    as the columns need at a readable size, and as long as the rows need."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = pages_wide
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_title_cols = "A:A"
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def about_sheet(book: Workbook, title: str, notes: Sequence[str]) -> None:
    sheet = book.create_sheet("About")
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    for index, note in enumerate(notes, start=3):
        sheet.cell(row=index, column=1, value=note)
    sheet.column_dimensions["A"].width = 110
