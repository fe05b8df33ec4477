"""What the console reads and changes outside an alert's event log.

* ``record_entry`` / ``entries_about``: the console log (page views of alerts, actions on held
  and outgoing mail), each with who and when.
* ``held_messages`` / ``release_held`` / ``dismiss_held``: the quarantine. Releasing puts a held
  message back to ``received`` (the service handles it again on its next pass, trusting the
  sender because a person vouched for it); dismissing closes it with the reason.
* ``troubled_outbox``: messages given up on or failing, for the outbox page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, defer

from ._sql import require_aware
from .console_tables import ConsoleEntry
from .errors import InboundStateError
from .inbound import StoredInbound
from .outbox import OutboxItem
from .tables import InboundMessage, OutboxMessage

RELEASE = "release"
DISMISS = "dismiss"
ATTACH = "attach"
VIEW = "view"
RETRY = "retry"


class Entry(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    at: AwareDatetime
    actor_email: str
    action: str
    subject: str
    reason: str


def inbound_subject(inbound_id: int) -> str:
    return f"inbound:{inbound_id}"


def record_entry(session: Session, *, actor: str, action: str, subject: str, reason: str = "",
                 now: dt.datetime) -> Entry:
    require_aware("now", now)
    row = ConsoleEntry(at=now, actor_email=actor.lower(), action=action, subject=subject, reason=reason)
    session.add(row)
    session.flush()
    return Entry.model_validate(row)


def entries_about(session: Session, subject: str, *, action: str | None = None) -> list[Entry]:
    query = select(ConsoleEntry).where(ConsoleEntry.subject == subject)
    if action is not None:
        query = query.where(ConsoleEntry.action == action)
    return [Entry.model_validate(r) for r in session.scalars(query.order_by(ConsoleEntry.id))]


def was_released(session: Session, inbound_id: int) -> bool:
    """A person released this held message: the service may trust its sender."""
    return bool(entries_about(session, inbound_subject(inbound_id), action=RELEASE))


def held_messages(session: Session, *, limit: int = 200) -> list[StoredInbound]:
    """Quarantined messages, newest first (without their bytes)."""
    rows = session.scalars(select(InboundMessage).options(defer(InboundMessage.raw))
                           .where(InboundMessage.status == "quarantined")
                           .order_by(InboundMessage.id.desc()).limit(limit))
    return [StoredInbound.model_validate(r) for r in rows]


def _leave_quarantine(session: Session, inbound_id: int, status: str, outcome: str, now: dt.datetime) -> None:
    result = cast(CursorResult[Any], session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.status == "quarantined")
        .values(status=status, outcome=outcome[:2000], status_changed_at=now),
        execution_options={"synchronize_session": False},
    ))
    changed = result.rowcount
    if changed != 1:
        raise InboundStateError(f"Message {inbound_id} is no longer held; someone may have dealt with it already.")


def release_held(session: Session, inbound_id: int, *, actor: str, reason: str, now: dt.datetime) -> None:
    """Back to ``received`` for the service's next pass, with the release recorded."""
    require_aware("now", now)
    _leave_quarantine(session, inbound_id, "received", "released for handling", now)
    record_entry(session, actor=actor, action=RELEASE, subject=inbound_subject(inbound_id), reason=reason, now=now)


def dismiss_held(session: Session, inbound_id: int, *, actor: str, reason: str, now: dt.datetime,
                 action: str = DISMISS, outcome: str = "dismissed from the quarantine") -> None:
    """Closed for good (``processed``), the reason kept in the console log."""
    require_aware("now", now)
    _leave_quarantine(session, inbound_id, "processed", outcome, now)
    record_entry(session, actor=actor, action=action, subject=inbound_subject(inbound_id), reason=reason, now=now)


def troubled_outbox(session: Session, *, limit: int = 200) -> list[OutboxItem]:
    """Given-up messages, and pending ones whose last attempt failed."""
    rows = session.scalars(select(OutboxMessage).where(or_(
        OutboxMessage.status == "gave_up",
        (OutboxMessage.status == "pending") & OutboxMessage.last_error.is_not(None),
    )).order_by(OutboxMessage.id.desc()).limit(limit))
    return [OutboxItem.model_validate(r) for r in rows]


def outbox_item(session: Session, outbox_id: int) -> OutboxItem | None:
    row = session.scalars(select(OutboxMessage).where(OutboxMessage.id == outbox_id)
                          .execution_options(populate_existing=True)).first()
    return OutboxItem.model_validate(row) if row is not None else None


def retry_failed(session: Session, outbox_id: int, *, actor: str, reason: str, now: dt.datetime) -> OutboxItem:
    """Given-up or failing: due now with fresh attempts; recorded with who and why."""
    require_aware("now", now)
    session.execute(update(OutboxMessage)
                    .where(OutboxMessage.id == outbox_id, OutboxMessage.status.in_(("gave_up", "pending")))
                    .values(status="pending", attempts=0, next_attempt_at=now, claimed_until=None)
                    .execution_options(synchronize_session=False))
    record_entry(session, actor=actor, action=RETRY, subject=f"outbox:{outbox_id}", reason=reason, now=now)
    item = outbox_item(session, outbox_id)
    if item is None:
        raise InboundStateError(f"No outgoing message has the id {outbox_id}.")
    return item
