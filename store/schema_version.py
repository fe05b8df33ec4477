"""Is the database already at this code's newest schema? Answered without running Alembic.

Read-only commands (``status``, ``health``, ``alert show``, ``metrics``) open the database many
times a day, and an Alembic upgrade (loading the scripts and their environment) costs more than
everything else they do. The newest revision is read from the migration files' ``revision`` /
``down_revision`` lines, and the database's from ``alembic_version``; only when they differ does
Alembic run (to migrate, as before).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from .db import Database

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_REVISION = re.compile(r'^revision(?:: [^=]+)? = "([^"]+)"', re.M)
_DOWN = re.compile(r"^down_revision(?:: [^=]+)? = (.*)$", re.M)


@cache
def head_from_files() -> str | None:
    """The one revision no other revises; None if there is not exactly one (let Alembic decide)."""
    revisions, revised = set(), set()
    for path in VERSIONS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = _DOWN.search(source)
        if down is not None:
            revised.update(re.findall(r'"([^"]+)"', down.group(1)))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def is_current(database: Database) -> bool:
    """True when the database's schema is the newest this code knows (False if unsure)."""
    head = head_from_files()
    if head is None:
        return False
    try:
        with database.engine.connect() as connection:
            versions = [row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))]
    except SQLAlchemyError:
        return False  # no such table yet: a new database
    return versions == [head]
