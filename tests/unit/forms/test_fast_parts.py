"""The gate's fast readers give exactly what zipfile and lxml give, and step aside for anything unusual.

zipdir.entries reads the zip directory and plainparts reads relationships and content types
without zipfile or lxml, for speed. Each must either agree with the slow reader entry for
entry, or return None so that the slow reader (and its refusals) decides.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from practice_alerts.forms import plainparts, zipdir
from practice_alerts.forms.gate import CT_NS, PKG_REL, _content_type, open_package
from practice_alerts.forms.xml import parse_xml

FIXTURES = Path(__file__).parents[2] / "fixtures" / "forms"
DOCX = sorted(FIXTURES.glob("*.docx"))


def zipfile_entries(data: bytes) -> list[tuple]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, i.flag_bits, i.compress_type, i.compress_size, i.file_size, i.header_offset)
                for i in zf.infolist()]


def make_zip(files: dict[str, bytes], comment: bytes = b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
        zf.comment = comment
    return out.getvalue()


@pytest.mark.parametrize("path", DOCX, ids=lambda p: p.name)
def test_directory_of_every_fixture_is_read_as_zipfile_reads_it(path):
    data = path.read_bytes()
    entries = zipdir.entries(data)
    if path.name == "password_protected.docx":  # not a zip at all
        assert entries is None
        return
    assert entries is not None
    assert [tuple(e) for e in entries] == zipfile_entries(data)


def test_names_in_utf8_and_cp437_and_bytes_before_the_archive():
    data = make_zip({"word/document.xml": b"<a/>", "word/r\u00e9sum\u00e9.xml": b"<b/>"})
    assert [tuple(e) for e in zipdir.entries(data)] == zipfile_entries(data)
    # The same archive with the UTF-8 flag cleared in the directory: both read the name as cp437.
    cp437 = bytearray(data)
    at = cp437.index(b"PK\x01\x02")
    while at >= 0:
        flags = struct.unpack_from("<H", cp437, at + 8)[0]
        struct.pack_into("<H", cp437, at + 8, flags & ~0x800)
        at = cp437.find(b"PK\x01\x02", at + 4)
    cp437 = bytes(cp437)
    assert [e.filename for e in zipdir.entries(cp437)] == [e[0] for e in zipfile_entries(cp437)]
    assert "word/r\u251c\u2310sum\u251c\u2310.xml" in [e.filename for e in zipdir.entries(cp437)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:  # ZIP64 only in the local header: the directory is plain
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b"<a/>")
    assert [tuple(e) for e in zipdir.entries(out.getvalue())] == zipfile_entries(out.getvalue())
    prefixed = b"junk before the archive" + data
    assert [tuple(e) for e in zipdir.entries(prefixed)] == zipfile_entries(prefixed)


@pytest.mark.parametrize("change", ["comment", "extra", "nul", "bad signature", "truncated", "zip64"])
def test_anything_unusual_is_left_to_zipfile(change):
    data = make_zip({"word/document.xml": b"<a/>", "docProps/app.xml": b"<b/>"})
    if change == "comment":
        data = make_zip({"word/document.xml": b"<a/>"}, comment=b"hello")
    elif change == "extra":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            info = zipfile.ZipInfo("word/document.xml")
            info.extra = struct.pack("<HH4s", 0xCAFE, 4, b"abcd")
            zf.writestr(info, b"<a/>")
        data = out.getvalue()
    elif change == "nul":
        data = data.replace(b"word/document.xml", b"word/doc\x00ment.xml")
    elif change == "bad signature":
        data = data.replace(b"PK\x01\x02", b"PK\x01\x09", 1)
    elif change == "truncated":
        end = data.rindex(b"PK\x05\x06")
        data = data[:end - 10] + data[end:]
    elif change == "zip64":  # a ZIP64 end-of-directory locator just before the end record
        end = data.rindex(b"PK\x05\x06")
        data = data[:end] + b"PK\x06\x07" + bytes(16) + data[end:]
    assert zipdir.entries(data) is None


def _rels_and_types() -> list[tuple[str, bytes]]:
    out = []
    for path in DOCX:
        if path.name == "password_protected.docx":
            continue
        with zipfile.ZipFile(path) as zf:
            out += [(f"{path.name}:{n}", zf.read(n)) for n in zf.namelist()
                    if n.endswith(".rels") or n == "[Content_Types].xml"]
    return out


@pytest.mark.parametrize("name,xml", _rels_and_types(), ids=lambda v: v if isinstance(v, str) else "")
def test_plain_parts_read_as_lxml_reads_them(name, xml):
    root = parse_xml(xml)
    if name.endswith(".rels"):
        fast = plainparts.relationships(xml)
        if fast is not None:
            assert fast == [dict(rel.attrib) for rel in root.iter(PKG_REL + "Relationship")]
    else:
        for part in ["word/document.xml", "word/styles.xml", "docProps/app.xml", "word/missing.xml"]:
            fast = plainparts.override_type(xml, part)
            if fast is not None:
                assert fast[0] == _content_type(root, part)
    assert fast is not None or name.startswith("lo_"), "Word's and the builder's parts take the fast path"


RELS_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' \
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
REL = b'<Relationship Id="rId1" Type="http://x/officeDocument" Target="word/document.xml"/>'


def test_external_target_is_read_with_its_mode():
    xml = RELS_HEAD + REL + b'<Relationship Id="rId2" Type="http://x/attachedTemplate" ' \
        b'Target="file:///C:/t.dotm" TargetMode="External"/></Relationships>'
    fast = plainparts.relationships(xml)
    assert fast == [dict(rel.attrib) for rel in parse_xml(xml).iter(PKG_REL + "Relationship")]
    assert fast[1]["TargetMode"] == "External"


@pytest.mark.parametrize("xml", [
    RELS_HEAD + REL.replace(b"word/document.xml", b"word/a&amp;b.xml") + b"</Relationships>",  # an entity
    RELS_HEAD + REL.replace(b"word/document.xml", b"word/&#x64;oc.xml") + b"</Relationships>",  # a character reference
    RELS_HEAD + REL.replace(b"word/document.xml", "word/d\u00f6c.xml".encode()) + b"</Relationships>",  # not ASCII
    RELS_HEAD + REL.replace(b"word/document.xml", b"word/\tdoc.xml") + b"</Relationships>",  # lxml makes it a space
    RELS_HEAD + REL.replace(b'Id="rId1" ', b"") + b"</Relationships>",  # attributes not in Word's order
    RELS_HEAD + REL.replace(b"/>", b' Extra="1"/>') + b"</Relationships>",
    RELS_HEAD + b" " + REL + b"</Relationships>",  # white space between elements
    RELS_HEAD + b"<!-- a comment -->" + REL + b"</Relationships>",
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]>' + RELS_HEAD[56:] + REL + b"</Relationships>",
    RELS_HEAD.replace(b"package/2006/relationships", b"package/2006/other") + REL + b"</Relationships>",
    RELS_HEAD.replace(b"UTF-8", b"ISO-8859-1") + REL + b"</Relationships>",
    b"\xef\xbb\xbf" + RELS_HEAD + REL + b"</Relationships>",  # a byte order mark
])
def test_anything_not_plain_is_left_to_lxml(xml):
    assert plainparts.relationships(xml) is None


def test_content_types_not_plain_are_left_to_lxml():
    types = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             b'content-types"><Override PartName="/word/document.xml" ContentType="a"/></Types>')
    assert plainparts.override_type(types, "word/document.xml") == ("a",)
    assert plainparts.override_type(types, "word/other.xml") == (None,)
    assert plainparts.override_type(types.replace(b"<Types", b"<!DOCTYPE Types><Types"), "word/document.xml") is None
    assert plainparts.override_type(types.replace(b'="a"', b'="a&amp;b"'), "word/document.xml") is None
    assert parse_xml(types).find(CT_NS + "Override") is not None


def test_open_package_gives_the_same_package_either_way():
    """The whole gate, with and without the fast readers, on every fixture."""
    for path in DOCX:
        if path.name == "password_protected.docx":
            continue
        data = path.read_bytes()
        fast = open_package(data, path.name)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(zipdir, "entries", lambda data: None)
            mp.setattr(plainparts, "relationships", lambda xml: None)
            mp.setattr(plainparts, "override_type", lambda xml, part: None)
            slow = open_package(data, path.name)
        assert fast == slow, path.name
