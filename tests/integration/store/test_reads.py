"""The reads and writes a step makes through its unit of work, and the status command's figures."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from practice_alerts.store import (
    DATABASE_ERRORS,
    InboundMail,
    NewEvent,
    OutgoingMail,
    RetryPolicy,
    StoreReads,
    open_database,
    unit_of_work,
)
from practice_alerts.store.inbound import set_inbound_status, store_inbound
from practice_alerts.store.outbox import claim_due, mark_failed, outbox_items
from practice_alerts.store.status import inbound_counts, status_facts

NOW = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.timezone.utc)


def _mail(n: int, reference: str | None) -> OutgoingMail:
    return OutgoingMail(message_id=f"<m{n}@alerts.example.gov.uk>", purpose="notice", envelope_from="a@example.gov.uk",
                        envelope_to=("iro@example.gov.uk",), raw=b"x", alert_reference=reference)


def test_a_step_reads_what_it_wrote_and_the_first_message_about_an_alert(database) -> None:
    with unit_of_work(database, now=NOW) as work:
        reference = work.create_alert().reference
        assert work.first_message_id(reference) is None
        work.enqueue(_mail(1, None))  # about no alert: not the thread's root
        work.enqueue(_mail(2, reference))
        work.enqueue(_mail(3, reference))
        work.append_event(reference, NewEvent(event_type="comment", payload={"text": "hi"}, occurred_at=NOW,
                                              actor_email=None))
        work.keep_policy_version("v1", "rutland", {"key": "rutland"})
        assert work.first_message_id(reference) == "<m2@alerts.example.gov.uk>"
        assert [e.event_type for e in work.events(reference)] == ["comment"]
    with database._read_session() as session:
        reads = StoreReads(session)
        assert reads.policy_version("v1").content == {"key": "rutland"}
        assert reads.policy_version("v2") is None
        assert [m.message_id for m in outbox_items(session)] == [f"<m{n}@alerts.example.gov.uk>" for n in (1, 2, 3)]


def test_a_held_message_is_dismissed_through_the_unit_of_work(database) -> None:
    with database._write_session() as session:
        stored = store_inbound(session, InboundMail(transport="maildir", transport_id="new/1", raw=b"Subject: x\r\n\r\nx"),
                               now=NOW)
        set_inbound_status(session, stored.id, "quarantined", outcome="held", now=NOW)
    with unit_of_work(database, now=NOW) as work:
        assert not work.was_released(stored.id)
        work.dismiss_held(stored.id, actor="admin@example.gov.uk", reason="spam")
        assert work.inbound(stored.id).status == "processed"
    with database._read_session() as session:
        assert inbound_counts(session) == {"processed": 1}


def test_status_facts_count_the_inbox_and_the_outbox_and_list_a_few(database) -> None:
    with database._write_session() as session:
        for n in range(4):
            stored = store_inbound(session, InboundMail(transport="maildir", transport_id=f"new/{n}",
                                                        raw=f"Subject: {n}\r\n\r\nx".encode()), now=NOW)
            set_inbound_status(session, stored.id, "quarantined" if n else "failed", outcome="held", now=NOW)
    with unit_of_work(database, now=NOW) as work:
        items = [work.enqueue(_mail(n, None)) for n in range(3)]
    with database._write_session() as session:
        assert len(claim_due(session, now=NOW, limit=3)) == 3  # one attempt each
        mark_failed(session, items[0].id, now=NOW, error="421 busy", policy=RetryPolicy(max_attempts=5))
        mark_failed(session, items[1].id, now=NOW, error="550 no", policy=RetryPolicy(max_attempts=1))
    with database._read_session() as session:
        facts = status_facts(session, due_before=NOW.date(), shown=2)
    assert facts.inbound_by_status == {"quarantined": 3, "failed": 1}
    assert len(facts.held) == 3 and [m.id for m in facts.held] == sorted(facts.heads, reverse=True)  # shown + 1
    assert facts.outbox_waiting == 2 and facts.oldest_waiting_since == NOW
    assert [(m.purpose, m.attempts, m.last_error) for m in facts.troubled] == [("notice", 1, "421 busy")]
    assert [m.id for m in facts.given_up] == [items[1].id]
    assert facts.by_status == {} and facts.without_state == [] and facts.open_due_before == []
    assert facts.last_poll is None


def test_database_errors_cover_a_file_that_is_no_practice_alerts_database(tmp_path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).close()
    database = open_database(path, migrate=False)
    try:
        with pytest.raises(DATABASE_ERRORS), database._read_session() as session:
            outbox_items(session)
    finally:
        database.dispose()


def test_reading_yields_the_reads_and_the_unit_of_work_the_writes_made_outside_store(database) -> None:
    """What the shell uses instead of a session: the snapshot's methods, and a unit of work's."""
    with unit_of_work(database, now=NOW) as work:
        stored = work.store_inbound(InboundMail(transport="maildir", transport_id="new/1", raw=b"Subject: x\r\n\r\nx"))
        work.finish_inbound(stored.id, "quarantined", outcome="held")
        reference = work.create_alert().reference
        work.enqueue(_mail(1, reference))
        assert work.acquire_lease(name="mailbox", holder="me", ttl=dt.timedelta(minutes=1)) is not None
    with unit_of_work(database, now=NOW) as work:
        [claimed] = work.claim_due(limit=5)
        work.mark_sent(claimed.id)
    with database.reading() as reads:
        assert type(reads) is StoreReads and not hasattr(reads, "session")
        assert [a.reference for a in reads.list_alerts()] == [reference]
        assert [m.id for m in reads.held_messages()] == [stored.id]
        assert [(m.message_id, m.status) for m in reads.outbox_for_alert(reference)] == [
            ("<m1@alerts.example.gov.uk>", "sent")]
        assert reads.sent_since(NOW - dt.timedelta(hours=1)) == [(("iro@example.gov.uk",), NOW)]
        assert reads.inbound_counts() == {"quarantined": 1}
        assert reads.current_lease("mailbox").holder == "me"
    with unit_of_work(database, now=NOW) as work:
        assert work.release_lease(name="mailbox", holder="me")
