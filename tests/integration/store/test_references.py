"""PA-YYYY-NNNN references: per year, in order, without gaps or duplicates, across processes."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time

import pytest

from practice_alerts.store import find_reference, open_database, unit_of_work
from practice_alerts.store.references import create_alert, list_alerts

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
FORK = multiprocessing.get_context("fork")


class Boom(Exception):
    pass


def test_references_count_up_per_year(database) -> None:
    new_year = dt.datetime(2027, 1, 1, 0, 0, 1, tzinfo=dt.timezone.utc)
    with database._write_session() as session:
        made = [create_alert(session, now=NOW).reference for _ in range(3)]
        made.append(create_alert(session, now=new_year).reference)
        made.append(create_alert(session, now=NOW).reference)
    assert made == ["PA-2026-0001", "PA-2026-0002", "PA-2026-0003", "PA-2027-0001", "PA-2026-0004"]


def test_a_rolled_back_alert_leaves_no_gap(database) -> None:
    with database._write_session() as session:
        create_alert(session, now=NOW)
    with pytest.raises(Boom), database._write_session() as session:
        assert create_alert(session, now=NOW).reference == "PA-2026-0002"
        raise Boom
    with database._write_session() as session:
        assert create_alert(session, now=NOW).reference == "PA-2026-0002"
    with database._read_session() as session:
        assert [a.number for a in list_alerts(session, year=2026)] == [1, 2]


def test_references_are_found_in_subject_lines() -> None:
    assert find_reference("RE: Practice alert pa-2026-0042 – stage 2") == "PA-2026-0042"
    assert find_reference("Re: PA-2026-12345") == "PA-2026-12345"
    assert find_reference("PA-26-1 is not one") is None


def _allocate(url: str, rounds: int, barrier, results) -> None:
    database = open_database(url, migrate=False)
    made: list[str] = []
    try:
        barrier.wait(timeout=60)
        for n in range(rounds):
            try:
                with unit_of_work(database, now=NOW) as work:
                    reference = work.create_alert().reference
                    if n % 5 == 4:  # every fifth transaction fails after taking a number
                        raise Boom
                    made.append(reference)
            except Boom:
                pass
            time.sleep(0.005)  # pacing only: lets SQLite's busy handler give the other process a turn
        results.put(made)
    except BaseException as error:  # report, so the parent fails with the reason
        results.put(repr(error))
    finally:
        database.dispose()


def test_two_processes_allocate_without_gaps_or_duplicates(database, database_url: str) -> None:
    database.dispose()  # no pooled connection may cross the fork
    rounds = 40
    barrier = FORK.Barrier(2)
    results = FORK.Queue()
    workers = [FORK.Process(target=_allocate, args=(database_url, rounds, barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert all(isinstance(o, list) for o in outcomes), outcomes
    committed = [reference for outcome in outcomes for reference in outcome]
    expected = 2 * rounds * 4 // 5
    assert len(committed) == expected
    assert sorted(committed) == [f"PA-2026-{n:04d}" for n in range(1, expected + 1)]
    with database._read_session() as session:
        assert [a.reference for a in list_alerts(session)] == sorted(committed)
