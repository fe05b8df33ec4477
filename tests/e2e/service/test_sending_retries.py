"""The sender against a mail server that is down, then refuses: retries with growing delays, then gives up.

The real Maildir transport is wrapped by a hand-written server stand-in that fails while it is
"down". What the outbox records, when the next try happens, and what ``status`` shows are checked.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts import demo_mail
from practice_alerts.commands.status import status_lines
from practice_alerts.mailflow.transports import TransientTransportError, TransportError

from .conftest import MAILBOX

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)
MINUTE = dt.timedelta(minutes=1)


class FlakyServer:
    """Delegates to the real transport unless ``down`` ("421 try later") or ``refusing`` (a plain
    ``TransportError``: a failure the transport does not call permanent, so it is retried; an SMTP
    5xx is a ``PermanentRefusalError``, given up at once: see test_sending_refusals.py)."""

    def __init__(self, real) -> None:
        self.real, self.down, self.refusing, self.tries = real, False, False, 0

    def send(self, data: bytes, *, sender: str, recipients: list[str]) -> None:
        self.tries += 1
        if self.down:
            raise TransientTransportError("421 service not available, try later")
        if self.refusing:
            raise TransportError("550 mailbox unavailable")
        self.real.send(data, sender=sender, recipients=recipients)

    def __getattr__(self, name):
        return getattr(self.real, name)


def _outbox(h) -> list:
    with h.ctx.database.reading() as reads:
        return reads.outbox_items()


def _raise_alert(h) -> None:
    form = demo_mail.filled_form(h.ctx.policy, demo_mail.form_values(
        h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date()))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<retry-1@example.gov.uk>"))


def test_a_server_that_is_down_is_tried_again_later_with_growing_delays(harness):
    h = harness("rutland")
    server = FlakyServer(h.ctx.transport)
    h.ctx.transport = server
    server.down = True
    _raise_alert(h)
    report = h.run()
    assert report.handled == 1 and report.sent == 0 and report.send_failures == 3
    rows = _outbox(h)
    assert [r.status for r in rows] == ["pending"] * 3 and all(r.attempts == 1 for r in rows)
    assert all(r.next_attempt_at == T0 + MINUTE and "try again later: 421" in r.last_error for r in rows)
    lines = status_lines(h.ctx, T0)
    assert "Outbox: 3 waiting (oldest since 30/11/2026 09:30); 0 given up" in lines
    troubled = [line for line in lines if "next try 30/11/2026 09:31 after 1 attempt(s): try again later: 421" in line]
    assert len(troubled) == 3 and all(line.startswith("  PA-2026-0001 ") for line in troubled), lines
    assert any(line.startswith("  PA-2026-0001 send_stage_letter: ") for line in troubled)

    tries = server.tries
    assert h.run(T0 + 30 * dt.timedelta(seconds=1)).send_failures == 0 and server.tries == tries  # not due yet
    assert h.run(T0 + MINUTE).send_failures == 3
    assert all(r.attempts == 2 and r.next_attempt_at == T0 + 3 * MINUTE for r in _outbox(h))  # then 2 minutes

    server.down = False
    assert h.run(T0 + 3 * MINUTE).sent == 3
    assert [r.status for r in _outbox(h)] == ["sent"] * 3 and len(h.sent()) == 3
    assert h.run(T0 + 10 * MINUTE).sent == 0 and len(h.sent()) == 3  # sent once


def test_a_refusing_server_is_given_up_on_after_the_last_attempt_and_status_says_so(harness):
    h = harness("rutland")
    server = FlakyServer(h.ctx.transport)
    h.ctx.transport = server
    server.refusing = True
    _raise_alert(h)
    at = T0
    for _ in range(h.ctx.config.service.send_max_attempts):
        h.run(at)
        at += dt.timedelta(hours=7)  # past the longest back-off
    rows, notices = _outbox(h)[:3], _outbox(h)[3:]
    assert [r.status for r in rows] == ["gave_up"] * 3 and all("refused: 550" in r.last_error for r in rows)
    # Issue 12: each give-up tells the IRO and LAC admin, with the reason and how to retry it.
    assert [n.purpose for n in notices] == ["undelivered_notice"] * 3
    notice = notices[0].raw.decode("utf-8", "replace")
    assert "550 mailbox unavailable" in notice and "mail retry outbound" in notice
    assert all("dana.reviewer@example.gov.uk" in n.envelope_to for n in notices)
    # The workflow knows the stage letter never arrived: the manager's deadline is not counted as missed.

    h.run(at + dt.timedelta(days=40))
    with h.ctx.database.reading() as reads:
        types = [e.event_type for e in reads.events("PA-2026-0001")]
    assert "letter_undelivered" in types and "delivery_failed" in types
    assert "deadline_missed" not in types and "reminder_due" not in types
    at += dt.timedelta(days=40)
    h.run(at)  # only the notices are tried (this server refuses everything)
    assert [r.attempts for r in _outbox(h)[:3]] == [h.ctx.config.service.send_max_attempts] * 3  # not tried again
    lines = status_lines(h.ctx, at)
    assert any(line.endswith("; 3 given up") for line in lines)
    given = [line for line in lines if line.startswith("  given up: PA-2026-0001 ")]
    assert len(given) == 3 and all(line.endswith(f"after {h.ctx.config.service.send_max_attempts} attempt(s): "
                                                 "refused: 550 mailbox unavailable") for line in given), lines
    assert h.sent() == []
    # Issue 12: a person sends the given-up letters again once the address is put right.
    import argparse

    from practice_alerts.commands.mail import retry_mail

    server.refusing = False
    assert retry_mail(argparse.Namespace(direction="outbound", ids=[], all=True, config=str(h.config_file))) == 0
    assert [r.status for r in _outbox(h)[:3]] == ["pending"] * 3
    h.run(max(at, dt.datetime.now(dt.timezone.utc)) + dt.timedelta(minutes=1))  # the command uses the real clock
    assert [r.status for r in _outbox(h)[:3]] == ["sent"] * 3
    assert retry_mail(argparse.Namespace(direction="outbound", ids=[1], all=False, config=str(h.config_file))) == 1
