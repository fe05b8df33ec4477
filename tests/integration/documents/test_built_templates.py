"""The committed templates are what the layouts build, and the examples can be regenerated."""

from __future__ import annotations

import zipfile

from practice_alerts.documents.template_set import BUILT_IN, DocumentKind
from practice_alerts.policies.load import policy_names
from tools.build_templates import build_all
from tools.document_examples import DEFAULT_FOLDER, write_examples


def test_committed_templates_match_their_layouts(tmp_path):
    for built in build_all(tmp_path):
        committed = BUILT_IN / built.name
        with zipfile.ZipFile(built) as new, zipfile.ZipFile(committed) as old:
            assert new.namelist() == old.namelist()
            for part in new.namelist():
                assert new.read(part) == old.read(part), (
                    f"{committed} ({part}) is out of date: run python -m tools.build_templates")
            assert {i.date_time for i in new.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_every_document_has_all_three_templates():
    for kind in DocumentKind:
        for fmt in ("docx", "txt", "html"):
            assert (BUILT_IN / f"{kind.value}.{fmt}").is_file()


def test_examples_are_written_for_every_policy_and_document(tmp_path):
    written = write_examples(tmp_path)
    assert len(written) == len(policy_names()) * len(DocumentKind) * 3
    for name in policy_names():
        text = (tmp_path / name / "case_note.txt").read_text(encoding="utf-8")
        assert text.startswith("PRACTICE ALERT CASE NOTE: PA-2026-0042")
        assert zipfile.ZipFile(tmp_path / name / "stage_letter.docx").testzip() is None
    stale = [str(path.relative_to(tmp_path)) for path in written
             if not _same_example(path, DEFAULT_FOLDER / path.relative_to(tmp_path))]
    assert not stale, (f"examples/documents is out of date ({stale[:3]}...): "
                       "run python -m tools.document_examples --pdf rutland")


def _same_example(fresh, committed) -> bool:
    if not committed.is_file():
        return False
    if fresh.suffix != ".docx":
        return fresh.read_bytes() == committed.read_bytes()
    with zipfile.ZipFile(fresh) as new, zipfile.ZipFile(committed) as old:
        return all(new.read(part) == old.read(part) for part in new.namelist())
