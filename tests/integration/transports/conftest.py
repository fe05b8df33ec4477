"""Servers and harnesses for the transport tests, started once per session.

Real servers: Dovecot (IMAP, skipped with a reason if not installed) and aiosmtpd (SMTP) on
loopback with a throwaway CA. EWS and Graph cannot run here: they are served by local fakes that
answer with recorded, protocol-accurate responses (see ``_transports_fake_ews.py`` and
``_transports_fake_graph.py``).
"""

from __future__ import annotations

import imaplib
import os
import re
import ssl
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _transports_fake_ews import NTLM_DOMAIN, NTLM_PASSWORD, NTLM_USER, FakeEws, start_fake_ews  # noqa: E402
from _transports_fake_graph import FakeGraph  # noqa: E402
from _transports_servers import (  # noqa: E402
    HAVE_DOVECOT,
    PASSWORD,
    USER,
    SmtpSink,
    make_test_ca,
    start_dovecot,
    start_smtp,
)


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory):
    directory = tmp_path_factory.mktemp("ca")
    directory.chmod(0o755)
    return make_test_ca(directory)


@pytest.fixture(scope="session")
def dovecot_server(test_ca):
    if not HAVE_DOVECOT:
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    server = start_dovecot(test_ca)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _smtp_servers(test_ca):
    sink = SmtpSink()
    starttls = start_smtp(sink, test_ca, implicit_tls=False)
    implicit = start_smtp(sink, test_ca, implicit_tls=True)
    yield sink, starttls, implicit
    starttls.stop()
    implicit.stop()


@pytest.fixture
def smtp_sink(_smtp_servers):
    sink = _smtp_servers[0]
    sink.received.clear()
    return sink


@pytest.fixture
def smtp_ports(_smtp_servers):
    return {"starttls": _smtp_servers[1].port, "tls": _smtp_servers[2].port}


class ImapAdmin:
    """A second, plain imaplib session that plays the mail server's delivery and inspects folders."""

    def __init__(self, port: int, ca_file: Path) -> None:
        self.imap = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=ssl.create_default_context(cafile=str(ca_file)))
        self.imap.login(USER, PASSWORD)

    def deliver(self, data: bytes, folder: str = "INBOX") -> None:
        assert self.imap.append(folder, None, None, data)[0] == "OK"

    def contents(self, folder: str) -> list[bytes]:
        if self.imap.select(f'"{folder}"', readonly=True)[0] != "OK":
            return []
        uids = self.imap.uid("SEARCH", "ALL")[1][0].split()
        found = []
        for uid in uids:
            data = self.imap.uid("FETCH", uid, "(BODY.PEEK[])")[1]
            found.append(next(part[1] for part in data if isinstance(part, tuple)))
        return found

    def empty_all(self) -> None:
        kind, listed = self.imap.list('""', "*")
        for line in listed:
            match = re.match(r'\(.*?\) (?:"."|NIL) "?(.*?)"?$', line.decode()) if line else None
            name = match.group(1) if match else ""
            status, exists = self.imap.select(f'"{name}"') if name else ("NO", [b"0"])
            if status == "OK" and int(exists[0]) > 0:
                self.imap.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                self.imap.expunge()
            if name and name != "INBOX":
                self.imap.unselect() if self.imap.state == "SELECTED" else None
                self.imap.delete(f'"{name}"')

    def close(self) -> None:
        self.imap.logout()


@pytest.fixture
def imap_admin(dovecot_server, test_ca):
    admin = ImapAdmin(dovecot_server.imaps_port, test_ca.ca_file)
    admin.empty_all()
    yield admin
    admin.close()


@pytest.fixture(scope="session")
def _ews_server(test_ca, tmp_path_factory):
    users = tmp_path_factory.mktemp("ntlm") / "ntlm-users"
    users.write_text(f"{NTLM_DOMAIN}:{NTLM_USER}:{NTLM_PASSWORD}\n")
    saved = os.environ.get("NTLM_USER_FILE")
    os.environ["NTLM_USER_FILE"] = str(users)  # read by pyspnego's NTLM acceptor in the fake server
    server = start_fake_ews(FakeEws(), test_ca.server_context())
    yield server
    server.shutdown()
    if saved is None:
        os.environ.pop("NTLM_USER_FILE", None)
    else:
        os.environ["NTLM_USER_FILE"] = saved


@pytest.fixture
def fake_ews(_ews_server):
    """A fresh recorded-EWS mailbox behind the session's HTTPS endpoint."""
    fake = FakeEws()
    _ews_server.RequestHandlerClass.fake = fake
    fake.port = _ews_server.server_address[1]
    return fake


@pytest.fixture
def fake_graph():
    return FakeGraph()
