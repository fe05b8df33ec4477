"""Reading every alert's history out of the store, for the tracker and the reports.

The only module of ``practice_alerts.reports`` that touches the database. Rows whose type is
not a workflow event (a note the service keeps for itself) are not part of the fold and are
passed over; a workflow event that no longer reads makes its alert unreadable, reported as such.
"""

from __future__ import annotations

from pydantic import ValidationError

from practice_alerts.reports.history import AlertHistory, Unreadable, event_from_stored
from practice_alerts.store import Database, alert_events, list_alerts
from practice_alerts.workflow.events import EVENT_TYPES


def histories_from_database(database: Database) -> tuple[list[AlertHistory], list[Unreadable]]:
    """Every alert's workflow events, oldest first, from one consistent read."""
    histories: list[AlertHistory] = []
    problems: list[Unreadable] = []
    with database.reading() as session:
        for record in list_alerts(session):
            events = []
            try:
                for stored in alert_events(session, record.reference):
                    if stored.event_type not in EVENT_TYPES:
                        continue
                    events.append(event_from_stored(stored.event_type, stored.payload, stored.occurred_at,
                                                    stored.actor_email))
            except ValidationError as exc:
                problems.append(Unreadable(reference=record.reference,
                                           reason=f"event {len(events) + 1} cannot be read: {exc.errors()[0]['msg']}"))
                continue
            if events:
                histories.append(AlertHistory(reference=record.reference, events=tuple(sorted(events, key=lambda e: e.at))))
    return histories, problems
