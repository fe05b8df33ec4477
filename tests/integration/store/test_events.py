"""Each alert's history is an append-only, ordered event log."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from practice_alerts.store import InboundMail, NewEvent, UnknownAlertError
from practice_alerts.store.events import alert_events, append_event, events_after, events_from_inbound
from practice_alerts.store.inbound import store_inbound
from practice_alerts.store.references import create_alert

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
LONDON = ZoneInfo("Europe/London")


def event(kind: str, n: int, **extra) -> NewEvent:
    return NewEvent(
        event_type=kind,
        payload={"n": n, "stage": {"number": n, "role": "team_manager"}, "days": [1, 2]},
        occurred_at=dt.datetime(2026, 6, 1, 10, n, tzinfo=LONDON),
        **extra,
    )


def test_events_come_back_in_order_with_what_was_stored(database) -> None:
    with database._write_session() as session:
        message = store_inbound(session, InboundMail(transport="maildir", raw=b"Subject: f\r\n\r\nform"), now=NOW)
        alert = create_alert(session, now=NOW)
        other = create_alert(session, now=NOW)
        raised = event("alert_raised", 0, actor_email="iro@example.gov.uk", inbound_id=message.id)
        append_event(session, alert.reference, raised, now=NOW)
        append_event(session, other.reference, event("alert_raised", 9), now=NOW)
    for n in (1, 2):
        with database._write_session() as session:
            append_event(session, alert.reference, event(f"step_{n}", n), now=NOW + dt.timedelta(minutes=n))

    with database._read_session() as session:
        history = alert_events(session, alert.reference)
        from_message = events_from_inbound(session, message.id)
        everything = events_after(session)
    assert [e.sequence for e in history] == [1, 2, 3]
    assert [e.event_type for e in history] == ["alert_raised", "step_1", "step_2"]
    first = history[0]
    assert first.payload == {"n": 0, "stage": {"number": 0, "role": "team_manager"}, "days": [1, 2]}
    assert first.actor_email == "iro@example.gov.uk"
    assert first.inbound_id == message.id
    assert first.occurred_at == dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.timezone.utc)  # BST is UTC+1
    assert first.occurred_at.tzinfo is not None
    assert history[2].recorded_at == NOW + dt.timedelta(minutes=2)
    assert [e.id for e in from_message] == [first.id]
    assert [(e.alert_reference, e.sequence) for e in everything] == [
        (alert.reference, 1), (other.reference, 1), (alert.reference, 2), (alert.reference, 3)
    ]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE alert_events SET event_type = 'forged'", "DELETE FROM alert_events"],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_recorded_events(database, statement: str) -> None:
    with database._write_session() as session:
        alert = create_alert(session, now=NOW)
        append_event(session, alert.reference, event("alert_raised", 0), now=NOW)
    with pytest.raises(DBAPIError, match="append-only"), database._write_session() as session:
        session.execute(text(statement))
    with database._read_session() as session:
        assert [e.event_type for e in alert_events(session, alert.reference)] == ["alert_raised"]


def test_an_event_for_an_unknown_alert_is_refused(database) -> None:
    with pytest.raises(UnknownAlertError, match="PA-2026-0999"), database._write_session() as session:
        append_event(session, "PA-2026-0999", event("alert_raised", 0), now=NOW)


def test_a_payload_that_is_not_plain_json_is_refused(database) -> None:
    with database._write_session() as session:
        alert = create_alert(session, now=NOW)
    bad = NewEvent(event_type="x", payload={"when": dt.date(2026, 1, 1)}, occurred_at=NOW)
    with pytest.raises(ValueError, match="not plain JSON"), database._write_session() as session:
        append_event(session, alert.reference, bad, now=NOW)
    with database._read_session() as session:
        assert alert_events(session, alert.reference) == []
