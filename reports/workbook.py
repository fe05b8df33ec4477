"""Shared spreadsheet styling: a bold frozen header with filters, real dates, sized columns.

Workbooks are written in openpyxl's write-only mode: rows stream straight to the file, and only
the header and the rare over-long cell carry a style of their own, so a tracker of many thousand
alerts costs little more per row than a small one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MAX_WIDTH = 60
MIN_WIDTH = 8
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
PAGE_WIDTH = 230
"""About how many characters of column width fit across a landscape A4 page at the smallest
scale that still reads (about 60%)."""


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_table(sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
                kinds: Sequence[str] | None = None) -> None:
    """Write a header and rows; freeze the header, turn filters on and size the columns to read.
    ``sheet`` is a write-only worksheet (typed loosely: openpyxl's stubs leave its settings out).
    Call once per sheet, before anything else is written to it."""
    total = 0
    for column, header in enumerate(headers, start=1):
        longest = max([_width(r[column - 1]) for r in rows] + [0])
        # Headers wrap between words only: as wide as their longest word, and onto two lines at most.
        word = max((len(w) for w in header.split()), default=0)
        width = min(max(longest, word, min(len(header), max(len(header) // 2 + 1, 12)), MIN_WIDTH) + 2, MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = width
        total += width
    sheet.freeze_panes = "B2"
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{1 + max(len(rows), 1)}"
    _print_setup(sheet, pages_wide=max(1, -(-total // PAGE_WIDTH)))
    sheet.append([_header(sheet, h) for h in headers])
    date_cells: dict[int, Any] = {}
    for row in rows:
        out: list[Any] = []
        for column, value in enumerate(row):
            cell: Any
            if value == "":
                value = None
            if isinstance(value, str) and len(value) > MAX_WIDTH:
                cell = WriteOnlyCell(sheet, value)
                cell.alignment = TOP_WRAPPED
                out.append(cell)
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value)  # type: ignore[arg-type]  # openpyxl writes dates too
                if column not in date_cells:
                    cell.number_format = DATE_FORMAT
                    date_cells[column] = cell
                else:  # one style for every date: copied, not looked up again for each cell
                    cell._style = date_cells[column]._style
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)


def _header(sheet: Any, text: str) -> Any:
    cell = WriteOnlyCell(sheet, text)
    cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
    return cell


def _print_setup(sheet: Any, *, pages_wide: int) -> None:
    """A4 landscape, the header row (and the first column) repeated on every page, as many pages wide
    as the columns need at a readable size, and as long as the rows need."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = pages_wide
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = "A:A"
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def about_sheet(book: Workbook, title: str, notes: Sequence[str]) -> None:
    sheet = book.create_sheet("About")
    sheet.column_dimensions["A"].width = 110
    heading = WriteOnlyCell(sheet, title)
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    sheet.append([])
    for note in notes:
        sheet.append([note])
