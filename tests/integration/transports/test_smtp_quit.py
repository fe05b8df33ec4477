"""Once the SMTP server has accepted a message, a failed QUIT must not count as a failed send.

A send that raised after the server's 250 would be retried by the outbox and reach the recipient
twice. The server here is a real aiosmtpd server whose QUIT answers 421 instead of 221.
"""

from __future__ import annotations

import email

from _transports_servers import free_port
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from practice_alerts.mailflow.transports.settings import MailServer
from practice_alerts.mailflow.transports.smtp_relay import SmtpSender


class _GrumpyQuit(SMTP):
    async def smtp_QUIT(self, arg):  # noqa: N802
        await self.push("421 4.3.0 going away without saying goodbye")
        self._handler_coroutine.cancel()


class _Collect:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(envelope.original_content)
        return "250 OK"


class _Controller(Controller):
    def factory(self):
        return _GrumpyQuit(self.handler)


def test_a_failed_quit_after_acceptance_is_still_a_successful_send():
    sink = _Collect()
    controller = _Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        server = MailServer.model_validate({"host": "127.0.0.1", "port": controller.port, "security": "none", "auth": "none"})
        message = b"From: a@example.gov.uk\r\nTo: b@example.gov.uk\r\nMessage-ID: <quit-test@example.invalid>\r\nSubject: t\r\n\r\nbody\r\n"
        SmtpSender(server, {}).send(message, sender="a@example.gov.uk", recipients=["b@example.gov.uk"])
    finally:
        controller.stop()
    assert len(sink.messages) == 1
    assert email.message_from_bytes(sink.messages[0])["Message-ID"] == "<quit-test@example.invalid>"
