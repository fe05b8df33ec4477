"""A relay that refuses for good (5xx) is not asked again; one that defers (4xx) is.

The service runs with its Maildir transport relaying through a real aiosmtpd server on loopback
that answers, per test, 550 to one recipient, 554 to the data, or 451 to a recipient. RFC 5321
says a 5yz reply is a permanent negative completion: the same message must not be sent again. So
the refused letter is tried once, given up with the server's answer, LAC admin and the IRO are told,
and the workflow records that the stage letter never arrived; a 4xx keeps the back-off.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections import Counter
from email.parser import BytesParser
from email.policy import default

import pytest
import yaml
from aiosmtpd.controller import Controller

from practice_alerts import demo_mail
from practice_alerts.commands.demo import prepare

from .conftest import MAILBOX, Harness

pytestmark = pytest.mark.mailserver

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)
LETTER = "send_stage_letter"


class Relay:
    """An SMTP server whose answers the test sets: ``rcpt`` maps an address to its reply; ``data``
    is the reply to the message itself (for letters to ``data_for``)."""

    def __init__(self) -> None:
        self.rcpt: dict[str, str] = {}
        self.data: str | None = None
        self.data_for: str | None = None
        self.rcpt_asked: Counter[str] = Counter()
        self.delivered: list[tuple[str, ...]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        self.rcpt_asked[address.lower()] += 1
        reply = self.rcpt.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.data and self.data_for in [r.lower() for r in envelope.rcpt_tos]:
            return self.data
        self.delivered.append(tuple(r.lower() for r in envelope.rcpt_tos))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def relayed(tmp_path):
    """A service whose sent mail goes through the ``Relay``; yields (harness, relay)."""
    relay = Relay()
    controller = Controller(relay, hostname="127.0.0.1", port=free_port())
    controller.start()
    folder = tmp_path / "service"
    config = prepare(folder, "rutland")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["transport"]["relay"] = {"host": "127.0.0.1", "port": controller.port, "security": "none", "auth": "none"}
    data["notices"] = {"quarantine_digest": False, "weekly_digest": False}
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    h = Harness(folder, "rutland", T0, keep_config=True)
    try:
        yield h, relay
    finally:
        h.close()
        controller.stop()


def _raise_alert(h) -> None:
    form = demo_mail.filled_form(h.ctx.policy, demo_mail.form_values(
        h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date()))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<refusal-1@example.gov.uk>"))


def _outbox(h) -> list:
    with h.ctx.database.reading() as reads:
        return reads.outbox_items()


def _plain_text(raw: bytes) -> str:
    body = BytesParser(policy=default).parsebytes(raw).get_body(preferencelist=("plain",))
    assert body is not None
    return " ".join(body.get_content().split())


def _events(h) -> list[str]:
    with h.ctx.database.reading() as reads:
        return [e.event_type for e in reads.events("PA-2026-0001")]


def _first_pass_letter(h, relay) -> tuple:
    _raise_alert(h)
    h.run()
    rows = _outbox(h)
    return rows, next(r for r in rows if r.purpose == LETTER)


def test_a_recipient_refused_with_550_is_tried_once_given_up_and_people_are_told(relayed):
    h, relay = relayed
    relay.rcpt["jo.bloggs@example.gov.uk"] = "550 5.1.1 <jo.bloggs@example.gov.uk>: mailbox unavailable"
    rows, letter = _first_pass_letter(h, relay)
    # The letter went to the manager (refused) and the social worker (taken): a retry must go to the
    # manager alone, or the social worker would have it twice.
    assert letter.envelope_to == ("jo.bloggs@example.gov.uk",)
    assert ("alex.example@example.gov.uk",) in relay.delivered
    assert letter.status == "gave_up" and letter.attempts == 1
    assert letter.last_error == ("refused for good: The SMTP server took it for the other recipients but refused "
                                 "these: jo.bloggs@example.gov.uk (550 5.1.1 <jo.bloggs@example.gov.uk>: "
                                 "mailbox unavailable)")
    # The other letters of the pass went out, once each.
    others = [r for r in rows if r.purpose not in (LETTER, "undelivered_notice")]
    assert others and all(r.status == "sent" for r in others)

    # LAC admin and the IRO are told, with the server's answer and how to send it again.
    notices = [r for r in _outbox(h) if r.purpose == "undelivered_notice"]
    assert len(notices) == 1
    assert IRO[1] in notices[0].envelope_to and set(h.ctx.lac_admin) <= set(notices[0].envelope_to)
    text = _plain_text(notices[0].raw)
    assert "after 1 attempt(s)" in text and "550 5.1.1" in text and "mail retry outbound" in text
    assert "their response deadline is not counted as missed" in text
    assert "It was delivered to alex.example@example.gov.uk; sending it again goes only to those" in text
    assert {"delivery_failed", "letter_undelivered"} <= set(_events(h))

    # Never asked again, however long the service runs; the deadline is not counted as missed.
    asked = relay.rcpt_asked["jo.bloggs@example.gov.uk"]
    assert asked == 1
    h.run(T0 + dt.timedelta(days=40))
    assert relay.rcpt_asked["jo.bloggs@example.gov.uk"] == 1
    assert "deadline_missed" not in _events(h) and "reminder_due" not in _events(h)
    notices = [r for r in _outbox(h) if r.purpose == "undelivered_notice"]
    assert [n.status for n in notices] == ["sent"]


def test_a_letter_refused_at_the_data_with_554_is_given_up_at_once(relayed):
    h, relay = relayed
    relay.data, relay.data_for = "554 5.6.0 message content rejected", "jo.bloggs@example.gov.uk"
    _, letter = _first_pass_letter(h, relay)
    assert letter.status == "gave_up" and letter.attempts == 1
    assert letter.last_error == "refused for good: The SMTP server said 554 5.6.0 message content rejected"
    assert letter.envelope_to == ("jo.bloggs@example.gov.uk", "alex.example@example.gov.uk")  # nobody has it
    notices = [r for r in _outbox(h) if r.purpose == "undelivered_notice"]
    assert len(notices) == 1 and IRO[1] in notices[0].envelope_to
    text = _plain_text(notices[0].raw)
    assert ("to jo.bloggs@example.gov.uk, alex.example@example.gov.uk, after 1 attempt(s). The mail server said: "
            "refused for good: The SMTP server said 554 5.6.0 message content rejected.") in text
    assert "It was delivered to" not in text
    assert {"delivery_failed", "letter_undelivered"} <= set(_events(h))
    h.run(T0 + dt.timedelta(hours=7))
    assert relay.rcpt_asked["jo.bloggs@example.gov.uk"] == 1  # not tried again


def test_a_recipient_deferred_with_451_is_tried_again_with_back_off(relayed):
    h, relay = relayed
    relay.rcpt["jo.bloggs@example.gov.uk"] = "451 4.3.0 try again later"
    _, letter = _first_pass_letter(h, relay)
    assert letter.status == "pending" and letter.attempts == 1
    assert letter.next_attempt_at == T0 + dt.timedelta(minutes=1)
    assert letter.last_error == ("try again later: The SMTP server took it for the other recipients but deferred "
                                 "these: jo.bloggs@example.gov.uk (451 4.3.0 try again later)")
    assert letter.envelope_to == ("jo.bloggs@example.gov.uk",)  # the social worker has it: not again
    assert not [r for r in _outbox(h) if r.purpose == "undelivered_notice"]
    h.run(T0 + dt.timedelta(minutes=1))
    assert relay.rcpt_asked["jo.bloggs@example.gov.uk"] == 2
    del relay.rcpt["jo.bloggs@example.gov.uk"]
    h.run(T0 + dt.timedelta(minutes=3))
    letter = next(r for r in _outbox(h) if r.purpose == LETTER)
    assert letter.status == "sent" and letter.attempts == 3
    stage_letter_deliveries = [to for to in relay.delivered if "jo.bloggs@example.gov.uk" in to
                               or "alex.example@example.gov.uk" in to]
    assert Counter(r for to in stage_letter_deliveries for r in to)["alex.example@example.gov.uk"] == 1
    assert "letter_undelivered" not in _events(h)
