"""Copies of the database for backup and restore.

SQLite: the online backup API copies a consistent snapshot while the service keeps running (it
holds no lock for long and sees a WAL-mode database correctly). PostgreSQL is backed up with the
server's own ``pg_dump``: :func:`pg_dump_command` says what to run, password left out.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import URL

from .db import database_url
from .errors import StorageConfigError


def sqlite_file(url: str) -> Path | None:
    """The SQLite file a database setting names, or None for PostgreSQL."""
    parsed = database_url(url)
    return Path(parsed.database or "") if parsed.get_backend_name() == "sqlite" else None


def backup_sqlite(url: str, dest: Path) -> None:
    """A consistent copy of the SQLite database at ``url`` in ``dest`` (a new file)."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        raise StorageConfigError(f"There is no SQLite database file to back up at {path}.")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(dest)
    try:
        with target:
            source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file in the archive
    finally:
        target.close()
        source.close()


def check_sqlite_copy(path: Path) -> str | None:
    """None if ``path`` is a sound SQLite database with our tables, else what is wrong with it."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return f"it is not a SQLite database ({exc})"
    if not result or result[0] != "ok":
        return f"its integrity check failed ({result[0] if result else 'no answer'})"
    if "alert_events" not in tables:
        return "it holds no Practice Alerts tables"
    return None


def _libpq_url(url: str) -> str:
    """The URL as libpq tools take it, without the password (they read PGPASSWORD or ~/.pgpass)."""
    parsed = database_url(url)
    return URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                      database=parsed.database).render_as_string(hide_password=False)


def pg_dump_command(url: str, out: str) -> list[str]:
    """The pg_dump command line for a PostgreSQL setting."""
    return ["pg_dump", "--format=custom", f"--file={out}", _libpq_url(url)]


def pg_restore_command(url: str, dump: str) -> list[str]:
    return ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq_url(url)}", dump]
