"""Fuzzing the gate's fast readers against zipfile and lxml (issue 10: they stay only with this proof).

For any archive zipfile writes, then for the same bytes with any few bytes changed, ``zipdir.entries``
either gives exactly zipfile's directory or steps aside (None). For any relationships part or content
types part built from arbitrary names and values, then damaged, ``plainparts`` either gives exactly what
lxml reads or steps aside. Whatever they return is never something the slow reader would not.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from practice_alerts.forms import plainparts, zipdir
from practice_alerts.forms.gate import PKG_REL, _content_type
from practice_alerts.forms.xml import UnsafeXml, parse_xml

NAMES = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters="\\"), min_size=1,
                max_size=24).map(lambda s: "word/" + s.strip("/"))
FILES = st.dictionaries(NAMES, st.binary(max_size=300), min_size=1, max_size=6)
METHOD = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
EDITS = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=4)
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _zip(files: dict[str, bytes], method: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return out.getvalue()


def _zipfile_entries(data: bytes) -> list[tuple] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return [(i.filename, i.flag_bits, i.compress_type, i.compress_size, i.file_size, i.header_offset)
                    for i in zf.infolist()]
    except Exception:  # anything zipfile refuses
        return None


def _edited(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    changed = bytearray(data)
    for at, value in edits:
        changed[at % len(changed)] = value
    return bytes(changed)


@SLOW
@given(files=FILES, method=METHOD, edits=EDITS)
def test_zip_directory_is_zipfiles_or_nothing(files: dict[str, bytes], method: int,
                                              edits: list[tuple[int, int]]) -> None:
    for data in (_zip(files, method), _edited(_zip(files, method), edits)):
        fast = zipdir.entries(data)
        if fast is not None:
            assert [tuple(e) for e in fast] == _zipfile_entries(data)


ATTR = st.text(st.characters(min_codepoint=32, max_codepoint=0x24F), max_size=20)
RELS = st.lists(st.tuples(ATTR, ATTR, ATTR, st.sampled_from([None, "External", "Internal"])), max_size=5)
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def _rels_xml(rels: list[tuple[str, str, str, str | None]]) -> bytes:
    items = "".join(f"<Relationship Id={quoteattr(i)} Type={quoteattr(t)} Target={quoteattr(g)}"
                    + (f" TargetMode={quoteattr(m)}" if m else "") + "/>" for i, t, g, m in rels)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{REL_NS}">'
            f"{items}</Relationships>").encode()


def _lxml_rels(xml: bytes) -> list[dict[str, str]] | None:
    try:
        return [dict(rel.attrib) for rel in parse_xml(xml).iter(PKG_REL + "Relationship")]
    except (etree.XMLSyntaxError, UnsafeXml, ValueError):
        return None


@SLOW
@given(rels=RELS, edits=EDITS)
def test_relationships_are_lxmls_or_nothing(rels: list[tuple[str, str, str, str | None]],
                                            edits: list[tuple[int, int]]) -> None:
    for xml in (_rels_xml(rels), _edited(_rels_xml(rels), edits)):
        fast = plainparts.relationships(xml)
        if fast is not None:
            assert fast == _lxml_rels(xml)


OVERRIDES = st.lists(st.tuples(st.sampled_from(["/word/document.xml", "/word/styles.xml", "/docProps/app.xml"])
                               | ATTR.map(lambda s: "/" + s), ATTR), max_size=5)


def _types_xml(overrides: list[tuple[str, str]]) -> bytes:
    items = "".join(f"<Override PartName={quoteattr(p)} ContentType={quoteattr(c)}/>" for p, c in overrides)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{CT}">'
            f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>').encode()


@SLOW
@given(overrides=OVERRIDES, edits=EDITS)
def test_content_types_are_lxmls_or_nothing(overrides: list[tuple[str, str]], edits: list[tuple[int, int]]) -> None:
    for xml in (_types_xml(overrides), _edited(_types_xml(overrides), edits)):
        for part in ["word/document.xml", "word/styles.xml", "docProps/app.xml"]:
            fast = plainparts.override_type(xml, part)
            if fast is None:
                continue
            try:
                slow = _content_type(parse_xml(xml), part)
            except (etree.XMLSyntaxError, UnsafeXml, ValueError):
                raise AssertionError("the fast reader accepted a part lxml refuses") from None
            assert fast[0] == slow
