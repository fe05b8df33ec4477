"""Content-control reading rules, checked on both readers (the XSLT one and the element walker)."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from practice_alerts.forms.controls import SDT, control_tag, read_control, shown_text
from practice_alerts.forms.ooxml import ROOT_NS
from practice_alerts.forms.record import FieldSource
from practice_alerts.forms.tagged import read_tagged
from practice_alerts.forms.values import parse_british_date


def body(xml: str) -> tuple[etree._Element, bytes]:
    raw = f"<w:document {ROOT_NS}><w:body>{xml}</w:body></w:document>".encode()
    return etree.fromstring(raw), raw


def both(xml: str) -> list[dict]:
    """Every tagged control read by both readers, which must agree."""
    root, raw = body(xml)
    fast = {tag: reading for tag, reading in read_tagged(root, raw)}
    slow = {control_tag(s): read_control(s, control_tag(s), FieldSource.CONTROL_TAG) for s in root.iter(SDT)
            if control_tag(s)}
    assert fast == slow
    return fast


def sdt(tag: str, pr: str, content: str) -> str:
    return f'<w:sdt><w:sdtPr><w:tag w:val="{tag}"/>{pr}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>'


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


@pytest.mark.parametrize("value, ticked", [("1", True), ("0", False), ("true", True), ("false", False),
                                            ("TRUE", True), ("", False)])
def test_check_boxes_accept_1_0_true_false(value, ticked):
    xml = sdt("reason_1", f'<w14:checkbox><w14:checked w14:val="{value}"/></w14:checkbox>', r("\u2610"))
    assert both(f"<w:p>{xml}</w:p>")["reason_1"].checked is ticked


def test_tracked_changes_read_as_final_text_and_are_marked():
    content = ("<w:p>" + r("Visits ") + '<w:del w:id="1" w:author="A"><w:r><w:delText>have </w:delText></w:r></w:del>'
               + '<w:ins w:id="2" w:author="A"><w:r><w:t>have not </w:t></w:r></w:ins>' + r("happened.")
               + '<w:moveFrom w:id="3" w:author="A"><w:r><w:t>moved away</w:t></w:r></w:moveFrom></w:p>')
    reading = both(sdt("concern", "", content))["concern"]
    assert reading.text == "Visits have not happened."
    assert reading.revisions is True


def test_a_deleted_paragraph_mark_joins_the_paragraphs():
    content = ('<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="A"/></w:rPr></w:pPr>' + r("One ") + "</w:p><w:p>"
               + r("line.") + "</w:p><w:p>" + r("Next.") + "</w:p>")
    assert both(sdt("concern", "", content))["concern"].text == "One line.\nNext."


def test_paragraphs_line_breaks_and_tabs_are_kept():
    stops = '<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'  # tab stops are not text
    content = f"<w:p>{stops}" + r("A") + "<w:r><w:br/><w:t>B</w:t><w:tab/><w:t>C</w:t></w:r></w:p><w:p>" + r("D") + "</w:p>"
    assert both(sdt("concern", "", content))["concern"].text == "A\nB\tC\nD"


def test_placeholders_read_as_empty_also_when_nested():
    outer = sdt("child_views", "", "<w:p>" + r("Said: ") + '<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>'
                + r("Click here") + "</w:sdtContent></w:sdt></w:p>")
    shown = sdt("legal_status", "<w:showingPlcHdr/><w:text/>", r("Type the legal status"))
    readings = both(outer + f"<w:p>{shown}</w:p>")
    assert readings["child_views"].text == "Said:"
    assert readings["legal_status"].text == ""


def test_drop_downs_and_combo_boxes_map_shown_text_to_value():
    items = '<w:listItem w:displayText="Not appropriate" w:value="not_appropriate"/><w:listItem w:displayText="Yes" w:value="yes"/>'
    combo = '<w:comboBox><w:listItem w:displayText="Care leaver (CL)" w:value="CL"/></w:comboBox>'
    xml = ("<w:p>" + sdt("child_informed", f"<w:dropDownList>{items}</w:dropDownList>", r("Not appropriate"))
           + sdt("case_type", combo, r("care leaver (cl)")) + "</w:p>")
    readings = both(xml)
    assert readings["child_informed"].choice == "not_appropriate"
    assert readings["case_type"].choice == "CL"


def test_date_pickers_prefer_the_stored_date():
    stored = sdt("date_raised", '<w:date w:fullDate="2026-12-03T00:00:00Z"/>', r("03/12/2026"))
    typed = sdt("child_dob", "<w:date/>", r("3 December 2016"))
    readings = both(f"<w:p>{stored}{typed}</w:p>")
    assert readings["date_raised"].date == dt.date(2026, 12, 3)
    assert readings["child_dob"].date is None and readings["child_dob"].text == "3 December 2016"


def test_separator_characters_in_the_text_fall_back_to_the_walker():
    root, raw = body("<w:p>" + sdt("team", "<w:text/>", r("North \ue000 team")) + "</w:p>")
    assert dict(read_tagged(root, raw))["team"].text == "North \ue000 team"


def test_shown_text_of_a_cell_with_a_line_break_before_the_control_starts_with_it():
    root, _raw = body("<w:p><w:r><w:br/></w:r>" + sdt("x", "", r("Text")) + "</w:p>")
    assert shown_text(root)[0] == "\nText"


@pytest.mark.parametrize("text, date", [
    ("3/12/2026", dt.date(2026, 12, 3)), ("03.12.26", dt.date(2026, 12, 3)), ("3-12-2026", dt.date(2026, 12, 3)),
    ("3 December 2026", dt.date(2026, 12, 3)), ("Thursday 3rd Dec 2026", dt.date(2026, 12, 3)),
    ("3rd of December, 2026", dt.date(2026, 12, 3)), ("2026-12-03", dt.date(2026, 12, 3)),
    ("31/2/2026", None), ("next Tuesday", None), ("12/31/2026", None),
])
def test_british_dates(text, date):
    assert parse_british_date(text) == date
