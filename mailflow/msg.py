"""Attachments out of an Outlook ``.msg`` file ([MS-OXMSG]), read with olefile (BSD).

A .msg is an OLE compound file. Each attachment is a storage ``__attach_version1.0_#NNNNNNNN``
holding its properties as streams named ``__substg1.0_<tag><type>``: the long file name
(3707), the short one (3704), the MIME type (370E) and the bytes (3701, binary). An attached
Outlook message is a storage ``__substg1.0_3701000D`` laid out like a whole message, so the
reader recurses into it. The GPL ``extract-msg`` is deliberately not used.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import olefile

ATTACH_PREFIX = "__attach_version1.0_#"
_UNICODE, _STRING8, _BINARY = "001F", "001E", "0102"


class MsgError(ValueError):
    """The bytes are not a readable Outlook message."""


@dataclass(frozen=True)
class MsgAttachment:
    filename: str
    data: bytes
    mime_type: str | None = None
    embedded: tuple[MsgAttachment, ...] = ()


@dataclass(frozen=True)
class MsgMessage:
    subject: str
    body: str
    sender: str
    attachments: tuple[MsgAttachment, ...]


def is_msg(data: bytes) -> bool:
    return data[:8] == olefile.MAGIC


def _read(ole: olefile.OleFileIO, path: list[str]) -> bytes | None:
    return ole.openstream(path).read() if ole.exists("/".join(path)) else None


def _string(ole: olefile.OleFileIO, base: list[str], tag: str) -> str:
    raw = _read(ole, [*base, f"__substg1.0_{tag}{_UNICODE}"])
    if raw is not None:
        return raw.decode("utf-16-le", errors="replace").rstrip("\x00")
    raw = _read(ole, [*base, f"__substg1.0_{tag}{_STRING8}"])
    return raw.decode("cp1252", errors="replace").rstrip("\x00") if raw is not None else ""


def _children(ole: olefile.OleFileIO, base: list[str]) -> list[str]:
    depth = len(base)
    names = {entry[depth] for entry in ole.listdir(streams=True, storages=True)
             if len(entry) > depth and entry[:depth] == base}
    return sorted(n for n in names if n.startswith(ATTACH_PREFIX))


def _message(ole: olefile.OleFileIO, base: list[str], depth: int) -> MsgMessage:
    attachments = []
    for name in _children(ole, base):
        where = [*base, name]
        filename = _string(ole, where, "3707") or _string(ole, where, "3704") or _string(ole, where, "3001")
        mime = _string(ole, where, "370E") or None
        data = _read(ole, [*where, "__substg1.0_37010102"])
        embedded: tuple[MsgAttachment, ...] = ()
        inner = [*where, "__substg1.0_3701000D"]
        if data is None and ole.exists("/".join(inner)) and depth < 4:
            message = _message(ole, inner, depth + 1)
            embedded = message.attachments
            data = b""
            filename = filename or (message.subject + ".msg")
        if data is None:
            continue
        attachments.append(MsgAttachment(filename or "attachment", data, mime, embedded))
    return MsgMessage(
        subject=_string(ole, base, "0037"),
        body=_string(ole, base, "1000"),
        sender=_string(ole, base, "0C1F") or _string(ole, base, "5D01"),
        attachments=tuple(attachments),
    )


def read_msg(data: bytes) -> MsgMessage:
    """The message's subject, body, sender and attachments; raises MsgError if unreadable."""
    if not is_msg(data):
        raise MsgError("not an Outlook message (no compound-file signature)")
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return _message(ole, [], 0)
    except (OSError, ValueError, IndexError) as exc:  # olefile's own errors for damaged files
        raise MsgError(f"the Outlook message is damaged: {exc}") from exc
