"""What the alert and quarantine pages show, read from the store (no HTML here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from practice_alerts.console.core import Console
from practice_alerts.documents.from_alert import chronology
from practice_alerts.mailflow.decode import UnreadableMessage, body_text, parse
from practice_alerts.pipeline.alerts import LoadedAlert, event_of
from practice_alerts.policies.time_zone import uk_time
from practice_alerts.store import (
    CONSOLE_VIEW,
    ConsoleLogEntry,
    InboundStateError,
    StoredInbound,
    unit_of_work,
)
from practice_alerts.workflow.actions import SendStageLetter
from practice_alerts.workflow.decide import ReplayError, replay_with_actions
from practice_alerts.workflow.events import EVENT_TYPES

NOTES = {"form_filed": "Form filed", "out_of_office": "Out-of-office reply from the stage recipient",
         "bounce": "A message could not be delivered", "comment": "Comment received",
         "refused": "Request refused (reason sent back)", "merged_from": "A duplicate alert was merged into this one",
         "form_problem": "Problems with the form sent back"}
DOCUMENT_SUFFIXES = (".docx", ".pdf", ".xlsx")


def uk(moment: dt.datetime | None) -> str:
    return f"{uk_time(moment):%d/%m/%Y %H:%M}" if moment else ""


@dataclass(frozen=True)
class Line:
    when: str
    what: str
    who: str


def chronology_of(console: Console, loaded: LoadedAlert) -> list[Line]:
    name_of = console.ctx.name_of
    lines = []
    for row in loaded.stored:
        who = (name_of(row.actor_email) or row.actor_email) if row.actor_email else "Practice Alerts"
        if row.event_type in EVENT_TYPES:
            what = chronology([event_of(row)], name_of)[0].what
        else:
            what = NOTES.get(row.event_type, row.event_type.replace("_", " ").capitalize())
            detail = row.payload.get("from") or row.payload.get("reason") or ""
            if row.event_type == "comment" and row.payload.get("text"):
                what += f": {str(row.payload['text'])[:500]}"
            elif detail:
                what += f": {detail}"
        lines.append(Line(when=uk(row.occurred_at), what=what, who=who))
    return lines


def stage_letter_copies(console: Console, loaded: LoadedAlert) -> list[str]:
    """Who the latest stage letter was copied to (as decided when it was sent)."""
    ctx = console.ctx
    copies: list[str] = []
    try:
        steps = replay_with_actions(loaded.events, ctx.policy, ctx.directory, ctx.calendar)
    except ReplayError:
        return copies
    for _event, actions in steps:
        for action in actions:
            if isinstance(action, SendStageLetter):
                copies = [f"{ctx.name_of(e) or e} ({e})" for e in action.cc]
    return copies


def documents_of(console: Console, reference: str) -> list[tuple[str, int]]:
    folder = Path(console.ctx.config.documents) / reference
    if not folder.is_dir():
        return []
    return [(p.name, p.stat().st_size) for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES]


def document_path(console: Console, reference: str, name: str) -> Path | None:
    """The document only if it is one listed for the alert (no path is taken from the address)."""
    for listed, _size in documents_of(console, reference):
        if listed == name:
            return Path(console.ctx.config.documents) / reference / listed
    return None


@dataclass(frozen=True)
class MailLine:
    when: str
    direction: str
    who: str
    what: str
    status: str
    outbox_id: int | None = None


def mail_of(console: Console, loaded: LoadedAlert) -> list[MailLine]:
    lines: list[tuple[dt.datetime, MailLine]] = []
    with console.ctx.database.reading() as reads:
        for item in reads.outbox_for_alert(loaded.reference):
            status = {"sent": f"Sent {uk(item.sent_at)}", "pending": "Waiting to be sent",
                      "gave_up": "Could not be sent"}[item.status]
            if item.last_error and item.status != "sent":
                status += f" ({item.last_error[:200]})"
            lines.append((item.created_at, MailLine(when=uk(item.created_at), direction="Sent",
                                                    who=", ".join(item.envelope_to), what=item.purpose.replace("_", " "),
                                                    status=status, outbox_id=item.id)))
        seen: set[int] = set()
        for row in loaded.stored:
            if row.inbound_id is None or row.inbound_id in seen:
                continue
            seen.add(row.inbound_id)
            held = reads.inbound(row.inbound_id)
            lines.append((held.received_at, MailLine(when=uk(held.received_at), direction="Received",
                                                     who=row.actor_email or "", what=held.outcome or "",
                                                     status=held.status)))
    return [line for _at, line in sorted(lines, key=lambda pair: pair[0])]


def views_of(console: Console, reference: str) -> list[ConsoleLogEntry]:
    with console.ctx.database.reading() as reads:
        return reads.entries_about(reference, action=CONSOLE_VIEW)[-20:]


def record_view(console: Console, email: str, reference: str) -> None:
    with unit_of_work(console.ctx.database, now=console.clock()) as work:
        work.record_entry(actor=email, action=CONSOLE_VIEW, subject=reference)


@dataclass(frozen=True)
class HeldMessage:
    held: StoredInbound
    sender: str
    subject: str
    date: str
    text: str
    attachments: list[tuple[str, int]]


def _attachments(message: Message) -> list[tuple[str, int]]:
    found = []
    for part in message.walk():
        name = part.get_filename()
        if name and not part.is_multipart():
            payload = part.get_payload(decode=True)
            found.append((str(name)[:200], len(payload) if isinstance(payload, bytes) else 0))
    return found


def held_message(console: Console, inbound_id: int) -> HeldMessage | None:
    with console.ctx.database.reading() as reads:
        try:
            held = reads.inbound(inbound_id)
            raw = reads.inbound_raw(inbound_id)
        except InboundStateError:
            return None
    try:
        message = parse(raw)
    except UnreadableMessage:
        return HeldMessage(held, "", "", "", raw[:20000].decode("utf-8", "replace"), [])
    return HeldMessage(held=held, sender=str(message.get("From", ""))[:300], subject=str(message.get("Subject", ""))[:300],
                       date=str(message.get("Date", ""))[:100], text=body_text(message)[:50000],
                       attachments=_attachments(message))
