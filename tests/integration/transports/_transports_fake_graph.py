"""A stand-in for Microsoft Graph and the Microsoft identity platform at the HTTP layer.

It answers through ``httpx.MockTransport`` with the recorded response bodies in
``tests/fixtures/transports/graph/`` (real Graph shapes), keeping a small mailbox in memory so the
contract tests can deliver messages and see what was moved and sent. It is not a live tenant.
"""

from __future__ import annotations

import base64
import copy
import email
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

FIXTURES = Path(__file__).parents[2] / "fixtures" / "transports" / "graph"
AUTHORITY = "https://login.test.invalid"
GRAPH = "https://graph.test.invalid/v1.0"
TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT_ID = "00000000-0000-0000-0000-00000000c1e7"
SECRET = "test-client-secret"
MAILBOX = "alerts@example.test"


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@dataclass
class FakeGraph:
    secret: str = SECRET
    mailboxes_in_scope: set[str] = field(default_factory=lambda: {MAILBOX})
    page_size: int = 2
    mime_delay: float = 0.0
    throttle: list[tuple[int, str]] = field(default_factory=list)
    """Responses to give before serving normally: (status, Retry-After value)."""
    messages: dict[str, dict] = field(default_factory=dict)
    folders: dict[str, str] = field(default_factory=dict)  # display name -> id, under the inbox
    sent_items: list[bytes] = field(default_factory=list)
    submitted: list[bytes] = field(default_factory=list)
    token_requests: int = 0
    inbox_changes: list[tuple[str, bool]] = field(default_factory=list)
    """What happened in the inbox, in order: (message id, removed?), for delta queries."""
    requests: list[httpx.Request] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def deliver(self, data: bytes) -> str:
        message_id = f"AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A{next(self._ids):08d}AAA="
        self.messages[message_id] = {"data": data, "folder": "inbox"}
        self.inbox_changes.append((message_id, False))
        return message_id

    def folder_contents(self, name: str) -> list[bytes]:
        folder = self.folders.get(name)
        return [m["data"] for m in self.messages.values() if folder and m["folder"] == folder]

    # -- HTTP ------------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return self._route(request)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _route(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url.startswith(AUTHORITY):
            return self._identity(request)
        if request.headers.get("Authorization") != f"Bearer {recorded('token')['access_token']}":
            return _error(401, "InvalidAuthenticationToken", "Access token is empty.")
        if self.throttle:
            status, retry_after = self.throttle.pop(0)
            return httpx.Response(status, headers={"Retry-After": retry_after}, json=recorded("error-throttled"))
        path = unquote(urlsplit(url).path).removeprefix(urlsplit(GRAPH).path)
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        match = re.fullmatch(r"/users/([^/]+)(/.*)", path)
        if not match:
            return _error(400, "BadRequest", "Resource not found for the segment.")
        user, rest = match.groups()
        if rest == "/mailboxSettings/automaticRepliesSetting":
            return httpx.Response(200, json=recorded("automatic-replies-scheduled"))
        if user.lower() not in self.mailboxes_in_scope:
            return _error(403, "ErrorAccessDenied", recorded("error-access-denied")["error"]["message"])
        return self._mailbox(request, rest, query)

    def _identity(self, request: httpx.Request) -> httpx.Response:
        authority = f"{AUTHORITY}/{TENANT}"
        if request.url.path.endswith("/.well-known/openid-configuration"):
            text = (FIXTURES / "openid-configuration.json").read_text().replace("{authority}", authority)
            return httpx.Response(200, json=json.loads(text))
        if request.url.path == f"/{TENANT}/oauth2/v2.0/token":
            self.token_requests += 1
            form = parse_qs(request.content.decode())
            if form.get("client_secret") != [self.secret] or form.get("client_id") != [CLIENT_ID]:
                return httpx.Response(401, json=recorded("token-error-invalid-client"))
            return httpx.Response(200, json=recorded("token"))
        return httpx.Response(404)

    def _mailbox(self, request: httpx.Request, rest: str, query: dict) -> httpx.Response:
        method = request.method
        if method == "GET" and rest == "/mailFolders/inbox/messages":
            return self._list(request, query)
        if method == "GET" and rest == "/mailFolders/inbox/messages/delta":
            return self._delta(query)
        if method == "GET" and rest == "/mailFolders/inbox":
            inbox = sum(1 for m in self.messages.values() if m["folder"] == "inbox")
            return httpx.Response(200, json=recorded("mail-folder-inbox") | {"totalItemCount": inbox})
        if method == "GET" and (m := re.fullmatch(r"/messages/([^/]+)/\$value", rest)):
            time.sleep(self.mime_delay)
            item = self.messages.get(m.group(1))
            if item is None:
                return httpx.Response(404, json=recorded("error-item-not-found"))
            return httpx.Response(200, content=item["data"], headers={"Content-Type": "text/plain"})
        if method == "POST" and (m := re.fullmatch(r"/messages/([^/]+)/move", rest)):
            item = self.messages.get(m.group(1))
            destination = json.loads(request.content)["destinationId"]
            if item is None or destination not in self.folders.values():
                return httpx.Response(404, json=recorded("error-item-not-found"))
            item["folder"] = destination
            self.inbox_changes.append((m.group(1), True))
            body = recorded("message-moved") | {"id": m.group(1), "parentFolderId": destination}
            return httpx.Response(201, json=body)
        if rest == "/mailFolders/inbox/childFolders":
            return self._child_folders(request, query)
        if method == "GET" and rest == "/mailFolders/sentitems/messages":
            wanted = re.fullmatch(r"internetMessageId eq '(.*)'", query.get("$filter", ""))
            body = recorded("sent-items-empty")
            body["value"] = [
                {"id": f"sent{i}"}
                for i, data in enumerate(self.sent_items)
                if wanted and email.message_from_bytes(data)["Message-ID"] == wanted.group(1).replace("''", "'")
            ]
            return httpx.Response(200, json=body)
        if method == "POST" and rest == "/sendMail":
            if request.headers.get("Content-Type") != "text/plain":
                return _error(400, "ErrorMimeContentInvalid", "The MIME content is not valid base64.")
            data = base64.b64decode(request.content, validate=True)
            self.submitted.append(data)
            self.sent_items.append(data)
            return httpx.Response(202)
        return _error(400, "BadRequest", f"Unsupported request {method} {rest}")

    def _list(self, request: httpx.Request, query: dict) -> httpx.Response:
        if request.headers.get("Prefer") != 'IdType="ImmutableId"':
            return _error(400, "TestExpectation", "The transport must ask for immutable ids.")
        inbox = [(i, m) for i, m in self.messages.items() if m["folder"] == "inbox"]
        skip = int(query.get("$skiptoken", 0))
        body = recorded("messages-page")
        template = body["value"][0]
        body["value"] = [
            copy.deepcopy(template) | {"id": i, "internetMessageId": email.message_from_bytes(m["data"])["Message-ID"]}
            for i, m in inbox[skip : skip + self.page_size]
        ]
        if skip + self.page_size < len(inbox):
            body["@odata.nextLink"] = (
                f"{GRAPH}/users/{MAILBOX}/mailFolders/inbox/messages?$top=50&$skiptoken={skip + self.page_size}"
            )
        else:
            del body["@odata.nextLink"]
        return httpx.Response(200, json=body)

    def _delta(self, query: dict) -> httpx.Response:
        """Message delta on the inbox: the first call lists what is there; a deltaLink gives the changes since."""
        body = recorded("messages-delta")
        added, removed = body["value"]
        token = query.get("$deltatoken")
        if token is None:
            items = [(i, False) for i, m in self.messages.items() if m["folder"] == "inbox"]
        else:
            items = self.inbox_changes[int(token.rsplit("-", 1)[1]):]
        body["value"] = [copy.deepcopy(removed if gone else added) | {"id": i} for i, gone in items]
        link = body["@odata.deltaLink"].split("$deltatoken=")[0]
        body["@odata.deltaLink"] = f"{link.replace('https://graph.microsoft.com/v1.0', GRAPH)}$deltatoken=t-{len(self.inbox_changes)}"
        return httpx.Response(200, json=body)

    def _child_folders(self, request: httpx.Request, query: dict) -> httpx.Response:
        if request.method == "POST":
            name = json.loads(request.content)["displayName"]
            if name in self.folders:
                return _error(409, "ErrorFolderExists", "A folder with the specified name already exists.")
            self.folders[name] = f"AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0Afolder{len(self.folders):04d}AAA="
            return httpx.Response(
                201, json=recorded("folder-created") | {"id": self.folders[name], "displayName": name}
            )
        wanted = re.fullmatch(r"displayName eq '(.*)'", query.get("$filter", ""))
        body = recorded("child-folders")
        template = body["value"][0]
        body["value"] = [
            template | {"id": folder_id, "displayName": name}
            for name, folder_id in self.folders.items()
            if wanted and name == wanted.group(1).replace("''", "'")
        ]
        return httpx.Response(200, json=body)


def _error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "message": message}})
