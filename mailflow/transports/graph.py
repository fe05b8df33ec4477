"""Microsoft Graph: the main route to Exchange Online (EWS there is allow-list-only from
1 October 2026 and ends on 1 April 2027).

App-only auth (msal client credentials; the app's reach is limited to the shared mailbox by
Exchange RBAC for Applications). Messages are listed with immutable ids, fetched as MIME
(``/$value``), moved into child folders of the inbox, and sent as base64 MIME through ``sendMail``
so our Message-ID and threading headers survive. At most ``max_concurrent_requests`` (Exchange
Online's limit is 4 per mailbox) requests are in flight per mailbox; ``429``/``503`` are retried
after ``Retry-After`` a bounded number of times, then raised as ``TransientTransportError``.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone, tzinfo
from typing import Any, Literal
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import BaseModel, ConfigDict

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
from practice_alerts.mailflow.transports.oauth_client import ClientCredentialsTokens
from practice_alerts.mailflow.transports.settings import GraphSettings, resolve_secret
from practice_alerts.rawmail.message_id import message_id_of

IMMUTABLE_IDS = {"Prefer": 'IdType="ImmutableId"'}
_RETRYABLE = {429, 503, 504}
_semaphores: dict[tuple[str, str], threading.BoundedSemaphore] = {}
_semaphores_lock = threading.Lock()


class AutomaticReplies(BaseModel):
    """A mailbox's out-of-office setting, as Graph reports it."""

    model_config = ConfigDict(frozen=True)

    status: Literal["disabled", "alwaysEnabled", "scheduled"]
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None

    def is_away(self, now: datetime) -> bool:
        if self.status == "alwaysEnabled":
            return True
        if self.status == "scheduled" and self.scheduled_start and self.scheduled_end:
            return self.scheduled_start <= now < self.scheduled_end
        return False


class GraphTransport:
    def __init__(
        self,
        settings: GraphSettings,
        environ: Mapping[str, str],
        *,
        http_transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = settings
        self._secret = resolve_secret(settings.client_secret_env, environ, "transport.client_secret_env")
        self._client = httpx.Client(transport=http_transport, timeout=settings.timeout_seconds)
        self._sleep = sleep
        self._tokens = ClientCredentialsTokens(
            authority_host=settings.authority_host,
            tenant_id=settings.tenant_id,
            client_id=settings.client_id,
            client_secret=self._secret,
            scope="{0.scheme}://{0.netloc}/.default".format(urlsplit(settings.graph_url)),
            setting="transport",
            http_client=self._client,
        )
        self._folder_ids: dict[str, str] = {}
        self._delta_link: str | None = None
        self._listed: set[str] = set()
        """The ids the last fetch listed (so a wait knows what is new)."""
        self._base = f"{settings.graph_url.rstrip('/')}/users/{quote(settings.mailbox, safe='')}"
        key = (settings.graph_url, settings.mailbox.lower())
        with _semaphores_lock:
            self._in_flight = _semaphores.setdefault(key, threading.BoundedSemaphore(settings.max_concurrent_requests))

    # -- the transport interface -----------------------------------------------------------------

    def fetch(self) -> Iterator[RawMessage]:
        url: str | None = (
            f"{self._base}/mailFolders/{quote(self._settings.inbox_folder)}/messages"
            "?$select=id,internetMessageId,receivedDateTime&$orderby=receivedDateTime%20asc&$top=50"
        )
        ids: list[str] = []
        while url:
            page = self._request("GET", url).json()
            ids.extend(item["id"] for item in page.get("value", []))
            url = page.get("@odata.nextLink")
        self._listed = set(ids)
        with ThreadPoolExecutor(max_workers=self._settings.max_concurrent_requests) as pool:
            for message_id, data in zip(ids, pool.map(self._mime, ids), strict=True):
                if data is not None:
                    yield RawMessage(transport_id=message_id, data=data)

    def probe(self, sender: str) -> list[str]:
        """For ``practice-alerts check``: sign in, open the inbox, find or make the folders (nothing is read)."""
        try:
            self._request("GET", f"{self._base}/mailFolders/{quote(self._settings.inbox_folder)}",
                          params={"$select": "id,totalItemCount"})
            for folder in (self._settings.processed_folder, self._settings.quarantine_folder):
                self._folder_id(folder)
        except TransportError as exc:
            return [str(exc)]
        return []

    def wait_for_mail(self, seconds: float, stop: threading.Event) -> bool:
        """Between passes, ask Graph every ``delta_seconds`` what changed in the inbox (a delta query).

        True as soon as a message not seen by the last fetch is there; False after ``seconds`` or
        on stop. One small request per interval instead of listing the inbox.
        """
        deadline = time.monotonic() + seconds
        while not stop.is_set():
            if self._inbox_changed():
                return True
            left = deadline - time.monotonic()
            if left <= 0 or stop.wait(min(self._settings.delta_seconds, left)):
                return False
        return False

    def _inbox_changed(self) -> bool:
        inbox = quote(self._settings.inbox_folder)
        url: str | None = self._delta_link or f"{self._base}/mailFolders/{inbox}/messages/delta?$select=id"
        arrived: set[str] = set()
        while url:
            page = self._request("GET", url).json()
            arrived |= {item["id"] for item in page.get("value", []) if "@removed" not in item}
            url = page.get("@odata.nextLink")
            self._delta_link = page.get("@odata.deltaLink", self._delta_link)
        return bool(arrived - self._listed)  # our own moves show as removals; what fetch saw is not news

    def mark_handled(self, transport_id: str, outcome: Outcome) -> None:
        if outcome not in OUTCOMES:
            raise TransportError(f"Unknown outcome {outcome!r}; expected one of {OUTCOMES}.")
        folder_id = self._folder_id(getattr(self._settings, f"{outcome}_folder"))
        self._request(
            "POST", f"{self._base}/messages/{quote(transport_id, safe='')}/move", json={"destinationId": folder_id}
        )

    def send(self, data: bytes, *, sender: str, recipients: list[str]) -> None:
        require_header_recipients(data, recipients, "Microsoft Graph")
        message_id = message_id_of(data)
        if message_id is not None and self._in_sent_items(message_id):
            return  # Sent before (a retry after a lost answer): Graph keeps our Message-ID.
        self._request(
            "POST",
            f"{self._base}/sendMail",
            content=base64.b64encode(data),
            headers={"Content-Type": "text/plain"},
        )

    def close(self) -> None:
        self._client.close()

    def automatic_replies(self, address: str) -> AutomaticReplies:
        """A colleague's out-of-office setting (needs MailboxSettings.Read for that mailbox)."""
        url = f"{self._settings.graph_url.rstrip('/')}/users/{quote(address, safe='')}/mailboxSettings/automaticRepliesSetting"
        body = self._request("GET", url).json()
        return AutomaticReplies(
            status=body["status"],
            scheduled_start=_graph_time(body.get("scheduledStartDateTime")),
            scheduled_end=_graph_time(body.get("scheduledEndDateTime")),
        )

    # -- Graph plumbing --------------------------------------------------------------------------

    def _mime(self, message_id: str) -> bytes | None:
        response = self._request(
            "GET", f"{self._base}/messages/{quote(message_id, safe='')}/$value", allow=frozenset({404})
        )
        return None if response.status_code == 404 else response.content

    def _in_sent_items(self, message_id: str) -> bool:
        literal = message_id.replace("'", "''")
        response = self._request(
            "GET",
            f"{self._base}/mailFolders/sentitems/messages",
            params={"$filter": f"internetMessageId eq '{literal}'", "$select": "id"},
        )
        return bool(response.json().get("value"))

    def _folder_id(self, name: str) -> str:
        if name not in self._folder_ids:
            parent = f"{self._base}/mailFolders/{quote(self._settings.inbox_folder)}/childFolders"
            literal = name.replace("'", "''")
            found = self._request("GET", parent, params={"$filter": f"displayName eq '{literal}'"}).json()["value"]
            if found:
                self._folder_ids[name] = found[0]["id"]
            else:
                created = self._request("POST", parent, json={"displayName": name, "isHidden": False})
                self._folder_ids[name] = created.json()["id"]
        return self._folder_ids[name]

    def _request(self, method: str, url: str, *, allow: frozenset[int] = frozenset(), **kwargs: Any) -> httpx.Response:
        headers = {**IMMUTABLE_IDS, **kwargs.pop("headers", {})}
        settings = self._settings
        for attempt in range(settings.max_retries + 1):
            headers["Authorization"] = f"Bearer {self._tokens()}"
            with self._in_flight:
                try:
                    response = self._client.request(method, url, headers=headers, **kwargs)
                except httpx.HTTPError as exc:
                    raise TransientTransportError(f"Could not reach Microsoft Graph: {exc}") from None
            if response.status_code not in _RETRYABLE:
                break
            wait = _retry_after(response, attempt)
            if attempt == settings.max_retries or wait > settings.max_retry_wait_seconds:
                raise TransientTransportError(
                    f"Microsoft Graph is throttling or busy ({response.status_code}) for {settings.mailbox}",
                    retry_after=wait,
                )
            self._sleep(wait)
        if response.status_code < 400 or response.status_code in allow:
            return response
        code, message = _graph_error(response)
        if response.status_code in (401, 403):
            raise TransportAuthError(
                f"Microsoft Graph refused access to {settings.mailbox} ({code}): {message}. "
                "Check the app's permissions and its RBAC for Applications scope."
            )
        raise TransportError(f"Microsoft Graph answered {response.status_code} ({code}): {message}")


def _retry_after(response: httpx.Response, attempt: int) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return float(2**attempt)


def _graph_error(response: httpx.Response) -> tuple[str, str]:
    try:
        error = response.json().get("error", {})
        return str(error.get("code", "unknown")), str(error.get("message", ""))
    except ValueError:
        return "unknown", response.text[:200]


def _graph_time(value: dict | None) -> datetime | None:
    """Graph's dateTimeTimeZone (a naive time plus a zone name) as an aware datetime."""
    if not value or not value.get("dateTime"):
        return None
    parsed = datetime.fromisoformat(value["dateTime"][:26])
    if parsed.tzinfo is not None:
        return parsed
    zone: tzinfo
    try:
        zone = ZoneInfo(value.get("timeZone") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.utc  # A Windows zone name: Graph returns UTC unless asked otherwise.
    return parsed.replace(tzinfo=zone)
