"""Building what goes out: one ``EmailMessage`` per notice, ready for any transport.

Every message: plain text and HTML alternatives, attachments, the Message-ID it is given
(worked out once by the caller: ``message_id_for`` gives an alert's deterministic signed id per
(alert, action), ``msgid``), ``In-Reply-To``/``References`` so Outlook
threads the conversation, ``Reply-To`` the shared mailbox, ``X-Auto-Response-Suppress:
DR, RN, NRN, AutoReply`` (not OOF: a manager's out-of-office is exactly what we need to
hear), and ``Auto-Submitted: auto-generated`` on system notices.

Subjects are built only from the reference, the notice's fixed wording, the stage name
(from the policy), the due date and the protective marking: never from form data, so a
child's name cannot reach a subject. Every header value is forced onto one line, so text
that came from a form (a display name, a file name) cannot inject headers.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from practice_alerts.mailflow.msgid import make_message_id

SUPPRESS = "DR, RN, NRN, AutoReply"
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


class Notice(StrEnum):
    """What a message is; its value is the subject's fixed wording."""

    ACKNOWLEDGEMENT = "Practice Alert received"
    FORM_PROBLEM = "Practice Alert form needs correcting"
    STAGE_LETTER = "Practice Alert"
    REMINDER = "Reminder: Practice Alert response due"
    DECISION_REQUEST = "Response received: your decision is needed"
    DECISION_UNCLEAR = "Decision not understood"
    DEADLINE_MISSED = "Practice Alert response overdue"
    ESCALATED = "Practice Alert escalated"
    TIMED_OUT = "Practice Alert time-out"
    RESUMED = "Practice Alert resumed"
    RESOLVED = "Practice Alert resolved"
    CLOSED = "Practice Alert closed"
    CAFCASS_DRAFT = "CAFCASS referral draft"
    EXTERNAL_LETTER = "External agency letter draft"
    RECIPIENT_PROBLEM = "Practice Alert recipient problem"
    OUT_OF_OFFICE = "Stage recipient is out of the office"
    QUARANTINE = "Messages held for review"
    COPY = "Practice Alert copy"
    OVERALL_LIMIT = "Practice Alert overall time limit"
    UNRESOLVED = "Practice Alert unresolved at the top of the procedure"
    DUTY = "Practice Alert: the procedure asks you to act"
    CONSULTED = "Practice Alert: you are consulted"
    # Answers to mail that was not acted on, confirmations and digests (issue 14).
    NOT_ACTED_ON = "Your message was not acted on"
    FORM_NOT_READ = "Practice Alert form not received"
    OTHER_POLICY_FORM = "Practice Alert form is for another procedure"
    POSSIBLE_DUPLICATE = "Possible duplicate Practice Alert: please confirm"
    DECISION_RECORDED = "Decision recorded"
    PLEASE_CLOSE = "Reminder: please close the resolved Practice Alert"
    OVERDUE_DECISION_REQUEST = "No response by the due date: your decision is needed"
    HELD_FOR_REVIEW = "Message about a Practice Alert held for review"
    FORM_FLAGS = "Practice Alert form has links to check"
    LINE_MANAGER_OVERDUE = "Practice Alert response overdue in your team"
    WEEKLY_DIGEST = "Practice Alerts: weekly summary"
    BEFORE_CAFCASS = "Practice Alert: CAFCASS referral intended"
    AGENDA = "Practice Alert: please add to the agenda"


class Addressee(BaseModel):
    model_config = ConfigDict(frozen=True)

    email: str
    name: str = ""


class OutgoingAttachment(BaseModel):
    model_config = ConfigDict(frozen=True)

    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


class Outgoing(BaseModel):
    """One message to send, as the workflow's action describes it."""

    model_config = ConfigDict(frozen=True)

    reference: str
    action: str = Field(description="action key, unique per alert: 'stage2-letter', 'reminder-2026-12-07'")
    notice: Notice
    to: tuple[Addressee, ...] = Field(min_length=1)
    cc: tuple[Addressee, ...] = ()
    stage_name: str | None = None
    due: dt.date | None = None
    text: str
    html: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    """(label, URL) shown as a list after the text, e.g. the decision mailto: links."""
    attachments: tuple[OutgoingAttachment, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    system_notice: bool = True


class MailSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    shared_mailbox: str
    shared_mailbox_name: str = "Practice Alerts"
    message_id_domain: str = "practice-alerts.invalid"
    marking: str = DEFAULT_MARKING


def one_line(value: str, limit: int = 200) -> str:
    """A header-safe value: control characters (CR, LF, tabs...) become spaces; trimmed."""
    return " ".join(_CONTROL.sub(" ", value).split())[:limit]


def build_subject(reference: str, notice: Notice, *, marking: str = DEFAULT_MARKING,
                  stage_name: str | None = None, due: dt.date | None = None) -> str:
    """E.g. 'OFFICIAL-SENSITIVE: [PA-2026-0001] Practice Alert - Stage 2 - response due 08/12/2026'."""
    parts = [f"[{one_line(reference, 20)}] {notice.value}"]
    if stage_name:
        parts.append(one_line(stage_name, 40))
    if due:
        parts.append(f"response due {due:%d/%m/%Y}")
    subject = " - ".join(parts)
    return f"{one_line(marking, 40)}: {subject}" if marking.strip() else subject


def marked_subject(subject: str, marking: str = DEFAULT_MARKING) -> str:
    """The subject of mail about no alert: the fixed wording with the protective marking in front."""
    marking = one_line(marking, 40)
    return f"{marking}: {subject}" if marking else subject


def message_id_for(outgoing: Outgoing, settings: MailSettings, *, secret: bytes) -> str:
    """The signed Message-ID of an alert's message: the same alert and action key always give the same id."""
    return make_message_id(outgoing.reference, outgoing.action, secret=secret, domain=settings.message_id_domain)


def _address(person: Addressee) -> Address:
    local, _, domain = one_line(person.email).partition("@")
    return Address(display_name=one_line(person.name, 80), username=local, domain=domain)


def _safe_filename(name: str) -> str:
    cleaned = one_line(name, 120).replace("/", "_").replace("\\", "_").strip(". ")
    return cleaned or "attachment"


def _html(text: str, links: tuple[tuple[str, str], ...]) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    body = "\n".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    if links:
        items = "\n".join(f'<li><a href="{html.escape(url, quote=True)}">{html.escape(label)}</a></li>'
                          for label, url in links)
        body += f"\n<ul>\n{items}\n</ul>"
    return f'<!DOCTYPE html>\n<html lang="en-GB"><body style="font-family: Arial, sans-serif">\n{body}\n</body></html>\n'


def _text(text: str, links: tuple[tuple[str, str], ...]) -> str:
    lines = [text.rstrip()]
    if links:
        lines.append("")
        lines.extend(f"- {label}: {url}" for label, url in links)
    return "\n".join(lines) + "\n"


def compose(outgoing: Outgoing, settings: MailSettings, *, message_id: str, now: dt.datetime,
            subject: str | None = None) -> EmailMessage:
    """The message for ``outgoing``, sent as ``message_id``.

    The subject is built from the notice (``build_subject``) unless ``subject`` is given: mail about
    no alert passes its own (``marked_subject``). Neither header is touched again afterwards.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    message = EmailMessage()
    message["From"] = Address(display_name=one_line(settings.shared_mailbox_name, 80),
                              addr_spec=one_line(settings.shared_mailbox))
    message["To"] = [_address(p) for p in outgoing.to]
    if outgoing.cc:
        message["Cc"] = [_address(p) for p in outgoing.cc]
    message["Reply-To"] = one_line(settings.shared_mailbox)
    message["Subject"] = subject if subject is not None else build_subject(
        outgoing.reference, outgoing.notice, marking=settings.marking, stage_name=outgoing.stage_name, due=outgoing.due)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    thread = [one_line(r, 250) for r in outgoing.references if r.strip()]
    if outgoing.in_reply_to:
        parent = one_line(outgoing.in_reply_to, 250)
        parent = parent if parent.startswith("<") else f"<{parent}>"
        message["In-Reply-To"] = parent
        thread.append(parent)
    thread = [r if r.startswith("<") else f"<{r}>" for r in dict.fromkeys(thread)]
    if thread:
        message["References"] = " ".join(thread[-10:])
    message["X-Auto-Response-Suppress"] = SUPPRESS
    if outgoing.system_notice:
        message["Auto-Submitted"] = "auto-generated"
    message.set_content(_text(outgoing.text, outgoing.links))
    message.add_alternative(outgoing.html or _html(outgoing.text, outgoing.links), subtype="html")
    for attachment in outgoing.attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(attachment.content, maintype=maintype or "application",
                               subtype=subtype or "octet-stream", filename=_safe_filename(attachment.filename))
    return message


def compose_bytes(outgoing: Outgoing, settings: MailSettings, *, message_id: str, now: AwareDatetime,
                  subject: str | None = None) -> bytes:
    """The composed message as bytes (CRLF line ends), as a transport sends it."""
    return compose(outgoing, settings, message_id=message_id, now=now, subject=subject).as_bytes(policy=SMTP)
