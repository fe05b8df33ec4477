"""Schema migrations (Alembic), run from code at start-up: no alembic.ini is needed.

``upgrade(database)`` brings any database, empty or older, to the newest schema. Two processes
starting at once are safe: on PostgreSQL the run holds an advisory lock, on SQLite the
migration transaction starts with ``BEGIN IMMEDIATE``; the second finds the work done.

Alembic is imported only when a migration really runs: a read-only command finds the schema
current through ``schema_version`` and never pays for loading it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # db opens the database through upgrade() here
    from alembic.config import Config

    from ..db import Database

MIGRATIONS_FOLDER = Path(__file__).resolve().parent


def alembic_config() -> Config:
    """A programmatic Alembic configuration pointing at this folder (for tools and tests)."""
    from alembic.config import Config  # noqa: PLC0415 - Alembic loads only when a migration runs

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` (the newest by default)."""
    from alembic import command  # noqa: PLC0415 - Alembic loads only when a migration runs

    config = alembic_config()
    with database.engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(database: Database, revision: str) -> None:
    """Undo migrations down to ``revision`` ("base" empties the schema). For development only."""
    from alembic import command  # noqa: PLC0415 - Alembic loads only when a migration runs

    config = alembic_config()
    with database.engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def head_revision() -> str:
    """The newest revision this code knows."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415 - Alembic loads only when asked

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(database: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415 - Alembic loads only when asked

    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
