"""Administrative actions, performed the way the service performs mail: decide, record, enqueue.

Used by the console and by ``practice-alerts alert ...``. An action on an alert is a workflow
event (``workflow.admin_events``) decided by ``decide``; a refusal raises ``Refused`` with the
reason to show. Actions on held or outgoing mail are recorded in the console log with who,
when and why. Each action is one transaction: all of it happens, or none.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.decode import body_text, parse
from practice_alerts.mailflow.reply_text import new_text
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.record import apply_event
from practice_alerts.store import (
    CONSOLE_ATTACH,
    NewEvent,
    UnknownAlertError,
    unit_of_work,
)
from practice_alerts.workflow.admin_events import RecordedResponse
from practice_alerts.workflow.context import Decision, Refused
from practice_alerts.workflow.events import Event

MERGED_NOTE = "merged_from"
AUTHENTICATION_HOLD = "sender not authenticated"
"""How the classifier says a message was held only because its sender could not be verified."""


def act_on_alert(ctx: ServiceContext, reference: str, event: Event, now: dt.datetime) -> Decision:
    """Decide ``event`` on the alert and record it with its letters; Refused says why not."""
    with unit_of_work(ctx.database, now=now) as work:
        if work.alert(reference) is None:
            raise UnknownAlertError(f"There is no alert {reference}.")
        into = getattr(event, "into", None)
        if event.type == "merge_into" and into and work.alert(into) is None:
            raise Refused(f"There is no alert {into} to merge {reference} into; check the reference.")
        loaded = ctx.cache.load(work, reference, ctx)
        decision = apply_event(ctx, work, loaded, event, now)
        if event.type == "merge_into" and into:
            work.append_event(into, NewEvent(event_type=MERGED_NOTE, payload={"from": reference,
                                                                            "reason": getattr(event, "reason", "")},
                                             occurred_at=event.at, actor_email=event.by))
    return decision


def release(ctx: ServiceContext, inbound_id: int, *, actor: str, reason: str, now: dt.datetime) -> None:
    """Back to the service, which handles it on its next pass with the sender trusted.

    Only mail held because its sender could not be authenticated can be released: anything else
    would be held again for the same reason, so the person is told to attach or dismiss it."""
    if not reason.strip():
        raise Refused("Say why the message is released (the reason is kept).")
    with unit_of_work(ctx.database, now=now) as work:
        held = work.inbound(inbound_id, lock=True)
        outcome = held.outcome or ""
        if held.status == "quarantined" and (AUTHENTICATION_HOLD not in outcome
                                             or outcome.startswith(("auto_reply:", "bounce:"))):
            raise Refused(f"This message was held because: {held.outcome or 'it could not be handled'}. Releasing "
                          "it would hold it again. Attach it to the alert it is about, or dismiss it.")
        work.release_held(inbound_id, actor=actor, reason=reason)


def dismiss(ctx: ServiceContext, inbound_id: int, *, actor: str, reason: str, now: dt.datetime) -> None:
    if not reason.strip():
        raise Refused("Say why the message is dismissed (the reason is kept).")
    with unit_of_work(ctx.database, now=now) as work:
        work.dismiss_held(inbound_id, actor=actor, reason=reason)


def attach(ctx: ServiceContext, inbound_id: int, reference: str, *, as_response: bool, actor: str, reason: str,
           now: dt.datetime) -> None:
    """A held message added to an alert: as the stage recipient's response, or as a comment."""
    if not reason.strip():
        raise Refused("Say why the message belongs to this alert (the reason is kept).")
    with unit_of_work(ctx.database, now=now) as work:
        if work.alert(reference) is None:
            raise Refused(f"There is no alert {reference}; check the reference.")
        held = work.inbound(inbound_id, lock=True)
        text = new_text(body_text(parse(work.inbound_raw(inbound_id))))[:20000]
        loaded = ctx.cache.load(work, reference, ctx)
        if as_response:
            event = RecordedResponse(at=held.received_at, by=actor, how="mail", text=text, reason=reason)
            apply_event(ctx, work, loaded, event, now, inbound_id=inbound_id)
        else:
            work.append_event(reference, NewEvent(event_type="comment", payload={"text": text, "reason": reason},
                                                  occurred_at=held.received_at, actor_email=actor,
                                                  inbound_id=inbound_id))
        work.dismiss_held(inbound_id, actor=actor, reason=reason, action=CONSOLE_ATTACH,
                          outcome=f"attached to {reference} as {'a response' if as_response else 'a comment'}")


def retry(ctx: ServiceContext, outbox_id: int, *, actor: str, reason: str, now: dt.datetime) -> None:
    with unit_of_work(ctx.database, now=now) as work:
        work.retry_failed(outbox_id, actor=actor, reason=reason or "retry")
