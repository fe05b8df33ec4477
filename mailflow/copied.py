"""Who a message was copied to: the Cc header's addresses (read from the headers only, bounded)."""

from __future__ import annotations

from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses

MAX_HEADER_BYTES = 64 * 1024
"""Only the start of the message is read: the headers end well before this."""


def copied_addresses(raw: bytes) -> list[str]:
    """The lower-cased addresses in Cc, in order, each once."""
    head = raw[:MAX_HEADER_BYTES]
    end = head.find(b"\r\n\r\n")
    end = end if end >= 0 else head.find(b"\n\n")
    headers = BytesHeaderParser(policy=compat32).parsebytes(head[: end if end >= 0 else len(head)])
    values = [str(v) for v in headers.get_all("Cc", [])]
    return list(dict.fromkeys(a.strip().lower() for _, a in getaddresses(values) if "@" in a))
