"""Performing the workflow's actions: render the documents, compose the mail, put it in the outbox.

Each action goes to the one handler for its type (``handlers.HANDLERS``), which says what mail and
documents it comes to, which of its messages are filed and which carries the step's letter; this
module does the effects and knows no action type. Called inside the unit of work that appended
the event, so the outbox rows commit (or roll back) with it. Each message's action key is built
from the event's sequence number and the action, so handling the same event again after a crash
gives the same Message-IDs, and the outbox (unique on Message-ID) stores each once. Generated
documents are also written under the configured documents folder, one folder per alert (rewriting
a file after a crash gives the same file).
"""

from __future__ import annotations

import datetime as dt
from email.policy import SMTP
from pathlib import Path

from practice_alerts.documents import from_alert as fa
from practice_alerts.documents import render
from practice_alerts.documents.context import LetterAlert
from practice_alerts.mailflow.compose import (
    Addressee,
    Notice,
    Outgoing,
    OutgoingAttachment,
    compose,
    compose_bytes,
    marked_subject,
    message_id_for,
)
from practice_alerts.mailflow.msgid import make_unreferenced_message_id
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.handlers import handler_for
from practice_alerts.pipeline.handling import Handling, Step, attach, text_notice
from practice_alerts.policies.time_zone import uk_day
from practice_alerts.store import OutgoingMail, UnitOfWork
from practice_alerts.workflow import actions as a


def enqueue(ctx: ServiceContext, work: UnitOfWork, outgoing: Outgoing, purpose: str, now: dt.datetime,
            caused_by: int | None, *, about_alert: bool = True, message_id: str | None = None) -> None:
    """Compose and enqueue; ``about_alert=False`` for mail under a pseudo-reference (no alert row).
    ``message_id``: the alert's id for this message when the caller already made it (to check the
    outbox first), so it is made once; otherwise it is made here."""
    if message_id is None:
        message_id = message_id_for(outgoing, ctx.mail, secret=ctx.secret)
    raw = compose_bytes(outgoing, ctx.mail, message_id=message_id, now=now)
    recipients = tuple(dict.fromkeys(p.email for p in (*outgoing.to, *outgoing.cc)))
    work.enqueue(OutgoingMail(message_id=message_id, purpose=purpose, envelope_from=ctx.mail.shared_mailbox,
                              envelope_to=recipients, raw=raw,
                              alert_reference=outgoing.reference if about_alert else None,
                              caused_by_event_id=caused_by))


FORM_PROBLEM_SUBJECT = "Practice Alert form: please correct and resend"


def enqueue_form_problem(ctx: ServiceContext, work: UnitOfWork, inbound_id: int, *, to: tuple[Addressee, ...],
                         text: str, in_reply_to: str | None, now: dt.datetime) -> None:
    """The reply to a form that raised no alert: no reference in the subject (there is none yet),
    a signed Message-ID keyed by the inbound message (a re-run enqueues it once), threaded under
    the sender's message."""
    enqueue_unreferenced(ctx, work, f"form-problem-{inbound_id}", subject=FORM_PROBLEM_SUBJECT, to=to,
                         text=text, in_reply_to=in_reply_to, now=now, purpose="form_problem")


def enqueue_unreferenced(ctx: ServiceContext, work: UnitOfWork, key: str, *, subject: str, to: tuple[Addressee, ...], text: str,
                         in_reply_to: str | None, now: dt.datetime, purpose: str,
                         attachments: tuple[OutgoingAttachment, ...] = (), message_id: str | None = None) -> str:
    """Compose and enqueue a message about no one alert; its Message-ID is signed and keyed on ``key``
    (the same key again is stored once), or is ``message_id`` when the caller already made it from
    ``key`` (to check the outbox first). Returns the Message-ID. ``subject`` gets the marking in front."""

    if message_id is None:
        message_id = make_unreferenced_message_id(key, secret=ctx.secret, domain=ctx.mail.message_id_domain)
    stand_in = Outgoing(reference="PA-0000-0000", action="unreferenced", notice=Notice.COPY, to=to,
                        text=text, in_reply_to=in_reply_to, attachments=attachments)
    message = compose(stand_in, ctx.mail, message_id=message_id, now=now, subject=marked_subject(subject, ctx.mail.marking))
    work.enqueue(OutgoingMail(message_id=message_id, purpose=purpose, envelope_from=ctx.mail.shared_mailbox,
                              envelope_to=tuple(dict.fromkeys(p.email for p in to)), raw=message.as_bytes(policy=SMTP)))
    return message_id


def perform(ctx: ServiceContext, work: UnitOfWork, step: Step, actions: tuple[a.Action, ...], now: dt.datetime) -> int:
    """Hand each action to its handler, write its documents and enqueue its mail; returns how many
    messages were enqueued. An action nobody addresses comes to nothing; an action type without a
    handler stops the step (``MissingHandler``) before anything is written or enqueued. What is filed
    and which attachment is the step's letter, the handlers say (``Message.filed``, ``Message.letter``)."""
    handlers = [handler_for(action) for action in actions]
    count = 0
    today = uk_day(now)
    details = fa.alert_details(step.form, step.reference, ctx.policy, ctx.mail.shared_mailbox) if step.form else None
    filers = _filers(ctx, step)
    letter: OutgoingAttachment | None = None
    step.copied = a.copied_by(actions)
    for index, (action, handler) in enumerate(zip(actions, handlers, strict=True)):
        handling = Handling(ctx=ctx, step=step, index=index, details=details, today=today).addressed(action.to, action.cc)
        if not handling.to:
            continue
        handled = handler(handling, action)
        for rendered in handled.documents:
            _write(ctx, step, rendered)
        for message in handled.messages:
            outgoing = message.outgoing
            if message.letter is not None:
                letter = message.letter
            if (filers and details is not None and message.filed
                    and filers & {p.email for p in (*outgoing.to, *outgoing.cc)}):
                outgoing = _for_filing(ctx, step, outgoing, details, today, letter)
            enqueue(ctx, work, outgoing, message.purpose, now, step.event_id)
            count += 1
    return count


def _write(ctx: ServiceContext, step: Step, rendered: render.Rendered) -> OutgoingAttachment:
    """Write a generated document to the alert's folder (atomically) and ask for its PDF copy."""
    folder = Path(ctx.config.documents) / step.reference
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / rendered.filename
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(rendered.docx)
    tmp.replace(path)
    step.written.append(path)
    if ctx.pdf is not None:
        ctx.pdf.request(path, rendered.docx)
    return attach(rendered)


def _filers(ctx: ServiceContext, step: Step) -> set[str]:
    rule = ctx.policy.case_record
    if rule is None or not rule.case_note_each_step:
        return set()
    if rule.filed_by.value in ("iro", "cp_chair"):
        return {step.state.facts.iro_email.lower()}
    return {p.email.lower() for p in ctx.directory.holders(rule.filed_by)}


def _for_filing(ctx: ServiceContext, step: Step, outgoing: Outgoing, details: LetterAlert, today: dt.date,
                letter: OutgoingAttachment | None) -> Outgoing:
    """Seeds 000 and 002: the record keeper gets the step's letter and the case note so far, paste-ready."""
    note = render.case_note(fa.case_note(details, step.state, step.events, ctx.policy, ctx.name_of, today),
                            ctx.templates)
    have = {a.filename for a in outgoing.attachments}
    extra = [x for x in (letter, _write(ctx, step, note)) if x is not None and x.filename not in have]
    record = ctx.policy.record_system or "the child's record"
    text = text_notice([outgoing.text, f"To file on {record}: the case note so far is below and attached"
                        + (", with this step's letter." if letter is not None else "."), note.text])
    return outgoing.model_copy(update={"attachments": (*outgoing.attachments, *extra), "text": text,
                                       "html": None})
