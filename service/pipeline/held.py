"""Mail that is not acted on: answered when the sender can be trusted, otherwise held for LAC admin.

A known, authenticated person who sent no readable form is told what to do and the message is
done with. Anything else held for review that names an alert reaches LAC admin at once (who
sent it, the subject, when, why it was held and what they can do) and its text is kept on the
alert's record; the rest is listed in the morning digest (``pipeline.admin_digest``). A manager
writing from a personal address, in answer to one of our signed messages, is also told to send
it again from their council account.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.classify import Classification
from practice_alerts.mailflow.compose import Notice
from practice_alerts.pipeline import answers
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.held_headers import Headers, headers_of
from practice_alerts.policies.time_zone import uk_time
from practice_alerts.store import NewEvent, StoredInbound, UnitOfWork

HELD_NOTE = "held_message"
"""A note on an alert: the text of a message about it that was held and not acted on."""
SIGNED = ("in-reply-to", "references")


def what_admin_can_do(reasons: tuple[str, ...] | str) -> str:
    """A plain next step for LAC admin, from the classifier's reasons."""
    text = " ".join(reasons) if isinstance(reasons, tuple) else reasons
    if "not authenticated" in text:
        return ("Check with the sender that they really sent it. If they did, ask them to send it again from inside "
                "the council's e-mail system (not forwarded from outside).")
    if "not in the directory" in text:
        return ("If the sender is council staff writing from another address, ask them to send it again from their "
                "council account, or add the address to the organisation directory. Otherwise no action is needed.")
    if "without an IRO or CP chair role" in text:
        return ("If the sender should raise alerts, give them the IRO or CP chair role in the organisation directory "
                "and ask them to send the form again.")
    if "unreadable" in text:
        return "The message could not be read at all: open it from the quarantine folder and ask the sender to resend."
    if "no alert matched" in text or "no form" in text:
        return ("It names no alert and carries no form: open it from the quarantine folder and reply to the sender "
                "if they need an answer.")
    return "Open it from the quarantine folder and decide whether the sender needs to send it again."


def handle_held(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification, raw: bytes,
                now: dt.datetime) -> tuple[str, str]:
    """(status, outcome) for a message the classifier would not act on."""
    why = "; ".join(found.reasons)[:500] or "held for review"
    trusted = found.may_reply and found.sender and found.held_kind is None
    if trusted and found.reference is None and not found.forms and answers.may_raise(ctx, found.sender):
        answers.send(ctx, work, found, inbound, Notice.FORM_NOT_READ, answers.no_form_lines(ctx, found), now,
                     key="no-form", subject="Practice Alert form not received: send a .docx")
        return "processed", "no readable form; the sender was told what to send"
    if trusted and found.forms and not answers.may_raise(ctx, found.sender):
        answers.send(ctx, work, found, inbound, Notice.NOT_ACTED_ON, answers.not_a_raiser_lines(ctx), now,
                     key="not-a-raiser", subject="Form not accepted: sender may not raise alerts")
        return "processed", "form from someone who may not raise alerts; the sender was told"
    if found.reference is not None and _known_alert(ctx, work, found.reference):
        heads = headers_of(raw)
        work.append_event(found.reference, NewEvent(event_type=HELD_NOTE, payload={
            "text": found.text, "sender": heads.sender, "subject": heads.subject, "why": why},
            occurred_at=inbound.received_at, actor_email=found.sender, inbound_id=inbound.id))
        tell_admin_at_once(ctx, work, inbound, found.reference, heads, why, now)
        if _personal_address(ctx, found):
            _ask_to_resend(ctx, work, inbound, found, now)
    return "quarantined", why


def _known_alert(ctx: ServiceContext, work: UnitOfWork, reference: str) -> bool:
    return ctx.cache.load(work, reference, ctx).state is not None


def _personal_address(ctx: ServiceContext, found: Classification) -> bool:
    """Someone outside the directory answering one of our own (signed) messages."""
    return (found.sender is not None and ctx.directory.contact(found.sender) is None
            and found.matched_by in SIGNED and found.held_kind is None)


def tell_admin_at_once(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, reference: str,
                       heads: Headers, why: str, now: dt.datetime) -> None:
    when = f"{uk_time(inbound.received_at):%d/%m/%Y %H:%M}"
    answers.tell(ctx, work, ctx.lac_admin, inbound, Notice.HELD_FOR_REVIEW, [
        f"A message about alert {reference} was held for review and has not been acted on.",
        f"From: {heads.sender}\nSubject: {heads.subject}\nReceived: {when} (UK time)\nWhy it was held: {why}",
        f"What you can do: {what_admin_can_do(why)}",
        f"Its text has been kept on the alert's record. The message itself is in the quarantine folder "
        f"(stored message {inbound.id}).",
    ], now, reference=reference, key="held")


def _ask_to_resend(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
                   now: dt.datetime) -> None:
    assert found.sender is not None and found.reference is not None
    answers.tell(ctx, work, (found.sender,), inbound, Notice.NOT_ACTED_ON, [
        f"Your message about alert {found.reference} came from an address that is not in the council's directory, "
        "so it was not taken as a response and nothing has changed.",
        "What to do: send it again from your council e-mail account (reply to the letter you received, from there). "
        "Your message has been kept, and LAC admin has been told.",
    ], now, reference=found.reference, key="personal-address", in_reply_to=found.message_id)
