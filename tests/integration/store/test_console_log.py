"""The console's log and its changes to held and outgoing mail, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.store import InboundMail, InboundStateError
from practice_alerts.store import console as log
from practice_alerts.store.inbound import get_inbound, set_inbound_status, store_inbound

NOW = dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.timezone.utc)
RAW = b"From: a@example.gov.uk\r\nMessage-ID: <held-1@example.gov.uk>\r\nSubject: x\r\n\r\nhello\r\n"


def _held(database) -> int:
    with database._write_session() as session:
        stored = store_inbound(session, InboundMail(transport="maildir", transport_id="1", raw=RAW), now=NOW)
        set_inbound_status(session, stored.id, "quarantined", outcome="sender not authenticated", now=NOW)
    return stored.id


def test_release_puts_a_held_message_back_and_records_who_and_why(database) -> None:
    inbound = _held(database)
    with database._write_session() as session:
        assert [m.id for m in log.held_messages(session)] == [inbound]
        assert not log.was_released(session, inbound)
        log.release_held(session, inbound, actor="LAC.Admin@example.gov.uk", reason="genuine", now=NOW)
    with database._read_session() as session:
        assert get_inbound(session, inbound).status == "received"
        assert log.was_released(session, inbound)
        [entry] = log.entries_about(session, log.inbound_subject(inbound))
        assert (entry.actor_email, entry.action, entry.reason, entry.at) == ("lac.admin@example.gov.uk", "release",
                                                                           "genuine", NOW)
        assert log.held_messages(session) == []


def test_a_message_no_longer_held_cannot_be_dismissed_twice(database) -> None:
    inbound = _held(database)
    with database._write_session() as session:
        log.dismiss_held(session, inbound, actor="a@example.gov.uk", reason="spam", now=NOW)
    with pytest.raises(InboundStateError), database._write_session() as session:
        log.dismiss_held(session, inbound, actor="b@example.gov.uk", reason="again", now=NOW)
    with database._read_session() as session:
        assert get_inbound(session, inbound).status == "processed"
        assert len(log.entries_about(session, log.inbound_subject(inbound))) == 1
