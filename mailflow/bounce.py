"""Bounces: RFC 3464 delivery status notifications and Exchange non-delivery reports.

A DSN is ``multipart/report; report-type=delivery-status``; its ``message/delivery-status``
part lists each recipient with ``Action: failed`` (or ``delayed``...). Exchange NDRs are
usually DSNs too, but some (and many gateways') are plain messages: "Undeliverable:"
subjects, ``X-MS-Exchange-Message-Is-Ndr``, a mailer-daemon sender. For those the failed
addresses are read from the text, kept only if they were recipients of the original
message when its headers came back with the report.

The original message's headers (``message/rfc822`` or ``text/rfc822-headers``) give its
Message-ID, which ``match`` checks against the ids we sign.
"""

from __future__ import annotations

import re
from email.message import Message

from pydantic import BaseModel, ConfigDict

from practice_alerts.mailflow.decode import addresses, header_text, parse_bytes
from practice_alerts.rawmail.message_id import message_ids

NDR_SUBJECT = re.compile(
    r"^\s*(undeliverable|undelivered mail|undeliverable mail|delivery status notification \(failure\)|"
    r"mail delivery failed|delivery failure|returned mail|failure notice|non[- ]?delivery)",
    re.IGNORECASE,
)
DAEMONS = ("mailer-daemon@", "postmaster@", "microsoftexchange")
_LOCAL_PART = re.compile(r"[A-Za-z0-9._%+'-]{1,64}\Z")
_DOMAIN = re.compile(r"[A-Za-z0-9.-]{1,253}")
_DOMAIN_END = re.compile(r"\.[A-Za-z]{2,}\Z")
MAX_REPORT_TEXT_CHARS = 200_000
"""A report's own text is read this far for failed addresses (real ones are a few KB)."""


class Bounce(BaseModel):
    model_config = ConfigDict(frozen=True)

    is_bounce: bool
    failed: tuple[str, ...] = ()
    """Addresses that could not be delivered to (lower-case)."""
    delayed_only: bool = False
    """A 'still trying' notice: nothing failed yet."""
    original_message_id: str | None = None
    original_subject: str = ""
    original_references: tuple[str, ...] = ()
    signs: tuple[str, ...] = ()


def _original_headers(message: Message) -> Message | None:
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                return payload[0]
        if content_type == "text/rfc822-headers":
            raw = part.get_payload(decode=True)
            return parse_bytes(raw if isinstance(raw, bytes) else b"")
    return None


def _status_blocks(message: Message) -> list[Message]:
    blocks: list[Message] = []
    for part in message.walk():
        if part.get_content_type() in {"message/delivery-status", "message/global-delivery-status"}:
            payload = part.get_payload()
            if isinstance(payload, list):
                blocks.extend(p for p in payload if isinstance(p, Message))
    return blocks


def _address(field: str) -> str:
    kind, _, value = field.partition(";")
    return (value if value else kind).strip().strip("<>").lower()


def _from_text(message: Message, original: Message | None, own: set[str]) -> tuple[str, ...]:
    """Addresses named in the report's own text (before any returned message)."""
    texts: list[str] = []
    for part in message.walk():
        if part.get_content_type() in {"message/rfc822", "text/rfc822-headers"}:
            break
        if part.get_content_maintype() == "text" and not part.get_filename():
            try:
                texts.append(part.get_content())  # type: ignore[attr-defined]
            except Exception:
                continue
    found = addresses_in("\n".join(texts)[:MAX_REPORT_TEXT_CHARS])
    if original is not None:
        recipients = {a.lower() for _, a in addresses(header_text(original, "To"))
                      + addresses(header_text(original, "Cc"))}
        found = [a for a in found if a in recipients]
    return tuple(dict.fromkeys(a for a in found if a not in own and not a.startswith(DAEMONS)))


def addresses_in(text: str) -> list[str]:
    """Every address-like ``local@domain.tld`` in ``text``, lower-case, in linear time: the scan
    starts only at each ``@`` and looks at most 64 characters back and 253 forward."""
    found: list[str] = []
    at = text.find("@")
    while at >= 0:
        start = max(0, at - 64)
        local = text[start:at]
        cut = len(local)
        while cut > 0 and (local[cut - 1].isalnum() or local[cut - 1] in "._%+'-") and local[cut - 1].isascii():
            cut -= 1
        local = local[cut:]
        domain_match = _DOMAIN.match(text, at + 1)
        domain = domain_match.group(0).rstrip(".-") if domain_match else ""
        tail = _DOMAIN_END.search(domain)
        if local and _LOCAL_PART.match(local) and tail is not None:
            found.append(f"{local}@{domain}".lower())
        at = text.find("@", at + 1)
    return found


def detect(message: Message, own_addresses: tuple[str, ...] = ()) -> Bounce:
    """Whether ``message`` reports a failed delivery, and of which recipients."""
    signs: list[str] = []
    report_type = message.get_param("report-type") if message.get_content_type() == "multipart/report" else None
    if report_type == "delivery-status":
        signs.append("multipart/report (delivery-status)")
    if "X-MS-Exchange-Message-Is-Ndr" in message:
        signs.append("X-MS-Exchange-Message-Is-Ndr")
    strong = bool(signs)
    if NDR_SUBJECT.match(header_text(message, "Subject")):
        signs.append("non-delivery subject")
    if any(a.lower().startswith(DAEMONS) for _, a in addresses(header_text(message, "From"))[:1]):
        signs.append("mailer-daemon sender")
    null_path = "Return-Path" in message and not header_text(message, "Return-Path").strip("<> ")
    evidence = _status_blocks(message) or _original_headers(message) is not None or null_path
    if not signs or not (strong or evidence):
        # A subject or sender alone is not enough: a person may write "Undeliverable items".
        return Bounce(is_bounce=False, signs=tuple(signs))
    original = _original_headers(message)
    failed: list[str] = []
    delayed = False
    for block in _status_blocks(message):
        action = header_text(block, "Action").lower()
        recipient = header_text(block, "Final-Recipient") or header_text(block, "Original-Recipient")
        status = header_text(block, "Status")
        if not recipient:
            continue
        if action == "failed" or (not action and status.startswith("5")):
            failed.append(_address(recipient))
        elif action == "delayed":
            delayed = True
    own = {a.lower() for a in own_addresses}
    if not failed and not delayed:
        failed = list(_from_text(message, original, own))
    return Bounce(
        is_bounce=True,
        failed=tuple(dict.fromkeys(a for a in failed if a)),
        delayed_only=delayed and not failed,
        original_message_id=(message_ids(header_text(original, "Message-ID")) or (None,))[0] if original else None,
        original_subject=header_text(original, "Subject") if original else "",
        original_references=(
            message_ids(header_text(original, "In-Reply-To")) + message_ids(header_text(original, "References"))
        ) if original else (),
        signs=tuple(signs),
    )
