"""Each alert's stored current state, and the decided facts beside each event.

The state row is written in the same transaction as the events it follows from, so reading an
alert never replays its history. The store treats ``state`` and ``decided`` as opaque JSON (the
workflow's ``AlertState`` and ``Decided`` dumped); the columns beside them are what the queries
need: status, open or not, the current due date and the next time the clock has work to do.

Reading (for commands and the console): :func:`get_state`, :func:`list_states`,
:func:`state_counts`, :func:`alerts_without_state`, :func:`due_for_clock`; each returns
:class:`StoredState` values (or references). The reports stream theirs with :func:`state_texts`
and :func:`records_for_moments`, one alert at a time, so their cost stays per alert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import Select, Text, and_, cast, false, func, insert, or_, select, update
from sqlalchemy.orm import Session

from ._sql import require_aware
from .events import NewEvent, _json_object
from .tables import Alert, AlertEvent, AlertStateRow, EventDecision

_Query = TypeVar("_Query", bound=Select)  # type: ignore[type-arg]  # any columns


class StateToSave(BaseModel):
    """What the service writes after each event: the state JSON and the columns queries use."""

    model_config = ConfigDict(frozen=True)

    status: str
    is_open: bool
    stage: str | None
    due: dt.date | None
    next_clock_at: AwareDatetime | None
    policy_version: str | None
    raised_at: AwareDatetime
    closed_at: AwareDatetime | None
    last_event_id: int
    last_event_at: AwareDatetime
    state: dict[str, Any]


class StoredState(StateToSave):
    """An alert's stored current state."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    reference: str
    updated_at: AwareDatetime


class StoredDecision(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    event_id: int
    alert_reference: str
    decided: dict[str, Any]
    filled_at_migration: bool


def save_state(session: Session, reference: str, state: StateToSave, *, now: dt.datetime) -> None:
    """Insert or replace the alert's state row, in the caller's transaction."""
    require_aware("now", now)
    row = session.get(AlertStateRow, reference)
    values = state.model_dump()
    if row is None:
        session.add(AlertStateRow(reference=reference, updated_at=now, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = now
    session.flush()


def save_decision(session: Session, reference: str, event_id: int, decided: dict[str, Any], *,
                  filled_at_migration: bool = False) -> None:
    """Keep what was decided when event ``event_id`` happened (once; never changed)."""
    session.add(EventDecision(event_id=event_id, alert_reference=reference, decided=decided,
                              filled_at_migration=filled_at_migration))


def get_state(session: Session, reference: str) -> StoredState | None:
    row = session.get(AlertStateRow, reference)
    return StoredState.model_validate(row) if row is not None else None


def list_states(session: Session, *, status: str | None = None, open_only: bool = False,
                raised_before: dt.datetime | None = None, active_since: dt.datetime | None = None,
                due_before: dt.date | None = None) -> Iterator[StoredState]:
    """Stored states in reference order; ``active_since`` leaves out alerts closed before it,
    ``due_before`` keeps those whose current due date is before that day."""
    # Plain rows, not ORM objects: nothing is kept in the session, so a long list costs the same per alert.
    query = select(*AlertStateRow.__table__.columns).join(Alert, Alert.reference == AlertStateRow.reference).order_by(
        Alert.year, Alert.number)
    if status is not None:
        query = query.where(AlertStateRow.status == status)
    if open_only:
        query = query.where(AlertStateRow.is_open.is_(True))
    if due_before is not None:
        query = query.where(AlertStateRow.due < due_before)
    query = _window(query, raised_before=raised_before, active_since=active_since)
    for row in session.execute(query.execution_options(yield_per=500)).mappings():
        yield StoredState.model_validate(row)


def _window(query: _Query, *, raised_before: dt.datetime | None, active_since: dt.datetime | None) -> _Query:
    """Leave out alerts raised after ``raised_before`` and those closed before ``active_since``."""
    if raised_before is not None:
        query = query.where(AlertStateRow.raised_at <= raised_before)
    if active_since is not None:
        query = query.where((AlertStateRow.closed_at.is_(None)) | (AlertStateRow.closed_at >= active_since))
    return query


def state_texts(session: Session, *, raised_before: dt.datetime | None = None,
                active_since: dt.datetime | None = None) -> Iterator[tuple[int, int, str, str]]:
    """(year, number, reference, stored state as JSON text) of each alert in reference order, streamed;
    the text is left undecoded so the reader validates it in one step (for the reports, over every alert)."""
    query = (select(Alert.year, Alert.number, AlertStateRow.reference, cast(AlertStateRow.state, Text))
             .join(Alert, Alert.reference == AlertStateRow.reference).order_by(Alert.year, Alert.number))
    query = _window(query, raised_before=raised_before, active_since=active_since)
    yield from session.execute(query.execution_options(yield_per=500)).tuples()


def records_for_moments(session: Session, moments: Sequence[dt.datetime], *, raised_before: dt.datetime | None = None,
                        active_since: dt.datetime | None = None,
                        ) -> Iterator[tuple[int, int, str, dt.datetime, dict[str, Any]]]:
    """(year, number, reference, when made, decided record) for each alert that stood otherwise at one of
    ``moments`` than it stands now (raised by then and changed after it), oldest first, in the order of
    :func:`state_texts`, streamed. Any other alert, at every moment, either had not been raised or already
    stood as its stored state, so its records are never read."""
    for moment in moments:
        require_aware("moment", moment)
    standing = or_(false(), *(and_(AlertStateRow.raised_at <= m, AlertStateRow.last_event_at > m) for m in moments))
    query = (select(Alert.year, Alert.number, AlertEvent.alert_reference, AlertEvent.occurred_at, EventDecision.decided)
             .join(EventDecision, EventDecision.event_id == AlertEvent.id)
             .join(AlertStateRow, AlertStateRow.reference == AlertEvent.alert_reference)
             .join(Alert, Alert.reference == AlertEvent.alert_reference)
             .where(standing).order_by(Alert.year, Alert.number, AlertEvent.sequence))
    query = _window(query, raised_before=raised_before, active_since=active_since)
    yield from session.execute(query.execution_options(yield_per=1000)).tuples()


def state_counts(session: Session) -> dict[str, int]:
    """How many alerts are in each status."""
    rows = session.execute(select(AlertStateRow.status, func.count()).group_by(AlertStateRow.status))
    return {status: count for status, count in rows.all()}


def alerts_without_state(session: Session) -> list[str]:
    """Alerts that have events but no stored state (written before the state table, or broken)."""
    anonymised = select(AlertEvent.id).where(AlertEvent.alert_reference == Alert.reference,
                                             AlertEvent.redacted_at.is_not(None)).exists()
    query = (select(Alert.reference).outerjoin(AlertStateRow, AlertStateRow.reference == Alert.reference)
             .where(AlertStateRow.reference.is_(None), Alert.last_sequence > 0, ~anonymised)  # retention: no state
             .order_by(Alert.year, Alert.number))
    return list(session.scalars(query))


def due_for_clock(session: Session, now: dt.datetime) -> list[str]:
    """Alerts whose next clock event falls due by ``now`` (one indexed query)."""
    require_aware("now", now)
    query = (select(AlertStateRow.reference).where(AlertStateRow.next_clock_at <= now)
             .order_by(AlertStateRow.next_clock_at))
    return list(session.scalars(query))


def alert_decisions(session: Session, reference: str) -> dict[int, StoredDecision]:
    """The decided facts of the alert's events, by event id."""
    rows = session.scalars(select(EventDecision).where(EventDecision.alert_reference == reference))
    return {row.event_id: StoredDecision.model_validate(row) for row in rows}


def events_without_decision(session: Session, reference: str) -> list[int]:
    """Ids of the alert's events that have no decided facts (written before they were kept)."""
    query = (select(AlertEvent.id).outerjoin(EventDecision, EventDecision.event_id == AlertEvent.id)
             .where(AlertEvent.alert_reference == reference, EventDecision.event_id.is_(None))
             .order_by(AlertEvent.sequence))
    return list(session.scalars(query))


def append_recorded(session: Session, reference: str, items: list[tuple[NewEvent, dict[str, Any] | None]], *,
                    now: dt.datetime) -> int:
    """Append events already decided elsewhere, each with its decided record, in one go (imports,
    examples, benchmarks); returns the last event's id. The service itself appends one at a time."""
    require_aware("now", now)
    if not items:
        return 0
    first = session.execute(
        update(Alert).where(Alert.reference == reference)
        .values(last_sequence=Alert.last_sequence + len(items)).returning(Alert.last_sequence),
        execution_options={"synchronize_session": False},
    ).scalar_one() - len(items) + 1
    last_id = 0
    decisions = []
    for offset, (event, decided) in enumerate(items):
        last_id = session.execute(insert(AlertEvent).values(
            alert_reference=reference, sequence=first + offset, event_type=event.event_type,
            payload=_json_object(event.payload), actor_email=event.actor_email, occurred_at=event.occurred_at,
            recorded_at=now, inbound_message_id=event.inbound_id).returning(AlertEvent.id)).scalar_one()
        if decided is not None:
            decisions.append({"event_id": last_id, "alert_reference": reference, "decided": decided,
                              "filled_at_migration": bool(decided.get("filled_at_migration"))})
    if decisions:
        session.execute(insert(EventDecision), decisions)
    return last_id


def records_changed_after(session: Session, moment: dt.datetime,
                          ) -> dict[str, list[tuple[dt.datetime, dict[str, Any]]]]:
    """For every alert whose state changed after ``moment``: when each decided record was made and the
    record, oldest first (one query; for reports that fold alerts as they stood at earlier moments)."""
    require_aware("moment", moment)
    query = (select(AlertEvent.alert_reference, AlertEvent.occurred_at, EventDecision.decided)
             .join(EventDecision, EventDecision.event_id == AlertEvent.id)
             .join(AlertStateRow, AlertStateRow.reference == AlertEvent.alert_reference)
             .where(AlertStateRow.last_event_at > moment)
             .order_by(AlertEvent.alert_reference, AlertEvent.sequence))
    out: dict[str, list[tuple[dt.datetime, dict[str, Any]]]] = {}
    for reference, occurred_at, decided in session.execute(query.execution_options(yield_per=2000)):
        out.setdefault(reference, []).append((occurred_at, decided))
    return out
