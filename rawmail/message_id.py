"""The one home of reading a Message-ID from mail, and of its one normal form.

* ``message_id_of(raw)``: the Message-ID of raw bytes, read from the header block only (at most
  ``HEADER_SCAN_BYTES``), in time linear in its length: the store keys inbound mail on it, and
  the transports recognise a message they already sent by it.
* ``normalise_message_id(value)``: ``<id@host>`` without blanks or folding; None for what could
  not be a Message-ID (a control character, over 998 characters). Stored ids are in this form.
* ``message_ids(value)``: the ids in a decoded In-Reply-To / References (or Message-ID) header,
  without their brackets (as ``mailflow.msgid.verify_message_id`` reads them), bounded in number.

Our own ids are made (and signed) by ``mailflow/msgid.py``.
"""

from __future__ import annotations

import re

MESSAGE_ID_MAX_CHARS = 998
"""RFC 5322's line limit, and the column's size: a longer Message-ID is not kept (the bytes are)."""
HEADER_SCAN_BYTES = 1024 * 1024
"""How far into a message its Message-ID is looked for: headers only, never the body."""
MAX_MESSAGE_IDS = 200
"""In-Reply-To / References: the first id (the thread's root) and the last ones are kept."""
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_MESSAGE_ID_LINE = re.compile(rb"^message-id[ \t]*:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)", re.IGNORECASE | re.MULTILINE)
_BRACKETED = re.compile(r"<\s*([^<>\s]+)\s*>")


def normalise_message_id(value: str | None) -> str | None:
    """``<id@host>`` with surrounding blanks and folding removed; None when there is none, or when
    it could not be a Message-ID (a control character such as NUL, or over 998 characters): such
    a message is still stored, and recognised again by its bytes and transport id."""
    if value is None:
        return None
    core = "".join(str(value).split()).strip("<>")
    if not core or len(core) + 2 > MESSAGE_ID_MAX_CHARS or not core.isprintable():
        return None
    return f"<{core}>"


def header_block(raw: bytes) -> tuple[bytes, int]:
    """The header block (at most ``HEADER_SCAN_BYTES``) and where the body starts."""
    head = raw[:HEADER_SCAN_BYTES]
    end = _HEADER_END.search(head)
    if end is None:
        return head, len(raw) if len(raw) <= HEADER_SCAN_BYTES else len(head)
    return head[:end.start()], end.end()


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID header of a raw message, normalised, or None. Reads the header block only
    (at most ``HEADER_SCAN_BYTES``), in time linear in its length."""
    head, _ = header_block(raw)
    match = _MESSAGE_ID_LINE.search(head)
    if match is None:
        return None
    value = match.group(1)
    if len(value) > 4 * MESSAGE_ID_MAX_CHARS:
        return None
    return normalise_message_id(value.decode("ascii", errors="replace"))


def message_ids(value: str) -> tuple[str, ...]:
    """The ``<...>`` ids in an In-Reply-To / References value, in order, without brackets; in
    linear time, and at most ``MAX_MESSAGE_IDS`` of them (the first and the latest)."""
    ids = [match.group(1) for match in _BRACKETED.finditer(value)]
    if len(ids) > MAX_MESSAGE_IDS:
        ids = [ids[0], *ids[len(ids) - MAX_MESSAGE_IDS + 1:]]
    return tuple(ids)
