"""Each alert's history: an append-only event log, read back in the order it was written.

There is no update or delete here, and database triggers refuse UPDATE and DELETE on the table,
so a mistake is corrected by appending a new event. The sequence number (1, 2, 3... per alert) is
taken by incrementing the alert row's ``last_sequence`` in the appending transaction: the row lock
(or SQLite's write lock) makes concurrent appends queue, and a unique key backs it up.

Payloads are opaque JSON objects to the store (the service passes ``model_dump(mode="json")``);
they come back equal to what went in.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ._sql import require_aware
from .errors import UnknownAlertError
from .tables import Alert, AlertEvent


class NewEvent(BaseModel):
    """An event to append: what happened, who did it, when, and which message said so."""

    model_config = ConfigDict(frozen=True)

    event_type: str = Field(min_length=1, max_length=100)
    payload: dict[str, Any]
    occurred_at: AwareDatetime
    actor_email: str | None = Field(default=None, max_length=320)
    inbound_id: int | None = None


class StoredEvent(BaseModel):
    """An event as recorded, with its place in the alert's history."""

    model_config = ConfigDict(
        frozen=True, from_attributes=True, validate_by_name=True, validate_by_alias=True
    )

    id: int
    alert_reference: str
    sequence: int
    event_type: str
    payload: dict[str, Any]
    actor_email: str | None
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    inbound_id: int | None = Field(validation_alias="inbound_message_id")


def _json_object(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as JSON will give it back (tuples become lists...), or a clear error."""
    try:
        text = json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"event payload is not plain JSON: {error}") from None
    return cast(dict[str, Any], json.loads(text))


def append_event(session: Session, reference: str, event: NewEvent, *, now: dt.datetime) -> StoredEvent:
    """Append ``event`` to the alert's history in the caller's transaction; ``now`` is recorded_at."""
    require_aware("now", now)
    payload = _json_object(event.payload)
    sequence = session.execute(
        update(Alert)
        .where(Alert.reference == reference)
        .values(last_sequence=Alert.last_sequence + 1)
        .returning(Alert.last_sequence),
        execution_options={"synchronize_session": False},
    ).scalar_one_or_none()
    if sequence is None:
        raise UnknownAlertError(f"No alert has the reference {reference}.")
    row = AlertEvent(
        alert_reference=reference,
        sequence=sequence,
        event_type=event.event_type,
        payload=payload,
        actor_email=event.actor_email,
        occurred_at=event.occurred_at,
        recorded_at=now,
        inbound_message_id=event.inbound_id,
    )
    session.add(row)
    session.flush()
    return StoredEvent.model_validate(row)


def alert_events(session: Session, reference: str) -> list[StoredEvent]:
    """The alert's whole history, oldest first (empty if the alert has no events or does not exist)."""
    rows = session.scalars(
        select(AlertEvent).where(AlertEvent.alert_reference == reference).order_by(AlertEvent.sequence)
    )
    return [StoredEvent.model_validate(row) for row in rows]


def events_after(session: Session, after_id: int = 0, *, limit: int = 1000) -> list[StoredEvent]:
    """Events of every alert recorded after event ``after_id``, in recording order (for reports)."""
    rows = session.scalars(
        select(AlertEvent).where(AlertEvent.id > after_id).order_by(AlertEvent.id).limit(limit)
    )
    return [StoredEvent.model_validate(row) for row in rows]


def events_from_inbound(session: Session, inbound_id: int) -> list[StoredEvent]:
    """The events a stored inbound message gave rise to, in recording order."""
    rows = session.scalars(
        select(AlertEvent).where(AlertEvent.inbound_message_id == inbound_id).order_by(AlertEvent.id)
    )
    return [StoredEvent.model_validate(row) for row in rows]
