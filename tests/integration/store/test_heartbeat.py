"""The last poll is a heartbeat (its own small table), carried over from the lease row it used to be."""

from __future__ import annotations

import datetime as dt

from practice_alerts.store import LAST_POLL, open_database, unit_of_work
from practice_alerts.store.health_facts import health_facts
from practice_alerts.store.migrations import upgrade
from practice_alerts.store.tables import ServiceLease

T1 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.timezone.utc)
T2 = dt.datetime(2026, 12, 7, 9, 5, tzinfo=dt.timezone.utc)


def test_a_heartbeat_keeps_the_latest_moment(database) -> None:
    with database._read_session() as session:
        assert health_facts(session).last_poll is None
    with unit_of_work(database, now=T1) as work:
        work.beat(LAST_POLL)
    with unit_of_work(database, now=T2) as work:
        work.beat(LAST_POLL)
    with database._read_session() as session:
        assert health_facts(session).last_poll == T2


def test_the_old_last_poll_lease_row_becomes_a_heartbeat(database_url: str) -> None:
    database = open_database(database_url, migrate=False)
    try:
        upgrade(database, "0001")
        with database._write_session() as session:
            session.add(ServiceLease(name=LAST_POLL, holder="old", generation=1, acquired_at=T1, expires_at=T1))
            session.add(ServiceLease(name="mailbox", holder="p1", generation=3, acquired_at=T1, expires_at=T2))
        upgrade(database)
        with database._read_session() as session:
            assert health_facts(session).last_poll == T1
            assert [lease.name for lease in session.query(ServiceLease)] == ["mailbox"]
    finally:
        database.dispose()
