"""EWS transport details. exchangelib talks to a local HTTPS server that answers with recorded,
protocol-accurate EWS SOAP responses written per the EWS schema (``tests/fixtures/transports/ews/``);
it is not a real Exchange server, which cannot run here."""

from __future__ import annotations

import logging

import pytest
from _transports_fake_ews import CLIENT_ID, MAILBOX, NTLM_DOMAIN, NTLM_PASSWORD, NTLM_USER, SECRET, oauth_settings

from practice_alerts.mailflow.transports import TransientTransportError, TransportAuthError, TransportError
from practice_alerts.mailflow.transports.ews import EwsTransport
from practice_alerts.mailflow.transports.settings import EwsSettings

MESSAGE = b"From: a@example.test\r\nTo: alerts@example.test\r\nMessage-ID: <e1@example.test>\r\n\r\nHello\r\n"


def test_impersonation_names_the_shared_mailbox_in_every_request(fake_ews, test_ca):
    fake_ews.deliver(MESSAGE)
    assert [m.data for m in EwsTransport(oauth_settings(fake_ews, test_ca), {"S": SECRET}).fetch()] == [MESSAGE]
    assert fake_ews.impersonated and set(fake_ews.impersonated) == {MAILBOX}
    assert fake_ews.operations[-2:] == ["FindItem", "GetItem"]


def test_server_busy_becomes_transient_with_exchanges_back_off(fake_ews, test_ca):
    fake_ews.busy_back_off_ms = [2500]
    with pytest.raises(TransientTransportError) as caught:
        list(EwsTransport(oauth_settings(fake_ews, test_ca), {"S": SECRET}).fetch())
    assert caught.value.retry_after == 2.5


def test_a_wrong_client_secret_is_an_auth_error(fake_ews, test_ca):
    with pytest.raises(TransportAuthError, match="invalid_client"):
        list(EwsTransport(oauth_settings(fake_ews, test_ca), {"S": "wrong"}).fetch())


def _ntlm(fake, ca, password_env: str = "PW") -> EwsSettings:
    return oauth_settings(
        fake, ca, auth="ntlm", access="delegate", username=f"{NTLM_DOMAIN}\\{NTLM_USER}", password_env=password_env
    )


def test_ntlm_delegate_access_signs_in_and_sends_no_impersonation_header(fake_ews, test_ca):
    """The fake server runs a real NTLM acceptor (pyspnego) over the keep-alive HTTPS connection."""
    fake_ews.deliver(MESSAGE)
    transport = EwsTransport(_ntlm(fake_ews, test_ca), {"PW": NTLM_PASSWORD})
    assert [m.data for m in transport.fetch()] == [MESSAGE]
    assert fake_ews.ntlm_users and set(fake_ews.ntlm_users) == {f"{NTLM_DOMAIN}\\{NTLM_USER}"}
    assert fake_ews.impersonated == []  # Delegation: the shared mailbox is named in each folder id instead.


def test_a_wrong_ntlm_password_is_an_auth_error(fake_ews, test_ca):
    with pytest.raises(TransportAuthError):
        list(EwsTransport(_ntlm(fake_ews, test_ca), {"PW": "wrong"}).fetch())
    assert fake_ews.ntlm_users == [] and fake_ews.operations == []


def test_exchangelibs_request_dumps_are_kept_out_of_the_logs(caplog):
    """When a POST fails, exchangelib.util logs ``"%s: %s\\n%s\\n%s"`` with the request headers and
    the whole request XML (for a send, the message itself); the transport keeps only the error."""
    import practice_alerts.mailflow.transports.ews  # noqa: F401 - installs the filter

    dump = "Request XML: b'<s:Envelope>...<t:MimeContent>RnJvbTogSmFtaWU=</t:MimeContent>...'"
    with caplog.at_level(logging.INFO, logger="exchangelib"):
        logging.getLogger("exchangelib.util").error(
            "%s: %s\n%s\n%s", "PermissionError", "Access denied", "Request headers: {...}", dump
        )
    (record,) = caplog.records
    assert record.getMessage() == "PermissionError: Access denied (request details withheld)"


def test_app_only_oauth_requires_impersonation():
    with pytest.raises(ValueError, match="impersonation"):
        EwsSettings(
            service_endpoint="https://mail.example.test/EWS/Exchange.asmx",
            mailbox=MAILBOX,
            auth="oauth2",
            access="delegate",
            client_id=CLIENT_ID,
            client_secret_env="S",
            tenant_id="t",
        )


def test_an_untrusted_server_certificate_is_a_configuration_error(fake_ews, test_ca):
    with pytest.raises(TransportError, match="ca_file") as caught:
        list(EwsTransport(oauth_settings(fake_ews, test_ca, ca_file=None), {"S": SECRET}).fetch())
    assert not isinstance(caught.value, TransientTransportError)
