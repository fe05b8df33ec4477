"""Fixtures for the storage tests: the same tests on a SQLite file and on PostgreSQL.

PostgreSQL runs when PRACTICE_ALERTS_TEST_POSTGRES_URL points at a reachable server; each test
gets its own freshly created schema (dropped afterwards), so parallel runs never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_ENV = "PRACTICE_ALERTS_TEST_POSTGRES_URL"


def _postgres_skip_reason() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return f"{POSTGRES_ENV} is not set; the PostgreSQL variants need a server"
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'practice-alerts[postgres]')"
    try:
        with psycopg.connect(_libpq_url(url), connect_timeout=3):
            pass
    except psycopg.OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return f"PostgreSQL at {POSTGRES_ENV} is unreachable: {first_line}"
    return None


def _libpq_url(url: str) -> str:
    """psycopg wants the plain libpq form, without SQLAlchemy's +driver suffix."""
    scheme, _, rest = url.partition("://")
    return f"{scheme.split('+')[0]}://{rest}"


_POSTGRES_SKIP = _postgres_skip_reason()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(_POSTGRES_SKIP is not None, reason=_POSTGRES_SKIP or ""),
            ],
        ),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'practice-alerts.sqlite3'}"
        return
    import psycopg

    server = _libpq_url(os.environ[POSTGRES_ENV])
    schema = f"pa_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def database(database_url: str):
    """The migrated database at ``database_url``, disposed after the test."""
    from practice_alerts.store import open_database

    db = open_database(database_url)
    try:
        yield db
    finally:
        db.dispose()
