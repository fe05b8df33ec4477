"""Two service-like processes share one database and the stored messages of one mailbox: only
the lease holder handles mail; when it is killed the other takes over; nothing is lost or doubled.

The processes share a test clock (seconds after NOW) that only the test moves, so the lease
expires exactly when the test says, however slow the machine is. Who handled a message is read
back from the database (the outcome names the process), never from a pipe a killed process
might have left half-written.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import time

from sqlalchemy import func, select

from practice_alerts.store import (
    MAILBOX_LEASE,
    InboundMail,
    InboundStateError,
    LeaseClaim,
    LeaseLostError,
    NewEvent,
    open_database,
    unit_of_work,
)
from practice_alerts.store.inbound import store_inbound, unfinished_inbound
from practice_alerts.store.lease import acquire_lease, current_lease
from practice_alerts.store.references import list_alerts
from practice_alerts.store.tables import AlertEvent, InboundMessage

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
TTL = dt.timedelta(seconds=30)
MESSAGES = 24
FORK = multiprocessing.get_context("fork")


def _service(url: str, holder: str, clock, stop) -> None:
    """A stand-in for the run loop: renew the lease, then handle one waiting message under it."""
    database = open_database(url, migrate=False)
    claim = LeaseClaim(name=MAILBOX_LEASE, holder=holder)
    while not stop.is_set():
        now = NOW + dt.timedelta(seconds=clock.value)
        with database._write_session() as session:
            held = acquire_lease(session, name=MAILBOX_LEASE, holder=holder, now=now, ttl=TTL)
        with database._read_session() as session:
            waiting = unfinished_inbound(session, limit=1) if held else []
        if waiting:
            try:
                with unit_of_work(database, now=now, lease=claim) as work:
                    work.start_inbound(waiting[0].id)
                    alert = work.create_alert()
                    work.append_event(
                        alert.reference,
                        NewEvent(event_type="alert_raised", payload={}, occurred_at=now, inbound_id=waiting[0].id),
                    )
                    work.finish_inbound(waiting[0].id, "processed", outcome=f"handled by {holder}")
            except (LeaseLostError, InboundStateError):
                pass
        time.sleep(0.01)  # the run loop's poll interval, shortened


def _handlers(database) -> dict[int, str]:
    """Which process handled each processed message, from the outcome text."""
    with database._read_session() as session:
        rows = session.execute(
            select(InboundMessage.id, InboundMessage.outcome).where(InboundMessage.status == "processed")
        ).all()
    return {inbound_id: outcome.removeprefix("handled by ") for inbound_id, outcome in rows}


def _wait_until_handled(database, count: int) -> dict[int, str]:
    deadline = time.monotonic() + 120
    while len(handled := _handlers(database)) < count:
        assert time.monotonic() < deadline, f"only {len(handled)} of {count} messages were handled"
        time.sleep(0.05)
    return handled


def test_the_standby_takes_over_from_a_killed_holder_without_loss_or_doubling(database, database_url: str) -> None:
    with database._write_session() as session:
        for n in range(MESSAGES):
            raw = f"Message-ID: <form-{n}@iro.example.gov.uk>\r\n\r\nform {n}\r\n".encode()
            store_inbound(session, InboundMail(transport="maildir", transport_id=str(n), raw=raw), now=NOW)
    database.dispose()
    clock, stop = FORK.Value("d", 0.0), FORK.Event()
    services = {name: FORK.Process(target=_service, args=(database_url, name, clock, stop)) for name in ("a", "b")}
    for service in services.values():
        service.start()
    try:
        _wait_until_handled(database, 5)
        with database._read_session() as session:
            lease = current_lease(session, MAILBOX_LEASE)
        assert lease is not None
        first_holder = lease.holder
        os.kill(services[first_holder].pid, signal.SIGKILL)  # perhaps in the middle of a message
        services[first_holder].join(timeout=30)
        before_kill = _handlers(database)
        clock.value = TTL.total_seconds() + 1  # the dead holder's lease has now expired
        handled = _wait_until_handled(database, MESSAGES)
    finally:
        stop.set()
        for service in services.values():
            service.join(timeout=30)
            if service.is_alive():
                service.kill()
    survivor = ({"a", "b"} - {first_holder}).pop()
    assert set(before_kill.values()) == {first_holder}  # the standby handled nothing meanwhile
    assert {handled[i] for i in handled if i not in before_kill} <= {survivor}
    with database._read_session() as session:
        assert unfinished_inbound(session) == []
        assert session.scalar(select(func.count()).select_from(AlertEvent)) == MESSAGES
        assert [a.number for a in list_alerts(session)] == list(range(1, MESSAGES + 1))
        events_per_message = session.execute(
            select(AlertEvent.inbound_message_id, func.count()).group_by(AlertEvent.inbound_message_id)
        ).all()
        lease = current_lease(session, MAILBOX_LEASE)
    assert len(events_per_message) == MESSAGES and all(count == 1 for _, count in events_per_message)
    assert lease is not None and (lease.holder, lease.generation) == (survivor, 2)
