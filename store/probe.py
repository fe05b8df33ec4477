"""For ``practice-alerts check``: is the database reachable, migrated to this version, and writable?

Nothing is changed: the schema is compared with this code's newest migration (not upgraded), and
the write test happens inside a transaction that is always rolled back.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from sqlalchemy import delete, insert
from sqlalchemy.exc import SQLAlchemyError

from .db import Database, _first_line, create_database_engine
from .errors import StorageConfigError
from .migrations import current_revision, head_revision
from .tables import ServiceLease

_PROBE = "practice-alerts-check"


def database_problems(url: str, now: dt.datetime) -> list[str]:
    """One sentence per problem; an empty list when the database is ready for the service."""
    try:
        database = Database(create_database_engine(url))
    except StorageConfigError as exc:
        return [str(exc)]
    where = database.engine.url.render_as_string(hide_password=True)
    if database.dialect == "sqlite" and not Path(database.engine.url.database or "").is_file():
        database.dispose()
        folder = Path(database.engine.url.database or "").parent
        if os.access(folder, os.W_OK | os.X_OK):
            return []  # a new installation: the service creates the file at start-up
        return [f"The database file {database.engine.url.database} does not exist and its folder {folder} cannot be "
                "written to by this user; give the service's user write permission there."]
    try:
        try:
            revision = current_revision(database)
        except SQLAlchemyError as exc:
            return [f"Cannot reach the database {where}: {_first_line(exc)}. Check the URL and that the server runs."]
        head = head_revision()
        if revision is None:
            return []  # a new, empty database: the service creates its tables at start-up
        if revision != head:
            return [f"The database {where} is at schema version {revision}, but this version of Practice Alerts "
                    f"needs {head}: start the service once to migrate it (back it up first)."]
        try:
            with database.engine.connect() as connection:
                with connection.begin() as transaction:
                    connection.execute(insert(ServiceLease).values(name=_PROBE, holder=_PROBE, generation=0,
                                                                   acquired_at=now, expires_at=now))
                    connection.execute(delete(ServiceLease).where(ServiceLease.name == _PROBE))
                    transaction.rollback()
        except SQLAlchemyError as exc:
            return [f"The database {where} cannot be written to: {_first_line(exc)}. Check the account's "
                    "permissions (and, for SQLite, that the file and its folder are writable)."]
        return []
    finally:
        database.dispose()
