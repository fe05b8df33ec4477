"""One handled message = one transaction: inbound outcome, alert, events and outbox together."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time

import pytest

from practice_alerts.store import (
    MAILBOX_LEASE,
    InboundMail,
    InboundStateError,
    LeaseClaim,
    NewEvent,
    OutgoingMail,
    open_database,
    unit_of_work,
)
from practice_alerts.store.events import alert_events, events_after
from practice_alerts.store.inbound import get_inbound, store_inbound, unfinished_inbound
from practice_alerts.store.lease import acquire_lease
from practice_alerts.store.outbox import claim_due, outbox_for_alert
from practice_alerts.store.references import list_alerts

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
FORK = multiprocessing.get_context("fork")


def form_message(n: int) -> InboundMail:
    raw = f"Message-ID: <form-{n}@iro.example.gov.uk>\r\nSubject: Practice alert\r\n\r\nform {n}\r\n".encode()
    return InboundMail(transport="maildir", transport_id=f"cur/{n}", raw=raw)


def handle(database, inbound_id: int, *, lease: LeaseClaim | None = None) -> str:
    """What the run loop will do for a new form: one alert, one event, one acknowledgement."""
    with unit_of_work(database, now=NOW, lease=lease) as work:
        work.start_inbound(inbound_id)
        alert = work.create_alert()
        raised = work.append_event(
            alert.reference,
            NewEvent(
                event_type="alert_raised",
                payload={"stage": 1},
                occurred_at=NOW,
                actor_email="iro@example.gov.uk",
                inbound_id=inbound_id,
            ),
        )
        work.enqueue(
            OutgoingMail(
                message_id=f"<{alert.reference}.ack@alerts.example.gov.uk>",
                purpose="acknowledgement",
                envelope_from="alerts@example.gov.uk",
                envelope_to=("iro@example.gov.uk",),
                raw=f"Subject: {alert.reference} received\r\n\r\nThank you.\r\n".encode(),
                alert_reference=alert.reference,
                caused_by_event_id=raised.id,
            )
        )
        work.finish_inbound(inbound_id, "processed", outcome=f"form accepted as {alert.reference}")
    return alert.reference


def test_a_handled_message_records_everything_at_once(database) -> None:
    with database._write_session() as session:
        acquire_lease(session, name=MAILBOX_LEASE, holder="me", now=NOW, ttl=dt.timedelta(minutes=1))
        stored = store_inbound(session, form_message(1), now=NOW)
    reference = handle(database, stored.id, lease=LeaseClaim(name=MAILBOX_LEASE, holder="me"))
    with database._read_session() as session:
        [event] = alert_events(session, reference)
        [ack] = outbox_for_alert(session, reference)
        inbound = get_inbound(session, stored.id)
    assert event.inbound_id == stored.id and ack.caused_by_event_id == event.id
    assert (inbound.status, inbound.outcome) == ("processed", "form accepted as PA-2026-0001")


def test_reading_a_handled_message_again_does_nothing(database) -> None:
    with database._write_session() as session:
        stored = store_inbound(session, form_message(1), now=NOW)
    handle(database, stored.id)
    with database._write_session() as session:
        again = store_inbound(session, form_message(1), now=NOW + dt.timedelta(hours=1))
    assert not again.is_new and again.status == "processed"
    with pytest.raises(InboundStateError, match="already processed"):
        handle(database, again.id)
    with database._read_session() as session:
        assert len(list_alerts(session)) == 1
        assert len(events_after(session)) == 1
        assert unfinished_inbound(session) == []


def test_a_failure_part_way_leaves_the_message_to_be_handled_again(database) -> None:
    with database._write_session() as session:
        stored = store_inbound(session, form_message(1), now=NOW)
    with pytest.raises(RuntimeError), unit_of_work(database, now=NOW) as work:
        work.start_inbound(stored.id)
        alert = work.create_alert()
        work.append_event(alert.reference, NewEvent(event_type="alert_raised", payload={}, occurred_at=NOW))
        raise RuntimeError("the letter template could not be rendered")
    with database._read_session() as session:
        assert [m.id for m in unfinished_inbound(session)] == [stored.id]
        assert list_alerts(session) == []
    assert handle(database, stored.id) == "PA-2026-0001"


def _handle_all(url: str, inbound_ids: list[int], barrier, results) -> None:
    database = open_database(url, migrate=False)
    handled, refused = [], []
    try:
        barrier.wait(timeout=60)
        for inbound_id in inbound_ids:
            try:
                handled.append((inbound_id, handle(database, inbound_id)))
            except InboundStateError:
                refused.append(inbound_id)
            time.sleep(0.002)  # pacing only: lets SQLite's busy handler give the other process a turn
        results.put((handled, refused))
    except BaseException as error:
        results.put(repr(error))
    finally:
        database.dispose()


def test_two_processes_racing_for_the_same_messages_handle_each_once(database, database_url: str) -> None:
    with database._write_session() as session:
        ids = [store_inbound(session, form_message(n), now=NOW).id for n in range(15)]
    database.dispose()
    barrier = FORK.Barrier(2)
    results = FORK.Queue()
    workers = [FORK.Process(target=_handle_all, args=(database_url, ids, barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    handled = [pair for outcome in outcomes for pair in outcome[0]]
    assert sorted(i for i, _ in handled) == ids  # each message handled by exactly one process
    assert sorted(r for _, r in handled) == [f"PA-2026-{n:04d}" for n in range(1, 16)]
    with database._write_session() as session:
        assert len(events_after(session)) == 15
        assert len(claim_due(session, now=NOW, limit=100)) == 15
        assert unfinished_inbound(session) == []
