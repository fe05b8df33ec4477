"""Step 3a: find the Word forms a message carries, wherever Outlook put them.

Directly attached; inside ``winmail.dat`` (TNEF); inside a forwarded message, either
``message/rfc822`` or an Outlook ``.msg``; and any mix of these, nested a few levels deep.
File names come decoded (RFC 2231 and RFC 2047 both handled by the e-mail parser).
The forms are not read here: ``practice_alerts.forms`` does that, behind its own checks
for untrusted files. Other attachments are only listed by name.
"""

from __future__ import annotations

from email.message import Message
from typing import Literal

from pydantic import BaseModel, ConfigDict

from practice_alerts.mailflow import msg, tnef

WORD_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-word.document.macroenabled.12",
}
WORD_SUFFIXES = (".docx", ".docm")
TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}
MSG_TYPES = {"application/vnd.ms-outlook", "application/x-ole-storage"}
MAX_DEPTH = 4

Source = Literal["attached", "tnef", "forwarded", "outlook-msg"]


class FormAttachment(BaseModel):
    """An attachment that looks like a Word form, with where it was found."""

    model_config = ConfigDict(frozen=True)

    filename: str
    content: bytes
    source: Source


class Found(BaseModel):
    model_config = ConfigDict(frozen=True)

    forms: tuple[FormAttachment, ...] = ()
    other_names: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    """Containers that could not be opened (a damaged winmail.dat or .msg), for the log."""


def looks_like_word_form(filename: str, content_type: str | None = None) -> bool:
    name = filename.strip().lower()
    return name.endswith(WORD_SUFFIXES) or (content_type or "").lower() in WORD_TYPES


def _safe_name(name: str | None) -> str:
    cleaned = "".join(ch for ch in (name or "") if ch.isprintable()).strip()
    return cleaned.replace("/", "_").replace("\\", "_") or "attachment"


class _Collector:
    def __init__(self) -> None:
        self.forms: list[FormAttachment] = []
        self.others: list[str] = []
        self.problems: list[str] = []

    def file(self, name: str, data: bytes, content_type: str | None, source: Source, depth: int) -> None:
        lower = name.lower()
        if looks_like_word_form(name, content_type):
            self.forms.append(FormAttachment(filename=_safe_name(name), content=data, source=source))
        elif (content_type or "").lower() in TNEF_TYPES or lower == "winmail.dat" or tnef.is_tnef(data):
            self.tnef(data, depth)
        elif (content_type or "").lower() in MSG_TYPES or lower.endswith(".msg"):
            self.outlook(name, data, depth)
        else:
            self.others.append(_safe_name(name))

    def tnef(self, data: bytes, depth: int) -> None:
        if depth >= MAX_DEPTH:
            self.problems.append("winmail.dat nested too deeply; not opened")
            return
        try:
            items = tnef.read_attachments(data)
        except tnef.TnefError as exc:
            self.problems.append(f"winmail.dat could not be read: {exc}")
            return
        self._containers(items, "tnef", depth)

    def _containers(self, items, source: Source, depth: int) -> None:  # noqa: ANN001 - olefile/tnef items
        for item in items:
            if item.embedded:
                self._containers(item.embedded, source, depth + 1)
            elif item.data:
                self.file(item.filename, item.data, item.mime_type, source, depth + 1)

    def outlook(self, name: str, data: bytes, depth: int) -> None:
        if depth >= MAX_DEPTH:
            self.problems.append("Outlook message nested too deeply; not opened")
            return
        try:
            message = msg.read_msg(data)
        except msg.MsgError as exc:
            self.problems.append(f"attached Outlook message could not be read: {exc}")
            self.others.append(_safe_name(name))
            return
        self._containers(message.attachments, "outlook-msg", depth)

    def mime(self, message: Message, depth: int, source: Source) -> None:
        for part in message.iter_parts() if hasattr(message, "iter_parts") else []:
            content_type = part.get_content_type()
            if content_type == "message/rfc822":
                inner = part.get_payload()
                inner_message = inner[0] if isinstance(inner, list) and inner else None
                if inner_message is not None and depth < MAX_DEPTH:
                    self.mime(inner_message, depth + 1, "forwarded")
                continue
            if part.is_multipart():
                self.mime(part, depth, source)
                continue
            name = part.get_filename()
            if not name and content_type not in TNEF_TYPES | MSG_TYPES | WORD_TYPES:
                continue  # a body part
            data = part.get_payload(decode=True) or b""
            self.file(name or "attachment", data, content_type, source, depth)


def find_forms(message: Message) -> Found:
    """Every Word-form-like attachment in the message, in the order they appear."""
    collector = _Collector()
    if message.is_multipart():
        collector.mime(message, 0, "attached")
    elif message.get_filename():
        payload = message.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        collector.file(message.get_filename() or "attachment", data, message.get_content_type(), "attached", 0)
    return Found(forms=tuple(collector.forms), other_names=tuple(collector.others),
                 problems=tuple(collector.problems))
