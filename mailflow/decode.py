"""Step 1: raw bytes to a parsed message, and the few facts every later step reads.

Parsing never raises for a malformed message: the standard library records defects and
we keep going; only bytes that are not a message at all (empty, or no header) fail, and
``classify`` quarantines them. The raw bytes are never changed: storing them is the
service's job, before this step runs.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
from email.message import EmailMessage, Message

from pydantic import BaseModel, ConfigDict

from practice_alerts.mailflow.html_text import html_to_text


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


def parse(raw: bytes) -> EmailMessage:
    """The message, parsed with the modern policy (decoded headers, RFC 2231/2047 names)."""
    if not raw or not raw.strip():
        raise UnreadableMessage("the message is empty")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise UnreadableMessage("the message has no headers")
    return message


def header_text(message: Message, name: str) -> str:
    """A header's decoded value, '' when absent or undecodable; folding whitespace collapsed."""
    try:
        value = message.get(name)
        text = "" if value is None else str(value)
    except Exception:  # a header the parser cannot decode at all
        return ""
    return " ".join(text.split())


def message_ids(value: str) -> tuple[str, ...]:
    """The ``<...>`` ids in an In-Reply-To / References value, in order, without brackets."""
    ids: list[str] = []
    rest = value
    while "<" in rest:
        start = rest.index("<")
        end = rest.find(">", start)
        if end < 0:
            break
        ident = rest[start + 1:end].strip()
        if ident and " " not in ident:
            ids.append(ident)
        rest = rest[end + 1:]
    return tuple(ids)


def envelope(message: Message) -> Envelope:
    name, address = email.utils.parseaddr(header_text(message, "From"))
    address = address.strip().lower()
    return_path: str | None = None
    if "Return-Path" in message:
        raw_path = header_text(message, "Return-Path")
        return_path = email.utils.parseaddr(raw_path)[1].strip().lower() if raw_path.strip("<> ") else ""
    own_ids = message_ids(header_text(message, "Message-ID"))
    return Envelope(
        sender=address if "@" in address else None,
        sender_name=name.strip(),
        subject=header_text(message, "Subject"),
        message_id=own_ids[0] if own_ids else None,
        in_reply_to=message_ids(header_text(message, "In-Reply-To")),
        references=message_ids(header_text(message, "References")),
        return_path=return_path,
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
    text = _part_text(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")
