"""The two commands, run through the real argument parser."""

from __future__ import annotations

import json

from practice_alerts.cli import main


def test_template_writes_a_form_that_parse_reads_back(tmp_path, capsys):
    out = tmp_path / "form.docx"
    assert main(["form", "template", "--policy", "rutland", "--out", str(out)]) == 0
    assert "Rutland County Council" in capsys.readouterr().out
    assert main(["form", "parse", str(out), "--json"]) == 2
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert {"field": "impact_on_child", "label": "Impact on the child",
            "message": "Impact on the child is empty: say how the delay affects the child."} in errors


def test_parse_prints_the_record_as_json(fixtures, expected, capsys):
    assert main(["form", "parse", str(fixtures / "filled_full.docx"), "--policy", "rutland", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed.pop("checks") == []
    assert printed == expected("filled_full")


def test_invalid_form_in_plain_sentences(fixtures, capsys):
    assert main(["form", "parse", str(fixtures / "invalid_missing.docx")]) == 2
    out = capsys.readouterr().out
    assert "- Impact on the child is empty: say how the delay affects the child." in out
    assert "Traceback" not in out


def test_refused_file_is_one_sentence(fixtures, capsys):
    assert main(["form", "parse", str(fixtures / "old_word.doc"), "--json"]) == 2
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert errors == [{"field": None, "label": None, "message": errors[0]["message"]}]
    assert "Save As" in errors[0]["message"]


def test_unknown_policy_is_an_operator_error(tmp_path, capsys):
    assert main(["form", "template", "--policy", "nowhere", "--out", str(tmp_path / "x.docx")]) == 2
    assert "nowhere" in capsys.readouterr().err
