"""An alert as the service sees it: its stored events folded into the workflow's state.

The state is never stored: it is replayed from the event log (``workflow.decide.replay``). Rows
whose type is not a workflow event are the service's own notes (the filed form, an
out-of-office, a comment); they are kept in the same log but are not part of the fold.
Replaying is cached per alert and keyed on the id of its newest event, so a cached state is
never stale: any append changes the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from practice_alerts.forms.record import PracticeAlert
from practice_alerts.mailflow.protocols import AlertSummary
from practice_alerts.store import StoredEvent, alert_events
from practice_alerts.workflow.decide import replay
from practice_alerts.workflow.events import EVENT_TYPES, Event, parse_event
from practice_alerts.workflow.state import AlertState, Status

FORM_NOTE = "form_filed"
"""The note holding the filed form's whole record (personal data: kept in the database only)."""
NOTE_TYPES = (FORM_NOTE, "out_of_office", "bounce", "comment", "refused", "form_problem", "delivery_failed")


def event_of(stored: StoredEvent) -> Event:
    data = dict(stored.payload)
    data["type"] = stored.event_type
    data.setdefault("at", stored.occurred_at)
    data.setdefault("by", stored.actor_email)
    return parse_event(data)


@dataclass(frozen=True)
class LoadedAlert:
    reference: str
    stored: tuple[StoredEvent, ...]
    events: tuple[Event, ...]
    state: AlertState | None
    form: PracticeAlert | None

    @property
    def last_id(self) -> int:
        return self.stored[-1].id if self.stored else 0


class AlertCache:
    """Replayed states by reference; safe because the key is the newest event's id."""

    def __init__(self, limit: int = 5000) -> None:
        self._states: dict[str, tuple[int, AlertState | None]] = {}
        self._limit = limit

    def load(self, session: Session, reference: str, ctx: object) -> LoadedAlert:
        stored = tuple(alert_events(session, reference))
        events = tuple(event_of(s) for s in stored if s.event_type in EVENT_TYPES)
        form_rows = [s for s in stored if s.event_type == FORM_NOTE]
        form = PracticeAlert.model_validate(form_rows[-1].payload["form"]) if form_rows else None
        last = stored[-1].id if stored else 0
        cached = self._states.get(reference)
        if cached is not None and cached[0] == last:
            state = cached[1]
        else:
            state = replay(events, ctx.policy, ctx.directory, ctx.calendar) if events else None  # type: ignore[attr-defined]
            if len(self._states) >= self._limit:
                self._states.clear()
            self._states[reference] = (last, state)
        return LoadedAlert(reference=reference, stored=stored, events=events, state=state, form=form)

    def is_closed(self, reference: str) -> bool:
        """The alert is known to be closed: nothing can change its state any more."""
        cached = self._states.get(reference)
        return cached is not None and cached[1] is not None and cached[1].state is Status.CLOSED

    def clear(self) -> None:
        """Forget everything (after a rolled-back transaction, whose event ids may be reused)."""
        self._states.clear()

    def remember(self, reference: str, last_id: int, state: AlertState | None) -> None:
        """The state after events this process just appended (saves replaying them next time)."""
        self._states[reference] = (last_id, state)


def summary(state: AlertState, policy_key: str, policy: object) -> AlertSummary:
    """What mail matching needs to know about one alert."""
    visit = state.current
    recipients = tuple(a for a in (visit.recipient_email, visit.holder_email) if a) if visit else ()
    stage_name = None
    if state.stage is not None:
        try:
            stage_name = policy.stage(state.stage).name  # type: ignore[attr-defined]
        except KeyError:
            stage_name = state.stage
    return AlertSummary(
        reference=state.reference, iro_email=state.facts.iro_email, stage_key=state.stage, stage_name=stage_name,
        recipients=recipients, state=state.state.value, open=state.state is not Status.CLOSED,
        paused=state.state is Status.TIMED_OUT, due=state.due, case_type=state.facts.case_type, policy_key=policy_key,
    )


class StoreAlertIndex:
    """``mailflow.protocols.AlertIndex`` over the store, inside the caller's transaction."""

    def __init__(self, session: Session, cache: AlertCache, ctx: object) -> None:
        self.session, self.cache, self.ctx = session, cache, ctx

    def by_reference(self, reference: str) -> AlertSummary | None:
        loaded = self.cache.load(self.session, reference, self.ctx)
        if loaded.state is None:
            return None
        policy = self.ctx.policy  # type: ignore[attr-defined]
        return summary(loaded.state, policy.key, policy)
