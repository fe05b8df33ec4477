"""Read a .docx's zip directory quickly when it has the plain layout word processors write.

zipfile.ZipFile builds a full ZipInfo, in Python, for every entry: for a form that is a tenth
of the time the whole read may take. The gate needs six numbers per entry, so `entries`
takes them straight from the bytes, but only for the plain layout (end record last with no
comment, no ZIP64 records, no extra fields, every length inside the directory). For anything
else it returns None and zipfile reads the directory, so every unusual or damaged file is
still decided, and refused, exactly as zipfile decides it.
"""

from __future__ import annotations

import os
import struct
from typing import NamedTuple

END = struct.Struct("<4s4H2LH")  # zipfile.structEndArchive
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir
END_SIGNATURE, CENTRAL_SIGNATURE, ZIP64_LOCATOR = b"PK\x05\x06", b"PK\x01\x02", b"PK\x06\x07"
ZIP64_LOCATOR_SIZE = 20
MAX_EXTRACT_VERSION = 63  # zipfile refuses entries needing a later version
UTF8_NAME = 1 << 11


class Entry(NamedTuple):
    """What the gate reads of a zipfile.ZipInfo, under the same names."""

    filename: str
    flag_bits: int
    compress_type: int
    compress_size: int
    file_size: int
    header_offset: int


def entries(data: bytes) -> list[Entry] | None:
    """The directory's entries in order, as zipfile would list them; None unless the layout is plain."""
    end_at = len(data) - END.size
    if end_at < ZIP64_LOCATOR_SIZE or os.sep != "/":
        return None
    signature, _, _, _, _, directory_size, offset, comment = END.unpack_from(data, end_at)
    if signature != END_SIGNATURE or comment or data[end_at - ZIP64_LOCATOR_SIZE:end_at - 16] == ZIP64_LOCATOR:
        return None
    start = end_at - directory_size  # where zipfile looks too: the directory ends where the end record starts
    if start < 0:
        return None
    shift = start - offset  # bytes before the archive proper (zipfile's "concat")
    out: list[Entry] = []
    new = tuple.__new__  # skips the named tuple's Python-level __new__
    at, stop = start, end_at
    while at < stop:
        if at + CENTRAL.size > stop:
            return None
        (signature, _, _, version, _, flags, method, _, _, _, compressed, size, name_length, extra_length,
         comment_length, _, _, _, local_header) = CENTRAL.unpack_from(data, at)
        end = at + CENTRAL.size + name_length
        if (signature != CENTRAL_SIGNATURE or version > MAX_EXTRACT_VERSION or extra_length
                or end + comment_length > stop):
            return None
        raw = data[at + CENTRAL.size:end]
        if raw.isascii():  # the same in cp437 and UTF-8, and the ASCII codec is the fast one
            name = raw.decode("ascii")
        else:
            try:
                name = raw.decode("utf-8" if flags & UTF8_NAME else "cp437")
            except UnicodeDecodeError:
                return None
        if "\x00" in name:
            return None
        out.append(new(Entry, (name, flags, method, compressed, size, local_header + shift)))
        at = end + comment_length
    return out
