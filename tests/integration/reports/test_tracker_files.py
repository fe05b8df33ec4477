"""The tracker written as .xlsx and .csv, re-opened and read."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from openpyxl import load_workbook

from practice_alerts.policies.time_zone import LONDON
from practice_alerts.reports.build import write_tracker

AS_OF = dt.datetime(2026, 12, 31, 23, 0, tzinfo=LONDON)
PERSONAL = ("IRO / CP chair", "IRO e-mail", "Social worker", "Outcome")


@pytest.fixture(scope="module")
def workbook(histories, policy, calendar, tmp_path_factory):
    path = tmp_path_factory.mktemp("tracker") / "tracker.xlsx"
    result = write_tracker(histories, policy, None, calendar, AS_OF, path)
    assert (result.alerts, result.unreadable) == (11, ())
    return load_workbook(path)


def by_reference(sheet):
    headers = [c.value for c in sheet[1]]
    return headers, {row[0]: dict(zip(headers, row, strict=False)) for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_header_frozen_filters_on_and_columns_sized(workbook):
    sheet = workbook["Tracker"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Reference", "Child ID", "Case type"] and headers[-1] == "Within 20 working days"
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(headers)).column_letter}12"
    assert all(c.font.bold for c in sheet[1])
    widths = {sheet.cell(row=1, column=i + 1).column_letter: sheet.column_dimensions[sheet.cell(row=1, column=i + 1).column_letter].width
              for i in range(len(headers))}
    assert all(8 <= w <= 62 for w in widths.values())
    assert widths["I"] > widths["B"]  # the reasons column is wider than the child ID column


def test_every_stage_has_sent_due_responded_and_on_time_columns(workbook):
    headers = [c.value for c in workbook["Tracker"][1]]
    for n in range(1, 6):
        for part in ("sent", "due", "responded", "on time"):
            assert f"Stage {n}: {part}" in headers


def test_each_stage_names_who_it_went_to_and_the_sheet_prints_on_a4_landscape(workbook):
    sheet = workbook["Tracker"]
    headers, rows = by_reference(sheet)
    assert "Stage 1: to" in headers and rows["PA-2026-0001"]["Stage 1: to"]
    assert rows["PA-2026-0003"]["Stage 1: to"] is None  # it started at Stage 3
    assert rows["PA-2026-0003"]["Stage 3: to"]
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToHeight) == ("landscape", 9, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and 1 <= setup.fitToWidth <= 6
    assert sheet.print_title_rows == "$1:$1" and sheet.print_title_cols == "$A:$A"


def test_dates_are_real_excel_dates(workbook):
    sheet = workbook["Tracker"]
    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=4, column=headers.index("Date raised") + 1)  # PA-2026-0003
    assert cell.is_date and cell.value == dt.datetime(2026, 8, 3) and cell.number_format == "DD/MM/YYYY"
    cafcass = sheet.cell(row=4, column=headers.index("Referred to CAFCASS") + 1)
    assert cafcass.is_date and cafcass.value == dt.datetime(2026, 9, 8)


def test_the_rows_say_what_happened(workbook):
    _, rows = by_reference(workbook["Tracker"])
    assert list(rows) == [f"PA-2026-{n:04d}" for n in range(1, 12)]
    three = rows["PA-2026-0003"]
    assert three["Child ID"] == "CH100203" and three["IRO / CP chair"] == "Dana Reviewer"
    assert (three["Reason codes"], three["Themes"]) == ("6", "Child's voice")
    assert (three["Starting stage"], three["Highest stage reached"]) == ("Stage 3", "Stage 5")
    assert three["Bypasses"].startswith("Stage 1 to Stage 3 (Serious")
    assert (three["Stage 3: due"], three["Stage 3: responded"], three["Stage 3: on time"]) == (
        dt.datetime(2026, 8, 10), None, "No response")
    assert (three["Stage 5: responded"], three["Stage 5: on time"]) == (dt.datetime(2026, 9, 7), "No")
    assert (three["Status"], three["Outcome"], three["Date closed"]) == ("Closed", "referred to CAFCASS", dt.datetime(2026, 9, 9))
    assert (three["Working days taken"], three["Within 20 working days"]) == (25, "No")
    four = rows["PA-2026-0004"]
    assert (four["Time-outs"], four["Time-out working days"]) == (1, 10)
    assert four["Time-out details"] == "21/09/2026, resumed 05/10/2026 (10 working days): Waiting for the new placement to start."
    nine, eleven = rows["PA-2026-0009"], rows["PA-2026-0011"]
    assert (nine["Status"], nine["Overdue"], nine["Within 20 working days"]) == ("Open: awaiting IRO decision", "Yes", "No")
    assert (eleven["Overdue"], eleven["Within 20 working days"], eleven["Working days taken"]) == ("No", "Not yet known", 5)
    assert rows["PA-2026-0001"]["Overdue"] is None  # closed alerts are neither


def test_about_sheet_says_as_at_when(workbook):
    text = " ".join(str(c.value) for row in workbook["About"].iter_rows() for c in row if c.value)
    assert "31 December 2026 23:00" in text and "Contains personal data" in text


def test_pseudonymised_tracker_keeps_only_the_child_id(histories, policy, calendar, tmp_path):
    path = tmp_path / "tracker.xlsx"
    write_tracker(histories, policy, None, calendar, AS_OF, path, pseudonymise=True)
    book = load_workbook(path)
    headers, rows = by_reference(book["Tracker"])
    assert not set(PERSONAL) & set(headers)
    assert rows["PA-2026-0003"]["Child ID"] == "CH100203"
    assert (rows["PA-2026-0003"]["Status"], rows["PA-2026-0003"]["Referred to CAFCASS"]) == (
        "Closed", dt.datetime(2026, 9, 8)), "what happened is still told, without the IRO's words"
    assert rows["PA-2026-0003"]["Bypasses"] == "Stage 1 to Stage 3"
    assert rows["PA-2026-0004"]["Time-out details"] == "21/09/2026, resumed 05/10/2026 (10 working days)"
    everything = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    for personal in ("Dana", "Casey", "example.gov.uk", "Alex Example", "Billie", "placement"):
        assert personal not in everything


def test_csv_has_the_same_columns_with_iso_dates(histories, policy, calendar, tmp_path):
    path = tmp_path / "tracker.csv"
    write_tracker(histories, policy, None, calendar, AS_OF, path, as_csv=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 11
    three = rows[2]
    assert (three["Reference"], three["Date raised"], three["Referred to CAFCASS"]) == ("PA-2026-0003", "2026-08-03", "2026-09-08")
    assert (three["Stage 1: sent"], three["Working days taken"], three["Within 20 working days"]) == ("", "25", "No")
