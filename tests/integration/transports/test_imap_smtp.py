"""IMAP/SMTP transport details against real Dovecot and aiosmtpd on loopback.

XOAUTH2 for IMAP is checked by Dovecot itself (its oauth2 passdb asks a local token-introspection
endpoint); XOAUTH2 for SMTP by an aiosmtpd ``auth_XOAUTH2`` hook.
"""

from __future__ import annotations

import httpx
import pytest
from _transports_fake_graph import AUTHORITY, CLIENT_ID, SECRET, TENANT, FakeGraph
from _transports_servers import NEEDS_DOVECOT, PASSWORD, TOKEN, USER, free_port

from practice_alerts.mailflow.transports import (
    TransientTransportError,
    TransportAuthError,
    TransportError,
)
from practice_alerts.mailflow.transports.imap_smtp import ImapSmtpTransport
from practice_alerts.mailflow.transports.settings import ImapSmtpSettings, SmtpSettings
from practice_alerts.mailflow.transports.smtp_relay import SmtpSender

pytestmark = [pytest.mark.mailserver]
MESSAGE = (
    b"From: alerts@example.test\r\nTo: iro@example.test\r\nSubject: Stage 2\r\n"
    b"Message-ID: <stage2.1@example.test>\r\n\r\nPlease reply by Friday.\r\n"
)


def _settings(dovecot, ca, *, imap: dict, smtp_port: int, smtp: dict | None = None, **extra) -> ImapSmtpSettings:
    login = {"host": "127.0.0.1", "username": USER, "ca_file": ca.ca_file}
    return ImapSmtpSettings(
        imap={**login, "password_env": "PW", **imap},
        smtp={**login, "password_env": "PW", "port": smtp_port, "security": "starttls", **(smtp or {})},
        **extra,
    )


@NEEDS_DOVECOT
def test_imap_over_starttls_with_a_password(dovecot_server, imap_admin, test_ca, smtp_ports):
    imap_admin.deliver(MESSAGE)
    settings = _settings(
        dovecot_server,
        test_ca,
        imap={"port": dovecot_server.imap_port, "security": "starttls"},
        smtp_port=smtp_ports["starttls"],
    )
    transport = ImapSmtpTransport(settings, {"PW": PASSWORD})
    try:
        assert [m.data for m in transport.fetch()] == [MESSAGE]
    finally:
        transport.close()


@NEEDS_DOVECOT
def test_imap_xoauth2_is_accepted_by_dovecot_and_a_bad_token_is_an_auth_error(
    dovecot_server, imap_admin, test_ca, smtp_ports
):
    imap_admin.deliver(MESSAGE)
    imap = {"port": dovecot_server.imaps_port, "auth": "xoauth2", "oauth2_token_env": "TOKEN"}
    settings = _settings(dovecot_server, test_ca, imap=imap, smtp_port=smtp_ports["starttls"])

    good = ImapSmtpTransport(settings, {"TOKEN": TOKEN, "PW": PASSWORD})
    assert [m.data for m in good.fetch()] == [MESSAGE]
    good.close()

    bad = ImapSmtpTransport(settings, {"TOKEN": "expired-token", "PW": PASSWORD})
    with pytest.raises(TransportAuthError, match="refused the login"):
        list(bad.fetch())


@NEEDS_DOVECOT
def test_a_wrong_imap_password_is_an_auth_error(dovecot_server, test_ca, smtp_ports):
    settings = _settings(
        dovecot_server, test_ca, imap={"port": dovecot_server.imaps_port}, smtp_port=smtp_ports["starttls"]
    )
    with pytest.raises(TransportAuthError, match="AUTHENTICATIONFAILED"):
        list(ImapSmtpTransport(settings, {"PW": "wrong"}).fetch())


@NEEDS_DOVECOT
def test_an_untrusted_certificate_is_a_configuration_error_not_a_retry(dovecot_server, test_ca, smtp_ports, tmp_path):
    settings = _settings(
        dovecot_server,
        test_ca,
        imap={"port": dovecot_server.imaps_port, "ca_file": None},
        smtp_port=smtp_ports["starttls"],
    )
    with pytest.raises(TransportError) as caught:
        list(ImapSmtpTransport(settings, {"PW": PASSWORD}).fetch())
    assert not isinstance(caught.value, TransientTransportError)
    assert "certificate" in str(caught.value).lower()


@NEEDS_DOVECOT
def test_without_move_the_transport_falls_back_to_copy_and_expunge(dovecot_server, imap_admin, test_ca, smtp_ports):
    for n in (1, 2):
        imap_admin.deliver(MESSAGE.replace(b"stage2.1", b"stage2.%d" % n))
    settings = _settings(
        dovecot_server, test_ca, imap={"port": dovecot_server.imaps_port}, smtp_port=smtp_ports["starttls"]
    )
    transport = ImapSmtpTransport(settings, {"PW": PASSWORD})
    first, second = transport.fetch()
    connection = transport._connection()
    assert "MOVE" in connection.capabilities
    connection.capabilities = tuple(c for c in connection.capabilities if c != "MOVE")  # as an older server

    transport.mark_handled(first.transport_id, "quarantine")

    assert [m.data for m in transport.fetch()] == [second.data]
    assert imap_admin.contents("quarantine") == [first.data]
    transport.close()


@NEEDS_DOVECOT
def test_an_id_from_a_rebuilt_inbox_is_refused(dovecot_server, imap_admin, test_ca, smtp_ports):
    imap_admin.deliver(MESSAGE)
    settings = _settings(
        dovecot_server, test_ca, imap={"port": dovecot_server.imaps_port}, smtp_port=smtp_ports["starttls"]
    )
    transport = ImapSmtpTransport(settings, {"PW": PASSWORD})
    (message,) = transport.fetch()
    uid = message.transport_id.split(":")[1]
    with pytest.raises(TransportError, match="UIDVALIDITY"):
        transport.mark_handled(f"1:{uid}", "processed")
    transport.close()


@NEEDS_DOVECOT
def test_sent_copy_can_be_left_to_the_server(dovecot_server, imap_admin, test_ca, smtp_ports, smtp_sink):
    settings = _settings(
        dovecot_server,
        test_ca,
        imap={"port": dovecot_server.imaps_port},
        smtp_port=smtp_ports["starttls"],
        sent_folder=None,
    )
    transport = ImapSmtpTransport(settings, {"PW": PASSWORD})
    transport.send(MESSAGE, sender=USER, recipients=["iro@example.test"])
    assert [r.data for r in smtp_sink.received] == [MESSAGE]
    assert imap_admin.contents("Sent") == []
    transport.close()


# -- SMTP on its own ----------------------------------------------------------------------------


def _smtp(port: int, ca, **fields) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, username=USER, password_env="PW", ca_file=ca.ca_file, **fields)


def test_smtp_with_implicit_tls_and_a_password(smtp_ports, smtp_sink, test_ca):
    SmtpSender(_smtp(smtp_ports["tls"], test_ca, security="tls"), {"PW": PASSWORD}).send(
        MESSAGE, sender=USER, recipients=["iro@example.test", "manager@example.test"]
    )
    (received,) = smtp_sink.received
    assert (received.sender, received.recipients, received.data, received.login) == (
        USER,
        ["iro@example.test", "manager@example.test"],
        MESSAGE,
        USER,
    )


def test_smtp_xoauth2_good_and_bad_tokens(smtp_ports, smtp_sink, test_ca):
    settings = _smtp(smtp_ports["starttls"], test_ca, auth="xoauth2", oauth2_token_env="TOKEN")
    SmtpSender(settings, {"TOKEN": TOKEN}).send(MESSAGE, sender=USER, recipients=["iro@example.test"])
    assert [r.login for r in smtp_sink.received] == [USER]

    with pytest.raises(TransportAuthError, match="535"):
        SmtpSender(settings, {"TOKEN": "not-the-token"}).send(MESSAGE, sender=USER, recipients=["iro@example.test"])
    assert len(smtp_sink.received) == 1


def test_a_wrong_smtp_password_is_an_auth_error(smtp_ports, smtp_sink, test_ca):
    with pytest.raises(TransportAuthError, match="refused the login"):
        SmtpSender(_smtp(smtp_ports["starttls"], test_ca), {"PW": "wrong"}).send(
            MESSAGE, sender=USER, recipients=["iro@example.test"]
        )
    assert smtp_sink.received == []


def test_an_unreachable_smtp_server_is_transient(test_ca):
    with pytest.raises(TransientTransportError, match="Could not reach"):
        SmtpSender(_smtp(free_port(), test_ca), {"PW": PASSWORD}).send(
            MESSAGE, sender=USER, recipients=["a@example.test"]
        )


def test_a_missing_secret_names_the_environment_variable(test_ca):
    with pytest.raises(TransportError, match="smtp.password_env names the environment variable PW"):
        SmtpSender(_smtp(25, test_ca), {})


@NEEDS_DOVECOT
def test_a_dropped_connection_is_transient_and_the_next_call_reconnects(
    dovecot_server, imap_admin, test_ca, smtp_ports
):
    imap_admin.deliver(MESSAGE)
    settings = _settings(
        dovecot_server, test_ca, imap={"port": dovecot_server.imaps_port}, smtp_port=smtp_ports["starttls"]
    )
    transport = ImapSmtpTransport(settings, {"PW": PASSWORD})
    (message,) = transport.fetch()
    transport._connection().shutdown()  # as when the server or a firewall drops an idle session

    with pytest.raises(TransientTransportError, match="Lost the IMAP server"):
        transport.mark_handled(message.transport_id, "processed")
    transport.mark_handled(message.transport_id, "processed")

    assert list(transport.fetch()) == []
    assert imap_admin.contents("processed") == [MESSAGE]
    transport.close()


@NEEDS_DOVECOT
def test_xoauth2_with_client_credentials_gets_its_token_from_the_identity_platform(
    dovecot_server, imap_admin, test_ca, smtp_ports, smtp_sink
):
    """msal talks to the recorded identity platform (httpx.MockTransport); Dovecot checks the token."""
    imap_admin.deliver(MESSAGE)
    fake = FakeGraph()
    client = {
        "tenant_id": TENANT,
        "client_id": CLIENT_ID,
        "client_secret_env": "APP_SECRET",
        "authority_host": AUTHORITY,
    }
    settings = _settings(
        dovecot_server,
        test_ca,
        imap={"port": dovecot_server.imaps_port, "auth": "xoauth2", "oauth2_client": client},
        smtp_port=smtp_ports["starttls"],
        smtp={"auth": "xoauth2", "oauth2_client": client},
        sent_folder=None,
    )
    with httpx.Client(transport=fake.transport()) as http:
        transport = ImapSmtpTransport(settings, {"APP_SECRET": SECRET}, oauth_http_client=http)
        assert [m.data for m in transport.fetch()] == [MESSAGE]
        transport.send(MESSAGE, sender=USER, recipients=["iro@example.test"])
        transport.send(MESSAGE, sender=USER, recipients=["iro@example.test"])
        transport.close()

        assert [r.login for r in smtp_sink.received] == [USER, USER]
        assert fake.token_requests == 2  # one each for IMAP and SMTP, then msal's cache

        wrong = ImapSmtpTransport(settings, {"APP_SECRET": "wrong"}, oauth_http_client=http)
        with pytest.raises(TransportAuthError, match="imap.oauth2_client"):
            list(wrong.fetch())
