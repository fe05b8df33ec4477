"""How the SMTP sender reads a refusal (RFC 5321 4.2.1): 5yz is permanent, 4yz is worth trying again.

A real aiosmtpd server on loopback answers MAIL FROM, RCPT TO or DATA as each test says. The outbox
gives a ``PermanentRefusalError`` up at once and backs off on a ``TransientTransportError``, so the
class chosen here decides whether a message is sent again.
"""

from __future__ import annotations

import pytest
from _transports_servers import free_port
from aiosmtpd.controller import Controller

from practice_alerts.mailflow.transports import (
    PartlyDeliveredError,
    PermanentRefusalError,
    TransientTransportError,
    TransportAuthError,
)
from practice_alerts.mailflow.transports.settings import MailServer
from practice_alerts.mailflow.transports.smtp_relay import SmtpSender

A, B = "a.person@example.gov.uk", "b.person@example.gov.uk"
MESSAGE = (b"From: pa@example.gov.uk\r\nTo: a.person@example.gov.uk, b.person@example.gov.uk\r\n"
           b"Message-ID: <refusal-test@example.invalid>\r\nSubject: t\r\n\r\nbody\r\n")


class Answers:
    def __init__(self) -> None:
        self.mail: str | None = None
        self.rcpt: dict[str, str] = {}
        self.data: str | None = None
        self.delivered: list[list[str]] = []

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if self.mail:
            return self.mail
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.rcpt:
            return self.rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.data:
            return self.data
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture()
def answers():
    handler = Answers()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


def _send(answers: Answers) -> None:
    server = MailServer.model_validate({"host": "127.0.0.1", "port": answers.port, "security": "none", "auth": "none"})
    SmtpSender(server, {}).send(MESSAGE, sender="pa@example.gov.uk", recipients=[A, B])


def test_a_550_to_the_sender_refuses_the_message_for_good(answers):
    answers.mail = "553 5.7.1 sender not allowed"
    with pytest.raises(PermanentRefusalError) as caught:
        _send(answers)
    assert caught.value.undelivered == (A, B) and caught.value.delivered == ()
    assert "553 5.7.1 sender not allowed" in str(caught.value)


def test_a_530_to_the_sender_is_a_login_problem_not_a_refused_message(answers):
    answers.mail = "530 5.7.0 authentication required"
    with pytest.raises(TransportAuthError):
        _send(answers)


def test_a_451_to_the_data_is_tried_again(answers):
    answers.data = "451 4.3.0 local problem"
    with pytest.raises(TransientTransportError) as caught:
        _send(answers)
    assert not isinstance(caught.value, PermanentRefusalError)


def test_one_550_among_refused_recipients_refuses_the_message_as_addressed(answers):
    answers.rcpt = {A: "550 5.1.1 no such mailbox", B: "451 4.2.0 try later"}
    with pytest.raises(PermanentRefusalError) as caught:
        _send(answers)
    assert caught.value.undelivered == (A, B) and caught.value.delivered == ()
    assert answers.delivered == []


def test_recipients_all_deferred_are_tried_again(answers):
    answers.rcpt = {A: "450 4.2.1 busy", B: "451 4.2.0 try later"}
    with pytest.raises(TransientTransportError) as caught:
        _send(answers)
    assert not isinstance(caught.value, (PermanentRefusalError, PartlyDeliveredError))


def test_a_partial_delivery_names_who_still_lacks_it(answers):
    answers.rcpt = {B: "452 4.2.2 mailbox full"}
    with pytest.raises(PartlyDeliveredError) as caught:
        _send(answers)
    assert caught.value.undelivered == (B,) and answers.delivered == [[A]]
    answers.rcpt = {B: "550 5.1.1 no such mailbox"}
    with pytest.raises(PermanentRefusalError) as refused:
        _send(answers)
    assert refused.value.undelivered == (B,) and refused.value.delivered == (A,)
