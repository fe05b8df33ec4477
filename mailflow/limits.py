"""What one inbound message may cost: limits checked before anything expensive is parsed.

Anyone on the internet can write to the shared mailbox, before any sender is checked. So the
size of the message and of its header block are checked on the raw bytes first (a linear scan),
then, after the bounded parse, the number of attachments and of forms, and the reply text read
is cut at ``max_text_chars``. A message over a limit is kept (stored, set aside in quarantine)
and its sender, if known and authenticated, is told what to do instead (``LimitExceeded``).
The defaults suit ordinary council mail: Exchange Online's own default limit is 25 MB.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

_MB = 1024 * 1024
_HEADER_END = re.compile(rb"\r?\n\r?\n")


class InboundLimits(BaseModel):
    """The documented limits (docs/service.md); ``limits:`` in the configuration changes them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_message_bytes: int = Field(default=25 * _MB, ge=64 * 1024, description="a whole message, as received")
    max_header_bytes: int = Field(default=256 * 1024, ge=8 * 1024, description="all header lines together")
    max_attachments: int = Field(default=20, ge=1, description="attached files in one message")
    max_forms: int = Field(default=5, ge=1, description="Practice Alert forms in one message")
    max_text_chars: int = Field(default=100_000, ge=1000, description="characters of a reply's text read")


def _size(count: int) -> str:
    return f"{count / _MB:.1f} MB" if count >= _MB else f"{max(1, count // 1024)} KB"


def raw_over_limit(raw: bytes, limits: InboundLimits) -> str | None:
    """Why ``raw`` is too big to read (for the sender, no personal data), or None. Linear."""
    if len(raw) > limits.max_message_bytes:
        return (f"the message is {_size(len(raw))}; the limit is {_size(limits.max_message_bytes)}")
    end = _HEADER_END.search(raw, 0, limits.max_header_bytes + 4)
    header_bytes = end.start() if end is not None else len(raw)
    if header_bytes > limits.max_header_bytes:
        return (f"the message's header lines take more than {_size(limits.max_header_bytes)}, "
                "the most the service reads")
    return None


def header_block(raw: bytes, limits: InboundLimits) -> bytes | None:
    """The header lines alone, or None when they are themselves over the limit."""
    end = _HEADER_END.search(raw, 0, limits.max_header_bytes + 4)
    if end is None:
        return raw if len(raw) <= limits.max_header_bytes else None
    return raw[:end.start()]


def attachments_over_limit(count: int, limits: InboundLimits) -> str | None:
    if count > limits.max_attachments:
        return f"the message has {count} attachments; the limit is {limits.max_attachments}"
    return None


def forms_over_limit(count: int, limits: InboundLimits) -> str | None:
    if count > limits.max_forms:
        return f"the message has {count} Practice Alert forms; the limit is {limits.max_forms} in one message"
    return None
