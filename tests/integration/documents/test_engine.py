"""The fast renderer: typed text comes out as typed, breaks become Word breaks, and the letter
reads the same as docxtpl's own rendering of the same template."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docxtpl import DocxTemplate

from practice_alerts.documents import render, samples
from practice_alerts.documents.engine import docx_environment
from practice_alerts.documents.render import template_variables
from practice_alerts.documents.template_set import BUILT_IN
from practice_alerts.policies.load import load_policy

TYPED = ("Zoë said: \"it's drift & delay <urgent>\"\x0bline two\x00\n\nSecond paragraph\tafter a tab"
         "\fOn a new page\r\nwith a Windows line ending")


def hazard_letter():
    letter = samples.stage_letter(load_policy("rutland"))
    alert = letter.alert.model_copy(update={"concern": TYPED})
    return letter.model_copy(update={"alert": alert, "due": dt.date(2026, 12, 30)})


def test_typed_text_becomes_paragraphs_breaks_tabs_and_a_page_break(read_paragraphs):
    letter = samples.stage_letter(load_policy("rutland"))
    ctx = type(letter).model_validate({**letter.model_dump(), "alert": {**letter.alert.model_dump(), "concern": TYPED},
                                       "due": dt.date(2026, 12, 30)})
    data = render.render_docx(ctx)
    paragraphs = read_paragraphs(data)
    assert "Zoë said: \"it's drift & delay <urgent>\"\nline two" in paragraphs
    assert "Second paragraph\tafter a tab" in paragraphs
    assert "\fOn a new page\nwith a Windows line ending" in paragraphs
    assert any("Please respond by Wednesday 30 December 2026" in p for p in paragraphs)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"\x0b" not in xml and b"\x00" not in xml
    assert b"drift &amp; delay &lt;urgent&gt;" in xml


def test_same_text_as_docxtpl_rendering_the_same_template(read_paragraphs):
    variables = template_variables(hazard_letter())
    straightforward = DocxTemplate(str(BUILT_IN / "stage_letter.docx"))
    straightforward.render(variables, jinja_env=docx_environment())
    out = io.BytesIO()
    straightforward.save(out)
    fast = render.render_docx(hazard_letter())
    assert read_paragraphs(fast) == read_paragraphs(out.getvalue())
    assert read_paragraphs(fast, "word/header1.xml") == read_paragraphs(out.getvalue(), "word/header1.xml")


def test_the_zip_is_sound_and_the_template_parts_are_carried_over():
    data = render.render_docx(hazard_letter())
    with zipfile.ZipFile(io.BytesIO(data)) as rendered, zipfile.ZipFile(BUILT_IN / "stage_letter.docx") as template:
        assert rendered.testzip() is None
        assert sorted(rendered.namelist()) == sorted(template.namelist())
        assert rendered.read("word/styles.xml") == template.read("word/styles.xml")
        assert b"{{" not in rendered.read("word/header1.xml")


def test_rendering_twice_gives_the_same_bytes():
    assert render.render_docx(hazard_letter()) == render.render_docx(hazard_letter())


def test_a_variable_the_caller_did_not_supply_is_an_error_not_a_blank():
    import jinja2
    import pytest

    from practice_alerts.documents.engine import CompiledDocx

    compiled = CompiledDocx("stage_letter", (BUILT_IN / "stage_letter.docx").read_bytes())
    variables = template_variables(hazard_letter())
    del variables["due"]
    with pytest.raises(jinja2.UndefinedError, match="'due' is undefined"):
        compiled.render(variables)
