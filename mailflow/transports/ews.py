"""Exchange Web Services through exchangelib: on-premises Exchange Server, and Exchange Online only
for tenants that still allow EWS for this app (allow-list-only from 1 October 2026, switched off on
1 April 2027; use the Graph transport there).

A shared mailbox is opened by delegation (the service account has Full Access) or impersonation
(ApplicationImpersonation), with NTLM or OAuth2 client credentials. The endpoint and Exchange
version are configured explicitly, so nothing is autodiscovered or guessed over the network.
Messages are listed with FindItem, read as MIME with GetItem, moved with MoveItem into child folders
of the inbox (created if missing), and sent from MIME with CreateItem/SendAndSaveCopy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar
from urllib.parse import urlsplit

import requests
from exchangelib import (
    DELEGATE,
    IMPERSONATION,
    NTLM,
    OAUTH2,
    Account,
    Configuration,
    Credentials,
    Folder,
    FolderCollection,
    Identity,
    Message,
    OAuth2Credentials,
    Q,
    Version,
)
from exchangelib import errors as ews
from exchangelib.folders import SHALLOW
from exchangelib.protocol import BaseProtocol
from exchangelib.version import EXCHANGE_2013, EXCHANGE_2013_SP1, EXCHANGE_2016, EXCHANGE_2019
from oauthlib.oauth2 import OAuth2Error

from practice_alerts.mailflow.transports.base import (
    OUTCOMES,
    Outcome,
    RawMessage,
    require_header_recipients,
)
from practice_alerts.mailflow.transports.errors import (
    TransientTransportError,
    TransportAuthError,
    TransportError,
)
from practice_alerts.mailflow.transports.settings import EwsSettings, resolve_secret
from practice_alerts.rawmail.message_id import message_id_of

_VERSIONS = {"2013": EXCHANGE_2013, "2013_SP1": EXCHANGE_2013_SP1, "2016": EXCHANGE_2016, "2019": EXCHANGE_2019}
_TRANSIENT = (
    ews.ErrorServerBusy,
    ews.RateLimitError,
    ews.ErrorTimeoutExpired,
    ews.ErrorInternalServerTransientError,
    ews.ErrorMailboxStoreUnavailable,
    ews.ErrorMailboxMoveInProgress,
    ews.ErrorTooManyObjectsOpened,
    ews.ErrorConnectionFailed,
    ews.SessionPoolMinSizeReached,
    ews.ErrorBatchProcessingStopped,
)
_AUTH = (
    ews.UnauthorizedError,
    ews.ErrorAccessDenied,
    ews.ErrorImpersonateUserDenied,
    ews.ErrorImpersonationDenied,
    ews.ErrorNonExistentMailbox,
)
T = TypeVar("T")


class _WithholdSoapDumps(logging.Filter):
    """exchangelib logs the whole request and response XML when a call fails; those can hold a
    child's details (the MIME of a message), so only the error's class and text are kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and isinstance(record.args, tuple) and len(record.args) == 4:
            record.msg, record.args = "%s: %s (request details withheld)", record.args[:2]
        return True


logging.getLogger("exchangelib.util").addFilter(_WithholdSoapDumps())


class _TrustedCAs(requests.adapters.HTTPAdapter):
    """Lets one EWS host be verified against a private CA file (exchangelib's documented hook)."""

    ca_files: dict[str, str] = {}

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):  # noqa: ANN001
        host = urlsplit(request.url).hostname or ""
        if verify is not False and host in self.ca_files:  # Also beats REQUESTS_CA_BUNDLE.
            verify = self.ca_files[host]
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies)


class _OAuth2WithTokenUrl(OAuth2Credentials):
    """Client credentials whose token endpoint can be set (sovereign clouds, AD FS, tests)."""

    def __init__(self, *, token_url: str | None, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._token_url = token_url

    @property
    def token_url(self) -> str:
        return self._token_url or super().token_url


class EwsTransport:
    def __init__(self, settings: EwsSettings, environ: Mapping[str, str]) -> None:
        self._settings = settings
        # exchangelib's adapter hook is process-wide: the last EWS transport built for a host decides.
        host = urlsplit(settings.service_endpoint).hostname or ""
        if settings.ca_file is not None:
            _TrustedCAs.ca_files[host] = str(settings.ca_file)
            BaseProtocol.HTTP_ADAPTER_CLS = _TrustedCAs
        else:
            _TrustedCAs.ca_files.pop(host, None)
        config = Configuration(
            service_endpoint=settings.service_endpoint,
            credentials=self._credentials(environ),
            auth_type=NTLM if settings.auth == "ntlm" else OAUTH2,
            version=Version(build=_VERSIONS[settings.exchange_version]),
        )
        self._account = Account(
            primary_smtp_address=settings.mailbox,
            config=config,
            autodiscover=False,
            access_type=DELEGATE if settings.access == "delegate" else IMPERSONATION,
            default_timezone=None,
            locale="en_GB",
        )
        self._folders: dict[str, Folder] = {}

    def _credentials(self, environ: Mapping[str, str]) -> Credentials | OAuth2Credentials:
        settings = self._settings
        if settings.auth == "ntlm":
            if not settings.username:
                raise TransportError("The setting transport.username (DOMAIN\\user) is required for NTLM.")
            return Credentials(
                settings.username, resolve_secret(settings.password_env, environ, "transport.password_env")
            )
        if not settings.client_id or not (settings.tenant_id or settings.token_url):
            raise TransportError("OAuth2 needs transport.client_id and transport.tenant_id (or transport.token_url).")
        return _OAuth2WithTokenUrl(
            client_id=settings.client_id,
            client_secret=resolve_secret(settings.client_secret_env, environ, "transport.client_secret_env"),
            tenant_id=settings.tenant_id,
            identity=Identity(primary_smtp_address=settings.mailbox),
            token_url=settings.token_url,
        )

    def fetch(self) -> Iterator[RawMessage]:
        items = self._edge(
            "list the inbox",
            lambda: list(self._account.inbox.all().only("id", "changekey").order_by("datetime_received")),
        )
        for item in items:
            fetched = self._edge(
                "read a message",
                lambda item=item: list(  # type: ignore[misc]
                    self._account.fetch(ids=[(item.id, item.changekey)], only_fields=["mime_content"])
                ),
            )
            for message in fetched:
                if isinstance(message, ews.ErrorItemNotFound):
                    continue  # Moved by someone else since the listing.
                if isinstance(message, Exception):
                    raise _translate(message, "read a message")
                yield RawMessage(transport_id=item.id, data=bytes(message.mime_content))

    def mark_handled(self, transport_id: str, outcome: Outcome) -> None:
        if outcome not in OUTCOMES:
            raise TransportError(f"Unknown outcome {outcome!r}; expected one of {OUTCOMES}.")
        name = getattr(self._settings, f"{outcome}_folder")
        folder = self._edge(f"find the {name} folder", lambda: self._folder(name))
        results = self._edge(
            f"move a message to {name}", lambda: self._account.bulk_move(ids=[(transport_id, None)], to_folder=folder)
        )
        for result in results:
            if isinstance(result, ews.ErrorItemNotFound):
                return  # EWS gives a moved item a new id: the old one is gone once handled.
            if isinstance(result, Exception):
                raise _translate(result, f"move a message to {name}")

    def send(self, data: bytes, *, sender: str, recipients: list[str]) -> None:
        require_header_recipients(data, recipients, "EWS")
        message_id = message_id_of(data)
        sent = self._edge("open Sent Items", lambda: self._account.sent)
        if message_id and self._edge("search Sent Items", lambda: sent.filter(message_id=message_id).exists()):
            return  # Sent before (a retry after a lost answer).
        message = Message(account=self._account, folder=sent, mime_content=data)
        self._edge("send a message", message.send_and_save)

    def close(self) -> None:
        self._edge("close the EWS session", self._account.protocol.close)

    def _folder(self, name: str) -> Folder:
        if name not in self._folders:
            inbox = self._account.inbox
            found = list(
                FolderCollection(account=self._account, folders=[inbox]).find_folders(q=Q(name=name), depth=SHALLOW)
            )
            if found:
                self._folders[name] = found[0]
            else:
                folder = Folder(parent=inbox, name=name)
                folder.save()
                self._folders[name] = folder
        return self._folders[name]

    def _edge(self, doing: str, action: Callable[[], T]) -> T:
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 - every foreign error is translated here
            raise _translate(exc, doing) from None


def _translate(exc: BaseException, doing: str) -> TransportError:
    """exchangelib, requests and oauthlib errors into ours."""
    if isinstance(exc, TransportError):
        return exc
    message = f"Exchange (EWS) could not {doing}: {exc}"
    if isinstance(exc, ews.ErrorServerBusy):
        return TransientTransportError(message, retry_after=exc.back_off)
    if isinstance(exc, ews.RateLimitError):
        return TransientTransportError(message, retry_after=exc.wait)
    if isinstance(exc, _TRANSIENT):
        return TransientTransportError(message)
    if isinstance(exc, (*_AUTH, OAuth2Error, PermissionError)):  # requests_ntlm: PermissionError
        return TransportAuthError(message)
    if isinstance(exc, requests.exceptions.SSLError):
        return TransportError(f"{message}. Check transport.ca_file and the server's certificate.")
    if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout, ews.TransportError)):
        return TransientTransportError(message)
    return TransportError(message)
