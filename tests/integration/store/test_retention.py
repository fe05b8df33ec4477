"""Retention anonymises an alert's events once, and nothing else can change them (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from practice_alerts.store import InboundMail, NewEvent, OutgoingMail
from practice_alerts.store.events import alert_events, append_event
from practice_alerts.store.inbound import inbound_raw, store_inbound
from practice_alerts.store.outbox import enqueue, mark_sent
from practice_alerts.store.references import create_alert
from practice_alerts.store.retention import anonymise_alert, anonymise_old_mail, is_anonymised, retention_records

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
LATER = NOW + dt.timedelta(days=3000)


def _alert_with_mail(database) -> tuple[str, int, int]:  # type: ignore[no-untyped-def]
    with database._write_session() as session:
        alert = create_alert(session, now=NOW)
        mail = store_inbound(session, InboundMail(transport="maildir", transport_id="m1",
                                                  raw=b"Subject: Riley\r\n\r\nabout Riley"), now=NOW)
        append_event(session, alert.reference, NewEvent(event_type="raised", payload={"child": "Riley Smith"},
                                                        occurred_at=NOW, actor_email="iro@example.gov.uk",
                                                        inbound_id=mail.id), now=NOW)
        other = store_inbound(session, InboundMail(transport="maildir", transport_id="m2",
                                                   raw=b"Subject: spam\r\n\r\nunrelated"), now=NOW)
        session.execute(text("UPDATE inbound_messages SET status = 'quarantined'"))
        sent = enqueue(session, OutgoingMail(message_id="<l1@x>", purpose="stage_letter", envelope_from="pa@x.gov.uk",
                                             envelope_to=("tm@example.gov.uk",), raw=b"Subject: letter about Riley",
                                             alert_reference=alert.reference), now=NOW)
        mark_sent(session, sent.id, now=NOW)
    return alert.reference, mail.id, other.id


def test_anonymising_removes_the_personal_data_and_records_it(database) -> None:
    reference, mail_id, other_id = _alert_with_mail(database)
    with database._write_session() as session:
        entry = anonymise_alert(session, reference, now=LATER, rule="7 years after closure", extra={"documents": 2})
        old = anonymise_old_mail(session, before=LATER, now=LATER, rule="7 years after closure")
    assert entry.removed == {"events": 1, "inbound_messages": 1, "outbox_messages": 1, "decisions": 0, "states": 0,
                             "documents": 2}
    assert old is not None and old.removed == {"inbound_messages": 1}
    with database._read_session() as session:
        (stored,) = alert_events(session, reference)
        assert stored.payload == {"redacted": True} and stored.actor_email is None
        assert stored.event_type == "raised" and stored.occurred_at == NOW  # the shape of the history remains
        assert inbound_raw(session, mail_id) == b"" and inbound_raw(session, other_id) == b""
        assert is_anonymised(session, reference)
        assert [r.alert_reference for r in retention_records(session)] == [reference, None]
        raw = session.execute(text("SELECT raw FROM outbox")).scalar_one()
        assert bytes(raw) == b""


@pytest.mark.parametrize("statement", [
    "UPDATE alert_events SET payload = '{\"child\": \"someone else\"}'",
    "UPDATE alert_events SET payload = '{\"redacted\": true}', actor_email = NULL, redacted_at = occurred_at, "
    "event_type = 'forged'",
    "DELETE FROM alert_events",
], ids=["edit", "redact-and-forge", "delete"])
def test_only_anonymisation_gets_past_the_append_only_triggers(database, statement: str) -> None:
    reference, _, _ = _alert_with_mail(database)
    with pytest.raises(DBAPIError, match="append-only"), database._write_session() as session:
        session.execute(text(statement))
    with database._write_session() as session:
        anonymise_alert(session, reference, now=LATER, rule="test")
    with pytest.raises(DBAPIError, match="append-only"), database._write_session() as session:
        session.execute(text("UPDATE alert_events SET payload = '{\"child\": \"back\"}', redacted_at = NULL"))
    with database._read_session() as session:
        assert alert_events(session, reference)[0].payload == {"redacted": True}
