"""Step 1: raw bytes to a parsed message, and the few facts every later step reads.

Parsing never raises for a malformed message: the standard library records defects and
we keep going; only bytes that are not a message at all (empty, or no header) fail, and
``classify`` quarantines them. The raw bytes are never changed: storing them is the
service's job, before this step runs.
"""

from __future__ import annotations

import copy
import email.utils
from email.message import EmailMessage, Message
from email.parser import BytesFeedParser
from email.policy import EmailPolicy
from typing import Any

from pydantic import BaseModel, ConfigDict

from practice_alerts.mailflow.html_text import html_to_text
from practice_alerts.rawmail.message_id import message_ids

MAX_HEADER_CHARS = 32_000
"""One header's value, unfolded, longer than this is read as empty (decoding it costs too much)."""
MAX_ADDRESS_HEADER_CHARS = 2_000
"""Address headers (From, To...) are parsed by a slower parser: longer ones are read as empty."""
ADDRESS_HEADERS = frozenset({"from", "sender", "reply-to", "to", "cc", "bcc", "return-path", "resent-from",
                             "resent-sender", "resent-to", "resent-cc", "resent-bcc"})
MAX_ENCODED_WORDS = 64
"""Nor more RFC 2047 encoded words than this in one header (a long name or subject has a few)."""
_FEED_CHUNK = 64 * 1024


class _BoundedPolicy(EmailPolicy):
    """The modern policy, except that a header too long or too encoded to decode cheaply is read
    as empty. The standard library's decoding of many encoded words is far worse than linear
    (136 KB of From header took 1.5 GB), and anyone can write such a header. A header the parser
    cannot read at all is read as empty too, so one hostile header never stops the message."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        limit = MAX_ADDRESS_HEADER_CHARS if name.lower() in ADDRESS_HEADERS else MAX_HEADER_CHARS
        if len(value) > limit or value.count("=?") > MAX_ENCODED_WORDS:
            value = ""
        try:
            return super().header_fetch_parse(name, value)
        except Exception:  # the standard library's header parser fails on some hostile values ("From: ;\0")
            return super().header_fetch_parse(name, "")


POLICY = _BoundedPolicy()


class UnreadableMessage(ValueError):
    """The bytes are not an e-mail message. Operator-facing: the message is quarantined."""


class Envelope(BaseModel):
    """The header facts of one message, decoded and normalised (addresses lower-case)."""

    model_config = ConfigDict(frozen=True)

    sender: str | None
    sender_name: str
    subject: str
    message_id: str | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    return_path: str | None
    """None when absent; "" for the null reverse path ``<>`` (bounces and auto-replies)."""
    sender_problem: str | None = None
    """Why the sender cannot be told (two From headers, two addresses in one): quarantine it."""


def parse(raw: bytes) -> EmailMessage:
    """The message, parsed with the modern policy (decoded headers, RFC 2231/2047 names)."""
    if not raw or not raw.strip():
        raise UnreadableMessage("the message is empty")
    message = parse_bytes(raw)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise UnreadableMessage("the message has no headers")
    return message


def parse_bytes(raw: bytes) -> Message:
    """Parse in chunks with the bounded policy: the whole message is never copied into one string."""
    parser = BytesFeedParser(policy=POLICY)
    for start in range(0, len(raw), _FEED_CHUNK):
        parser.feed(raw[start:start + _FEED_CHUNK])
    return parser.close()


def header_text(message: Message, name: str) -> str:
    """A header's decoded value, '' when absent or undecodable; folding whitespace collapsed."""
    try:
        value = message.get(name)
        text = "" if value is None else str(value)
    except Exception:  # a header the parser cannot decode at all
        return ""
    return " ".join(text.split())


def addresses(value: str) -> list[tuple[str, str]]:
    """(name, address) pairs with an address; [] for a value too nested to parse."""
    try:
        return [(n, a) for n, a in email.utils.getaddresses([value]) if a]
    except RecursionError:  # deeply nested comments: no address can be believed
        return []


def envelope(message: Message) -> Envelope:
    from_text = header_text(message, "From")
    found = addresses(from_text)
    name, address = found[0] if found else ("", "")
    address = address.strip().lower()
    problem = None
    if len(message.get_all("From") or []) > 1:
        problem, address = "more than one From header", ""
    elif len({a.strip().lower() for _, a in found}) > 1:
        problem, address = "more than one address in the From header", ""
    return_path: str | None = None
    if "Return-Path" in message:
        raw_path = header_text(message, "Return-Path")
        paths = addresses(raw_path)
        return_path = paths[0][1].strip().lower() if raw_path.strip("<> ") and paths else ""
    own_ids = message_ids(header_text(message, "Message-ID"))
    return Envelope(
        sender=address if "@" in address else None,
        sender_name=name.strip(),
        subject=header_text(message, "Subject"),
        message_id=own_ids[0] if own_ids else None,
        in_reply_to=message_ids(header_text(message, "In-Reply-To")),
        references=message_ids(header_text(message, "References")),
        return_path=return_path,
        sender_problem=problem,
    )


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except Exception:
        payload = part.get_payload(decode=True)
        payload = payload if isinstance(payload, bytes) else b""
        charset = part.get_content_charset() or "utf-8"
        try:
            content = payload.decode(charset, errors="replace")
        except LookupError:
            content = payload.decode("utf-8", errors="replace")
    return content if isinstance(content, str) else ""


MAX_BODY_SOURCE_CHARS = 4_000_000
"""A text part's encoded source is read this far (then decoded): more than any reader needs."""


def _trimmed(part: Message) -> Message:
    """The part itself, or a shallow copy whose payload is cut at a line end: decoding a huge
    body only to cut its text afterwards would cost copies of all of it."""
    payload = part.get_payload()
    if not isinstance(payload, str) or len(payload) <= MAX_BODY_SOURCE_CHARS:
        return part
    cut = payload.rfind("\n", 0, MAX_BODY_SOURCE_CHARS)
    trimmed = copy.copy(part)
    trimmed._payload = payload[:cut if cut > 0 else MAX_BODY_SOURCE_CHARS]  # type: ignore[attr-defined]
    return trimmed


def body_text(message: Message) -> str:
    """The readable body: the plain-text part, else the HTML part turned into text.

    Attachments and forwarded messages are not searched: a reply's own words are in its
    first text part.
    """
    if isinstance(message, EmailMessage):
        try:
            part = message.get_body(preferencelist=("plain", "html"))
        except Exception:
            part = None
    else:
        part = None
    if part is None:
        return ""
    text = _part_text(_trimmed(part))
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")
