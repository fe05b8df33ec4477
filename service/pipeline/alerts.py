"""An alert as the service sees it: its stored state, and its events for the documents.

The state is read from the state table (``StoreReads.state``), written in the same transaction as
the events it follows from; nothing here replays history. Rows whose type is not a workflow
event are the service's own notes (the filed form, an out-of-office, a comment); they are kept
in the same log but change nothing in the state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practice_alerts.forms.record import AlertForm
from practice_alerts.mailflow.protocols import AlertSummary
from practice_alerts.store import StateToSave, StoredEvent, StoredState, StoreReads
from practice_alerts.workflow.events import EVENT_TYPES, Event, parse_event
from practice_alerts.workflow.state import AlertState, Status

REDACTED = {"redacted": True}
"""The payload of an event anonymised under the retention rule (store/retention.py)."""
FORM_NOTE = "form_filed"
"""The note holding the filed form's whole record (personal data: kept in the database only)."""
NOTE_TYPES = (FORM_NOTE, "out_of_office", "bounce", "comment", "refused", "form_problem", "delivery_failed")


class StateMissing(Exception):
    """An alert has events but no stored state: the database was not upgraded (or the upgrade could not
    fill this alert in). Operator-facing."""


def event_of(stored: StoredEvent) -> Event:
    data = dict(stored.payload)
    data["type"] = stored.event_type
    data.setdefault("at", stored.occurred_at)
    data.setdefault("by", stored.actor_email)
    return parse_event(data)


def state_of(stored: StoredState) -> AlertState:
    """The workflow's state from a stored row."""
    return AlertState.model_validate(stored.state)


def state_to_save(state: AlertState, *, version: str | None, event_id: int,
                  next_clock_at: dt.datetime | None) -> StateToSave:
    return StateToSave(status=state.status.value, is_open=state.is_open, stage=state.stage, due=state.due,
                       next_clock_at=next_clock_at, policy_version=version, raised_at=state.raised_at,
                       closed_at=state.closed_at, last_event_id=event_id, last_event_at=state.last_event_at,
                       state=state.model_dump(mode="json"))


@dataclass(frozen=True)
class LoadedAlert:
    reference: str
    stored: tuple[StoredEvent, ...]
    events: tuple[Event, ...]
    state: AlertState | None
    form: AlertForm | None
    version: str | None = None
    """The policy version the alert runs under (None before it is raised)."""

    @property
    def last_id(self) -> int:
        return self.stored[-1].id if self.stored else 0


class AlertCache:
    """Loads alerts from the store (the name is kept for callers; states are read, never replayed)."""

    def load(self, reads: StoreReads, reference: str, ctx: object = None) -> LoadedAlert:
        """``reads`` is the step's unit of work, or ``StoreReads`` over a reading snapshot."""
        stored = tuple(reads.events(reference))
        if any(s.payload == REDACTED for s in stored):  # anonymised under the retention rule: nothing to replay
            return LoadedAlert(reference=reference, stored=stored, events=(), state=None, form=None)
        events = tuple(event_of(s) for s in stored if s.event_type in EVENT_TYPES)
        form_rows = [s for s in stored if s.event_type == FORM_NOTE]
        form = AlertForm.model_validate(form_rows[-1].payload["form"]) if form_rows else None
        row = reads.state(reference)
        if row is None and events:
            raise StateMissing(f"Alert {reference} has no stored state; run 'practice-alerts verify' for details.")
        return LoadedAlert(reference=reference, stored=stored, events=events, form=form,
                           state=state_of(row) if row is not None else None,
                           version=row.policy_version if row is not None else None)

    def state(self, reads: StoreReads, reference: str) -> AlertState | None:
        """Only the state (no events): what matching mail needs."""
        row = reads.state(reference)
        return state_of(row) if row is not None else None

    def clear(self) -> None:
        """Nothing is cached any more; kept so callers after a rollback need not change."""


def summary(state: AlertState, policy_key: str, policy: object) -> AlertSummary:
    """What mail matching needs to know about one alert."""
    visit = state.current
    recipients = tuple(a for a in (visit.recipient_email, visit.holder_email) if a) if visit else ()
    stage_name = visit.name if visit is not None and state.stage is not None else None
    return AlertSummary(
        reference=state.reference, iro_email=state.facts.iro_email, stage_key=state.stage, stage_name=stage_name,
        recipients=recipients, status=state.status.value, open=state.status is not Status.CLOSED,
        paused=state.status is Status.TIMED_OUT, due=state.due, case_type=state.facts.case_type, policy_key=policy_key,
    )


class StoreAlertIndex:
    """``mailflow.protocols.AlertIndex`` over the store, inside the caller's transaction."""

    def __init__(self, reads: StoreReads, cache: AlertCache, ctx: object) -> None:
        self.reads, self.cache, self.ctx = reads, cache, ctx

    def by_reference(self, reference: str) -> AlertSummary | None:
        state = self.cache.state(self.reads, reference)
        if state is None:
            return None
        policy = self.ctx.policy  # type: ignore[attr-defined]
        return summary(state, policy.key, policy)
