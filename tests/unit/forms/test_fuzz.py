"""Damaged and tampered files: the reader answers with a reading or a FileRefused, never a crash."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice_alerts.forms.gate import FileRefused
from practice_alerts.forms.reader import read_form

SNIPPETS = [b"<w:br/>", b"<w:tab/>", b"</w:p><w:p>", b"<w:del><w:r><w:t>x</w:t></w:r></w:del>", b"&amp;",
            "\ue000\ue002".encode(), b"<w:sdt><w:sdtPr><w:tag w:val='concern'/></w:sdtPr><w:sdtContent>",
            b"</w:sdtContent></w:sdt>", b" w14:val='true'", b" w:fullDate='2026-99-99'", b"<!DOCTYPE x>", b"\x00"]
FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def answers(data: bytes, policy, today) -> None:
    try:
        read_form(data, filename="f.docx", policy=policy, today=today)
    except FileRefused as refusal:
        assert refusal.message and "Traceback" not in refusal.message


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8))
def test_flipped_bytes_anywhere_in_the_file(fixtures, rutland, today, flips):
    data = bytearray((fixtures / "filled_full.docx").read_bytes())
    for where, value in flips:
        data[where % len(data)] = value
    answers(bytes(data), rutland, today)


@FUZZ
@given(name=st.sampled_from(["filled_full.docx", "lo_filled_full.docx", "legacy_fields.docx", "typed_table.docx"]),
       edits=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(SNIPPETS), st.integers(0, 40)),
                      min_size=1, max_size=5))
def test_tampered_document_xml(fixtures, rutland, today, name, edits):
    source = (fixtures / name).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = bytearray(src.read(info))
            if info.filename == "word/document.xml":
                for where, snippet, cut in edits:
                    at = where % len(body)
                    body[at:at + cut] = snippet
            dst.writestr(info.filename, bytes(body))
    answers(out.getvalue(), rutland, today)
