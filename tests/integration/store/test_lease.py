"""Only one service process holds the mailbox lease; another takes over when it expires."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal

import pytest
from sqlalchemy import text

from practice_alerts.store import (
    DatabaseUnavailableError,
    LeaseClaim,
    LeaseLostError,
    NewEvent,
    open_database,
    unit_of_work,
)
from practice_alerts.store.lease import acquire_lease, current_lease, release_lease, require_lease
from practice_alerts.store.references import list_alerts

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
TTL = dt.timedelta(seconds=30)
SECOND = dt.timedelta(seconds=1)
FORK = multiprocessing.get_context("fork")


def take(database, holder: str, now: dt.datetime, name: str = "mailbox"):
    with database._write_session() as session:
        return acquire_lease(session, name=name, holder=holder, now=now, ttl=TTL)


def test_the_holder_renews_and_others_wait_for_the_expiry(database) -> None:
    first = take(database, "a", NOW)
    assert first is not None and (first.holder, first.generation, first.expires_at) == ("a", 1, NOW + TTL)
    assert take(database, "b", NOW + 10 * SECOND) is None
    renewed = take(database, "a", NOW + 20 * SECOND)
    assert renewed is not None and renewed.expires_at == NOW + 50 * SECOND and renewed.generation == 1
    assert take(database, "b", NOW + 49 * SECOND) is None
    taken = take(database, "b", NOW + 50 * SECOND)
    assert taken is not None and (taken.holder, taken.generation, taken.acquired_at) == ("b", 2, NOW + 50 * SECOND)
    assert take(database, "a", NOW + 51 * SECOND) is None  # the old holder lost it


def test_a_released_lease_can_be_taken_at_once(database) -> None:
    take(database, "a", NOW)
    with database._write_session() as session:
        assert release_lease(session, name="mailbox", holder="a", now=NOW + SECOND)
        assert not release_lease(session, name="mailbox", holder="b", now=NOW + SECOND)
    taken = take(database, "b", NOW + SECOND)
    assert taken is not None and taken.holder == "b"


def test_work_under_a_lost_lease_is_refused_and_rolled_back(database) -> None:
    take(database, "a", NOW)
    take(database, "b", NOW + TTL)  # a stalled; b took over
    with pytest.raises(LeaseLostError, match="another service process"):
        with unit_of_work(database, now=NOW + TTL, lease=LeaseClaim(name="mailbox", holder="a")) as work:
            work.create_alert()
    with unit_of_work(database, now=NOW + TTL, lease=LeaseClaim(name="mailbox", holder="b")) as work:
        alert = work.create_alert()
        work.append_event(alert.reference, NewEvent(event_type="alert_raised", payload={}, occurred_at=NOW))
    with database._read_session() as session:
        assert [a.reference for a in list_alerts(session)] == ["PA-2026-0001"]


def test_a_takeover_waits_for_the_holders_work_in_progress(database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("on SQLite the whole file is locked while the work is in progress (no row locks)")
    take(database, "a", NOW)
    with database._write_session() as work_in_progress:
        require_lease(work_in_progress, name="mailbox", holder="a")
        with pytest.raises(DatabaseUnavailableError, match="lock"), database._write_session() as standby:
            standby.execute(text("SET LOCAL lock_timeout = '200ms'"))
            acquire_lease(standby, name="mailbox", holder="b", now=NOW + 2 * TTL, ttl=TTL)
    taken = take(database, "b", NOW + 2 * TTL)  # once the work has committed, the takeover goes ahead
    assert taken is not None and taken.holder == "b"


def _contend(url: str, holder: str, rounds: int, barrier, results) -> None:
    database = open_database(url, migrate=False)
    won: list[int] = []
    try:
        for n in range(rounds):
            barrier.wait(timeout=60)
            if take(database, holder, NOW, name=f"round-{n}") is not None:
                won.append(n)
        results.put((holder, won))
    except BaseException as error:
        results.put((holder, repr(error)))
    finally:
        database.dispose()


def test_two_processes_asking_at_once_never_both_hold_the_lease(database, database_url: str) -> None:
    database.dispose()
    rounds = 30
    barrier = FORK.Barrier(2)
    results = FORK.Queue()
    workers = [
        FORK.Process(target=_contend, args=(database_url, holder, rounds, barrier, results)) for holder in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
    assert all(isinstance(won, list) for won in outcomes.values()), outcomes
    assert sorted(outcomes["a"] + outcomes["b"]) == list(range(rounds))  # exactly one winner each round
    with database._read_session() as session:
        for n in range(rounds):
            lease = current_lease(session, f"round-{n}")
            assert lease is not None and lease.holder == ("a" if n in outcomes["a"] else "b")


def _hold_until_killed(url: str, ready) -> None:
    database = open_database(url, migrate=False)
    took = take(database, "doomed", NOW)
    ready.put(took is not None)
    signal.pause()


def test_a_killed_holder_is_replaced_after_its_lease_expires(database, database_url: str) -> None:
    database.dispose()
    ready = FORK.Queue()
    holder = FORK.Process(target=_hold_until_killed, args=(database_url, ready))
    holder.start()
    try:
        assert ready.get(timeout=60) is True
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.join(timeout=30)
    assert take(database, "standby", NOW + TTL - SECOND) is None
    taken = take(database, "standby", NOW + TTL)
    assert taken is not None and (taken.holder, taken.generation) == ("standby", 2)
