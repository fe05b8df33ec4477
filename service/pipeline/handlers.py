"""One handler per workflow action: the mail and documents each kind of action comes to.

``HANDLERS`` maps every action class in ``workflow.actions`` to its handler and ``handler_for``
looks one up, failing loudly for an action nobody handles. A handler also says which of its
messages the case-record keeper files (``filed=True``) and which carries the step's letter
(``letter=``), so ``actions.perform`` names no action type. A new action type means one handler
here, one row in the table and one sample in tests/integration/service/test_action_handlers.py
(which checks that the table covers every action class and what each handler marks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from practice_alerts.documents import from_alert as fa
from practice_alerts.documents import render
from practice_alerts.mailflow.compose import Notice, build_subject
from practice_alerts.mailflow.decisions import decision_mailto_links
from practice_alerts.pipeline import copies
from practice_alerts.pipeline.alerts import summary
from practice_alerts.pipeline.handling import NOTHING, Handled, Handling, Message, Step, attach, sent, text_notice
from practice_alerts.workflow import actions as a

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
_ASK_WHY = {
    "deadline_missed": "No response was received by the due date.",
    "cafcass_consideration": "The last stage did not resolve the concern. The procedure asks you to consider, with "
    "the people named and legal advice, whether a referral to CAFCASS should be made; they have been asked for "
    "their view.",
}


class MissingHandler(LookupError):
    """An action type with no handler: a programming error, never skipped silently."""


def stage_letter(h: Handling, action: a.SendStageLetter) -> Handled:
    """The stage letter to the manager the alert is now with (not marked as a system notice)."""
    if h.details is None:
        return NOTHING
    ctx, step = h.ctx, h.step
    rendered = render.stage_letter(fa.stage_letter(action, h.details, step.state, step.events, ctx.policy,
                                                   ctx.name_of, h.today), ctx.templates)
    letter = attach(rendered)
    return sent(action, h.mail(f"{action.stage}-letter", Notice.STAGE_LETTER, rendered.text, html=rendered.html,
                               stage_name=action.stage_name, due=action.due, system_notice=False,
                               attachments=(letter,)), rendered, filed=True, letter=letter)


def acknowledgement(h: Handling, action: a.AcknowledgeIro) -> Handled:
    """The IRO's acknowledgement, naming everyone else this step copies in or tells (``Step.copied``)."""
    if h.details is None:
        return NOTHING
    ctx, step = h.ctx, h.step
    ack = fa.acknowledgement(action, h.details, step.state, ctx.name_of, step.event.at, h.today)
    ack = ack.model_copy(update={"copies": tuple(fa.person(e, "copy", ctx.name_of) for e in step.copied
                                                 if e not in action.to)})
    rendered = render.acknowledgement(ack, ctx.templates)
    return sent(action, h.mail("ack", Notice.ACKNOWLEDGEMENT, rendered.text, html=rendered.html,
                               stage_name=action.stage_name, due=action.due, attachments=(attach(rendered),)), rendered,
                filed=True)


def decision_request(h: Handling, action: a.AskIro) -> Handled:
    """Ask the IRO to decide, with a mailto link per choice; a response comes with the document to judge."""
    ctx, step = h.ctx, h.step
    asking = Notice.OVERDUE_DECISION_REQUEST if action.why == "deadline_missed" else Notice.DECISION_REQUEST
    stage_name = h.stage_name(action.stage)
    subject = build_subject(step.reference, asking, marking=ctx.mail.marking, stage_name=stage_name)
    links = decision_mailto_links(ctx.mail.shared_mailbox, step.reference, subject, ctx.policy,
                                  summary(step.state, ctx.policy.key, ctx.policy))
    if action.why == "response_received" and h.details is not None:
        rendered = render.decision_request(
            fa.decision_request(action, h.details, step.state, step.events, ctx.name_of, links, h.today,
                                step.event.by, step.event.at), ctx.templates)
        source = _returned_note(step)
        return sent(action, h.mail("decide", Notice.DECISION_REQUEST, source + rendered.text if source else rendered.text,
                                   html=None if source else rendered.html, stage_name=stage_name,
                                   attachments=(attach(rendered), *((step.returned.attachment,) if step.returned else ()))),
                    rendered)
    why = _ASK_WHY.get(action.why, "The alert has reached the last stage of the procedure.")
    return sent(action, h.mail("decide", asking, text_notice([
        f"Alert {step.reference}: {why}", "Please decide what happens next: reply with one of these, or use a link "
        "below."]), links=tuple(links), stage_name=stage_name))


def _returned_note(step: Step) -> str:
    """Where the response came from, when the manager returned the form rather than writing a reply."""
    if step.returned is None:
        return ""
    return (f"The response was written in section 9 of the Practice Alert form, returned by "
            f"{step.event.by or 'the manager'}; the returned form is attached ({step.returned.filename}).\n\n")


def reminder(h: Handling, action: a.Remind) -> Handled:
    when = "is overdue" if action.overdue else f"is due on {action.due:%d/%m/%Y}"
    return sent(action, h.mail(f"remind-{action.stage}", Notice.REMINDER, text_notice([
        f"This is a reminder that your response to practice alert {h.step.reference} {when}.",
        f"Please reply to this message, or to the stage letter, by then. Replies go to {h.ctx.mail.shared_mailbox}."]),
        stage_name=h.stage_name(action.stage), due=action.due))


def auto_escalated(h: Handling, action: a.EscalateAutomatically) -> Handled:
    return sent(action, h.mail("auto-escalated", Notice.ESCALATED, text_notice([
        f"No response was received by {action.missed_due:%d/%m/%Y}, so the procedure escalated alert "
        f"{h.step.reference} from {h.stage_name(action.from_stage)} to {h.stage_name(action.to_stage)}."]),
        stage_name=h.stage_name(action.to_stage)))


def agency_letter(h: Handling, action: a.DraftExternalAgencyLetter) -> Handled:
    """The draft letter to another agency, for the IRO to check, sign and send."""
    if h.details is None:
        return NOTHING
    ctx = h.ctx
    rendered = render.external_agency_letter(fa.external_agency_letter(action, h.details, ctx.policy, ctx.name_of,
                                                                       h.today), ctx.templates)
    return sent(action, h.mail(f"agency-letter-{action.letter_number}", Notice.EXTERNAL_LETTER, text_notice([
        "The letter to the agency is attached as a draft: check it, sign it and send it.", rendered.text]),
        due=action.due, attachments=(attach(rendered),)), rendered)


def cafcass_draft(h: Handling, action: a.DraftCafcassReferral) -> Handled:
    """The draft CAFCASS referral with the whole chronology (it needs the original form)."""
    ctx, step = h.ctx, h.step
    if h.details is None or step.form is None:
        return NOTHING
    rendered = render.cafcass_referral(fa.cafcass_referral(action, h.details, step.form, step.state, step.events,
                                                           ctx.policy, ctx.name_of, h.today), ctx.templates)
    return sent(action, h.mail("cafcass-draft", Notice.CAFCASS_DRAFT, text_notice([
        "The draft CAFCASS referral is attached, with the whole chronology: check it and send it.", rendered.text]),
        attachments=(attach(rendered),)), rendered, filed=True)


def closure(h: Handling, action: a.CloseAlert) -> Handled:
    """The closure notice, with the closure record and the finished case note."""
    if h.details is None:
        return NOTHING
    ctx, step = h.ctx, h.step
    days = step.state.working_days_elapsed(ctx.calendar, h.today)
    rendered = render.closure(fa.closure(action, h.details, step.state, step.events, ctx.policy, ctx.name_of,
                                         step.event.by, h.today, days), ctx.templates)
    note = render.case_note(fa.case_note(h.details, step.state, step.events, ctx.policy, ctx.name_of, h.today),
                            ctx.templates)
    return sent(action, h.mail("closed", Notice.CLOSED, rendered.text, html=rendered.html,
                               attachments=(attach(rendered), attach(note))), rendered, note, filed=True)


def recipient_problem(h: Handling, action: a.ReportRecipientError) -> Handled:
    return sent(action, h.mail("recipient-problem", Notice.RECIPIENT_PROBLEM, text_notice([
        f"Alert {h.step.reference}: {action.message}",
        "Please correct the organisation directory; the alert waits until the recipient is found."
        if action.blocking else ""]), stage_name=h.stage_name(action.stage)))


def notify(h: Handling, action: a.Notify) -> Handled:
    """A copy saying why the reader is told; on resolution the managers who answered are thanked instead."""
    thanks: tuple[Message, ...] = ()
    managers = [e for e in copies.managers_of(h.step.state) if e in action.to] if action.why == "resolved" else []
    if managers:
        notes = str(getattr(h.step.event, "notes", "") or "")
        thanks = (Message(h.addressed(managers).mail(
            "thanks", Notice.RESOLVED, text_notice(copies.thanks_lines(h.ctx, h.step.state, notes)),
            stage_name=h.stage_name(action.stage)), "thanks"),)
        action = action.model_copy(update={"to": tuple(e for e in action.to if e not in managers)})
        h = h.addressed(action.to, action.cc)
        if not h.to:
            return Handled(thanks)
    stage_name = h.stage_name(action.stage)
    lines = [f"{_NOTIFY_TEXT.get(action.why, 'Practice alert update')}: {h.step.reference}.",
             *copies.facts_lines(h.ctx, h.step.state, stage_name, action.due)]
    if action.purpose:
        lines.append(f"You are told {action.purpose}.")
    filing = copies.letters_written(h.step.written) if copies.for_filing(h.ctx, action) else ()
    if filing:
        lines.append("The letter is attached for the child's file.")
    copy = h.mail(f"notify-{action.why}", _NOTIFY.get(action.why, Notice.COPY), text_notice(lines),
                  stage_name=stage_name, due=action.due, attachments=filing)
    return Handled((*thanks, Message(copy, action.kind, filed=True)))


def before_cafcass(h: Handling, action: a.NotifyBeforeCafcass) -> Handled:
    state = h.step.state
    return sent(action, h.mail("before-cafcass", Notice.BEFORE_CAFCASS, text_notice([
        f"The IRO intends to refer alert {h.step.reference} to CAFCASS. The procedure says you must be told first.",
        *copies.facts_lines(h.ctx, state, h.stage_name(state.stage), None),
        "What to do: if you have anything the IRO should know before the referral, reply to this message."])))


def agenda(h: Handling, action: a.AddToAgenda) -> Handled:
    return sent(action, h.mail("agenda", Notice.AGENDA, text_notice([
        f"Please add alert {h.step.reference} to the agenda of the {action.meeting}.",
        *copies.facts_lines(h.ctx, h.step.state, h.stage_name(action.stage), None)]),
        stage_name=h.stage_name(action.stage)))


Handler = Callable[[Handling, Any], Handled]

HANDLERS: Mapping[type, Handler] = {
    a.SendStageLetter: stage_letter,
    a.AcknowledgeIro: acknowledgement,
    a.AskIro: decision_request,
    a.Remind: reminder,
    a.EscalateAutomatically: auto_escalated,
    a.DraftExternalAgencyLetter: agency_letter,
    a.DraftCafcassReferral: cafcass_draft,
    a.CloseAlert: closure,
    a.ReportRecipientError: recipient_problem,
    a.Notify: notify,
    a.NotifyBeforeCafcass: before_cafcass,
    a.AddToAgenda: agenda,
}
"""Each action class and the one handler that performs it (looked up by exact class, not by subclass)."""


def handler_for(action: object) -> Handler:
    """The handler for ``action``'s class; raises ``MissingHandler`` naming the class when there is none."""
    handler = HANDLERS.get(type(action))
    if handler is None:
        kind = getattr(action, "kind", None)
        raise MissingHandler(f"no handler for the action type {type(action).__name__}"
                             + (f" (kind '{kind}')" if kind else "") + ": add one to pipeline/handlers.py HANDLERS")
    return handler
