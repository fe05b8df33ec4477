"""Cleaning what people typed, splitting it into paragraphs, and British dates."""

import datetime as dt

from markupsafe import Markup

from practice_alerts.documents.text import (
    clean_line,
    clean_text,
    date_time,
    day_month_year,
    docx_runs,
    html_lines,
    long_date,
    paragraphs,
    short_date,
)


def test_long_date_is_british_with_the_weekday():
    assert long_date(dt.date(2026, 12, 30)) == "Wednesday 30 December 2026"
    assert long_date(dt.datetime(2027, 1, 1, 9, 0)) == "Friday 1 January 2027"
    assert long_date(None) == "not recorded"


def test_day_month_year_has_no_weekday_for_dates_of_birth():
    assert day_month_year(dt.date(2014, 3, 9)) == "9 March 2014"
    assert day_month_year(None) == ""


def test_short_date_and_date_time():
    assert short_date(dt.date(2026, 12, 30)) == "30 Dec 2026"
    assert date_time(dt.datetime(2026, 12, 1, 9, 5)) == "Tuesday 1 December 2026 at 09:05"


def test_characters_xml_cannot_hold_are_removed_and_vertical_tab_is_a_line_break():
    typed = "first\x0bsecond\x00 third\x1b\ufffe\r\nfourth\rfifth"
    assert clean_text(typed) == "first\nsecond third\nfourth\nfifth"


def test_what_was_typed_is_otherwise_kept():
    typed = "drift & delay <urgent> \"quoted\" 'single' Siân Llŷr Zoë O'Neill-Ðorđević\ttabbed"
    assert clean_text(typed) == typed


def test_clean_line_joins_lines_into_one():
    assert clean_line("  Siân\nLlŷr\x0b ") == "Siân Llŷr"


def test_paragraphs_split_at_blank_lines_and_keep_line_breaks_inside():
    typed = "One\ntwo\n\n\nThree\r\n\r\nFour\fFive"
    assert paragraphs(typed) == ["One\ntwo", "Three", "Four", "\fFive"]
    assert paragraphs("  \n\n ") == []


def test_docx_runs_escape_and_turn_breaks_into_word_markup():
    runs = docx_runs("a & b <c>\nnext\tcol\fpage")
    assert isinstance(runs, Markup)
    assert "a &amp; b &lt;c&gt;" in runs
    assert '<w:br/>' in runs and "<w:tab/>" in runs and '<w:br w:type="page"/>' in runs
    assert "\n" not in runs and "\t" not in runs and "\f" not in runs


def test_html_lines_escape_and_break():
    assert html_lines("a & b\nc") == Markup("a &amp; b<br>\nc")
