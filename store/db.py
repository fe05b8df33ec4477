"""Opening the database: one URL, SQLite by default, PostgreSQL the same way.

Every write goes through one transaction (``unit_of_work``, on :meth:`Database._write_session`). On
SQLite that transaction starts with ``BEGIN IMMEDIATE``, so writers queue on the busy timeout instead
of failing half-way when a read lock cannot be upgraded; on PostgreSQL it is an ordinary READ
COMMITTED transaction and the modules take row locks where they need them. The file is opened in WAL mode with foreign keys on
and ``synchronous=FULL`` (a committed event or outbox row survives a power cut).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DataError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from .errors import DatabaseUnavailableError, StorageConfigError, UnstorableValueError
from .migrations import upgrade
from .reads import StoreReads
from .schema_version import is_current

Dialect = Literal["sqlite", "postgresql"]

SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
_WAL_RETRY_PAUSE_SECONDS = 0.05
_WAL_ATTEMPTS = int(SQLITE_BUSY_TIMEOUT_SECONDS / _WAL_RETRY_PAUSE_SECONDS)
_BEGIN_OPTION = "practice_alerts_sqlite_begin"


def database_url(url: str | Path) -> URL:
    """The SQLAlchemy URL for a setting: a URL, or a plain path meaning a SQLite file.

    ``postgresql://`` and ``postgres://`` mean psycopg 3. In-memory SQLite is refused: every
    connection would see a different, empty database.
    """
    text = str(url).strip()
    if not text:
        raise StorageConfigError("The database URL is empty: give a SQLite file path or a PostgreSQL URL.")
    if "://" not in text:
        text = f"sqlite:///{Path(text).expanduser()}"
    elif text.startswith("postgres://"):
        text = "postgresql://" + text.removeprefix("postgres://")
    try:
        parsed = make_url(text)
    except ArgumentError as error:
        raise StorageConfigError(f"The database URL {_redacted(text)} is not a valid URL: {error}") from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StorageConfigError(
            f"The database URL {_redacted(text)} uses {backend!r}; use a SQLite file or PostgreSQL."
        )
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise StorageConfigError("The database URL names an in-memory SQLite database; give a file path.")
    return parsed


def _redacted(text: str) -> str:
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable)"


class Database:
    """An engine plus the two ways to use it: a write transaction and a read-only snapshot."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        options: dict[str, Any] = {_BEGIN_OPTION: "DEFERRED"}
        if engine.dialect.name == "postgresql":
            options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        self._reader = engine.execution_options(**options)

    @property
    def dialect(self) -> Dialect:
        name = self.engine.dialect.name
        assert name in ("sqlite", "postgresql"), name
        return name  # type: ignore[return-value]

    @contextmanager
    def reading(self) -> Iterator[StoreReads]:
        """A consistent snapshot for reading, through :class:`StoreReads`' methods: never takes the
        SQLite write lock; on PostgreSQL a read-only REPEATABLE READ transaction. Always rolled back.
        (Writes go through ``unit_of_work``: no session leaves store/.)"""
        with self._read_session() as session:
            yield StoreReads(session)

    @contextmanager
    def _write_session(self) -> Iterator[Session]:
        """One write transaction's session, for store/ (``unit_of_work``) and its tests: committed when
        the block ends, rolled back if it raises.

        A lost connection, a lock wait past the timeout or a deadlock becomes
        :class:`DatabaseUnavailableError`: try the step again later (a connection lost during
        COMMIT leaves it unknown whether it was saved; the steps are written so that a repeat
        is recognised and refused, not doubled).
        """
        with _translated_errors(), Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _read_session(self) -> Iterator[Session]:
        """The reading snapshot's session, for store/ and its tests (everyone else: :meth:`reading`)."""
        with _translated_errors(), Session(self._reader, expire_on_commit=False) as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        """Close every pooled connection (call before the process ends or forks)."""
        self.engine.dispose()


def create_database_engine(url: str | Path) -> Engine:
    """An engine with this project's connection settings, without running migrations."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return create_engine(parsed, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    path = Path(url.database or "")
    if not path.parent.is_dir():
        raise StorageConfigError(
            f"The folder for the SQLite database {path} does not exist; create it or change the database URL."
        )
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transactions away from the sqlite3 module: we emit BEGIN ourselves below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
        _owner_only(path)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _owner_only(path: Path) -> None:
    """The database file and its WAL and shared-memory files hold personal data: owner only (0600),
    also when they were made before, or by a process with a looser umask."""
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if name.stat().st_mode & 0o077:
                name.chmod(0o600)
        except OSError:  # not there (yet), or not ours: nothing to tighten
            continue


def _switch_to_wal(cursor: Any) -> None:
    """Turn WAL on (it stays on in the file). While another process is creating the file this
    can report "locked" without waiting on the busy timeout, so it is tried again a while."""
    for attempt in range(_WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == _WAL_ATTEMPTS - 1:
                raise
            time.sleep(_WAL_RETRY_PAUSE_SECONDS)


def open_database(url: str | Path, *, migrate: bool = True) -> Database:
    """The database at ``url``, brought up to the latest schema unless ``migrate`` is false."""
    database = Database(create_database_engine(url))
    if migrate:
        if is_current(database):  # nothing to do: Alembic's upgrade need not run
            return database
        try:
            upgrade(database)
        except (OperationalError, InterfaceError) as error:
            database.dispose()
            shown = database.engine.url.render_as_string(hide_password=True)
            if database.dialect == "sqlite" and "locked" in _first_line(error):
                raise StorageConfigError(
                    f"The database file {database.engine.url.database} is locked by another program (another "
                    "practice-alerts process, a backup or a database browser holding it open): close that "
                    "program, or wait for it to finish, and start again."
                ) from error
            raise StorageConfigError(
                f"Could not open the database {shown}: "
                f"{_first_line(error)}. Check the database URL and that the server is running."
            ) from error
    return database


def _first_line(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    text = str(cause).strip()
    return text.splitlines()[0] if text else type(cause).__name__


@contextmanager
def _translated_errors() -> Iterator[None]:
    try:
        yield
    except (OperationalError, InterfaceError) as error:
        raise DatabaseUnavailableError(
            f"The database is unavailable or busy ({_first_line(error)}); try the step again later."
        ) from error
    except DataError as error:  # a value the database cannot hold (a NUL byte, too long): not transient
        raise UnstorableValueError(f"A value could not be stored: {_first_line(error)[:200]}") from error
