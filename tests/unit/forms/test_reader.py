"""Reading filled forms of every origin into the same record, with where each value came from."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.forms.reader import read_form
from practice_alerts.forms.record import FieldSource
from practice_alerts.policies.load import load_policy, policy_names


def read(fixtures, name, today, **kw):
    return read_form((fixtures / name).read_bytes(), filename=name, today=today, **kw)


@pytest.mark.parametrize("name", ["filled_full", "filled_line_break", "word_variants", "legacy_fields", "typed_table"])
def test_each_fixture_parses_to_its_expected_record(fixtures, today, expected, rutland, name):
    reading = read(fixtures, f"{name}.docx", today, policy=rutland)
    assert reading.errors == []
    assert reading.record.model_dump(mode="json") == expected(name)


def test_a_word_form_is_read_from_control_tags_and_marks_its_origin(fixtures, today, rutland):
    reading = read(fixtures, "filled_full.docx", today, policy=rutland)
    assert {r.source for r in reading.fields.values()} == {FieldSource.CONTROL_TAG}
    assert reading.application == "Microsoft Office Word"
    assert (reading.policy, reading.form_version) == ("rutland", "1")
    assert reading.checks == [] and reading.admin_flags == []
    record = reading.record
    assert record.child_dob == dt.date(2014, 3, 9) and record.reason_codes == ["4", "6", "13"]
    assert record.impact_on_child == ("Amira has not seen her social worker for eleven weeks.\n\n"
                                      "She told her carer she feels forgotten.")


def test_without_a_policy_the_form_names_its_own(fixtures, today):
    reading = read(fixtures, "filled_full.docx", today, load=load_policy)
    assert reading.policy == "rutland" and reading.record is not None
    bare = read(fixtures, "filled_full.docx", today)  # no policy at all: only the policy-free checks
    assert bare.record.reason_codes == ["4", "6", "13"] and bare.record.start_stage == "stage3"


def test_word_variants_read_every_level_and_kind(fixtures, today, rutland):
    reading = read(fixtures, "word_variants.docx", today, policy=rutland)
    fields = reading.fields
    assert fields["concern"].revisions is True
    assert fields["child_name"].revisions is False
    assert fields["team"].source is FieldSource.CONTROL_TAG  # from the header
    assert fields["iro_email"].text == "chris.green@council.example.org"  # from the footer
    assert fields["team_manager_name"].text == ""  # placeholder still showing
    assert reading.record.child_views == "Leo wants to come to his review."  # nested placeholder left out


def test_legacy_form_fields_are_read_by_bookmark_name(fixtures, today, rutland):
    reading = read(fixtures, "legacy_fields.docx", today, policy=rutland)
    assert {r.source for r in reading.fields.values()} == {FieldSource.LEGACY_FIELD}
    assert reading.record.case_type.value == "CP" and reading.record.child_informed.value == "no"


def test_typed_answers_are_found_by_label_and_prompts_read_as_empty(fixtures, today, rutland):
    reading = read(fixtures, "typed_table.docx", today, policy=rutland)
    assert reading.fields["child_name"].source is FieldSource.LABEL
    assert reading.fields["reason_12"].checked is True and reading.fields["reason_13"].checked is False
    assert reading.record.impact_on_child.startswith("Noah does not know")


def test_libreoffice_copy_parses_to_the_same_record(fixtures, today, rutland, expected):
    reading = read(fixtures, "lo_filled_full.docx", today, policy=rutland)
    assert reading.record.model_dump(mode="json") == expected("filled_full")
    assert reading.checks == []
    assert reading.application.startswith("LibreOffice")
    sources = {r.source for r in reading.fields.values()}
    assert FieldSource.CONTROL_TAG not in sources and FieldSource.CONTROL_TITLE in sources


def test_libreoffice_copy_that_lost_line_breaks_says_which_field_to_check(fixtures, today, rutland):
    reading = read(fixtures, "lo_filled_line_break.docx", today, policy=rutland)
    assert [c.field for c in reading.checks] == ["concern"]
    assert "line breaks" in reading.checks[0].message and "The concern" in reading.checks[0].message


def test_invalid_forms_list_every_problem_for_the_iro(fixtures, today, rutland):
    missing = read(fixtures, "invalid_missing.docx", today, policy=rutland)
    assert missing.record is None
    messages = {e.field: e.message for e in missing.errors}
    assert messages["impact_on_child"] == "Impact on the child is empty: say how the delay affects the child."
    assert messages["iro_email"] == "IRO / CP chair e-mail is empty: write your e-mail address."
    wrong = read(fixtures, "invalid_policy.docx", today, policy=rutland)
    fields = [e.field for e in wrong.errors]
    assert fields == ["social_worker_email", "child_dob", "other_reason", "start_stage"]
    assert all(e.label for e in wrong.errors)


def test_a_tag_that_appears_twice_with_different_answers_is_to_be_checked(blank, rutland, today):
    import io
    import zipfile

    from practice_alerts.forms.fill import fill_form

    form = fill_form(blank, {"team": "North"})
    with zipfile.ZipFile(io.BytesIO(form)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    copy = (b'<w:p><w:sdt><w:sdtPr><w:tag w:val="team"/><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>South</w:t>'
            b"</w:r></w:sdtContent></w:sdt></w:p>")
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:body>", b"<w:body>" + copy)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    reading = read_form(out.getvalue(), filename="f.docx", policy=rutland, today=today)
    assert [(c.field, c.message) for c in reading.checks] == [
        ("team", "Check 'Team': it appears more than once with different answers.")]


def test_a_form_for_another_policy_is_flagged(fixtures, today):
    other = next(name for name in policy_names() if name != "rutland")
    reading = read(fixtures, "filled_full.docx", today, policy=load_policy(other))
    assert any("made for another procedure ('rutland')" in c.message for c in reading.checks)
