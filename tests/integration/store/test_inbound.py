"""Inbound mail is stored raw, once, and moves to one final outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.rawmail.message_id import message_id_of
from practice_alerts.store import InboundMail, InboundStateError
from practice_alerts.store.inbound import (
    get_inbound,
    inbound_raw,
    set_inbound_status,
    store_inbound,
    unfinished_inbound,
)

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
LATER = NOW + dt.timedelta(minutes=5)


def raw_message(message_id: str, body: str = "Please see the attached form.") -> bytes:
    return (
        f"From: iro@example.gov.uk\r\nTo: alerts@example.gov.uk\r\nSubject: Practice alert\r\n"
        f"Message-ID: {message_id}\r\nDate: Mon, 02 Mar 2026 09:29:00 +0000\r\n\r\n{body}\r\n"
    ).encode()


def test_a_new_message_is_stored_with_its_exact_bytes(database) -> None:
    raw = raw_message("<form-1@example.gov.uk>") + b"\xff\x00binary tail"
    with database._write_session() as session:
        stored = store_inbound(session, InboundMail(transport="maildir", transport_id="cur/1", raw=raw), now=NOW)
    assert stored.is_new
    assert stored.status == "received"
    assert stored.message_id == "<form-1@example.gov.uk>"
    assert stored.size == len(raw)
    assert stored.received_at == NOW
    with database._read_session() as session:
        assert inbound_raw(session, stored.id) == raw


@pytest.mark.parametrize(
    "second",
    [
        # the same message fetched again under another transport id: same bytes
        InboundMail(transport="maildir", transport_id="cur/2", raw=raw_message("<form-1@example.gov.uk>")),
        # the same Message-ID with re-encoded content (a relay added a header)
        InboundMail(
            transport="maildir",
            transport_id="cur/3",
            raw=b"X-Relay: yes\r\n" + raw_message("<form-1@example.gov.uk>"),
        ),
        # the same transport id with different bytes and no Message-ID
        InboundMail(transport="maildir", transport_id="cur/1", raw=b"Subject: odd\r\n\r\nno id\r\n"),
    ],
    ids=["same-content", "same-message-id", "same-transport-id"],
)
def test_re_reading_the_same_message_changes_nothing(database, second: InboundMail) -> None:
    first = InboundMail(transport="maildir", transport_id="cur/1", raw=raw_message("<form-1@example.gov.uk>"))
    with database._write_session() as session:
        original = store_inbound(session, first, now=NOW)
        set_inbound_status(session, original.id, "processed", outcome="form accepted", now=NOW)
    with database._write_session() as session:
        again = store_inbound(session, second, now=LATER)
    assert not again.is_new
    assert again.id == original.id
    assert again.status == "processed"
    assert again.received_at == NOW
    with database._read_session() as session:
        assert inbound_raw(session, original.id) == first.raw
        assert unfinished_inbound(session) == []


def test_the_same_transport_id_from_another_transport_is_a_different_message(database) -> None:
    from_maildir = InboundMail(transport="maildir", transport_id="7", raw=b"Subject: a\r\n\r\n")
    from_imap = InboundMail(transport="imap", transport_id="7", raw=b"Subject: b\r\n\r\n")
    with database._write_session() as session:
        a = store_inbound(session, from_maildir, now=NOW)
        b = store_inbound(session, from_imap, now=NOW)
    assert a.is_new and b.is_new and a.id != b.id


def test_a_message_is_finished_once(database) -> None:
    with database._write_session() as session:
        stored = store_inbound(session, InboundMail(transport="maildir", raw=raw_message("<x@y>")), now=NOW)
    with database._write_session() as session:
        failed = set_inbound_status(session, stored.id, "failed", outcome="document store unavailable", now=NOW)
    assert failed.status == "failed"
    with database._write_session() as session:
        done = set_inbound_status(session, stored.id, "processed", outcome="reply matched", now=LATER)
    assert (done.status, done.outcome, done.status_changed_at) == ("processed", "reply matched", LATER)
    with pytest.raises(InboundStateError, match="already processed"), database._write_session() as session:
        set_inbound_status(session, stored.id, "quarantined", outcome="late", now=LATER)
    with database._read_session() as session:
        assert get_inbound(session, stored.id).outcome == "reply matched"


def test_unfinished_messages_are_listed_oldest_first(database) -> None:
    with database._write_session() as session:
        ids = [
            store_inbound(session, InboundMail(transport="maildir", raw=raw_message(f"<m{n}@h>")), now=NOW).id
            for n in range(3)
        ]
        set_inbound_status(session, ids[1], "quarantined", outcome="not a practice alert form", now=NOW)
    with database._read_session() as session:
        assert [m.id for m in unfinished_inbound(session)] == [ids[0], ids[2]]


def test_message_ids_are_read_and_normalised() -> None:
    assert message_id_of(raw_message("  <abc@host> ")) == "<abc@host>"
    assert message_id_of(b"Message-ID: abc@host\r\n\r\n") == "<abc@host>"
    assert message_id_of(b"Subject: none\r\n\r\n") is None


def _store_all(url: str, barrier, results) -> None:
    from practice_alerts.store import open_database

    database = open_database(url, migrate=False)
    try:
        barrier.wait(timeout=60)
        ids = []
        for n in range(20):
            with database._write_session() as session:
                mail = InboundMail(transport="maildir", transport_id=f"cur/{n}", raw=raw_message(f"<m{n}@h>"))
                stored = store_inbound(session, mail, now=NOW)
            ids.append((stored.id, stored.is_new))
        results.put(ids)
    except BaseException as error:
        results.put(repr(error))
    finally:
        database.dispose()


def test_two_processes_storing_the_same_messages_at_once_store_each_once(database, database_url: str) -> None:
    import multiprocessing

    database.dispose()
    fork = multiprocessing.get_context("fork")
    barrier, results = fork.Barrier(2), fork.Queue()
    readers = [fork.Process(target=_store_all, args=(database_url, barrier, results)) for _ in range(2)]
    for reader in readers:
        reader.start()
    first, second = (results.get(timeout=120) for _ in readers)
    for reader in readers:
        reader.join(timeout=30)
    assert isinstance(first, list) and isinstance(second, list), (first, second)
    assert [i for i, _ in first] == [i for i, _ in second]  # both were given the same rows
    assert all(a != b for (_, a), (_, b) in zip(first, second, strict=True))  # exactly one stored each
    with database._read_session() as session:
        assert len(unfinished_inbound(session)) == 20
