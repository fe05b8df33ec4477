"""Answers to people whose mail was not acted on, and confirmations of what was.

Every message from a known, authenticated person gets an answer that says what happened and
what to do next: a missing or unreadable form, a form made for another procedure, a decision
from someone who may not decide, a message about a closed or resolved alert, a decision that
was recorded. The answers are enqueued in the message's own unit of work, keyed on the stored
message's id, so handling the message again sends nothing twice.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.classify import Classification
from practice_alerts.mailflow.compose import Addressee, Notice, Outgoing
from practice_alerts.pipeline import actions as act
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.policies.load import PolicyError, load_policy
from practice_alerts.policies.roles import RAISING_ROLES
from practice_alerts.store import StoredInbound, UnitOfWork
from practice_alerts.workflow.context import long_date
from practice_alerts.workflow.state import AlertState, Status

_DOCX_HOW = ("Save the form as a Word document (.docx): in Word choose File, Save As, and pick "
             "'Word Document (*.docx)'. Then attach the .docx to a new e-mail to {mailbox}.")


def person(ctx: ServiceContext, email: str) -> Addressee:
    return Addressee(email=email, name=ctx.name_of(email))


def called(ctx: ServiceContext, email: str | None) -> str:
    """A person's name for a sentence: their directory name, else their address."""
    return (ctx.name_of(email) or email or "the IRO") if email else "the IRO"


def may_raise(ctx: ServiceContext, email: str | None) -> bool:
    someone = ctx.directory.person(email) if email else None
    return someone is not None and any(r in RAISING_ROLES for r in someone.roles)


def send(ctx: ServiceContext, work: UnitOfWork, found: Classification, inbound: StoredInbound, notice: Notice,
         lines: list[str], now: dt.datetime, *, reference: str | None = None, cc: tuple[str, ...] = (),
         key: str = "answer", subject: str | None = None) -> bool:
    """Answer the sender (only known, authenticated people: ``may_reply``); True when enqueued."""
    if not (found.may_reply and found.sender):
        return False
    return tell(ctx, work, (found.sender,), inbound, notice, lines, now, reference=reference, cc=cc, key=key,
                subject=subject, in_reply_to=found.message_id)


def tell(ctx: ServiceContext, work: UnitOfWork, to: tuple[str, ...], inbound: StoredInbound | None, notice: Notice,
         lines: list[str], now: dt.datetime, *, reference: str | None = None, cc: tuple[str, ...] = (),
         key: str = "answer", subject: str | None = None, in_reply_to: str | None = None,
         stage_name: str | None = None, message_id: str | None = None) -> bool:
    """Enqueue one notice to ``to`` (about ``reference`` when given, else under no reference).
    ``message_id``: the notice's id when the caller already made it from ``key`` (to see whether the
    outbox has it), passed on so it is made once."""
    people = tuple(person(ctx, e) for e in dict.fromkeys(to) if e)
    copies = tuple(person(ctx, e) for e in dict.fromkeys(cc) if e and e not in to)
    if not people:
        return False
    text = "\n\n".join(line for line in lines if line)
    action = f"{key}-{inbound.id}" if inbound is not None else key
    if reference is not None:
        outgoing = Outgoing(reference=reference, action=action[:64], notice=notice, to=people, cc=copies, text=text,
                            in_reply_to=in_reply_to, stage_name=stage_name)
        act.enqueue(ctx, work, outgoing, key.replace("-", "_")[:40], now, None, message_id=message_id)
    else:
        act.enqueue_unreferenced(ctx, work, action, subject=subject or notice.value, to=(*people, *copies),
                                 text=text, in_reply_to=in_reply_to, now=now, purpose=key.replace("-", "_")[:40],
                                 message_id=message_id)
    return True


# -- mail with no form --------------------------------------------------------------------

def no_form_lines(ctx: ServiceContext, found: Classification) -> list[str]:
    """What to say to someone who may raise alerts and sent no readable Word form."""
    names = [n.lower() for n in found.other_attachments]
    how = _DOCX_HOW.format(mailbox=ctx.mail.shared_mailbox)
    if any(n.endswith(".pdf") for n in names):
        first = "Your message had a PDF attached, not the Practice Alert Word form, so no alert has been raised."
    elif any(n.endswith((".doc", ".dot", ".rtf", ".odt")) for n in names):
        first = ("Your message had an older or non-Word document attached (.doc, .rtf or .odt), so no alert has "
                 "been raised: the service reads only the Practice Alert form saved as .docx.")
    elif names:
        first = ("Your message had attachments, but none of them is the Practice Alert form (a Word .docx file), "
                 "so no alert has been raised.")
    else:
        first = ("Your message had no form attached, so no alert has been raised. If the form is to follow, "
                 "nothing more happens until it arrives.")
    return [first, f"What to do: {how}",
            "If you meant to reply about an existing alert, reply to the last message you had about it, so the "
            "reference stays in the subject."]


def not_a_raiser_lines(ctx: ServiceContext) -> list[str]:
    return ["A Practice Alert form arrived from your address, but only IROs and CP chairs can raise alerts, so no "
            "alert has been raised.",
            "What to do: ask the child's IRO to raise it. If you are an IRO or CP chair, ask LAC admin to record "
            "your role in the organisation directory, then send the form again."]


def other_policy_line(ctx: ServiceContext, made_for: str) -> str:
    try:
        other = load_policy(made_for).authority
    except (PolicyError, OSError, ValueError):
        other = f"the '{made_for}' procedure"
    return (f"This form was made for {other}'s procedure, not {ctx.policy.authority}'s, so its reasons and stages "
            f"would be read wrongly. No alert has been raised. What to do: copy your answers into "
            f"{ctx.policy.authority}'s Practice Alert form (ask LAC admin for it) and send that.")


# -- messages about an alert that were kept but not acted on --------------------------------

def next_step_for(ctx: ServiceContext, state: AlertState) -> str:
    """What the IRO can do with the alert as it stands, in one sentence."""
    visit = state.current
    iro = called(ctx, state.facts.iro_email)
    if state.status is Status.CLOSED and state.closed_at is not None:
        return (f"It was closed on {long_date(state.closed_at)}, so nothing more can be done on it. If the concern "
                f"continues, {iro} can raise a new alert.")
    if state.status is Status.RESOLVED and state.resolved_at is not None:
        return (f"{iro} was satisfied on {long_date(state.resolved_at)}, so it is resolved and waits to be closed. "
                f"If the concern continues, {iro} can raise a new alert.")
    if state.status is Status.REFERRED_TO_CAFCASS:
        return f"It has been referred to CAFCASS. {iro} decides what happens next."
    if visit is not None and visit.recipient_name:
        due = f"; the response is due by {long_date(state.due)}" if state.due else ""
        return f"It is with {visit.recipient_name} at {visit.name}{due}."
    return f"It waits for {iro}."


def closed_or_resolved_lines(ctx: ServiceContext, state: AlertState, found: Classification) -> list[str]:
    return [f"Your message about alert {state.reference} has been kept on the alert's record, but it was not acted "
            f"on. {next_step_for(ctx, state)}",
            "If you meant it for a new concern, send a new Practice Alert form (IROs and CP chairs) or speak to "
            f"{called(ctx, state.facts.iro_email)}."]


def not_the_iro_lines(ctx: ServiceContext, state: AlertState, decision_words: str) -> list[str]:
    iro = called(ctx, state.facts.iro_email)
    return [f"Your reply about alert {state.reference} reads as a decision ({decision_words}), but only {iro} "
            "or their recorded cover can decide. It has been kept on the alert's record as a comment and nothing "
            "has changed.",
            f"What to do: ask {iro} to send the decision, or, if you are covering for them, ask LAC admin to record "
            "the cover in the organisation directory and then send your decision again."]


def comment_lines(ctx: ServiceContext, state: AlertState) -> list[str]:
    visit = state.current
    who = visit.recipient_name if visit and visit.recipient_name else "the manager the alert is with"
    return [f"Your message about alert {state.reference} has been added to the alert's record as a comment. "
            f"It does not count as a response: only {who} (or their cover) can respond, and only "
            f"{called(ctx, state.facts.iro_email)} can decide what happens next.",
            next_step_for(ctx, state)]


# -- confirmations ------------------------------------------------------------------------

_RECORDED = {
    "satisfied": "you are satisfied with the response", "not_satisfied": "you are not satisfied: escalate",
    "escalate_to": "escalate to a later stage", "time_out": "a time-out", "resume": "restart the clock",
    "refer_to_cafcass": "refer the case to CAFCASS", "close": "close the alert",
}


def confirmation_lines(ctx: ServiceContext, event_type: str, state: AlertState) -> list[str]:
    """What the IRO is told after a decision was recorded: what, and what happens next."""
    what = f"Your decision on alert {state.reference} has been recorded: {_RECORDED.get(event_type, event_type)}."
    visit = state.current
    days = ctx.config.notices.close_reminder_working_days
    if state.status is Status.RESOLVED:
        nxt = ("The alert is now resolved and the manager has been told. What to do: close it when you are ready, "
               "by replying CLOSE with the outcome on the next line. You will be reminded in "
               f"{days} working day{'s' if days != 1 else ''} if it is still open.")
    elif state.status is Status.CLOSED:
        nxt = "The alert is closed; the closure notice and the case note have been sent to you."
    elif state.status is Status.TIMED_OUT and state.time_outs:
        nxt = (f"The clock is stopped until {long_date(state.time_outs[-1].until)}; it restarts by itself that day, "
               "or reply RESUME to restart it sooner.")
    elif state.status is Status.REFERRED_TO_CAFCASS:
        nxt = ("The draft CAFCASS referral has been sent to you: check it and send it. Close the alert when the "
               "referral is made, by replying CLOSE.")
    elif state.status is Status.AWAITING_DECISION:
        nxt = "The alert waits for your next decision."
    elif visit is not None and visit.recipient_name:
        due = f"; their response is due by {long_date(state.due)}" if state.due else ""
        nxt = f"The alert is now with {visit.recipient_name} at {visit.name}{due}. You will hear when they reply."
    else:
        nxt = "You will be told when anything changes."
    return [what, f"What happens next: {nxt}"]
