"""``practice-alerts check``'s mailbox probe against real Dovecot and aiosmtpd: what a wrong setting looks like."""

from __future__ import annotations

import pytest
from _transports_servers import NEEDS_DOVECOT, PASSWORD, USER, free_port

from practice_alerts.mailflow.transports.imap_smtp import ImapSmtpTransport
from practice_alerts.mailflow.transports.settings import ImapSmtpSettings

pytestmark = [pytest.mark.mailserver]


def _transport(dovecot, ca, smtp_port: int, *, password: str = PASSWORD, imap_port: int | None = None,
               processed: str = "processed") -> ImapSmtpTransport:
    login = {"host": "127.0.0.1", "username": USER, "ca_file": ca.ca_file, "password_env": "PW"}
    settings = ImapSmtpSettings(
        imap={**login, "port": imap_port or dovecot.imaps_port, "security": "tls"},
        smtp={**login, "port": smtp_port, "security": "starttls"},
        processed_folder=processed,
    )
    return ImapSmtpTransport(settings, {"PW": password})


@NEEDS_DOVECOT
def test_a_working_mailbox_has_no_problems_and_nothing_is_sent(dovecot_server, imap_admin, test_ca, smtp_ports,
                                                                  smtp_sink):
    transport = _transport(dovecot_server, test_ca, smtp_ports["starttls"])
    try:
        assert transport.probe(USER) == []
    finally:
        transport.close()
    assert smtp_sink.received == []  # MAIL FROM then RSET: nothing delivered
    folders = b" ".join(line for line in imap_admin.imap.list()[1] if line)
    assert b"processed" in folders and b"quarantine" in folders


@NEEDS_DOVECOT
def test_a_wrong_password_names_the_server_the_account_and_the_answer(dovecot_server, imap_admin, test_ca,
                                                                        smtp_ports):
    transport = _transport(dovecot_server, test_ca, smtp_ports["starttls"], password="wrong")
    try:
        problems = transport.probe(USER)
    finally:
        transport.close()
    assert len(problems) == 2  # IMAP login and SMTP login, one sentence each
    imap, smtp = problems
    assert imap.startswith(f"The IMAP server 127.0.0.1 refused the login for {USER}:")
    assert "AUTHENTICATIONFAILED" in imap or "Authentication failed" in imap
    assert smtp.startswith(f"The SMTP server 127.0.0.1 refused the login for {USER}: 535")
    assert "wrong" not in " ".join(problems)


@NEEDS_DOVECOT
def test_nothing_listening_is_said_plainly(dovecot_server, test_ca):
    port = free_port()
    transport = _transport(dovecot_server, test_ca, port, imap_port=port)
    try:
        imap, smtp = transport.probe(USER)
    finally:
        transport.close()
    assert imap.startswith(f"Could not reach the IMAP server 127.0.0.1:{port} to open the inbox") and "refused" in imap
    assert f"Could not reach the SMTP server 127.0.0.1:{port}" in smtp


def test_the_graph_probe_signs_in_and_finds_the_folders_without_reading_mail() -> None:
    """Against the recorded Graph responses (httpx MockTransport)."""
    from _transports_fake_graph import AUTHORITY, CLIENT_ID, GRAPH, MAILBOX, SECRET, TENANT, FakeGraph

    from practice_alerts.mailflow.transports.graph import GraphTransport
    from practice_alerts.mailflow.transports.settings import GraphSettings

    settings = GraphSettings(tenant_id=TENANT, client_id=CLIENT_ID, client_secret_env="SECRET", mailbox=MAILBOX,
                             authority_host=AUTHORITY, graph_url=GRAPH)
    fake = FakeGraph()
    fake.deliver(b"Subject: private\r\n\r\nabout a child")
    good = GraphTransport(settings, {"SECRET": SECRET}, http_transport=fake.transport())
    assert good.probe(MAILBOX) == []
    assert set(fake.folders) == {"processed", "quarantine"}
    assert not any(r.url.path.endswith("/$value") for r in fake.requests)  # no message was downloaded
    bad = GraphTransport(settings, {"SECRET": "wrong"}, http_transport=FakeGraph().transport())
    (problem,) = bad.probe(MAILBOX)
    assert "Microsoft Entra refused the app" in problem and "invalid_client" in problem
