"""Check an untrusted attachment before anything parses it.

Whatever people attach reaches the mailbox, so a file is refused, with a sentence the IRO can
act on, unless it is a plain Word .docx within fixed limits. The checks read the zip's central
directory (declared sizes, never trusting a part to stay small once inflated), the package's
content types and relationships, and only then the few XML parts the parser needs, each inflated
no further than a fixed cap. Nothing outside the file is ever fetched: external relationships and
fields that would pull in other files are only reported, for an administrator to look at.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

from practice_alerts.forms import plainparts, zipdir
from practice_alerts.forms.ooxml import DOCX_MAIN
from practice_alerts.forms.xml import UnsafeXml, has_doctype, parse_xml

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
LOCAL_NAME_EXTRA = struct.Struct("<HH")
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
FETCHING_FIELD = re.compile(
    rb'(?:<w:instrText[^>]*>|w:instr=")\s*(INCLUDETEXT|INCLUDEPICTURE|DDEAUTO|DDE|LINK|IMPORT)\b', re.I)
FETCHING_WORDS = (b"includetext", b"includepicture", b"dde", b"link", b"import")
SAVE_AS_DOCX = "Open it in Word, choose File > Save As, pick 'Word Document (*.docx)' and send that file."


@dataclass(frozen=True)
class Limits:
    """Generous for a form (a few hundred kB), small enough to keep one check under 200 MB."""

    max_file_bytes: int = 15 * 1024 * 1024
    max_entries: int = 1000
    max_total_uncompressed: int = 150 * 1024 * 1024
    max_part_uncompressed: int = 50 * 1024 * 1024
    max_read_part: int = 4 * 1024 * 1024
    """The parts the parser reads (document, headers, footers) are kept smaller still."""
    max_controls: int = 1_000
    max_paragraphs: int = 20_000
    max_rows: int = 5_000
    """A form read from its labels is searched row by row: these bound that work (a form has ~150 and ~50)."""
    max_ratio: int = 100
    ratio_floor: int = 1024 * 1024
    """Parts smaller than this inflated are never counted as bombs, however well they compress."""


class FileRefused(Exception):
    """The file is not read. `message` is written for the person who sent it."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass
class Package:
    """The parts of a checked .docx that the parser needs, and what an admin should look at."""

    document: bytes
    headers_footers: list[bytes] = field(default_factory=list)
    app: bytes | None = None
    admin_flags: list[str] = field(default_factory=list)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def refuse_by_signature(data: bytes, filename: str, limits: Limits) -> None:
    if len(data) > limits.max_file_bytes:
        raise FileRefused("too_large", f"'{filename}' is {_mb(len(data))}, larger than the {_mb(limits.max_file_bytes)} "
                      "a Practice Alert form may be. Remove pictures or other attachments from it and send it again.")
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise FileRefused("password", f"'{filename}' is protected with a password, so it cannot be read. "
                          "Save it without a password (File > Info > Protect Document > Encrypt with Password, "
                          "clear the password) and send it again.")
        if "WordDocument".encode("utf-16-le") in data:
            raise FileRefused("old_doc", f"'{filename}' is an old Word 97-2003 document (.doc). {SAVE_AS_DOCX}")
        raise FileRefused("not_docx", f"'{filename}' is an older Office file, not a Word .docx form. {SAVE_AS_DOCX}")
    if data.startswith(b"{\\rtf"):
        raise FileRefused("not_docx", f"'{filename}' is a Rich Text (.rtf) file, not a Word .docx form. {SAVE_AS_DOCX}")
    if data.startswith(b"%PDF"):
        raise FileRefused("not_docx", f"'{filename}' is a PDF. Fill in the Word form itself and send the .docx file.")
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused("not_docx", f"'{filename}' is not a Word document (.docx). Send the filled Practice Alert form "
                      "as a Word .docx file.")


def _check_directory(infos: list[zipfile.ZipInfo] | list[zipdir.Entry], filename: str, limits: Limits
                     ) -> dict[str, zipfile.ZipInfo | zipdir.Entry]:
    bomb = FileRefused("zip_bomb", f"'{filename}' would expand to far more than any Word form, so it was not opened. "
                   "Send the filled Practice Alert form as saved by Word.")
    if len(infos) > limits.max_entries:
        raise bomb
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_part_uncompressed or total > limits.max_total_uncompressed:
            raise bomb
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise bomb
        if info.flag_bits & 0x1:
            raise FileRefused("password", f"'{filename}' is protected with a password. Save it without a password "
                          "and send it again.")
    names = {info.filename: info for info in infos}
    if len(names) != len(infos):  # two parts of one name: programs could disagree on which is the form
        raise FileRefused("not_docx", f"'{filename}' is damaged (it holds two parts of the same name). Save it again "
                      "in Word and send the .docx file.")
    return names


class _Parts:
    """Inflates parts straight from the file's bytes, never past a cap, without zipfile's stream machinery."""

    def __init__(self, data: bytes, filename: str):
        self.data = data
        self.view = memoryview(data)
        self.filename = filename

    def raw(self, info: zipfile.ZipInfo | zipdir.Entry) -> memoryview:
        offset = info.header_offset
        if offset >= 0:  # the usual case, read without making slices
            if not self.data.startswith(ZIP_MAGIC, offset):
                raise zipfile.BadZipFile("bad local header")
            name_len, extra_len = LOCAL_NAME_EXTRA.unpack_from(self.data, offset + 26)
        else:  # a negative offset counts from the end, as slicing does
            if self.view[offset:offset + 4] != ZIP_MAGIC:
                raise zipfile.BadZipFile("bad local header")
            name_len, extra_len = struct.unpack("<HH", self.view[offset + 26:offset + 30])
        start = offset + 30 + name_len + extra_len
        return self.view[start:start + info.compress_size]

    def inflate(self, info: zipfile.ZipInfo | zipdir.Entry, cap: int, compressed_cap: int | None = None) -> bytes:
        """At most cap + 1 bytes of the part; `compressed_cap` feeds zlib only that much of the stream
        (enough for a part's first few hundred bytes, without copying the rest of a large part)."""
        if info.compress_type == zipfile.ZIP_STORED:
            return bytes(self.raw(info)[:cap + 1])
        if info.compress_type != zipfile.ZIP_DEFLATED:  # Word only ever deflates
            raise FileRefused("not_docx", f"'{self.filename}' was not saved by Word. Save the form again in Word and send it.")
        raw = self.raw(info)
        return zlib.decompressobj(-15).decompress(raw if compressed_cap is None else raw[:compressed_cap], cap + 1)

    def read(self, info: zipfile.ZipInfo | zipdir.Entry, cap: int) -> bytes:
        data = self.inflate(info, cap)
        if len(data) > cap:
            raise FileRefused("zip_bomb", f"'{self.filename}' has a part far larger than any Word form, so it was not read.")
        return data

    def prolog_has_doctype(self, info: zipfile.ZipInfo | zipdir.Entry) -> bool:
        """A DTD can only stand before the root element: inflate just far enough to see it."""
        found = doctype_before_root(self.inflate(info, 511, compressed_cap=256), whole=False)
        if found is None:
            found = doctype_before_root(self.inflate(info, info.file_size))  # bounded by the directory check
        return bool(found)


ROOT_START = re.compile(rb"<[A-Za-z_]")


def doctype_before_root(data: bytes, whole: bool = True) -> bool | None:
    """Whether the XML declares a DTD; None when `data` (a part's start) ends before its root element.

    XML allows a DOCTYPE only before the root element, so only that much is searched, unless a
    comment there could hide a root-like "<x" (then the whole of `data` is).
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return has_doctype(data.decode("utf-16", "replace").encode("utf-8"))
    root = ROOT_START.search(data)
    if root is None:
        return has_doctype(data) if whole else (True if has_doctype(data) else None)
    head = data[:root.start()]
    if b"<!--" in head:  # the "<x" may be inside the comment: a DTD can still follow, past `data`'s end
        return True if has_doctype(data) else (False if whole else None)
    return has_doctype(head)


def _refuse_active_content(names: dict[str, zipfile.ZipInfo | zipdir.Entry], types: str, filename: str) -> None:
    # Every name between NULs, lowercased in one call: no part name holds a NUL (zipfile cuts names there).
    lowered, types = "\x00" + "\x00".join(names).lower() + "\x00", types.lower()
    if "vbaproject.bin\x00" in lowered or "macroenabled" in types or "vbaproject" in types:
        raise FileRefused("macros", f"'{filename}' contains macros, which are never opened here. Save it as a plain "
                      "'Word Document (*.docx)' (not .docm) and send it again.")
    if "\x00word/activex/" in lowered or "activex" in types:
        raise FileRefused("activex", f"'{filename}' contains ActiveX controls, which are never opened here. Use the "
                      "Practice Alert form as issued and send it again.")
    if "\x00word/embeddings/" in lowered or "oleobject" in types:
        raise FileRefused("ole", f"'{filename}' has other files embedded in it, which are never opened here. Remove "
                      "the embedded objects and send the form again.")


def _main_part(names: dict[str, zipfile.ZipInfo | zipdir.Entry], rels: dict[str, list], filename: str) -> str:
    if "_rels/.rels" not in names or "[Content_Types].xml" not in names:
        raise FileRefused("not_docx", f"'{filename}' is not a Word document (.docx). Send the filled form as saved by Word.")
    for rel in rels["_rels/.rels"]:
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    raise FileRefused("not_docx", f"'{filename}' has no document in it. Send the filled form as saved by Word.")


def _content_type(types_root, part: str) -> str | None:
    for override in types_root.iter(CT_NS + "Override"):
        if override.get("PartName", "").lstrip("/") == part:
            return override.get("ContentType")
    return None


def _relationships(parts: _Parts, names, flags: list[str]) -> dict[str, list]:
    """Every .rels part, parsed; external targets other than hyperlinks are flagged, never fetched."""
    out = {}
    for name, info in names.items():
        if not name.endswith(".rels"):
            continue
        xml = parts.read(info, 1024 * 1024)
        rels = plainparts.relationships(xml)  # the usual plain part, without lxml's cost per parse
        if rels is None:
            rels = list(parse_xml(xml).iter(PKG_REL + "Relationship"))
        for rel in rels:
            if rel.get("TargetMode") == "External" and rel.get("Type") != HYPERLINK:
                kind = rel.get("Type", "").rsplit("/", 1)[-1]
                flags.append(f"external {kind} link to {rel.get('Target')!r} in {name} (not fetched)")
        out[name] = rels
    return out


def _headers_footers(part: str, rels: dict[str, list]) -> list[str]:
    return [
        _part_path(part, rel.get("Target", ""))
        for rel in rels.get(_rels_name(part), [])
        if rel.get("TargetMode") != "External" and rel.get("Type", "").endswith(("/header", "/footer"))
    ]


@lru_cache(maxsize=64)
def _rels_name(part: str) -> str:
    """The relationships part of `part` (the same few names recur, so each is worked out once)."""
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


@lru_cache(maxsize=256)
def _part_path(part: str, target: str) -> str:
    """The package name of an internal relationship's target, relative to `part`."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target)).lstrip("/")


def open_package(data: bytes, filename: str, limits: Limits = Limits()) -> Package:
    """The checked package; raises FileRefused with a sentence for the sender."""
    refuse_by_signature(data, filename, limits)
    infos: list[zipfile.ZipInfo] | list[zipdir.Entry] | None = zipdir.entries(data)  # plain layout, read fast
    if infos is None:  # zipfile reads any other
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = zf.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError, struct.error):
            raise FileRefused("not_docx", f"'{filename}' is damaged or not a Word document. Save it again in Word "
                          "and send the .docx file.") from None
    try:
        return _open(infos, _Parts(data, filename), limits)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError, UnsafeXml, zlib.error, struct.error,
            NotImplementedError) as exc:
        if isinstance(exc, UnsafeXml) and "DTD" in str(exc):
            raise _dtd_refusal(filename) from None
        raise FileRefused("not_docx", f"'{filename}' is damaged and cannot be read. Save it again in Word and send "
                      "the .docx file.") from None


def _dtd_refusal(filename: str) -> FileRefused:
    return FileRefused("dtd", f"'{filename}' contains markup that Word never writes (a document type declaration), "
                   "so it was not read. Save the form again in Word and send it.")


def _open(infos: list[zipfile.ZipInfo] | list[zipdir.Entry], parts: _Parts, limits: Limits) -> Package:
    filename = parts.filename
    names = _check_directory(infos, filename, limits)
    flags: list[str] = []
    rels = _relationships(parts, names, flags)  # parse_xml refuses a DTD in these
    main = _main_part(names, rels, filename)
    types_xml = parts.read(names["[Content_Types].xml"], 1024 * 1024)
    _refuse_active_content(names, types_xml.decode("utf-8", "replace"), filename)
    plain = plainparts.override_type(types_xml, main)
    content_type = plain[0] if plain is not None else _content_type(parse_xml(types_xml), main)
    if content_type != DOCX_MAIN or main not in names:
        what = "a Word template or other Office file" if content_type else "not a Word document"
        raise FileRefused("not_docx", f"'{filename}' is {what}, not a Word .docx form. {SAVE_AS_DOCX}")
    document = parts.read(names[main], limits.max_read_part)
    read = {main: document}
    for part in _headers_footers(main, rels):
        if part in names:
            read[part] = parts.read(names[part], limits.max_read_part)
    if "docProps/app.xml" in names:
        read["docProps/app.xml"] = parts.read(names["docProps/app.xml"], 1024 * 1024)
    if any(doctype_before_root(data) for data in read.values()):
        raise _dtd_refusal(filename)
    for name, info in names.items():  # the parts nobody reads still may not declare a DTD (.rels were parsed)
        if name.endswith(".xml") and name not in read and name != "[Content_Types].xml" \
                and parts.prolog_has_doctype(info):
            raise _dtd_refusal(filename)
    headers_footers = [data for name, data in read.items() if name not in (main, "docProps/app.xml")]
    for content in [document, *headers_footers]:
        if b"instr" not in content:  # no field codes at all
            continue
        lowered = content.lower()
        if any(word in lowered for word in FETCHING_WORDS):
            for match in FETCHING_FIELD.finditer(content):
                flags.append(f"{match.group(1).decode().upper()} field that would fetch another file (not fetched)")
    return Package(document=document, headers_footers=headers_footers, app=read.get("docProps/app.xml"),
                   admin_flags=flags)
