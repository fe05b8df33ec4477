"""Anonymising what is past the retention rule, and the record of having done so.

``anonymise_alert`` removes an alert's personal data in one transaction: every event's payload
and actor (the triggers allow exactly this, once), the raw bytes of the mail that made those
events (and how it was classified), the raw bytes and recipients of the mail sent about it, and
the decided facts and stored state that repeat the form (an anonymised alert has no state). The alert's reference, and
the type and time of each event, remain, so the numbering and the counts in old reports hold.
``anonymise_old_mail`` does the same for inbound mail that never became part of an alert. Each
call writes a :class:`RetentionRecord` (counts and references only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ._sql import require_aware
from .tables import (
    AlertEvent,
    AlertStateRow,
    EventDecision,
    InboundClassification,
    InboundMessage,
    OutboxMessage,
    RetentionRecord,
)

REDACTED: dict[str, Any] = {"redacted": True}


class RetentionEntry(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    done_at: AwareDatetime
    alert_reference: str | None
    rule: str
    removed: dict[str, Any]


def is_anonymised(session: Session, reference: str) -> bool:
    return session.scalar(select(AlertEvent.id).where(AlertEvent.alert_reference == reference,
                                                      AlertEvent.redacted_at.is_not(None)).limit(1)) is not None


def anonymise_alert(session: Session, reference: str, *, now: dt.datetime, rule: str,
                    extra: dict[str, Any] | None = None) -> RetentionEntry:
    require_aware("now", now)
    inbound_ids = [i for i in session.scalars(select(AlertEvent.inbound_message_id).where(
        AlertEvent.alert_reference == reference, AlertEvent.inbound_message_id.is_not(None))) if i is not None]
    events = _count(session.execute(update(AlertEvent).where(AlertEvent.alert_reference == reference,
                                                      AlertEvent.redacted_at.is_(None))
                             .values(payload=REDACTED, actor_email=None, redacted_at=now)))
    inbound = 0
    if inbound_ids:
        inbound = _count(session.execute(update(InboundMessage).where(InboundMessage.id.in_(set(inbound_ids)))
                                         .values(raw=b"", size=0)))
    outbox = _count(session.execute(update(OutboxMessage).where(OutboxMessage.alert_reference == reference,
                                                                OutboxMessage.status != "pending")
                                    .values(raw=b"", envelope_to=[])))
    # What was decided and the folded state repeat the form's personal data: removed with it.
    decisions = _count(session.execute(delete(EventDecision).where(EventDecision.alert_reference == reference)))
    states = _count(session.execute(delete(AlertStateRow).where(AlertStateRow.reference == reference)))
    if inbound_ids:
        session.execute(delete(InboundClassification).where(InboundClassification.inbound_id.in_(set(inbound_ids))))
    removed = {"events": events, "inbound_messages": inbound, "outbox_messages": outbox,
               "decisions": decisions, "states": states, **(extra or {})}
    return _record(session, now=now, reference=reference, rule=rule, removed=removed)


def anonymise_old_mail(session: Session, *, before: dt.datetime, now: dt.datetime, rule: str) -> RetentionEntry | None:
    """Empty the raw bytes of handled inbound mail received before ``before`` that no alert refers to."""
    require_aware("before", before)
    referenced = select(AlertEvent.inbound_message_id).where(AlertEvent.inbound_message_id.is_not(None))
    count = _count(session.execute(update(InboundMessage).where(
        InboundMessage.received_at < before, InboundMessage.status != "received", InboundMessage.size > 0,
        InboundMessage.id.not_in(referenced)).values(raw=b"", size=0)))
    if not count:
        return None
    return _record(session, now=now, reference=None, rule=rule, removed={"inbound_messages": count})


def old_mail_count(session: Session, *, before: dt.datetime) -> int:
    referenced = select(AlertEvent.inbound_message_id).where(AlertEvent.inbound_message_id.is_not(None))
    return len(session.scalars(select(InboundMessage.id).where(
        InboundMessage.received_at < before, InboundMessage.status != "received", InboundMessage.size > 0,
        InboundMessage.id.not_in(referenced))).all())


def retention_records(session: Session) -> list[RetentionEntry]:
    rows = session.scalars(select(RetentionRecord).order_by(RetentionRecord.id))
    return [RetentionEntry.model_validate(r) for r in rows]


def _count(result: Any) -> int:
    """Rows an UPDATE changed (a CursorResult's rowcount)."""
    return int(result.rowcount)


def _record(session: Session, *, now: dt.datetime, reference: str | None, rule: str,
            removed: dict[str, Any]) -> RetentionEntry:
    row = RetentionRecord(done_at=now, alert_reference=reference, rule=rule, removed=removed)
    session.add(row)
    session.flush()
    return RetentionEntry.model_validate(row)
