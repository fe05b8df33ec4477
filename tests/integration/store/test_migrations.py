"""Migrations build the schema from empty, agree with the models, and run safely twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from practice_alerts.store import StorageConfigError, database_url, open_database
from practice_alerts.store.migrations import current_revision, downgrade, head_revision, upgrade
from practice_alerts.store.tables import Base

TABLES = {"alerts", "alert_events", "inbound_messages", "outbox", "reference_counters", "service_leases", "heartbeats"}


def test_an_empty_database_is_migrated_to_the_newest_schema(database_url: str) -> None:
    database = open_database(database_url, migrate=False)
    try:
        assert current_revision(database) is None
        upgrade(database)
        assert current_revision(database) == head_revision()
        assert TABLES <= set(inspect(database.engine).get_table_names())
        upgrade(database)  # a second start-up finds nothing to do
        assert current_revision(database) == head_revision()
    finally:
        database.dispose()


def test_the_migrated_schema_matches_the_models(database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_downgrade_to_base_empties_and_upgrade_rebuilds(database) -> None:
    downgrade(database, "base")
    assert not TABLES & set(inspect(database.engine).get_table_names())
    upgrade(database)
    assert TABLES <= set(inspect(database.engine).get_table_names())


def test_a_plain_path_means_a_sqlite_file(tmp_path: Path) -> None:
    assert database_url(tmp_path / "a.sqlite3").get_backend_name() == "sqlite"
    assert database_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert database_url("postgres://u@h/db").drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("", "empty"),
        ("sqlite://", "in-memory"),
        ("mysql://u@h/db", "'mysql'"),
    ],
)
def test_unusable_database_urls_are_refused_in_plain_words(url: str, complaint: str) -> None:
    with pytest.raises(StorageConfigError, match=complaint):
        database_url(url)


def test_a_sqlite_file_in_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "db.sqlite3"
    with pytest.raises(StorageConfigError, match="nowhere"):
        open_database(missing)


def test_an_unreachable_server_is_reported_as_a_setting_to_check() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StorageConfigError, match="Check the database URL") as raised:
        open_database("postgresql://practice:secret@127.0.0.1:1/nothing?connect_timeout=3")
    assert "secret" not in str(raised.value)


def test_the_store_never_reads_the_clock() -> None:
    import practice_alerts.store as store

    folder = Path(store.__file__).parent
    for source in folder.rglob("*.py"):
        text = source.read_text()
        for forbidden in ("datetime.now", "dt.datetime.now", "utcnow", "time.time(", "date.today"):
            assert forbidden not in text, f"{source.name} reads the clock ({forbidden})"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    database = open_database(tmp_path / "db.sqlite3")
    try:
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    finally:
        database.dispose()


def test_naive_datetimes_are_refused(database) -> None:
    from practice_alerts.store.references import create_alert

    with pytest.raises(ValueError, match="timezone-aware"), database._write_session() as session:
        create_alert(session, now=dt.datetime(2026, 3, 2, 9, 0))


def _start_up(url: str, barrier, results) -> None:
    try:
        barrier.wait(timeout=60)
        database = open_database(url)
        database.dispose()
        results.put("ok")
    except BaseException as error:
        results.put(repr(error))


def test_two_processes_starting_on_an_empty_database_both_come_up(database_url: str) -> None:
    import multiprocessing

    fork = multiprocessing.get_context("fork")
    barrier, results = fork.Barrier(2), fork.Queue()
    starters = [fork.Process(target=_start_up, args=(database_url, barrier, results)) for _ in range(2)]
    for starter in starters:
        starter.start()
    outcomes = [results.get(timeout=120) for _ in starters]
    for starter in starters:
        starter.join(timeout=30)
    assert outcomes == ["ok", "ok"]
    database = open_database(database_url, migrate=False)
    try:
        assert current_revision(database) == head_revision()
    finally:
        database.dispose()
