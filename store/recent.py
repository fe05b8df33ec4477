"""Recent events of one type across all alerts (for the duplicate check and the digests)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ._sql import require_aware
from .events import StoredEvent
from .tables import AlertEvent, InboundMessage, OutboxMessage


def events_of_type_since(session: Session, event_type: str, since: dt.datetime, *,
                         limit: int = 5000) -> list[StoredEvent]:
    """Events of ``event_type`` that happened at or after ``since``, newest first."""
    require_aware("since", since)
    rows = session.scalars(select(AlertEvent).where(AlertEvent.event_type == event_type,
                                                    AlertEvent.occurred_at >= since)
                           .order_by(AlertEvent.occurred_at.desc(), AlertEvent.id.desc()).limit(limit))
    return [StoredEvent.model_validate(row) for row in rows]


def held_between(session: Session, start: dt.datetime, end: dt.datetime, *,
                 limit: int = 500, head: int = 65536) -> list[tuple[int, dt.datetime, str | None, bytes]]:
    """Quarantined messages received in [start, end): (id, received_at, outcome, first ``head`` bytes)."""
    require_aware("start", start)
    require_aware("end", end)
    rows = session.execute(select(InboundMessage.id, InboundMessage.received_at, InboundMessage.outcome,
                                  func.substr(InboundMessage.raw, 1, head))
                           .where(InboundMessage.status == "quarantined", InboundMessage.received_at >= start,
                                  InboundMessage.received_at < end)
                           .order_by(InboundMessage.id).limit(limit)).all()
    return [(r[0], r[1], r[2], bytes(r[3])) for r in rows]


def outbox_has(session: Session, message_id: str) -> bool:
    """Whether a message with this Message-ID was ever enqueued (sent or not)."""
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.message_id == message_id).limit(1)) is not None


def inbound_heads(session: Session, ids: list[int], *, head: int = 65536) -> dict[int, bytes]:
    """The first ``head`` bytes of each stored message (enough for its headers)."""
    if not ids:
        return {}
    rows = session.execute(select(InboundMessage.id, func.substr(InboundMessage.raw, 1, head))
                           .where(InboundMessage.id.in_(ids))).all()
    return {r[0]: bytes(r[1]) for r in rows}
