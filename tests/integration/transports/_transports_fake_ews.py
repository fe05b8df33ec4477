"""A local HTTPS endpoint that answers EWS SOAP requests with recorded, schema-accurate responses.

The response bodies live in ``tests/fixtures/transports/ews/`` (written per the EWS schema and shaped
like Exchange 2016 recordings); this server parses each request with lxml, keeps a small mailbox in
memory (folders, items, what was sent) and fills the placeholders. It is not a real Exchange server:
it implements just the operations the EWS transport uses (GetFolder, FindFolder, CreateFolder,
FindItem, GetItem with MimeContent, MoveItem, CreateItem with SendAndSaveCopy) and a client
credentials token endpoint. It checks the Bearer token on every call, or signs a connection in with
NTLM using a real acceptor (pyspnego) against the ``NTLM_USER_FILE`` credential file.
"""

from __future__ import annotations

import base64
import email
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qs

from lxml import etree

from practice_alerts.mailflow.transports.settings import EwsSettings

FIXTURES = Path(__file__).parents[2] / "fixtures" / "transports" / "ews"
M = "{http://schemas.microsoft.com/exchange/services/2006/messages}"
T = "{http://schemas.microsoft.com/exchange/services/2006/types}"
SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"
CLIENT_ID = "00000000-0000-0000-0000-0000000e0500"
SECRET = "ews-client-secret"
MAILBOX = "alerts@example.test"
NTLM_DOMAIN, NTLM_USER, NTLM_PASSWORD = "COUNCIL", "svc-alerts", "Ntlm-Passw0rd!"
DISTINGUISHED = {
    "root": "Top of Information Store",
    "msgfolderroot": "Top of Information Store",
    "inbox": "Inbox",
    "sentitems": "Sent Items",
}


def oauth_settings(fake: FakeEws, ca, *, secret_env: str = "S", **fields) -> EwsSettings:
    """Settings for this server: app-only OAuth2 with impersonation, trusting the test CA."""
    base = dict(
        service_endpoint=f"https://localhost:{fake.port}/EWS/Exchange.asmx",
        mailbox=MAILBOX,
        auth="oauth2",
        access="impersonation",
        client_id=CLIENT_ID,
        client_secret_env=secret_env,
        tenant_id="contoso",
        token_url=f"https://localhost:{fake.port}/token",
        ca_file=ca.ca_file,
    )
    return EwsSettings(**(base | fields))


def template(name: str) -> Template:
    return Template((FIXTURES / name).read_text())


@dataclass
class FakeEws:
    secret: str = SECRET
    busy_back_off_ms: list[int] = field(default_factory=list)
    folders: dict[str, dict] = field(default_factory=dict)
    items: dict[str, dict] = field(default_factory=dict)
    submitted: list[bytes] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    impersonated: list[str] = field(default_factory=list)
    missing_folders: list[str] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    soap_requests: int = 0
    ntlm_users: list[str] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        for distinguished, name in DISTINGUISHED.items():
            self.folders[self._new_id("F")] = {"name": name, "distinguished": distinguished, "parent": None}

    @property
    def token(self) -> str:
        return json.loads((FIXTURES / "token.json").read_text())["access_token"]

    def _new_id(self, kind: str) -> str:
        return base64.b64encode(f"AAMkAGI2TG93AAA{kind}{next(self._ids):010d}".encode()).decode()

    def folder_id(self, distinguished: str | None = None, name: str | None = None) -> str | None:
        for folder_id, folder in self.folders.items():
            if (distinguished and folder["distinguished"] == distinguished) or (
                name and folder["name"] == name and not folder["distinguished"]
            ):
                return folder_id
        return None

    def deliver(self, data: bytes, folder: str = "inbox") -> str:
        item_id = self._new_id("I")
        self.items[item_id] = {"data": data, "folder": self.folder_id(folder)}
        return item_id

    def folder_contents(self, name: str) -> list[bytes]:
        folder_id = self.folder_id(name=name) or self.folder_id(distinguished=name)
        return [item["data"] for item in self.items.values() if folder_id and item["folder"] == folder_id]

    # -- SOAP ------------------------------------------------------------------------------------

    def note_impersonation(self, body: bytes) -> None:
        header = etree.fromstring(body).find(f"{SOAP}Header")
        if header is not None:
            for address in header.iter(f"{T}PrimarySmtpAddress"):
                self.impersonated.append(address.text)
        self.soap_requests += 1

    def answer(self, body: bytes) -> tuple[int, bytes]:
        request = etree.fromstring(body)
        operation = request.find(f"{SOAP}Body")[0]
        name = etree.QName(operation).localname
        with self._lock:
            self.operations.append(name)
            if self.busy_back_off_ms:
                back_off = self.busy_back_off_ms.pop(0)
                return 500, self._envelope(template("Fault-ErrorServerBusy.xml").substitute(back_off_ms=back_off))
            handler = getattr(self, f"_{name}", None)
            if handler is None:
                raise ValueError(f"FakeEws does not implement {name}")
            return 200, self._envelope(handler(operation))

    def _envelope(self, body: str) -> bytes:
        return template("envelope.xml").substitute(body=body).encode()

    def _resolve_folder(self, element: etree._Element) -> str:
        if etree.QName(element).localname == "DistinguishedFolderId":
            return self.folder_id(distinguished=element.get("Id"))
        return element.get("Id")

    def _GetFolder(self, op: etree._Element) -> str:  # noqa: N802
        messages = []
        for element in op.find(f"{M}FolderIds"):
            folder_id = self._resolve_folder(element)
            folder = self.folders.get(folder_id)
            if folder is None:  # A distinguished folder this small mailbox does not have.
                self.missing_folders.append(element.get("Id"))
                messages.append(template("ErrorFolderNotFound.message.xml").substitute())
                continue
            messages.append(
                template("GetFolder.message.xml").substitute(
                    folder_id=folder_id,
                    parent_id=folder["parent"] or folder_id,
                    display_name=folder["name"],
                    total=sum(1 for i in self.items.values() if i["folder"] == folder_id),
                    children=sum(1 for f in self.folders.values() if f["parent"] == folder_id),
                )
            )
        return template("GetFolder.xml").substitute(messages="\n".join(messages))

    def _FindFolder(self, op: etree._Element) -> str:  # noqa: N802
        parent = self._resolve_folder(op.find(f"{M}ParentFolderIds")[0])
        constant = op.find(f".//{T}Constant")
        wanted = constant.get("Value") if constant is not None else None
        found = [
            template("FindFolder.folder.xml").substitute(
                folder_id=folder_id,
                parent_id=parent,
                display_name=folder["name"],
                total=sum(1 for i in self.items.values() if i["folder"] == folder_id),
            )
            for folder_id, folder in self.folders.items()
            if folder["parent"] == parent and (wanted is None or folder["name"] == wanted)
        ]
        return template("FindFolder.xml").substitute(count=len(found), folders="\n".join(found))

    def _CreateFolder(self, op: etree._Element) -> str:  # noqa: N802
        parent = self._resolve_folder(op.find(f"{M}ParentFolderId")[0])
        name = op.find(f"{M}Folders")[0].find(f"{T}DisplayName").text
        folder_id = self._new_id("F")
        self.folders[folder_id] = {"name": name, "distinguished": None, "parent": parent}
        return template("CreateFolder.xml").substitute(folder_id=folder_id)

    def _FindItem(self, op: etree._Element) -> str:  # noqa: N802
        folder_id = self._resolve_folder(op.find(f"{M}ParentFolderIds")[0])
        constant = op.find(f".//{T}Constant")
        wanted = constant.get("Value") if constant is not None else None
        found = [
            template("FindItem.item.xml").substitute(item_id=item_id, change_key="CQAAABYAAAA=")
            for item_id, item in self.items.items()
            if item["folder"] == folder_id
            and (wanted is None or email.message_from_bytes(item["data"])["Message-ID"] == wanted)
        ]
        return template("FindItem.xml").substitute(count=len(found), items="\n".join(found))

    def _GetItem(self, op: etree._Element) -> str:  # noqa: N802
        messages = []
        for element in op.find(f"{M}ItemIds"):
            item = self.items.get(element.get("Id"))
            if item is None:
                messages.append(template("ErrorItemNotFound.message.xml").substitute(operation="GetItem"))
                continue
            messages.append(
                template("GetItem.message.xml").substitute(
                    item_id=element.get("Id"),
                    change_key="CQAAABYAAAA=",
                    mime_base64=base64.b64encode(item["data"]).decode(),
                )
            )
        return template("GetItem.xml").substitute(messages="\n".join(messages))

    def _MoveItem(self, op: etree._Element) -> str:  # noqa: N802
        target = self._resolve_folder(op.find(f"{M}ToFolderId")[0])
        messages = []
        for element in op.find(f"{M}ItemIds"):
            item = self.items.pop(element.get("Id"), None)
            if item is None:
                messages.append(template("ErrorItemNotFound.message.xml").substitute(operation="MoveItem"))
                continue
            new_id = self._new_id("I")  # Exchange gives a moved item a new id.
            self.items[new_id] = item | {"folder": target}
            messages.append(template("MoveItem.message.xml").substitute(item_id=new_id, change_key="CQAAABYAAAB="))
        return template("MoveItem.xml").substitute(messages="\n".join(messages))

    def _CreateItem(self, op: etree._Element) -> str:  # noqa: N802
        if op.get("MessageDisposition") != "SendAndSaveCopy":
            raise ValueError("the transport must send with SendAndSaveCopy")
        saved_in = self._resolve_folder(op.find(f"{M}SavedItemFolderId")[0])
        for message in op.find(f"{M}Items"):
            data = base64.b64decode(message.find(f"{T}MimeContent").text)
            self.submitted.append(data)
            self.items[self._new_id("I")] = {"data": data, "folder": saved_in}
        return template("CreateItem.xml").substitute()


class _Handler(BaseHTTPRequestHandler):
    """One instance per keep-alive connection, which is what NTLM authenticates."""

    fake: FakeEws
    protocol_version = "HTTP/1.1"
    _ntlm: object | None = None
    _ntlm_user: str | None = None

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/token":
            form = parse_qs(body.decode())
            if form.get("client_id") == [CLIENT_ID] and form.get("client_secret") == [self.fake.secret]:
                self._reply(200, (FIXTURES / "token.json").read_bytes(), "application/json")
            else:
                error = {
                    "error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided.",
                }
                self._reply(401, json.dumps(error).encode(), "application/json")
            return
        self.fake.authorizations.append(self.headers.get("Authorization", ""))
        if body:
            self.fake.note_impersonation(body)
        authorization = self.headers.get("Authorization", "")
        if authorization.startswith("NTLM ") and not self._ntlm_step(authorization):
            return
        if authorization != f"Bearer {self.fake.token}" and self._ntlm_user is None:
            self._unauthorised()
            return
        status, answer = self.fake.answer(body)
        self._reply(status, answer, "text/xml; charset=utf-8")

    def _ntlm_step(self, authorization: str) -> bool:
        """A real NTLM acceptor (pyspnego, checking NTLM_USER_FILE): True once this connection is signed in."""
        import spnego

        token = base64.b64decode(authorization.split(" ", 1)[1])
        try:
            if self._ntlm is None or token[8:12] == b"\x01\x00\x00\x00":  # a NEGOTIATE message starts afresh
                self._ntlm, self._ntlm_user = spnego.server(protocol="ntlm"), None
            answer = self._ntlm.step(token)
        except spnego.exceptions.SpnegoError:
            self._ntlm = None
            self._unauthorised()
            return False
        if not self._ntlm.complete:
            self.send_response(401)
            self.send_header("WWW-Authenticate", f"NTLM {base64.b64encode(answer).decode()}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        self._ntlm_user = self._ntlm.client_principal
        self.fake.ntlm_users.append(self._ntlm_user)
        return True

    def _unauthorised(self) -> None:
        self.send_response(401)  # Offers both, as Exchange does.
        self.send_header("WWW-Authenticate", 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000"')
        self.send_header("WWW-Authenticate", "NTLM")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def start_fake_ews(fake: FakeEws, ssl_context) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = ssl_context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
