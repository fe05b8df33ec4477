"""Histories read back from SQLite and from PostgreSQL give the same figures as the ones written.

PostgreSQL runs when PRACTICE_ALERTS_TEST_POSTGRES_URL points at a reachable server (each run in
its own schema, dropped afterwards); otherwise that variant is skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest

from practice_alerts.pipeline.writing import record_history
from practice_alerts.policies.time_zone import LONDON
from practice_alerts.reports.build import tracker_cells
from practice_alerts.reports.load import histories_from_database, read_alerts
from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.quarterly import quarterly_figures, report_window
from practice_alerts.store import open_database, unit_of_work

ENV = "PRACTICE_ALERTS_TEST_POSTGRES_URL"


def _libpq(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme.split('+')[0]}://{rest}"


def _postgres_skip() -> str | None:
    url = os.environ.get(ENV)
    if not url:
        return f"{ENV} is not set; the PostgreSQL variant needs a server"
    try:
        import psycopg

        with psycopg.connect(_libpq(url), connect_timeout=3):
            return None
    except ImportError:
        return "psycopg is not installed (pip install 'practice-alerts[postgres]')"
    except Exception as error:  # noqa: BLE001 - any failure to connect means: skip, saying why
        return f"PostgreSQL at {ENV} is unreachable: {str(error).strip().splitlines()[0] if str(error).strip() else error!r}"


SKIP = _postgres_skip()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[
    pytest.mark.postgres, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")])])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield str(tmp_path / "alerts.db")
        return
    import psycopg

    server, schema = _libpq(os.environ[ENV]), f"pa_reports_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _stored(url, histories):
    """A database holding ``histories`` as the service stores them."""
    database = open_database(url)
    with unit_of_work(database, now=dt.datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)) as work:
        for history in histories:
            reference = work.create_alert().reference
            record_history(work, reference, history.events, history.records)
    return database


def test_the_same_figures_from_the_store(url, histories, policy, calendar):
    database = _stored(url, histories)
    try:
        quarter = Quarter.parse("2026-Q4")
        read, problems = histories_from_database(database, records_after=quarter.previous().previous().previous().as_of)
    finally:
        database.dispose()
    assert problems == []
    assert quarterly_figures(read, policy, None, calendar, quarter) == quarterly_figures(histories, policy, None, calendar, quarter)


def test_read_one_at_a_time_the_same_as_written(url, histories, policy, calendar):
    """The commands' streamed read (only the alerts a report can count, and records only for the alerts
    that stood otherwise at one of its moments) gives the same figures and tracker as the whole history:
    quarters before, during and after the history (UK quarter ends against UTC columns), open and closed alerts."""
    database = _stored(url, histories)
    try:
        for key in ("2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1", "2027-Q3", "2027-Q4"):
            quarter = Quarter.parse(key)
            moments, start, end = report_window(quarter)
            read = read_alerts(database, moments=moments, active_since=start, raised_before=end)
            assert quarterly_figures(read, policy, None, calendar, quarter) == quarterly_figures(
                histories, policy, None, calendar, quarter), key
        for moment in (dt.datetime(2026, 9, 30, 23, 30, tzinfo=LONDON), dt.datetime(2027, 1, 4, 12, 0, tzinfo=LONDON)):
            streamed, problems = tracker_cells(read_alerts(database), policy, calendar, moment)
            whole, _ = tracker_cells(histories_from_database(database)[0], policy, calendar, moment)
            assert problems == [] and streamed.rows == whole.rows and len(streamed.rows) > 0
    finally:
        database.dispose()
