"""Start-up checks of templates, and an authority's own template folder with fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from practice_alerts.documents import render, samples
from practice_alerts.documents.checks import check_templates, ensure_templates_ok, split_tag_problems
from practice_alerts.documents.engine import TemplateProblem
from practice_alerts.documents.template_set import BUILT_IN, TemplateSet
from practice_alerts.policies.load import load_policy
from tools.build_templates import LetterBuilder
from tools.letter_layouts import stage_letter


def write_letter(path: Path, extra: str) -> Path:
    """The built-in stage letter with one extra paragraph, as an authority might save it."""
    builder = LetterBuilder("Borsetshire stage letter")
    stage_letter(builder)
    builder.para(extra)
    path.write_bytes(builder.to_bytes())
    return path


def write_split_tag(path: Path) -> Path:
    """A paragraph where Word has split a tag over two runs (as spell-check marks do)."""
    shutil.copy(BUILT_IN / "stage_letter.docx", path)
    document = docx.Document(str(path))
    paragraph = document.add_paragraph()
    paragraph.add_run("Child: {{ alert.ch")
    paragraph.add_run("ild.name }}")
    document.save(str(path))
    return path


def test_built_in_templates_pass_for_every_policy():
    from practice_alerts.policies.load import policy_names

    templates = TemplateSet()
    for name in policy_names():
        assert check_templates(templates, load_policy(name)) == []


def test_a_split_tag_is_reported_with_the_file_and_the_tag(tmp_path):
    path = write_split_tag(tmp_path / "stage_letter.docx")
    problems = split_tag_problems(path)
    assert len(problems) == 1
    assert str(path) in problems[0] and "'{{ alert.child.name }}' is split across runs" in problems[0]


def test_an_unclosed_tag_is_reported(tmp_path):
    path = write_letter(tmp_path / "stage_letter.docx", "Dear {{ recipient.name")
    problems = split_tag_problems(path)
    assert problems and "is not closed" in problems[0]


def test_an_unknown_variable_names_the_template_and_the_variable(tmp_path):
    write_letter(tmp_path / "stage_letter.docx", "Child: {{ child_name }}")
    with pytest.raises(TemplateProblem) as raised:
        ensure_templates_ok(TemplateSet(tmp_path), load_policy("rutland"))
    message = str(raised.value)
    assert str(tmp_path / "stage_letter.docx") in message
    assert "uses the variable 'child_name', which this document does not supply" in message


def test_a_misspelt_attribute_is_caught_by_the_trial_render(tmp_path):
    write_letter(tmp_path / "stage_letter.docx", "Child: {{ alert.child.nmae }}")
    problems = check_templates(TemplateSet(tmp_path), load_policy("rutland"))
    assert len(problems) == 1
    assert str(tmp_path / "stage_letter.docx") in problems[0] and "nmae" in problems[0]


def test_an_unknown_variable_in_a_text_template_is_reported(tmp_path):
    (tmp_path / "closure.txt").write_text("Closed on {{ closing_date }}\n", encoding="utf-8")
    problems = check_templates(TemplateSet(tmp_path))
    assert problems == [p for p in problems if "closure.txt" in p and "'closing_date'" in p] and problems


def test_an_authority_folder_overrides_some_templates_and_falls_back_for_the_rest(tmp_path, read_text):
    write_letter(tmp_path / "stage_letter.docx", "Borsetshire Council: please also telephone 01234 567890.")
    (tmp_path / "stage_letter.txt").write_text("Borsetshire: {{ alert.reference }} due {{ due }}\n", encoding="utf-8")
    templates = TemplateSet(tmp_path)
    ensure_templates_ok(templates, load_policy("rutland"))
    policy = load_policy("rutland")
    letter = render.stage_letter(samples.stage_letter(policy), templates)
    assert "please also telephone 01234 567890" in read_text(letter.docx)
    assert letter.text.startswith("Borsetshire: PA-2026-0042 due Thursday 24 December 2026")
    assert "<h1>Practice Alert PA-2026-0042: Stage 3</h1>" in letter.html  # the built-in HTML
    ack = render.acknowledgement(samples.acknowledgement(policy), templates)
    assert "please also telephone" not in read_text(ack.docx)


def test_a_missing_folder_is_an_operator_error_naming_it(tmp_path):
    with pytest.raises(TemplateProblem, match="does not exist"):
        TemplateSet(tmp_path / "nowhere")


def test_a_file_that_is_not_a_docx_is_named(tmp_path):
    (tmp_path / "closure.docx").write_text("not a zip")
    problems = check_templates(TemplateSet(tmp_path))
    assert any(str(tmp_path / "closure.docx") in p for p in problems)
