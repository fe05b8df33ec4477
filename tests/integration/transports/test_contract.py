"""The contract every transport keeps, run against each of the four.

Maildir is the real thing on disk (relaying through a real aiosmtpd); IMAP/SMTP runs against a real
Dovecot and aiosmtpd on loopback; EWS and Graph run against local servers that answer with
recorded, protocol-accurate responses (not a real Exchange or tenant).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP

import pytest
from _transports_fake_ews import MAILBOX, oauth_settings  # noqa: I001
from _transports_fake_ews import SECRET as EWS_SECRET
from _transports_fake_graph import AUTHORITY, CLIENT_ID, GRAPH, SECRET, TENANT
from _transports_servers import NEEDS_DOVECOT, PASSWORD, USER

from practice_alerts.mailflow.transports import RawMessage, Transport, make_transport
from practice_alerts.mailflow.transports.graph import GraphTransport
from practice_alerts.mailflow.transports.settings import (
    GraphSettings,
    ImapSmtpSettings,
    MaildirSettings,
)


@dataclass
class Harness:
    transport: Transport
    deliver: Callable[[bytes], None]
    folder: Callable[[str], list[bytes]]
    sent_copies: Callable[[], list[bytes]]
    submitted: Callable[[], list[bytes]]


def _maildir(request, tmp_path) -> Harness:
    sink, ports, ca = (request.getfixturevalue(n) for n in ("smtp_sink", "smtp_ports", "test_ca"))
    settings = MaildirSettings(
        path=tmp_path / "mail",
        relay={
            "host": "127.0.0.1",
            "port": ports["starttls"],
            "username": USER,
            "password_env": "RELAY_PW",
            "ca_file": ca.ca_file,
        },
    )
    transport = make_transport(settings, {"RELAY_PW": PASSWORD})
    return Harness(
        transport,
        transport.deliver,
        lambda name: [p.read_bytes() for p in sorted((transport.folder_path(name) / "cur").iterdir())],
        lambda: [p.read_bytes() for p in (transport.folder_path("sent") / "cur").iterdir()],
        lambda: [r.data for r in sink.received],
    )


def _imap_smtp(request, tmp_path) -> Harness:
    dovecot, admin, sink, ports, ca = (
        request.getfixturevalue(n) for n in ("dovecot_server", "imap_admin", "smtp_sink", "smtp_ports", "test_ca")
    )
    login = {"host": "127.0.0.1", "username": USER, "password_env": "MAIL_PW", "ca_file": ca.ca_file}
    settings = ImapSmtpSettings(
        imap={**login, "port": dovecot.imaps_port, "security": "tls"},
        smtp={**login, "port": ports["starttls"], "security": "starttls"},
    )
    transport = make_transport(settings, {"MAIL_PW": PASSWORD})
    return Harness(
        transport,
        admin.deliver,
        admin.contents,
        lambda: admin.contents("Sent"),
        lambda: [r.data for r in sink.received],
    )


def _ews(request, tmp_path) -> Harness:
    fake, ca = request.getfixturevalue("fake_ews"), request.getfixturevalue("test_ca")
    settings = oauth_settings(fake, ca, secret_env="EWS_SECRET")
    transport = make_transport(settings, {"EWS_SECRET": EWS_SECRET})
    return Harness(
        transport, fake.deliver, fake.folder_contents, lambda: fake.folder_contents("sentitems"), lambda: fake.submitted
    )


def _graph(request, tmp_path) -> Harness:
    fake = request.getfixturevalue("fake_graph")
    settings = GraphSettings(
        tenant_id=TENANT,
        client_id=CLIENT_ID,
        client_secret_env="GRAPH_SECRET",
        mailbox=MAILBOX,
        authority_host=AUTHORITY,
        graph_url=GRAPH,
    )
    transport = GraphTransport(settings, {"GRAPH_SECRET": SECRET}, http_transport=fake.transport())
    return Harness(transport, fake.deliver, fake.folder_contents, lambda: fake.sent_items, lambda: fake.submitted)


HARNESSES = {
    "maildir": _maildir,
    "imap_smtp": pytest.param(_imap_smtp, marks=[NEEDS_DOVECOT, pytest.mark.mailserver]),
    "ews": _ews,
    "graph": _graph,
}


@pytest.fixture(params=list(HARNESSES.values()), ids=list(HARNESSES))
def harness(request, tmp_path):
    made = request.param(request, tmp_path)
    yield made
    made.transport.close()


def _message(number: int, *, to: str = "alerts@example.test", attachment: bool = False) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = "Sam Reviewer <sam.reviewer@example.test>"
    message["To"] = to
    message["Subject"] = f"Practice alert PA-{number:04d}"
    message["Message-ID"] = f"<pa-{number}.test@example.test>"
    message["Date"] = "Sun, 22 Nov 2026 09:00:00 +0000"
    message.set_content(f"Reply number {number}.\nPlease escalate – the care plan is overdue.\n")
    if attachment:
        message.add_attachment(
            b"PK\x03\x04 not really a docx",
            maintype="application",
            subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
            filename="practice-alert.docx",
        )
    return message.as_bytes()


def test_fetch_returns_exactly_the_delivered_messages_oldest_first(harness):
    delivered = [_message(1), _message(2, attachment=True), _message(3)]
    for data in delivered:
        harness.deliver(data)

    fetched = list(harness.transport.fetch())

    assert [m.data for m in fetched] == delivered
    assert all(isinstance(m, RawMessage) and m.transport_id for m in fetched)
    assert len({m.transport_id for m in fetched}) == 3


def test_an_empty_inbox_fetches_nothing(harness):
    assert list(harness.transport.fetch()) == []


def test_marking_handled_moves_messages_out_of_the_inbox(harness):
    for number in (1, 2, 3):
        harness.deliver(_message(number))
    first, second, third = harness.transport.fetch()

    harness.transport.mark_handled(first.transport_id, "processed")
    harness.transport.mark_handled(third.transport_id, "quarantine")

    assert [m.data for m in harness.transport.fetch()] == [second.data]
    assert harness.folder("processed") == [first.data]
    assert harness.folder("quarantine") == [third.data]


def test_marking_the_same_message_again_is_harmless(harness):
    harness.deliver(_message(1))
    (only,) = harness.transport.fetch()

    harness.transport.mark_handled(only.transport_id, "processed")
    harness.transport.mark_handled(only.transport_id, "processed")

    assert list(harness.transport.fetch()) == []
    assert harness.folder("processed") == [only.data]


def test_marking_while_fetching_handles_every_message(harness):
    delivered = [_message(n) for n in range(1, 6)]
    for data in delivered:
        harness.deliver(data)

    seen = []
    for message in harness.transport.fetch():
        seen.append(message.data)
        harness.transport.mark_handled(message.transport_id, "processed")

    assert seen == delivered
    assert list(harness.transport.fetch()) == []
    assert sorted(harness.folder("processed")) == sorted(delivered)


def test_send_delivers_our_message_unchanged_and_files_one_sent_copy(harness):
    outgoing = _message(7, to="iro.manager@example.test", attachment=True)

    harness.transport.send(outgoing, sender="alerts@example.test", recipients=["iro.manager@example.test"])
    harness.transport.send(outgoing, sender="alerts@example.test", recipients=["iro.manager@example.test"])

    submitted = harness.submitted()
    assert submitted and all(data == outgoing for data in submitted)
    assert b"Message-ID: <pa-7.test@example.test>" in submitted[0]
    assert harness.sent_copies() == [outgoing]
    assert list(harness.transport.fetch()) == []
