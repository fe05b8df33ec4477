"""When the outbox gives up on a message: LAC admin and the alert's IRO are told, with the reason.

Called right after the transaction that records the give-up (a relay's 5xx refusal on the last attempt,
or attempts used up). The notice names the alert, what was being sent, to whom, and what the mail
server said, and how to send it again once the address is put right (``practice-alerts mail
retry outbound ID``). The alert's history gets a ``delivery_failed`` note, and, for the current
stage letter, the workflow's ``letter_undelivered`` event: the manager never had the letter, so their
deadline is not counted as missed. Notices about notices are never sent (no loops).
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.compose import Addressee
from practice_alerts.pipeline.actions import enqueue_unreferenced
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.record import apply_event
from practice_alerts.store import NewEvent, OutboxItem, UnitOfWork, unit_of_work
from practice_alerts.workflow.context import Refused
from practice_alerts.workflow.events import LetterUndelivered

NOTE = "delivery_failed"
SUBJECT = "Practice Alerts: a message could not be delivered"
PURPOSE = "undelivered_notice"
STAGE_LETTER = "send_stage_letter"
_NEVER_ABOUT = frozenset({PURPOSE, "rate_limit_held"})


def tell_undelivered(ctx: ServiceContext, item: OutboxItem, now: dt.datetime) -> None:
    """Tell LAC admin and the IRO that ``item`` was given up on; note it on the alert (one unit of
    work, right after the give-up is committed)."""
    if item.purpose in _NEVER_ABOUT:
        return
    with unit_of_work(ctx.database, now=now) as work:
        iro = None
        about = "a message about no one alert"
        if item.alert_reference:
            loaded = ctx.cache.load(work, item.alert_reference, ctx)
            iro = loaded.state.facts.iro_email if loaded.state is not None else None
            about = f"the {item.purpose.replace('_', ' ')} for alert {item.alert_reference}"
            work.append_event(item.alert_reference, NewEvent(
                event_type=NOTE, occurred_at=now, actor_email=None,
                payload={"purpose": item.purpose, "outbox_id": item.id, "to": list(item.envelope_to),
                         "reason": (item.last_error or "")[:300]}))
            _tell_workflow(ctx, work, item, now)
        to = tuple(dict.fromkeys(a for a in (iro, *ctx.lac_admin) if a))
        if not to:
            return
        text = (f"The service could not deliver {about} to {', '.join(item.envelope_to)}, after "
                f"{item.attempts} attempt(s). The mail server said: {item.last_error or 'no reason given'}.\n\n"
                "Until it is delivered, the person it was for has not had it, so their response deadline is not "
                "counted as missed.\n\n"
                "What to do: check the address in the organisation directory (LAC admin), or ask the IRO to send "
                f"the letter another way. Once it is put right, 'practice-alerts mail retry outbound {item.id}' "
                "sends it again.")
        enqueue_unreferenced(ctx, work, f"undelivered-{item.id}", subject=SUBJECT,
                             to=tuple(Addressee(email=a, name=ctx.name_of(a)) for a in to), text=text,
                             in_reply_to=None, now=now, purpose=PURPOSE)


def _tell_workflow(ctx: ServiceContext, work: UnitOfWork, item: OutboxItem, now: dt.datetime) -> None:
    """The current stage letter never arrived: the workflow stops counting the recipient's deadline."""
    loaded = ctx.cache.load(work, item.alert_reference or "", ctx)
    state = loaded.state
    visit = state.current if state is not None else None
    if (state is None or visit is None or item.purpose != STAGE_LETTER or visit.recipient_email is None
            or visit.recipient_email not in item.envelope_to):
        return
    event = LetterUndelivered(at=now, by=None, stage=state.stage, reason=(item.last_error or "")[:300])
    try:
        apply_event(ctx, work, loaded, event, now)
    except Refused:
        return  # it has moved on (answered, escalated): nothing to change
