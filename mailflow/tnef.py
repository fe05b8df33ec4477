"""Attachments out of an Outlook ``winmail.dat`` (TNEF, [MS-OXTNEF]), standard library only.

Why our own reader: the common Python TNEF library is LGPL; we need only the attachments
(name and bytes), which is a small, well specified part of the format. A TNEF stream is a
signature, a key, then attributes: level (1 message, 2 attachment), id (type << 16 | tag),
length, data, a 16-bit checksum. ``attAttachRendData`` starts each attachment;
``attAttachTitle`` / ``attAttachData`` carry the short name and bytes; ``attAttachment``
carries MAPI properties, among them the long file name and, for an attached message, the
embedded message (itself TNEF after a 16-byte IID).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

SIGNATURE = 0x223E9F78
LEVEL_ATTACHMENT = 0x02

ATT_ATTACH_DATA = 0x800F
ATT_ATTACH_TITLE = 0x8010
ATT_ATTACH_REND_DATA = 0x9002
ATT_ATTACHMENT = 0x9005
ATT_OEM_CODEPAGE = 0x9007

PR_ATTACH_DATA = 0x3701
PR_ATTACH_FILENAME = 0x3704
PR_ATTACH_LONG_FILENAME = 0x3707
PR_ATTACH_MIME_TAG = 0x370E
PR_DISPLAY_NAME = 0x3001

PT_SHORT, PT_LONG, PT_FLOAT, PT_DOUBLE, PT_CURRENCY, PT_APPTIME = 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
PT_ERROR, PT_BOOLEAN, PT_OBJECT, PT_I8 = 0x0A, 0x0B, 0x0D, 0x14
PT_STRING8, PT_UNICODE, PT_SYSTIME, PT_CLSID, PT_BINARY = 0x1E, 0x1F, 0x40, 0x48, 0x0102
MV_FLAG = 0x1000
_FIXED_SIZES = {PT_SHORT: 4, PT_LONG: 4, PT_FLOAT: 4, PT_ERROR: 4, PT_BOOLEAN: 4,
                PT_DOUBLE: 8, PT_CURRENCY: 8, PT_APPTIME: 8, PT_I8: 8, PT_SYSTIME: 8, PT_CLSID: 16}
_VARIABLE = {PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT}
EMBEDDED_MESSAGE_IID = bytes.fromhex("0703020000000000c000000000000046")


class TnefError(ValueError):
    """The bytes are not a readable TNEF stream."""


@dataclass(frozen=True)
class TnefAttachment:
    filename: str
    data: bytes
    mime_type: str | None = None
    embedded: tuple[TnefAttachment, ...] = ()
    """Attachments of an attached Outlook message, read recursively."""


def is_tnef(data: bytes) -> bool:
    return len(data) >= 6 and struct.unpack_from("<I", data)[0] == SIGNATURE


def _pad4(n: int) -> int:
    return (n + 3) & ~3


def mapi_properties(data: bytes, codepage: str = "cp1252") -> dict[int, object]:
    """Property tag (id) to value, for the property ids mail needs; others are skipped."""
    props: dict[int, object] = {}
    (count,) = struct.unpack_from("<I", data, 0)
    offset = 4
    for _ in range(count):
        ptype, pid = struct.unpack_from("<HH", data, offset)
        offset += 4
        if pid >= 0x8000:  # a named property: GUID, kind, then an id or a name
            offset += 16
            (kind,) = struct.unpack_from("<I", data, offset)
            offset += 4
            if kind == 0:
                offset += 4
            else:
                (name_len,) = struct.unpack_from("<I", data, offset)
                offset += 4 + _pad4(name_len)
        values = 1
        base_type = ptype & ~MV_FLAG
        if ptype & MV_FLAG or base_type in _VARIABLE:
            (values,) = struct.unpack_from("<I", data, offset)
            offset += 4
        collected: list[object] = []
        for _ in range(values):
            if base_type in _VARIABLE:
                (length,) = struct.unpack_from("<I", data, offset)
                offset += 4
                raw = data[offset:offset + length]
                offset += _pad4(length)
                if base_type == PT_UNICODE:
                    collected.append(raw.decode("utf-16-le", errors="replace").rstrip("\x00"))
                elif base_type == PT_STRING8:
                    collected.append(raw.decode(codepage, errors="replace").rstrip("\x00"))
                else:
                    collected.append(raw)
            elif base_type in _FIXED_SIZES:
                offset += _FIXED_SIZES[base_type]
                collected.append(None)
            else:
                raise TnefError(f"unknown MAPI property type {ptype:#06x}")
        if collected:
            props[pid] = collected[0]
    return props


def read_attachments(data: bytes, depth: int = 0) -> list[TnefAttachment]:
    """The attachments of a TNEF stream; raises TnefError when the stream is not TNEF."""
    if not is_tnef(data):
        raise TnefError("not a TNEF stream (wrong signature)")
    codepage = "cp1252"
    found: list[dict[str, object]] = []
    offset = 6
    try:
        while offset < len(data):
            if offset + 11 > len(data):
                if data[offset:].strip(b"\x00"):
                    raise TnefError("TNEF stream ends in the middle of an attribute")
                break
            level = data[offset]
            attr_id, length = struct.unpack_from("<II", data, offset + 1)
            body = data[offset + 9: offset + 9 + length]
            if len(body) != length:
                raise TnefError("TNEF attribute runs past the end of the stream")
            offset += 9 + length + 2
            tag = attr_id & 0xFFFF
            if tag == ATT_OEM_CODEPAGE and length >= 4:
                codepage = f"cp{struct.unpack_from('<I', body)[0]}"
            if level != LEVEL_ATTACHMENT:
                continue
            if tag == ATT_ATTACH_REND_DATA or not found:
                found.append({})
            current = found[-1]
            if tag == ATT_ATTACH_TITLE:
                current["title"] = body.rstrip(b"\x00").decode(codepage, errors="replace")
            elif tag == ATT_ATTACH_DATA:
                current["data"] = body
            elif tag == ATT_ATTACHMENT:
                current["props"] = mapi_properties(body, codepage)
    except (struct.error, LookupError) as exc:
        raise TnefError(f"TNEF stream is damaged: {exc}") from exc
    return [a for a in (_attachment(item, depth) for item in found) if a is not None]


def _attachment(item: dict[str, object], depth: int) -> TnefAttachment | None:
    props = item.get("props") or {}
    assert isinstance(props, dict)
    name = props.get(PR_ATTACH_LONG_FILENAME) or props.get(PR_ATTACH_FILENAME) or item.get("title") \
        or props.get(PR_DISPLAY_NAME) or "attachment"
    data = item.get("data")
    embedded: tuple[TnefAttachment, ...] = ()
    obj = props.get(PR_ATTACH_DATA)
    if isinstance(obj, bytes) and obj.startswith(EMBEDDED_MESSAGE_IID) and depth < 4:
        try:
            embedded = tuple(read_attachments(obj[16:], depth + 1))
        except TnefError:
            embedded = ()
        data = data or obj[16:]
    elif data is None and isinstance(obj, bytes):
        data = obj
    if not isinstance(data, bytes):
        return None
    mime = props.get(PR_ATTACH_MIME_TAG)
    return TnefAttachment(str(name), data, mime if isinstance(mime, str) else None, embedded)
