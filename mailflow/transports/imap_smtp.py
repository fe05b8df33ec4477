"""IMAP for the inbox and folders, SMTP for sending (imaplib and smtplib from the standard library).

UID-based throughout; the transport id is ``"<UIDVALIDITY>:<UID>"`` so an id from before a mailbox
was rebuilt is never applied to a different message. Handled messages are moved with ``UID MOVE``
(RFC 6851), or ``UID COPY`` + ``\\Deleted`` + ``UID EXPUNGE`` (RFC 4315) where MOVE is missing; the
processed and quarantine folders are created if absent. The Sent copy is APPENDed before the SMTP
submission and only if no message with the same Message-ID is already there, so a retried send
never files two copies.
"""

from __future__ import annotations

import imaplib
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from practice_alerts.mailflow.transports.base import OUTCOMES, Outcome, RawMessage
from practice_alerts.mailflow.transports.errors import (
    TransientTransportError,
    TransportAuthError,
    TransportError,
)
from practice_alerts.mailflow.transports.imap_idle import ImapIdle
from practice_alerts.mailflow.transports.settings import ImapSmtpSettings
from practice_alerts.mailflow.transports.smtp_relay import SmtpSender, login_secret, tls_context, xoauth2_string
from practice_alerts.rawmail.message_id import message_id_of


class ImapSmtpTransport:
    def __init__(
        self, settings: ImapSmtpSettings, environ: Mapping[str, str], *, oauth_http_client: Any = None
    ) -> None:
        self._settings = settings
        self._secret = login_secret(settings.imap, environ, "transport.imap", oauth_http_client=oauth_http_client)
        self._smtp = SmtpSender(settings.smtp, environ, "transport.smtp", oauth_http_client=oauth_http_client)
        self._imap: imaplib.IMAP4 | None = None
        self._known_folders: set[str] = set()
        self._selected: str | None = None
        self._idler: ImapIdle | None = None
        self._newest: tuple[str, int] | None = None
        """(UIDVALIDITY, UIDNEXT) of the inbox when ``fetch`` last opened it."""

    def fetch(self) -> Iterator[RawMessage]:
        with self._edge("fetch the inbox"):
            imap = self._connection()
            uidvalidity = self._select(imap, self._settings.inbox)
            uidnext = imap.response("UIDNEXT")[1]
            self._newest = (uidvalidity, int(uidnext[0])) if uidnext and uidnext[0] else None
            uids = _ok(imap.uid("SEARCH", "UNDELETED"))[0].split()
        for uid in sorted(uids, key=int):
            with self._edge("fetch a message"):
                imap = self._connection()  # The caller may have moved or sent between messages.
                if self._selected != self._settings.inbox and self._select(imap, self._settings.inbox) != uidvalidity:
                    return  # The inbox was rebuilt meanwhile: the next fetch starts afresh.
                data = _message_bytes(_ok(imap.uid("FETCH", uid, "(BODY.PEEK[])")))
            if data is not None:  # None: expunged by someone else since the search.
                yield RawMessage(transport_id=f"{uidvalidity}:{uid.decode()}", data=data)

    def mark_handled(self, transport_id: str, outcome: Outcome) -> None:
        if outcome not in OUTCOMES:
            raise TransportError(f"Unknown outcome {outcome!r}; expected one of {OUTCOMES}.")
        validity, _, uid = transport_id.partition(":")
        if not (validity.isdigit() and uid.isdigit()):
            raise TransportError(f"{transport_id!r} is not an IMAP transport id.")
        folder = getattr(self._settings, f"{outcome}_folder")
        with self._edge(f"move a message to {folder}"):
            imap = self._connection()
            self._ensure_folder(imap, folder)
            if self._select(imap, self._settings.inbox) != validity:
                raise TransportError(
                    f"The inbox was rebuilt (UIDVALIDITY changed) since message {transport_id} was fetched; "
                    "fetch again."
                )
            if "MOVE" in imap.capabilities:
                _ok(imap.uid("MOVE", uid, _quote(folder)))
            else:
                _ok(imap.uid("COPY", uid, _quote(folder)))
                _ok(imap.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)"))
                _ok(imap.uid("EXPUNGE", uid) if "UIDPLUS" in imap.capabilities else imap.expunge())

    def send(self, data: bytes, *, sender: str, recipients: list[str]) -> None:
        sent = self._settings.sent_folder
        if sent is not None:
            with self._edge(f"file a copy in {sent}"):
                imap = self._connection()
                self._ensure_folder(imap, sent)
                if not self._already_in(imap, sent, data):
                    _ok(imap.append(_quote(sent), r"(\Seen)", imaplib.Time2Internaldate(time.time()), data))
        self._smtp.send(data, sender=sender, recipients=recipients)

    def probe(self, sender: str) -> list[str]:
        """For ``practice-alerts check``: log in, open the inbox, find or make the folders, try SMTP.

        Each problem is one sentence naming the server, the account and the server's answer.
        """
        problems: list[str] = []
        try:
            with self._edge("open the inbox"):
                imap = self._connection()
                self._select(imap, self._settings.inbox)
            for folder in (self._settings.processed_folder, self._settings.quarantine_folder,
                           self._settings.sent_folder):
                if folder is None:
                    continue
                try:
                    with self._edge(f"find or create the folder {folder}"):
                        self._ensure_folder(imap, folder)
                except TransportError as exc:
                    problems.append(str(exc))
        except TransportError as exc:
            problems.append(str(exc))
        try:
            self._smtp.probe(sender)
        except TransportError as exc:
            problems.append(str(exc))
        return problems

    def wait_for_mail(self, seconds: float, stop: threading.Event) -> bool:
        """IMAP IDLE (RFC 2177) on a second connection: True when mail lands, False after ``seconds``/stop."""
        if self._idler is None:
            self._idler = ImapIdle(self._open, self._settings.inbox, self._settings.imap.host)
        try:
            with self._edge("wait for new mail (IDLE)"):
                return self._idler.wait(seconds, stop, self._newest)
        except TransportError:
            self._idler.close()
            self._idler = None
            raise

    def close(self) -> None:
        if self._idler is not None:
            self._idler.close()
            self._idler = None
        imap, self._imap = self._imap, None
        if imap is not None:
            try:
                imap.logout()
            except (imaplib.IMAP4.error, OSError):
                pass

    # -- IMAP plumbing -------------------------------------------------------------------------

    def _connection(self) -> imaplib.IMAP4:
        if self._imap is not None:
            return self._imap
        self._imap, self._selected = self._open(), None
        return self._imap

    def _open(self) -> imaplib.IMAP4:
        """A new, logged-in connection."""
        server = self._settings.imap
        secret = self._secret()  # Before connecting: fetching a token can fail on its own.
        if server.security == "tls":
            imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                server.host, server.port, ssl_context=tls_context(server), timeout=server.timeout_seconds
            )
        else:
            imap = imaplib.IMAP4(server.host, server.port, timeout=server.timeout_seconds)
            if server.security == "starttls":
                imap.starttls(ssl_context=tls_context(server))
        try:
            if server.auth == "password":
                assert server.username is not None  # login_secret() refused a missing username
                imap.login(server.username, secret)
            elif server.auth == "xoauth2":
                sasl = xoauth2_string(server.username or "", secret).encode()
                imap.authenticate("XOAUTH2", _one_shot(sasl))
        except imaplib.IMAP4.error as exc:
            imap.shutdown()
            raise TransportAuthError(
                f"The IMAP server {server.host} refused the login for {server.username}: {_text(exc)}"
            ) from None
        # imaplib keeps the pre-login CAPABILITY; servers announce more (MOVE, UIDPLUS) after login.
        imap.capabilities = tuple(_ok(imap.capability())[-1].decode().upper().split())
        return imap

    def _select(self, imap: imaplib.IMAP4, folder: str) -> str:
        self._selected = None
        _ok(imap.select(_quote(folder)))
        self._selected = folder
        code, values = imap.response("UIDVALIDITY")
        if not values or values[0] is None:
            raise TransportError(f"The IMAP server gave no UIDVALIDITY for {folder}.")
        return values[0].decode()

    def _ensure_folder(self, imap: imaplib.IMAP4, folder: str) -> None:
        if folder in self._known_folders:
            return
        listed = _ok(imap.list('""', _quote(folder)))
        if not any(item for item in listed if item):
            _ok(imap.create(_quote(folder)))
            imap.subscribe(_quote(folder))
        self._known_folders.add(folder)

    def _already_in(self, imap: imaplib.IMAP4, folder: str, data: bytes) -> bool:
        message_id = message_id_of(data)
        if message_id is None:
            return False
        self._selected = None
        _ok(imap.select(_quote(folder), readonly=True))
        found = _ok(imap.uid("SEARCH", "HEADER", "Message-ID", _quote(message_id)))
        return bool(found and found[0].split())

    def _edge(self, doing: str) -> _ImapEdge:
        return _ImapEdge(self, doing)


class _ImapEdge:
    """Translate imaplib and socket errors; drop the connection when it may be broken."""

    def __init__(self, transport: ImapSmtpTransport, doing: str) -> None:
        self._transport, self._doing = transport, doing

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> Literal[False]:
        if exc is None or isinstance(exc, TransportError):
            return False
        host = self._transport._settings.imap.host
        if isinstance(exc, (imaplib.IMAP4.abort, OSError)) and not isinstance(exc, ssl.SSLCertVerificationError):
            self._transport._imap = self._transport._selected = None
            if isinstance(exc, (ConnectionRefusedError, socket.gaierror, TimeoutError)):
                port = self._transport._settings.imap.port
                raise TransientTransportError(
                    f"Could not reach the IMAP server {host}:{port} to {self._doing}: {exc}") from None
            raise TransientTransportError(f"Lost the IMAP server {host} while trying to {self._doing}: {exc}") from None
        if isinstance(exc, (imaplib.IMAP4.error, ssl.SSLError)):
            raise TransportError(f"The IMAP server {host} would not {self._doing}: {_text(exc)}") from None
        return False


def _ok(result: tuple[str, list]) -> list:
    status, data = result
    if status != "OK":
        raise imaplib.IMAP4.error(b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace"))
    return data


def _message_bytes(data: list) -> bytes | None:
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _one_shot(sasl: bytes):
    """XOAUTH2 answers: the token first; then an empty line to end a failed exchange."""
    calls = iter((sasl,))
    return lambda _challenge: next(calls, b"")


def _text(exc: BaseException) -> str:
    return " ".join(a.decode(errors="replace") if isinstance(a, bytes) else str(a) for a in exc.args)
