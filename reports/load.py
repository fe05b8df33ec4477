"""Reading every alert's record out of the store, for the tracker and the reports.

The only module of ``practice_alerts.reports`` that touches the database. Each alert comes with
its stored current state; alerts that changed after ``records_after`` also come with their events
and decided records, so the report can fold them as they stood at an earlier moment. Nothing is
re-decided. An alert that cannot be counted is returned as :class:`Unreadable`, with the reason
and what to do, never silently dropped.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError

from practice_alerts.reports.history import AlertHistory, Unreadable, event_from_stored
from practice_alerts.store import Database, alert_decisions, alert_events, alerts_without_state, list_states
from practice_alerts.workflow.events import EVENT_TYPES, Event
from practice_alerts.workflow.state import AlertState

NOT_FILLED = ("it was raised before this version of Practice Alerts and its record has not been filled in yet; "
              "start the service once ('practice-alerts run --once') and run this again, or see "
              "'practice-alerts verify' for the reason")


def histories_from_database(database: Database, *, records_after: dt.datetime | None = None,
                            active_since: dt.datetime | None = None, raised_before: dt.datetime | None = None,
                            ) -> tuple[list[AlertHistory], list[Unreadable]]:
    """Every alert's stored state (those closed before ``active_since`` or raised after ``raised_before``
    left out), from one consistent read; with the records of those changed after ``records_after``."""
    histories: list[AlertHistory] = []
    problems: list[Unreadable] = []
    with database.reading() as session:
        problems += [Unreadable(reference=r, reason=NOT_FILLED) for r in alerts_without_state(session)]
        for stored in list_states(session, active_since=active_since, raised_before=raised_before):
            try:
                state = AlertState.model_validate(stored.state)
            except ValidationError as exc:
                problems.append(Unreadable(reference=stored.reference, reason=_unreadable(exc)))
                continue
            if records_after is None or stored.last_event_at <= records_after:
                histories.append(AlertHistory(reference=stored.reference, state=state))
                continue
            events: list[Event] = []
            records: list[dict] = []
            times: list[dt.datetime] = []
            decisions = alert_decisions(session, stored.reference)
            try:
                for row in alert_events(session, stored.reference):
                    if row.event_type not in EVENT_TYPES:
                        if row.id in decisions:  # a recorded step outside the workflow (a policy migration)
                            times.append(row.occurred_at)
                            records.append(decisions[row.id].decided)
                        continue
                    if row.id not in decisions:
                        raise ValueError(f"event {row.sequence} ({row.event_type}) has no decided record")
                    events.append(event_from_stored(row.event_type, row.payload, row.occurred_at, row.actor_email))
                    times.append(row.occurred_at)
                    records.append(decisions[row.id].decided)
            except (ValidationError, ValueError) as exc:
                problems.append(Unreadable(reference=stored.reference, reason=_unreadable(exc)))
                continue
            histories.append(AlertHistory(reference=stored.reference, events=tuple(events), records=tuple(records),
                                          state=state, times=tuple(times) if len(times) != len(events) else ()))
    return histories, problems


def _unreadable(exc: Exception) -> str:
    detail = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
    return (f"its stored record cannot be read ({detail}); run 'practice-alerts verify' and send the output to "
            "whoever supports Practice Alerts")
