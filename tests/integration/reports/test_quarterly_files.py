"""The quarterly report's Word document, figures workbook and charts, re-opened and read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from practice_alerts.reports.build import write_quarterly
from practice_alerts.reports.periods import Quarter


@pytest.fixture(scope="module")
def output(histories, policy, calendar, tmp_path_factory):
    return write_quarterly(histories, policy, None, calendar, Quarter.parse("2026-Q4"), tmp_path_factory.mktemp("q4"))


@pytest.fixture(scope="module")
def book(output):
    return load_workbook(output.xlsx)


def table(book, name):
    rows = list(book[name].iter_rows(values_only=True))
    return rows[0], tuple(rows[1:])


def test_file_names(output):
    assert output.docx.name == "practice-alerts-2026-Q4.docx"
    assert output.xlsx.name == "practice-alerts-2026-Q4-figures.xlsx"


def test_every_sheet_has_a_frozen_filtered_header(book):
    assert book.sheetnames == ["Summary", "By case type", "By team", "By IRO", "Themes by reason", "Themes by category",
                               "Stage reached", "Responses on time", "Responses by team", "Responses by manager",
                               "Outcomes", "Resolution", "Open at quarter end", "Trend", "About"]
    for name in book.sheetnames[:-1]:
        assert book[name].freeze_panes == "B2" and book[name].auto_filter.ref.startswith("A1:")


def test_summary_compares_with_the_previous_quarter(book):
    headers, rows = table(book, "Summary")
    assert headers == ("Measure", "2026-Q4", "2026-Q3", "Change")
    assert {r[0]: r[1:] for r in rows} == {
        "Alerts raised": (5, 6, -1),
        "Responses due": (9, 8, 1),
        "Responses on time": (6, 4, 2),
        "Alerts reaching an outcome": (5, 3, 2),
        "Resolved within 20 working days": (5, 2, 3),
        "% resolved within 20 working days": (100, 66.7, 33.3),
        "Median working days to resolution": (12, 13, -1),
        "Longest working days to resolution": (13, 25, -12),
        "Time-outs started": (1, 1, 0),
        "CAFCASS referrals": (0, 1, -1),
        "Open at quarter end": (3, 3, 0),
        "Overdue at quarter end": (1, 1, 0),
        "Outcome: resolved": (5, 2, 3),
        "Outcome: closed without resolution": (0, 0, 0),
        "Outcome: referred to CAFCASS": (0, 1, -1),
        "Outcome: withdrawn": (0, 0, 0),
    }


def test_alerts_raised_breakdowns(book):
    assert table(book, "By case type")[1] == (("Child looked after", 3, 60), ("Child protection", 2, 40))
    assert table(book, "By team")[1] == (("Children in Care North", 3, 60), ("Children in Care South", 2, 40))
    assert table(book, "By IRO")[1] == (("Dana Reviewer", 3), ("Casey Chair", 2))


def test_themes(book):
    headers, rows = table(book, "Themes by reason")
    assert headers == ("Code", "Reason", "Theme", "Alerts") and len(rows) == 13
    assert {r[0]: r[3] for r in rows if r[3]} == {"3": 1, "4": 2, "5": 1, "6": 1, "12": 1}
    assert ("4", "Statutory visit not undertaken within required timescale", "Statutory duties", 2) in rows
    assert table(book, "Themes by category") == (("Theme", "Alerts", "% of alerts"), (
        ("Reports and plans", 2, 40), ("Meetings", 0, 0), ("Statutory duties", 2, 40), ("Care plan implementation", 1, 20),
        ("Child's voice", 1, 20), ("Safeguarding", 0, 0), ("Communication", 0, 0), ("Other", 0, 0)))


def test_stage_reached_and_responses_on_time(book):
    assert table(book, "Stage reached")[1] == (("Stage 1", 3), ("Stage 2", 0), ("Stage 3", 1), ("Stage 4", 1), ("Stage 5", 0))
    headers, rows = table(book, "Responses on time")
    assert headers == ("Stage", "Responses due", "On time", "Late or missing", "% on time")
    assert rows == (("Stage 1", 4, 2, 2, 50), ("Stage 2", 3, 3, 0, 100), ("Stage 3", 1, 0, 1, 0),
                    ("Stage 4", 1, 1, 0, 100), ("Stage 5", 0, 0, 0, None))


def test_resolution_time_outs_cafcass_and_open(book):
    values = dict(table(book, "Resolution")[1])
    assert values == {
        "Alerts reaching an outcome in the quarter": 5, "Resolved within 20 working days": 5,
        "% resolved within 20 working days": 100, "Median working days to resolution": 12,
        "Longest working days to resolution": 13, "Alert that took longest": "PA-2026-0005",
        "Time-outs started": 1, "Working days in those time-outs": 7, "CAFCASS referrals": 0,
        "Open at quarter end": 3, "Overdue at quarter end": 1, "Open past 20 working days": 1,
    }
    headers, rows = table(book, "Open at quarter end")
    assert rows == (
        ("PA-2026-0009", "Stage 3", "Open: awaiting IRO decision", dt.datetime(2026, 12, 22), 24, "Yes"),
        ("PA-2026-0010", "Stage 1", "Open: awaiting IRO decision", dt.datetime(2026, 12, 14), 16, "No"),
        ("PA-2026-0011", "Stage 1", "Open: awaiting response", dt.datetime(2026, 12, 31), 5, "No"),
    )
    assert book["Open at quarter end"].cell(row=2, column=4).number_format == "DD/MM/YYYY"


def test_timeliness_by_team_and_by_manager(book):
    # The nine responses settled in Q4 (see test_quarterly_figures): North had 0004, 0005, 0007 and 0009
    # at stages 1-3; South 0008 and 0010.
    headers, rows = table(book, "Responses by team")
    assert headers == ("Team", "Responses due", "On time", "Late or missing", "% on time")
    assert sum(r[1] for r in rows) == 9 and sum(r[2] for r in rows) == 6
    headers, rows = table(book, "Responses by manager")
    assert headers[0] == "Manager" and sum(r[1] for r in rows) == 9 and sum(r[2] for r in rows) == 6


def test_outcomes_kept_apart(book):
    headers, rows = table(book, "Outcomes")
    assert headers == ("Outcome", "2026-Q4", "2026-Q3")
    assert rows == (("Resolved (the IRO satisfied)", 5, 2), ("Closed without resolution", 0, 0),
                    ("Referred to CAFCASS", 0, 1), ("Withdrawn", 0, 0), ("Still open at quarter end", 3, 3))


def test_trend(book):
    headers, rows = table(book, "Trend")
    assert headers == ("Quarter", "Alerts raised", "Responses on time", "Responses due", "Resolved",
                       "Within 20 working days", "% within", "Open at end", "Overdue at end")
    assert rows == (("2026-Q1", 0, 0, 0, 0, 0, None, 0, 0), ("2026-Q2", 0, 0, 0, 0, 0, None, 0, 0),
                    ("2026-Q3", 6, 4, 8, 3, 2, 66.7, 3, 1), ("2026-Q4", 5, 6, 9, 5, 5, 100, 3, 1))


def test_word_report_text(output):
    document = Document(str(output.docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Practice alerts: quarterly quality assurance report" in text
    assert "Rutland County Council. October to December 2026 (2026-Q4). Figures as at the end of 31 December 2026." in text
    assert "For the Performance and QA meeting." in text
    for sentence in (
        "5 alerts were raised in October to December 2026 (6 in the previous quarter).",
        "9 stage responses fell due and 6 came on time (4 of 8 in the previous quarter).",
        "5 alerts reached an outcome: 5 resolved, 0 closed without resolution, 0 referred to CAFCASS and 0 withdrawn.",
        "5 of the 5 alerts (100%) were resolved within 20 working days (previous quarter: 2 of 3).",
        "Resolution took a median of 12 working days; the longest took 13 (PA-2026-0005).",
        "1 time-out was started (7 working days paused) and 0 referrals were made to CAFCASS.",
        "At the end of the quarter 3 alerts were open, 1 overdue and 1 past 20 working days "
        "(previous quarter: 3 open, 1 overdue).",
    ):
        assert sentence in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["Summary", "Commentary by the quality assurance manager",
                            "Change from the previous quarter", "Alerts raised"]
    assert "How the figures are counted" in headings and "Alerts not counted" not in headings
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["Alerts raised", "5", "6", "-1"] in cells
    assert ["Stage 3", "1", "0", "1", "0%"] in cells
    assert ["Stage 1", "4", "2", "2", "50%"] in cells
    assert ["PA-2026-0009", "Stage 3", "Open: awaiting IRO decision", "22/12/2026", "24", "Yes"] in cells
    assert len(document.inline_shapes) == 5
    assert all(shape._inline.docPr.get("descr") for shape in document.inline_shapes)  # alternative text
    assert all(t.rows[0]._tr.trPr is not None and t.rows[0]._tr.trPr.xml.count("tblHeader") == 1
               for t in document.tables)  # header rows repeat on each page
    assert not any("." in c for row in cells for c in row if c.endswith("%"))  # 83%, never 83.3%


def test_charts_are_png_images(output):
    assert set(output.charts) == {"raised_by_team", "themes", "stage_reached", "on_time", "trend"}
    for path in output.charts.values():
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width == 1600 and image.height > 300
            assert len(image.getcolors(maxcolors=100000) or []) > 2  # more than a blank page


def test_the_example_in_the_repository_is_up_to_date(book):
    """examples/reports was made from the same history (with the real directory): same figures."""
    example = Path(__file__).resolve().parents[3] / "examples" / "reports" / "2026-Q4" / "practice-alerts-2026-Q4-figures.xlsx"
    shown = load_workbook(example)
    assert shown.sheetnames == book.sheetnames
    for name in book.sheetnames[:-1]:
        if name == "Responses by manager":  # the managers' names come from the directory, placeholders here
            continue
        assert list(shown[name].iter_rows(values_only=True)) == list(book[name].iter_rows(values_only=True)), (
            f"{name} differs: run python -m tools.report_examples")


def test_the_authority_name_and_logo_from_the_configuration(output, tmp_path):
    from practice_alerts.reports.report_docx import write_report_docx

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), "navy").save(logo)
    path = write_report_docx(output.figures, tmp_path / "r.docx", output.charts, authority="Exampleshire County Council",
                             logo=logo)
    document = Document(str(path))
    assert any(p.text.startswith("Exampleshire County Council. October to December 2026") for p in document.paragraphs)
    assert len(document.inline_shapes) == 6
    assert document.inline_shapes[0]._inline.docPr.get("descr") == "Exampleshire County Council logo"
