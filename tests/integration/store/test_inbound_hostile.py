"""Issue 12: impossible Message-IDs are stored without them; a reused Message-ID hides nothing;
passing faults retry with back-off; a refused value is our own error, not the driver's."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from practice_alerts.rawmail.message_id import message_id_of
from practice_alerts.store import (
    InboundMail,
    InboundRetryPolicy,
    InboundStateError,
    StorageConfigError,
    UnstorableValueError,
    open_database,
)
from practice_alerts.store import db as db_module
from practice_alerts.store.inbound import (
    get_inbound,
    retry_failed_inbound,
    retry_inbound_later,
    store_inbound,
    unfinished_inbound,
)
from practice_alerts.store.tables import InboundMessage

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)


def mail(sender: str, message_id: str, body: str, transport_id: str) -> InboundMail:
    raw = (f"From: {sender}\r\nTo: alerts@example.gov.uk\r\nSubject: x\r\nMessage-ID: {message_id}\r\n\r\n"
           f"{body}\r\n").encode()
    return InboundMail(transport="maildir", transport_id=transport_id, raw=raw)


@pytest.mark.parametrize("raw", [
    b"Message-ID: <a\x00b@host>\r\n\r\nbody",
    b"Message-ID: <" + b"x" * 1200 + b"@host>\r\n\r\nbody",
    b"",
])
def test_impossible_message_ids_and_empty_files_are_stored(database, raw: bytes) -> None:
    with database._write_session() as session:
        stored = store_inbound(session, InboundMail(transport="maildir", transport_id="t1", raw=raw), now=NOW)
    assert stored.is_new and stored.message_id is None and stored.size == len(raw)


def test_message_id_of_reads_only_the_headers() -> None:
    body = b"Message-ID: <in-the-body@host>\r\n" * 10
    assert message_id_of(b"Subject: x\r\n\r\n" + body) is None
    assert message_id_of(b"Subject: x\r\nMessage-Id:\r\n <folded@host>\r\n\r\n" + body) == "<folded@host>"


def test_a_reused_message_id_from_another_sender_is_a_new_message(database) -> None:
    squat = mail("outsider@evil.example", "<decision-1@example.gov.uk>", "I squat", "t1")
    real = mail("dana.reviewer@example.gov.uk", "<decision-1@example.gov.uk>", "Not satisfied", "t2")
    relayed = InboundMail(transport="maildir", transport_id="t3", raw=b"Received: by relay\r\n" + real.raw)
    with database._write_session() as session:
        first = store_inbound(session, squat, now=NOW)
        second = store_inbound(session, real, now=NOW)
        third = store_inbound(session, relayed, now=NOW)
    assert first.is_new and second.is_new and second.id != first.id
    assert not third.is_new and third.id == second.id  # the same message, one more relay header


def test_passing_faults_retry_with_back_off_then_fail(database) -> None:
    policy = InboundRetryPolicy(first_delay=dt.timedelta(minutes=1), max_attempts=3)
    with database._write_session() as session:
        stored = store_inbound(session, mail("a@example.gov.uk", "<r@host>", "x", "t1"), now=NOW)
        after = retry_inbound_later(session, stored.id, now=NOW, error="OSError", policy=policy)
    assert after.status == "received" and after.attempts == 1
    assert after.next_attempt_at == NOW + dt.timedelta(minutes=1)
    with database._read_session() as session:
        assert unfinished_inbound(session, now=NOW) == []
        assert [m.id for m in unfinished_inbound(session, now=NOW + dt.timedelta(minutes=1))] == [stored.id]
    with database._write_session() as session:
        after = retry_inbound_later(session, stored.id, now=NOW, error="OSError", policy=policy)
        assert after.next_attempt_at == NOW + dt.timedelta(minutes=2)
        after = retry_inbound_later(session, stored.id, now=NOW, error="OSError", policy=policy)
    assert after.status == "failed" and "after 3 attempts" in (after.outcome or "")
    with database._write_session() as session:
        again = retry_failed_inbound(session, stored.id, now=NOW)
        assert again.status == "received" and again.attempts == 0
        with pytest.raises(InboundStateError, match="nothing to retry"):
            retry_failed_inbound(session, stored.id, now=NOW)


def test_a_value_the_database_refuses_is_an_unstorable_value_error(database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("SQLite keeps any text; PostgreSQL refuses NUL bytes")
    with pytest.raises(UnstorableValueError), database._write_session() as session:
        session.add(InboundMessage(transport="maildir", transport_id="x\x00y", message_id=None, content_sha256="0" * 64,
                                   raw=b"x", size=1, received_at=NOW, status="received", status_changed_at=NOW))
        session.flush()
    with database._read_session() as session:
        with pytest.raises(InboundStateError):
            get_inbound(session, 1)


def test_a_locked_sqlite_file_at_start_up_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(db_module, "_WAL_ATTEMPTS", 2)
    try:
        with pytest.raises(StorageConfigError) as caught:
            open_database(path)
    finally:
        holder.rollback()
        holder.close()
    assert "is locked by another program" in str(caught.value)
    assert "Check the database URL" not in str(caught.value)
