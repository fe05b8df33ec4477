"""What ``practice-alerts status`` shows, read in one snapshot: the command only formats it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from .heartbeat import LAST_POLL, last_beat
from .inbound import StoredInbound
from .outbox import OutboxItem, given_up
from .recent import inbound_heads
from .states import StoredState, alerts_without_state, list_states, state_counts
from .tables import InboundMessage, OutboxMessage


class TroubledMail(BaseModel):
    """A waiting outgoing message whose last attempt failed (it will be tried again)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    alert_reference: str | None
    purpose: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None


class StatusFacts(BaseModel):
    """The stored figures behind ``status``; lists of single messages hold at most ``shown`` + 1 (so the
    command can say there were more)."""

    model_config = ConfigDict(frozen=True)

    by_status: dict[str, int]
    without_state: list[str]
    """Alerts with events but no stored state (not counted)."""
    open_due_before: list[StoredState]
    """Open alerts whose current due date is before the day asked about (the overdue candidates)."""
    inbound_by_status: dict[str, int]
    outbox_waiting: int
    oldest_waiting_since: dt.datetime | None
    given_up: list[OutboxItem]
    troubled: list[TroubledMail]
    held: list[StoredInbound]
    """Quarantined and failed inbound messages, newest first (without their bytes)."""
    heads: dict[int, bytes]
    """The first bytes (the headers) of each held message, by id."""
    last_poll: dt.datetime | None


def inbound_counts(session: Session) -> dict[str, int]:
    """How many stored inbound messages are in each status."""
    rows = session.execute(select(InboundMessage.status, func.count()).group_by(InboundMessage.status)).all()
    return {status: count for status, count in rows}


def status_facts(session: Session, *, due_before: dt.date, shown: int) -> StatusFacts:
    waiting = OutboxMessage.status == "pending"
    troubled = session.execute(select(OutboxMessage.alert_reference, OutboxMessage.purpose, OutboxMessage.attempts,
                                      OutboxMessage.next_attempt_at, OutboxMessage.last_error)
                               .where(waiting, OutboxMessage.last_error.is_not(None))
                               .order_by(OutboxMessage.next_attempt_at).limit(shown + 1)).all()
    held = [StoredInbound.model_validate(row) for row in session.scalars(
        select(InboundMessage).options(defer(InboundMessage.raw))  # the bytes are not shown
        .where(InboundMessage.status.in_(("quarantined", "failed")))
        .order_by(InboundMessage.id.desc()).limit(shown + 1))]
    return StatusFacts(
        by_status=state_counts(session),
        without_state=alerts_without_state(session),
        # Only narrows the search (an overdue alert's due date is before today); AlertState.is_overdue decides.
        open_due_before=list(list_states(session, open_only=True, due_before=due_before)),
        inbound_by_status=inbound_counts(session),
        outbox_waiting=session.scalar(select(func.count()).select_from(OutboxMessage).where(waiting)) or 0,
        oldest_waiting_since=session.scalar(select(func.min(OutboxMessage.created_at)).where(waiting)),
        given_up=given_up(session),
        troubled=[TroubledMail.model_validate(row._mapping) for row in troubled],
        held=held,
        heads=inbound_heads(session, [m.id for m in held]),
        last_poll=last_beat(session, LAST_POLL),
    )
