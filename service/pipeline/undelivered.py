"""When the outbox gives up on a message: LAC admin and the alert's IRO are told, with the reason.

Called inside the transaction that records the give-up (a relay's permanent refusal, an SMTP 5xx,
at the first attempt; or the attempts used up), so a crash cannot keep one and lose the other. The
notice names the alert, what was being sent, to whom, and what the mail server said, and how to send
it again once the address is put right (``practice-alerts mail retry outbound ID``). The alert's
history gets a ``delivery_failed`` note, and, when the current stage letter did not reach its
recipient, the workflow's ``letter_undelivered`` event: the manager never had the letter, so their
deadline is not counted as missed. Notices about notices are never sent (no loops).
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.compose import Addressee
from practice_alerts.pipeline.actions import enqueue_unreferenced
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.record import apply_event
from practice_alerts.store import NewEvent, OutboxItem, UnitOfWork
from practice_alerts.workflow.context import Refused
from practice_alerts.workflow.events import LetterUndelivered

NOTE = "delivery_failed"
SUBJECT = "Practice Alerts: a message could not be delivered"
PURPOSE = "undelivered_notice"
STAGE_LETTER = "send_stage_letter"
_NEVER_ABOUT = frozenset({PURPOSE, "rate_limit_held"})


def tell_undelivered(ctx: ServiceContext, work: UnitOfWork, item: OutboxItem, now: dt.datetime, *,
                     delivered: tuple[str, ...] = ()) -> None:
    """Tell LAC admin and the IRO that ``item`` was given up on; note it on the alert (in ``work``, the
    unit of work that gives it up). ``delivered``: those the server took it for (``item`` names the rest)."""
    if item.purpose in _NEVER_ABOUT:
        return
    iro = None
    deadline_held = False
    about = "a message about no one alert"
    if item.alert_reference:
        loaded = ctx.cache.load(work, item.alert_reference, ctx)
        iro = loaded.state.facts.iro_email if loaded.state is not None else None
        about = f"the {item.purpose.replace('_', ' ')} for alert {item.alert_reference}"
        work.append_event(item.alert_reference, NewEvent(
            event_type=NOTE, occurred_at=now, actor_email=None,
            payload={"purpose": item.purpose, "outbox_id": item.id, "to": list(item.envelope_to),
                     "reason": (item.last_error or "")[:300]}))
        deadline_held = _tell_workflow(ctx, work, item, now)
    to = tuple(dict.fromkeys(a for a in (iro, *ctx.lac_admin) if a))
    if not to:
        return
    text = _notice_text(item, about, delivered=delivered, deadline_held=deadline_held)
    enqueue_unreferenced(ctx, work, f"undelivered-{item.id}-{now:%Y%m%d-%H%M%S}", subject=SUBJECT,
                         to=tuple(Addressee(email=a, name=ctx.name_of(a)) for a in to), text=text,
                         in_reply_to=None, now=now, purpose=PURPOSE)


def _notice_text(item: OutboxItem, about: str, *, delivered: tuple[str, ...], deadline_held: bool) -> str:
    paragraphs = [f"The service could not deliver {about} to {', '.join(item.envelope_to)}, after "
                  f"{item.attempts} attempt(s). The mail server said: {item.last_error or 'no reason given'}."]
    if delivered:
        paragraphs.append(f"It was delivered to {', '.join(delivered)}; sending it again goes only to those "
                          "who do not have it.")
    if deadline_held:
        paragraphs.append("Until it is delivered, the person it was for has not had it, so their response "
                          "deadline is not counted as missed.")
    paragraphs.append("What to do: check the address in the organisation directory (LAC admin), or ask the IRO "
                      "to send the letter another way. Once it is put right, 'practice-alerts mail retry "
                      f"outbound {item.id}' sends it again.")
    return "\n\n".join(paragraphs)


def _tell_workflow(ctx: ServiceContext, work: UnitOfWork, item: OutboxItem, now: dt.datetime) -> bool:
    """The current stage letter never arrived: the workflow stops counting the recipient's deadline
    (True if it did)."""
    loaded = ctx.cache.load(work, item.alert_reference or "", ctx)
    state = loaded.state
    visit = state.current if state is not None else None
    if (state is None or visit is None or item.purpose != STAGE_LETTER or visit.recipient_email is None
            or visit.recipient_email not in item.envelope_to):
        return False
    event = LetterUndelivered(at=now, by=None, stage=state.stage, reason=(item.last_error or "")[:300])
    try:
        apply_event(ctx, work, loaded, event, now)
    except Refused:
        return False  # it has moved on (answered, escalated): nothing to change
    return True
