"""Read a package's relationships and content types without lxml when they have the plain form.

Every form carries a few of these tiny parts, and lxml's fixed cost per parse is most of the
time they take. Word, LibreOffice and the form builder all write them the same way: an XML
declaration, then one element per entry with the same attributes in the same order, in ASCII,
with nothing else between. A part that matches that whole grammar exactly holds no DTD, no
entity, no character reference and nothing lxml would read differently, so its entries can be
taken from the match. For any other part these return None and the caller parses it with lxml
as before (and so refuses it, or reads it, exactly as before).
"""

from __future__ import annotations

import re

_CHARS = rb"[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]*"  # printable ASCII without " & <
_VALUE, _V = rb'"(' + _CHARS + rb')"', rb'"' + _CHARS + rb'"'
_DECLARATION = rb"""(?:<\?xml version=(?:"1\.0"|'1\.0') encoding=(?:"UTF-8"|'UTF-8')(?: standalone=(?:"yes"|'yes'))?\?>\r?\n?)?"""

_RELATIONSHIP = re.compile(
    rb"<Relationship Id=" + _VALUE + rb" Type=" + _VALUE + rb" Target=" + _VALUE + rb"(?: TargetMode=" + _VALUE + rb")?/>")
_RELATIONSHIPS = re.compile(
    _DECLARATION + rb'<Relationships xmlns="http://schemas\.openxmlformats\.org/package/2006/relationships">'
    + rb"(?:<Relationship Id=" + _V + rb" Type=" + _V + rb" Target=" + _V + rb"(?: TargetMode=" + _V + rb")?/>)*"
    + rb"</Relationships>\r?\n?")

_ENTRY = re.compile(rb"<(Default|Override) (?:Extension|PartName)=" + _VALUE + rb" ContentType=" + _VALUE + rb"/>")
_TYPES = re.compile(
    _DECLARATION + rb'<Types xmlns="http://schemas\.openxmlformats\.org/package/2006/content-types">'
    + rb"(?:<Default Extension=" + _V + rb" ContentType=" + _V + rb"/>|<Override PartName=" + _V
    + rb" ContentType=" + _V + rb"/>)*</Types>\r?\n?")


def relationships(xml: bytes) -> list[dict[str, str]] | None:
    """Each relationship's attributes (as lxml's element.get gives them), or None when the part is not plain."""
    if _RELATIONSHIPS.fullmatch(xml) is None:
        return None
    out = []
    for rel in _RELATIONSHIP.finditer(xml):  # the grammar matched: these are exactly its elements, in order
        entry = {"Id": rel[1].decode(), "Type": rel[2].decode(), "Target": rel[3].decode()}
        if rel[4] is not None:
            entry["TargetMode"] = rel[4].decode()
        out.append(entry)
    return out


def override_type(xml: bytes, part: str) -> tuple[str | None] | None:
    """(the content type `part` is given by an Override, or None), or None when the part is not plain."""
    if _TYPES.fullmatch(xml) is None:
        return None
    for entry in _ENTRY.finditer(xml):
        if entry[1] == b"Override" and entry[2].decode().lstrip("/") == part:
            return (entry[3].decode(),)
    return (None,)
