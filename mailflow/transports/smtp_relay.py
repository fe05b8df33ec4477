"""Submitting a raw message over SMTP (smtplib), shared by the Maildir relay and IMAP/SMTP.

TLS or STARTTLS (or none, for a relay on localhost), password (AUTH PLAIN/LOGIN) or XOAUTH2.
The message bytes go out unchanged apart from SMTP's own line-ending and dot-stuffing rules.
A 5xx reply to MAIL FROM, RCPT TO or DATA refuses the message for good (``PermanentRefusalError``);
a 4xx reply or a lost connection is worth trying again later (``TransientTransportError``). When
the server takes the message for some recipients only, the error names the rest, so a retry goes
to them alone.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Mapping
from typing import Any

from practice_alerts.mailflow.transports.errors import (
    MissingExtraError,
    PartlyDeliveredError,
    PermanentRefusalError,
    TransientTransportError,
    TransportAuthError,
    TransportError,
)
from practice_alerts.mailflow.transports.settings import MailServer, resolve_secret


def tls_context(server: MailServer) -> ssl.SSLContext:
    """A verifying TLS context, trusting ``server.ca_file`` if one is set."""
    return ssl.create_default_context(cafile=str(server.ca_file) if server.ca_file else None)


def xoauth2_string(username: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64), as Google and Microsoft define it."""
    return f"user={username}\x01auth=Bearer {token}\x01\x01"


def login_secret(
    server: MailServer, environ: Mapping[str, str], setting: str, *, oauth_http_client: Any = None
) -> Callable[[], str]:
    """Where the password or bearer token for ``server`` comes from; secrets are checked now."""
    if server.auth == "none":
        return lambda: ""
    if not server.username:
        raise TransportError(f"The setting {setting}.username is required for {server.auth} login.")
    if server.auth == "password":
        password = resolve_secret(server.password_env, environ, f"{setting}.password_env")
        return lambda: password
    if server.oauth2_client is None:
        token = resolve_secret(server.oauth2_token_env, environ, f"{setting}.oauth2_token_env")
        return lambda: token
    client = server.oauth2_client
    try:
        from practice_alerts.mailflow.transports.oauth_client import (  # noqa: PLC0415 - optional extra [graph]
            ClientCredentialsTokens,
        )
    except ModuleNotFoundError as exc:
        raise MissingExtraError(f"{setting} oauth2_client", "graph", exc.name or "msal") from None
    return ClientCredentialsTokens(
        authority_host=client.authority_host,
        tenant_id=client.tenant_id,
        client_id=client.client_id,
        client_secret=resolve_secret(client.client_secret_env, environ, f"{setting}.oauth2_client.client_secret_env"),
        scope=client.scope,
        setting=f"{setting}.oauth2_client",
        http_client=oauth_http_client,
    )


class SmtpSender:
    """Opens one SMTP session per message: submissions are rare and sessions time out."""

    def __init__(
        self, server: MailServer, environ: Mapping[str, str], setting: str = "smtp", *, oauth_http_client: Any = None
    ) -> None:
        self._server = server
        self._secret = login_secret(server, environ, setting, oauth_http_client=oauth_http_client)

    def send(self, data: bytes, *, sender: str, recipients: list[str]) -> None:
        if not recipients:
            raise TransportError("A message needs at least one recipient.")
        smtp: smtplib.SMTP | None = None
        try:
            smtp = self._connect()
            self._login(smtp)
            if smtp.sock is not None:  # the transaction's replies, the last after the data, may be slow
                smtp.sock.settimeout(max(self._server.timeout_seconds, self._server.data_timeout_seconds))
            refused = smtp.sendmail(sender, recipients, data)
        except smtplib.SMTPAuthenticationError as exc:
            raise TransportAuthError(
                f"The SMTP server {self._server.host} refused the login for {self._server.username}: "
                f"{exc.smtp_code} {_text(exc.smtp_error)}"
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise _nobody_took_it(exc.recipients, recipients) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:  # the reply to MAIL FROM or to DATA
            raise _refused_message(exc.smtp_code, f"The SMTP server said {exc.smtp_code} {_text(exc.smtp_error)}",
                                   recipients) from None
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, f"The SMTP server said {exc.smtp_code} {_text(exc.smtp_error)}") from None
        except (ssl.SSLCertVerificationError, smtplib.SMTPNotSupportedError) as exc:
            raise TransportError(f"Cannot talk securely to {self._server.host}: {exc}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientTransportError(
                f"Could not reach the SMTP server {self._server.host}:{self._server.port}: {exc}"
            ) from None
        finally:
            # Once sendmail has returned the server has the message: a failed QUIT must not make
            # the caller send it again.
            _close_quietly(smtp)
        if refused:  # Some recipients already have it: a retry must leave them out.
            raise _some_took_it(refused, recipients)

    def probe(self, sender: str) -> None:
        """Connect, log in and have ``sender`` accepted (MAIL FROM, then RSET): nothing is sent."""
        smtp: smtplib.SMTP | None = None
        try:
            smtp = self._connect()
            self._login(smtp)
            code, answer = smtp.mail(sender)
            if code >= 400:
                raise _by_code(code, f"The SMTP server {self._server.host} refused the sender {sender}: "
                                     f"{code} {_text(answer)}")
            smtp.rset()
        except smtplib.SMTPAuthenticationError as exc:
            raise TransportAuthError(
                f"The SMTP server {self._server.host} refused the login for {self._server.username}: "
                f"{exc.smtp_code} {_text(exc.smtp_error)}"
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, f"The SMTP server {self._server.host} said {exc.smtp_code} "
                                          f"{_text(exc.smtp_error)}") from None
        except (ssl.SSLError, smtplib.SMTPNotSupportedError) as exc:
            raise TransportError(f"Cannot talk securely to {self._server.host}: {exc}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientTransportError(
                f"Could not reach the SMTP server {self._server.host}:{self._server.port}: {exc}"
            ) from None
        finally:
            _close_quietly(smtp)

    def _connect(self) -> smtplib.SMTP:
        server = self._server
        if server.security == "tls":
            return smtplib.SMTP_SSL(
                server.host, server.port, timeout=server.timeout_seconds, context=tls_context(server)
            )
        smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout_seconds)
        if server.security == "starttls":
            try:
                smtp.starttls(context=tls_context(server))
            except BaseException:
                smtp.close()
                raise
        return smtp

    def _login(self, smtp: smtplib.SMTP) -> None:
        server = self._server
        if server.auth == "none":
            return
        assert server.username is not None
        if server.auth == "password":
            smtp.login(server.username, self._secret())
            return
        sasl = xoauth2_string(server.username, self._secret())
        smtp.ehlo_or_helo_if_needed()
        # The server answers a bad token with a 334 JSON challenge; an empty reply ends the exchange.
        smtp.auth("XOAUTH2", lambda challenge=None: sasl if challenge is None else "")


def _close_quietly(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        pass
    finally:
        smtp.close()


def _text(error: bytes | str) -> str:
    return error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)


_AUTH_CODES = (530, 534, 535)


def _by_code(code: int, message: str) -> TransportError:
    if 400 <= code < 500:
        return TransientTransportError(message)
    if code in _AUTH_CODES:
        return TransportAuthError(message)
    return TransportError(message)


def _permanent(code: int) -> bool:
    """A 5xx reply refuses the message for good (RFC 5321 4.2.1); the login codes mean a setting is wrong."""
    return 500 <= code < 600 and code not in _AUTH_CODES


def _refused_message(code: int, message: str, recipients: list[str]) -> TransportError:
    """The server's reply to MAIL FROM or DATA: nobody has the message."""
    if _permanent(code):
        return PermanentRefusalError(message, undelivered=tuple(recipients))
    return _by_code(code, message)


def _listed(refused: Mapping[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{address} ({code} {_text(text)})" for address, (code, text) in refused.items())


def _nobody_took_it(refused: Mapping[str, tuple[int, bytes]], recipients: list[str]) -> TransportError:
    """Every RCPT TO was refused: nobody has it. One 5xx refuses the message as addressed, for good."""
    codes = [code for code, _ in refused.values()]
    if any(code in _AUTH_CODES for code in codes):
        return TransportAuthError(f"The SMTP server wants a login to take these recipients: {_listed(refused)}")
    if any(_permanent(code) for code in codes):
        return PermanentRefusalError(f"The SMTP server refused these recipients: {_listed(refused)}",
                                     undelivered=tuple(recipients))
    return TransientTransportError(f"The SMTP server deferred these recipients: {_listed(refused)}")


def _some_took_it(refused: Mapping[str, tuple[int, bytes]], recipients: list[str]) -> TransportError:
    """The server took the message for the others: only the refused recipients may be tried again."""
    undelivered = tuple(r for r in recipients if r in refused)
    delivered = tuple(r for r in recipients if r not in refused)
    if any(_permanent(code) for code, _ in refused.values()):
        return PermanentRefusalError(f"The SMTP server took it for the other recipients but refused these: "
                                     f"{_listed(refused)}", undelivered=undelivered, delivered=delivered)
    return PartlyDeliveredError(f"The SMTP server took it for the other recipients but deferred these: "
                                f"{_listed(refused)}", undelivered=undelivered)
