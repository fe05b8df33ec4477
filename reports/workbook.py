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
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            filled = sheet.cell(row=start_row + offset, column=column, value=None if value == "" else value)
            if isinstance(value, dt.date):
                filled.number_format = DATE_FORMAT
            filled.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str) and len(value) > MAX_WIDTH)
    for column, header in enumerate(headers, start=1):
        longest = max([_width(r[column - 1]) for r in rows] + [0])
        # Headers wrap onto two lines at most, so a long header needs only about half its length.
        width = max(longest, min(len(header), max(len(header) // 2 + 1, 12)), MIN_WIDTH) + 2
        sheet.column_dimensions[get_column_letter(column)].width = min(width, MAX_WIDTH)
    sheet.freeze_panes = sheet.cell(row=start_row + 1, column=2).coordinate
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A{start_row}:{last}{start_row + max(len(rows), 1)}"


def about_sheet(book: Workbook, title: str, notes: Sequence[str]) -> None:
    sheet = book.create_sheet("About")
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    for index, note in enumerate(notes, start=3):
        sheet.cell(row=index, column=1, value=note)
    sheet.column_dimensions["A"].width = 110
