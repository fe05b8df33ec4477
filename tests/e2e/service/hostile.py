"""A service harness on SQLite or PostgreSQL, and the hostile messages the issue-12 tests drop in."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from practice_alerts import demo_mail

from .conftest import MAILBOX, Harness

POSTGRES_ENV = "PRACTICE_ALERTS_TEST_POSTGRES_URL"
IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def _libpq(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme.split('+')[0]}://{rest}"


def _postgres_skip() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return f"{POSTGRES_ENV} is not set"
    import psycopg

    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            return None
    except psycopg.OperationalError as error:
        return f"PostgreSQL unreachable: {str(error).strip()[:80]}"


BACKENDS = ["sqlite", pytest.param("postgresql", marks=[
    pytest.mark.postgres, pytest.mark.skipif(_postgres_skip() is not None, reason=str(_postgres_skip()))])]


@pytest.fixture(params=BACKENDS)
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness]:
    """A rutland service whose database is a SQLite file or a fresh PostgreSQL schema."""
    url = None
    schema = f"pa_i12_{uuid.uuid4().hex[:12]}"
    if request.param == "postgresql":
        import psycopg

        server = _libpq(os.environ[POSTGRES_ENV])
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    folder = tmp_path / "svc"
    if url is not None:
        from practice_alerts.commands.demo import prepare

        config_file = prepare(folder, "rutland")
        data = yaml.safe_load(config_file.read_text())
        data["database"] = url
        config_file.write_text(yaml.safe_dump(data))
    harness = Harness(folder, "rutland", T0, keep_config=url is not None)
    try:
        yield harness
    finally:
        harness.close()
        if url is not None:
            import psycopg

            with psycopg.connect(_libpq(os.environ[POSTGRES_ENV]), autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def good_form(harness: Harness, message_id: str, at: dt.datetime = T0) -> bytes:
    values = demo_mail.form_values(harness.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW,
                                   team_manager=None, raised=at.date())
    form = demo_mail.filled_form(harness.ctx.policy, values)
    return demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=at, message_id=message_id)


def plain(message_id_line: bytes, body: bytes = b"Hello.\r\n", sender: bytes = b"someone@outside.example") -> bytes:
    return (b"From: " + sender + b"\r\nTo: " + MAILBOX.encode() + b"\r\nSubject: hello\r\n" + message_id_line
            + b"Date: Mon, 30 Nov 2026 09:00:00 +0000\r\n\r\n" + body)
