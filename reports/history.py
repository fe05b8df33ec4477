"""Each alert's history, and its state as at a moment, from its own record.

The tracker and the quarterly report never re-decide anything: each stored event carries what
was decided when it happened (``workflow.record.Decided``), and an alert's state as at a moment
is the fold of those records up to it (``workflow.record.fold``). Neither the directory nor the
policy is consulted, so a manager leaving or a policy file changing never changes a past figure.
The service's stored current state stands in for the fold when nothing happened after the moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from practice_alerts.workflow.events import Event, parse_event
from practice_alerts.workflow.record import Decided
from practice_alerts.workflow.record import fold as fold_records
from practice_alerts.workflow.state import AlertState


@dataclass(frozen=True)
class AlertHistory:
    """One alert's record: its workflow events and what was decided at each (oldest first, aligned),
    and its stored current state where the store has one."""

    reference: str
    events: tuple[Event, ...] = ()
    records: tuple[Decided | Mapping[str, Any], ...] = ()
    state: AlertState | None = None
    times: tuple[dt.datetime, ...] = ()
    """When each record was made (read from the store); empty when the records are the events'."""

    def as_at(self, moment: dt.datetime) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.at <= moment)

    def state_as_at(self, moment: dt.datetime) -> AlertState | None:
        """The alert as it stood at ``moment`` (None if it had not been raised by then)."""
        if self.state is not None and (self.state.last_event_at <= moment or not self.records):
            return self.state if self.state.raised_at <= moment else None
        times = self.times or tuple(e.at for e in self.events)
        if len(self.records) != len(times):
            raise ValueError(f"{len(times)} events but {len(self.records)} decided records")
        return fold_records(r for at, r in zip(times, self.records, strict=True) if at <= moment)


@dataclass(frozen=True)
class Unreadable:
    """An alert that cannot be counted: shown in the report, with a reason a QA officer can act on."""

    reference: str
    reason: str


def event_from_stored(event_type: str, payload: Mapping[str, Any], occurred_at: dt.datetime,
                      actor_email: str | None) -> Event:
    """A workflow event from a stored row (payload as ``dump_event`` wrote it; the row's columns
    fill in the type, time and actor where the payload leaves them out)."""
    data = dict(payload)
    data["type"] = event_type
    data.setdefault("at", occurred_at)
    data.setdefault("by", actor_email)
    return parse_event(data)


def fold(history: AlertHistory, as_of: dt.datetime) -> AlertState | Unreadable | None:
    """The alert's state as at ``as_of`` (None if it had not been raised by then)."""
    try:
        return history.state_as_at(as_of)
    except (ValidationError, ValueError, KeyError) as exc:
        return Unreadable(reference=history.reference,
                          reason=f"its stored record cannot be read ({exc}); run 'practice-alerts verify' and "
                                 "send the output to whoever supports Practice Alerts")


def fold_all(histories: Iterable[AlertHistory], as_of: dt.datetime) -> tuple[list[AlertState], list[Unreadable]]:
    """Every alert raised by ``as_of``, as it stood then, in reference order; and those that cannot be read."""
    states: list[AlertState] = []
    problems: list[Unreadable] = []
    for history in sorted(histories, key=lambda h: h.reference):
        result = fold(history, as_of)
        if isinstance(result, Unreadable):
            problems.append(result)
        elif result is not None:
            states.append(result)
    return states, problems
