"""Push: the Maildir watch and IMAP IDLE (against real Dovecot) wake the service when mail lands.

These check behaviour (woken by a delivery, not by a timeout; not woken by mail already seen;
a stop ends the wait), not speed: bench/bench_push.py measures the latency.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from _transports_servers import NEEDS_DOVECOT, PASSWORD, USER

from practice_alerts.mailflow.transports.imap_smtp import ImapSmtpTransport
from practice_alerts.mailflow.transports.maildir import MaildirTransport
from practice_alerts.mailflow.transports.settings import ImapSmtpSettings, MaildirSettings

MESSAGE = b"From: iro@example.test\r\nTo: alerts@example.test\r\nSubject: x\r\nMessage-ID: <push-%d@example.test>\r\n\r\nhi\r\n"
LONG = 30.0


def _later(seconds: float, action) -> threading.Thread:  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=lambda: (time.sleep(seconds), action()), daemon=True)
    thread.start()
    return thread


def test_the_maildir_watch_wakes_on_a_delivery_and_not_on_mail_already_seen(tmp_path: Path) -> None:
    transport = MaildirTransport(MaildirSettings(path=tmp_path / "mail"), {})
    stop = threading.Event()
    try:
        old = transport.deliver(MESSAGE % 0)
        assert [m.transport_id for m in transport.fetch()] == [old]  # seen, and left in the inbox
        assert transport.wait_for_mail(0.6, stop) is False  # the old message does not wake it
        _later(0.3, lambda: transport.deliver(MESSAGE % 1))
        started = time.monotonic()
        assert transport.wait_for_mail(LONG, stop) is True
        assert time.monotonic() - started < LONG / 2  # woken by the delivery, not the timeout
        transport.deliver(MESSAGE % 2)  # landed between passes: the next wait returns at once
        assert transport.wait_for_mail(LONG, stop) is True
        list(transport.fetch())
        _later(0.3, stop.set)
        assert transport.wait_for_mail(LONG, stop) is False  # a stop ends the wait
    finally:
        transport.close()


def test_a_file_written_straight_into_new_wakes_the_watch(tmp_path: Path) -> None:
    transport = MaildirTransport(MaildirSettings(path=tmp_path / "mail"), {})
    try:
        list(transport.fetch())
        _later(0.3, lambda: (tmp_path / "mail" / "new" / "1700000001.M1P1.test").write_bytes(MESSAGE % 3))
        assert transport.wait_for_mail(LONG, threading.Event()) is True
    finally:
        transport.close()


@NEEDS_DOVECOT
@pytest.mark.mailserver
def test_imap_idle_wakes_on_a_delivery(dovecot_server, imap_admin, test_ca, smtp_ports) -> None:
    login = {"host": "127.0.0.1", "username": USER, "ca_file": test_ca.ca_file, "password_env": "PW"}
    settings = ImapSmtpSettings(imap={**login, "port": dovecot_server.imaps_port, "security": "tls"},
                                smtp={**login, "port": smtp_ports["starttls"], "security": "starttls"})
    transport = ImapSmtpTransport(settings, {"PW": PASSWORD})
    stop = threading.Event()
    try:
        imap_admin.deliver(MESSAGE % 10)
        assert len(list(transport.fetch())) == 1
        assert transport.wait_for_mail(0.8, stop) is False  # mail already fetched does not wake it
        _later(0.5, lambda: imap_admin.deliver(MESSAGE % 11))
        started = time.monotonic()
        assert transport.wait_for_mail(LONG, stop) is True
        assert time.monotonic() - started < LONG / 2
        assert len(list(transport.fetch())) == 2
        imap_admin.deliver(MESSAGE % 12)  # between the fetch and the next wait
        assert transport.wait_for_mail(LONG, stop) is True
        list(transport.fetch())
        _later(0.3, stop.set)
        assert transport.wait_for_mail(LONG, stop) is False
    finally:
        transport.close()


def test_graph_delta_queries_wake_on_a_new_message_only() -> None:
    """Against the recorded Graph responses (httpx MockTransport): Graph cannot run here."""
    from _transports_fake_graph import AUTHORITY, CLIENT_ID, GRAPH, MAILBOX, SECRET, TENANT, FakeGraph

    from practice_alerts.mailflow.transports.graph import GraphTransport
    from practice_alerts.mailflow.transports.settings import GraphSettings

    fake = FakeGraph()
    settings = GraphSettings(tenant_id=TENANT, client_id=CLIENT_ID, client_secret_env="SECRET", mailbox=MAILBOX,
                             authority_host=AUTHORITY, graph_url=GRAPH, delta_seconds=1)
    transport = GraphTransport(settings, {"SECRET": SECRET}, http_transport=fake.transport())
    stop = threading.Event()
    try:
        first = fake.deliver(MESSAGE % 20)
        assert [m.transport_id for m in transport.fetch()] == [first]
        assert transport.wait_for_mail(1.5, stop) is False  # what fetch saw is not news
        transport.mark_handled(first, "processed")  # our own move shows as a removal: not news either
        assert transport.wait_for_mail(1.5, stop) is False
        _later(0.5, lambda: fake.deliver(MESSAGE % 21))
        started = time.monotonic()
        assert transport.wait_for_mail(LONG, stop) is True
        assert time.monotonic() - started < LONG / 2
        deltas = [r for r in fake.requests if r.url.path.endswith("/messages/delta")]
        assert any("$deltatoken" in str(r.url) for r in deltas)  # changes since, not the whole inbox again
        assert len(list(transport.fetch())) == 1
        _later(0.3, stop.set)
        assert transport.wait_for_mail(LONG, stop) is False
    finally:
        transport.close()
