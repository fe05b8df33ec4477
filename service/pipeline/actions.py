"""Performing the workflow's actions: render the documents, compose the mail, put it in the outbox.

Called inside the unit of work that appended the event, so the outbox rows commit (or roll back)
with it. Each message's action key is built from the event's sequence number and the action, so
handling the same event again after a crash gives the same Message-IDs, and the outbox (unique
on Message-ID) stores each once. Generated documents are also written under the configured
documents folder, one folder per alert (rewriting a file after a crash gives the same file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.policy import SMTP
from pathlib import Path

from practice_alerts.documents import from_alert as fa
from practice_alerts.documents import render
from practice_alerts.forms.record import PracticeAlert
from practice_alerts.mailflow.compose import (
    Addressee,
    Notice,
    Outgoing,
    OutgoingAttachment,
    build_subject,
    compose,
    compose_bytes,
    one_line,
)
from practice_alerts.mailflow.decisions import decision_mailto_links
from practice_alerts.mailflow.msgid import make_message_id, make_unreferenced_message_id
from practice_alerts.pipeline import copies
from practice_alerts.pipeline.alerts import summary
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.returned import ReturnedForm
from practice_alerts.store import OutgoingMail, UnitOfWork
from practice_alerts.workflow import actions as a
from practice_alerts.workflow.calendar import LONDON
from practice_alerts.workflow.events import Event
from practice_alerts.workflow.state import AlertState

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_NOTIFY = {
    "escalated": Notice.ESCALATED, "deadline_missed": Notice.DEADLINE_MISSED, "timed_out": Notice.TIMED_OUT,
    "resumed": Notice.RESUMED, "resolved": Notice.RESOLVED, "closed": Notice.CLOSED, "cafcass": Notice.CAFCASS_DRAFT,
    "overall_limit": Notice.OVERALL_LIMIT, "unresolved": Notice.UNRESOLVED, "top_of_ladder": Notice.UNRESOLVED,
    "duty": Notice.DUTY, "consulted": Notice.CONSULTED, "cafcass_consultation": Notice.CONSULTED,
    "cafcass_parallel": Notice.COPY,
}
_NOTIFY_TEXT = {
    "raised": "A practice alert has been raised", "stage_reached": "A practice alert has reached a new stage",
    "escalated": "A practice alert has been escalated", "response_received": "A response has been received",
    "deadline_missed": "No response was received by the due date", "timed_out": "A time-out has been called",
    "resumed": "The clock has restarted after a time-out", "resolved": "The IRO is satisfied: the alert is resolved",
    "closed": "The alert has been closed", "cafcass": "The IRO is referring the child's case to CAFCASS",
    "overall_limit": "The whole process's time limit", "unresolved": "Unresolved at the top of the procedure",
    "top_of_ladder": "An alert unresolved at the top of the procedure comes to you",
    "duty": "The procedure asks you to act on a practice alert", "consulted": "The IRO consults you",
    "cafcass_consultation": "The IRO is considering a referral to CAFCASS",
    "cafcass_parallel": "The IRO has referred the child's case to CAFCASS; the alert continues",
}


@dataclass
class Step:
    """What one event is about: the alert as it now stands and where the event came from."""

    reference: str
    sequence: int
    event: Event
    state: AlertState
    events: list[Event]
    form: PracticeAlert | None
    event_id: int | None = None
    inbound_message_id: str | None = None
    thread: tuple[str, ...] = ()
    written: list[Path] = field(default_factory=list)
    returned: ReturnedForm | None = None
    copied: tuple[str, ...] = ()
    """Everyone copied into this step's letters or told of it (named on the IRO's acknowledgement)."""
    """A manager's returned form whose management section is the response (sent on to the IRO)."""


def _key(step: Step, name: str, index: int) -> str:
    key = f"e{step.sequence}-{name}-{index}".lower().replace("_", "-")
    return key[:64]


def _people(ctx: ServiceContext, emails: tuple[str, ...] | list[str]) -> tuple[Addressee, ...]:
    return tuple(Addressee(email=e, name=ctx.name_of(e)) for e in dict.fromkeys(emails) if e)


def _today(now: dt.datetime) -> dt.date:
    return now.astimezone(LONDON).date()


def enqueue(ctx: ServiceContext, work: UnitOfWork, outgoing: Outgoing, purpose: str, now: dt.datetime,
            caused_by: int | None, *, about_alert: bool = True) -> None:
    """Compose and enqueue; ``about_alert=False`` for mail under a pseudo-reference (no alert row)."""
    raw = compose_bytes(outgoing, ctx.mail, secret=ctx.secret, now=now)

    message_id = make_message_id(outgoing.reference, outgoing.action, secret=ctx.secret,
                                 domain=ctx.mail.message_id_domain)
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
                         attachments: tuple[OutgoingAttachment, ...] = ()) -> str:
    """Compose and enqueue a message about no one alert; its Message-ID is signed and keyed on ``key``
    (the same key again is stored once). Returns the Message-ID. ``subject`` gets the marking in front."""

    message_id = make_unreferenced_message_id(key, secret=ctx.secret, domain=ctx.mail.message_id_domain)
    stand_in = Outgoing(reference="PA-0000-0000", action="unreferenced", notice=Notice.COPY, to=to,
                        text=text, in_reply_to=in_reply_to, attachments=attachments)
    message = compose(stand_in, ctx.mail, secret=ctx.secret, now=now)
    marking = one_line(ctx.mail.marking, 40)
    message.replace_header("Subject", f"{marking}: {subject}" if marking else subject)
    message.replace_header("Message-ID", message_id)
    work.enqueue(OutgoingMail(message_id=message_id, purpose=purpose, envelope_from=ctx.mail.shared_mailbox,
                              envelope_to=tuple(dict.fromkeys(p.email for p in to)), raw=message.as_bytes(policy=SMTP)))
    return message_id


def _write(ctx: ServiceContext, step: Step, rendered: render.Rendered) -> OutgoingAttachment:
    folder = Path(ctx.config.documents) / step.reference
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / rendered.filename
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(rendered.docx)
    tmp.replace(path)
    step.written.append(path)
    if ctx.pdf is not None:
        ctx.pdf.request(path, rendered.docx)
    return OutgoingAttachment(filename=rendered.filename, content=rendered.docx, mime_type=DOCX)


def _text_notice(lines: list[str]) -> str:
    return "\n\n".join(line for line in lines if line)


_FILED = frozenset({"send_stage_letter", "notify", "acknowledge_iro", "draft_cafcass_referral", "close_alert"})
"""The messages that carry what the case-record keeper files (the policy's ``case_record``)."""


def _filers(ctx: ServiceContext, step: Step) -> set[str]:
    rule = ctx.policy.case_record
    if rule is None or not rule.case_note_each_step:
        return set()
    if rule.filed_by.value in ("iro", "cp_chair"):
        return {step.state.facts.iro_email.lower()}
    return {p.email.lower() for p in ctx.directory.holders(rule.filed_by)}


def _for_filing(ctx: ServiceContext, step: Step, outgoing: Outgoing, details, today: dt.date,
                letter: OutgoingAttachment | None) -> Outgoing:
    """Seeds 000 and 002: the record keeper gets the step's letter and the case note so far, paste-ready."""
    note = render.case_note(fa.case_note(details, step.state, step.events, ctx.policy, ctx.name_of, today),
                            ctx.templates)
    have = {a.filename for a in outgoing.attachments}
    extra = [x for x in (letter, _write(ctx, step, note)) if x is not None and x.filename not in have]
    record = ctx.policy.record_system or "the child's record"
    text = _text_notice([outgoing.text, f"To file on {record}: the case note so far is below and attached"
                         + (", with this step's letter." if letter is not None else "."), note.text])
    return outgoing.model_copy(update={"attachments": (*outgoing.attachments, *extra), "text": text,
                                       "html": None})


def perform(ctx: ServiceContext, work: UnitOfWork, step: Step, actions: tuple[a.Action, ...], now: dt.datetime) -> int:
    """Enqueue the mail for every action; returns how many messages were enqueued."""
    count = 0
    today = _today(now)
    details = fa.alert_details(step.form, step.reference, ctx.policy, ctx.mail.shared_mailbox) if step.form else None
    filers = _filers(ctx, step)
    letter: OutgoingAttachment | None = None
    step.copied = _copied(actions)
    for index, action in enumerate(actions):
        if isinstance(action, a.Notify) and action.why == "resolved":
            action = _thank_managers(ctx, work, step, action, index, now)
        outgoing = _outgoing(ctx, step, action, index, details, today, now)
        if outgoing is None or not outgoing.to:
            continue
        if isinstance(action, a.SendStageLetter) and outgoing.attachments:
            letter = outgoing.attachments[0]
        if filers and details is not None and action.kind in _FILED and filers & {*action.to, *action.cc}:
            outgoing = _for_filing(ctx, step, outgoing, details, today, letter)
        enqueue(ctx, work, outgoing, action.kind, now, step.event_id)
        count += 1
    return count


def _copied(actions: tuple[a.Action, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for action in actions:
        if isinstance(action, a.SendStageLetter):
            found += [e for e in action.cc if e not in action.to]
        elif isinstance(action, a.Notify):
            found += list(action.to)
    return tuple(dict.fromkeys(found))


def _thank_managers(ctx: ServiceContext, work: UnitOfWork, step: Step, action: a.Notify, index: int,
                    now: dt.datetime) -> a.Notify:
    """The managers whose response resolved the alert are thanked (with the IRO's note); the rest get the copy."""
    managers = [e for e in copies.managers_of(step.state) if e in action.to]
    if not managers:
        return action
    notes = str(getattr(step.event, "notes", "") or "")
    thanks = _base(step, action, index, "thanks", Notice.RESOLVED, _people(ctx, managers), (),
                   _text_notice(copies.thanks_lines(ctx, step.state, notes)),
                   stage_name=_stage_name(ctx, action.stage))
    enqueue(ctx, work, thanks, "thanks", now, step.event_id)
    return action.model_copy(update={"to": tuple(e for e in action.to if e not in managers)})


def _base(step: Step, action: a.Action, index: int, name: str, notice: Notice, to: tuple[Addressee, ...],
          cc: tuple[Addressee, ...], text: str, **extra: object) -> Outgoing:
    return Outgoing(reference=step.reference, action=_key(step, name, index), notice=notice, to=to, cc=cc, text=text,
                    in_reply_to=step.inbound_message_id, references=step.thread, **extra)


def _outgoing(ctx: ServiceContext, step: Step, action: a.Action, index: int, details, today: dt.date,
              now: dt.datetime) -> Outgoing | None:
    to, cc = _people(ctx, action.to), _people(ctx, [e for e in action.cc if e not in action.to])
    if not to:
        return None
    state, name_of = step.state, ctx.name_of
    if isinstance(action, a.SendStageLetter) and details is not None:
        rendered = render.stage_letter(fa.stage_letter(action, details, state, step.events, ctx.policy, name_of, today),
                                       ctx.templates)
        return _base(step, action, index, f"{action.stage}-letter", Notice.STAGE_LETTER, to, cc, rendered.text,
                     html=rendered.html, stage_name=action.stage_name, due=action.due, system_notice=False,
                     attachments=(_write(ctx, step, rendered),))
    if isinstance(action, a.AcknowledgeIro) and details is not None:
        ack = fa.acknowledgement(action, details, state, name_of, step.event.at, today)
        ack = ack.model_copy(update={"copies": tuple(fa.person(e, "copy", name_of) for e in step.copied
                                                     if e not in action.to)})
        rendered = render.acknowledgement(ack, ctx.templates)
        return _base(step, action, index, "ack", Notice.ACKNOWLEDGEMENT, to, cc, rendered.text, html=rendered.html,
                     stage_name=action.stage_name, due=action.due, attachments=(_write(ctx, step, rendered),))
    if isinstance(action, a.AskIro):
        asking = Notice.OVERDUE_DECISION_REQUEST if action.why == "deadline_missed" else Notice.DECISION_REQUEST
        subject = build_subject(step.reference, asking, marking=ctx.mail.marking,
                                stage_name=_stage_name(ctx, action.stage))
        links = decision_mailto_links(ctx.mail.shared_mailbox, step.reference, subject, ctx.policy,
                                      summary(state, ctx.policy.key, ctx.policy))
        if action.why == "response_received" and details is not None:
            rendered = render.decision_request(
                fa.decision_request(action, details, state, step.events, name_of, links, today,
                                    step.event.by, step.event.at), ctx.templates)
            source = _returned_note(step)
            return _base(step, action, index, "decide", Notice.DECISION_REQUEST, to, cc,
                         source + rendered.text if source else rendered.text,
                         html=None if source else rendered.html, stage_name=_stage_name(ctx, action.stage),
                         attachments=(_write(ctx, step, rendered),
                                      *((step.returned.attachment,) if step.returned else ())))
        why = {"deadline_missed": "No response was received by the due date.",
               "cafcass_consideration": "The last stage did not resolve the concern. The procedure asks you to "
               "consider, with the people named and legal advice, whether a referral to CAFCASS should be made; "
               "they have been asked for their view."}.get(action.why, "The alert has reached the last stage of the procedure.")
        return _base(step, action, index, "decide", asking, to, cc,
                     _text_notice([f"Alert {step.reference}: {why}", "Please decide what happens next: reply with one "
                                   "of these, or use a link below."]), links=tuple(links),
                     stage_name=_stage_name(ctx, action.stage))
    if isinstance(action, a.Remind):
        when = "is overdue" if action.overdue else f"is due on {action.due:%d/%m/%Y}"
        return _base(step, action, index, f"remind-{action.stage}", Notice.REMINDER, to, cc, _text_notice([
            f"This is a reminder that your response to practice alert {step.reference} {when}.",
            f"Please reply to this message, or to the stage letter, by then. Replies go to {ctx.mail.shared_mailbox}."]),
            stage_name=_stage_name(ctx, action.stage), due=action.due)
    if isinstance(action, a.EscalateAutomatically):
        return _base(step, action, index, "auto-escalated", Notice.ESCALATED, to, cc, _text_notice([
            f"No response was received by {action.missed_due:%d/%m/%Y}, so the procedure escalated alert "
            f"{step.reference} from {_stage_name(ctx, action.from_stage)} to {_stage_name(ctx, action.to_stage)}."]),
            stage_name=_stage_name(ctx, action.to_stage))
    if isinstance(action, a.DraftExternalAgencyLetter) and details is not None:
        rendered = render.external_agency_letter(fa.external_agency_letter(action, details, ctx.policy, name_of, today),
                                                 ctx.templates)
        return _base(step, action, index, f"agency-letter-{action.letter_number}", Notice.EXTERNAL_LETTER, to, cc,
                     _text_notice(["The letter to the agency is attached as a draft: check it, sign it and send it.",
                                   rendered.text]), due=action.due, attachments=(_write(ctx, step, rendered),))
    if isinstance(action, a.DraftCafcassReferral) and details is not None and step.form is not None:
        rendered = render.cafcass_referral(fa.cafcass_referral(action, details, step.form, state, step.events,
                                                               ctx.policy, name_of, today), ctx.templates)
        return _base(step, action, index, "cafcass-draft", Notice.CAFCASS_DRAFT, to, cc, _text_notice([
            "The draft CAFCASS referral is attached, with the whole chronology: check it and send it.", rendered.text]),
            attachments=(_write(ctx, step, rendered),))
    if isinstance(action, a.CloseAlert) and details is not None:
        days = state.working_days_elapsed(ctx.calendar, today)
        rendered = render.closure(fa.closure(action, details, state, step.events, ctx.policy, name_of, step.event.by,
                                             today, days), ctx.templates)
        note = render.case_note(fa.case_note(details, state, step.events, ctx.policy, name_of, today), ctx.templates)
        return _base(step, action, index, "closed", Notice.CLOSED, to, cc, rendered.text, html=rendered.html,
                     attachments=(_write(ctx, step, rendered), _write(ctx, step, note)))
    if isinstance(action, a.ReportRecipientError):
        return _base(step, action, index, "recipient-problem", Notice.RECIPIENT_PROBLEM, to, cc, _text_notice([
            f"Alert {step.reference}: {action.message}",
            "Please correct the organisation directory; the alert waits until the recipient is found."
            if action.blocking else ""]), stage_name=_stage_name(ctx, action.stage))
    if isinstance(action, a.Notify):
        stage_name = _stage_name(ctx, action.stage)
        lines = [f"{_NOTIFY_TEXT.get(action.why, 'Practice alert update')}: {step.reference}.",
                 *copies.facts_lines(ctx, state, stage_name, action.due)]
        if action.purpose:
            lines.append(f"You are told {action.purpose}.")
        filing = copies.letters_written(step.written) if copies.for_filing(ctx, action) else ()
        if filing:
            lines.append("The letter is attached for the child's file.")
        return _base(step, action, index, f"notify-{action.why}", _NOTIFY.get(action.why, Notice.COPY), to, cc,
                     _text_notice(lines), stage_name=stage_name, due=action.due, attachments=filing)
    if isinstance(action, a.NotifyBeforeCafcass):
        return _base(step, action, index, "before-cafcass", Notice.BEFORE_CAFCASS, to, cc, _text_notice([
            f"The IRO intends to refer alert {step.reference} to CAFCASS. The procedure says you must be told first.",
            *copies.facts_lines(ctx, state, _stage_name(ctx, state.stage), None),
            "What to do: if you have anything the IRO should know before the referral, reply to this message."]))
    if isinstance(action, a.AddToAgenda):
        return _base(step, action, index, "agenda", Notice.AGENDA, to, cc, _text_notice([
            f"Please add alert {step.reference} to the agenda of the {action.meeting}.",
            *copies.facts_lines(ctx, state, _stage_name(ctx, action.stage), None)]),
            stage_name=_stage_name(ctx, action.stage))
    return None


def _returned_note(step: Step) -> str:
    """Where the response came from, when the manager returned the form rather than writing a reply."""
    if step.returned is None:
        return ""
    return (f"The response was written in section 9 of the Practice Alert form, returned by "
            f"{step.event.by or 'the manager'}; the returned form is attached ({step.returned.filename}).\n\n")


def _stage_name(ctx: ServiceContext, key: str | None) -> str | None:
    if key is None:
        return None
    try:
        return ctx.policy.stage(key).name
    except KeyError:
        return key
