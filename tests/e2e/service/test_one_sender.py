"""Issue 12, point 5: exactly one process sends, even with a relay slower than the lease.

The active process claims one message at a time under a claim that outlasts the SMTP timeouts,
and renews and checks the lease before each: a standby that takes over while a slow send is in
progress never sends that message again, and the old holder stops once it finds the lease gone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from practice_alerts.pipeline.log import JsonLog
from practice_alerts.rawmail.message_id import message_id_of
from practice_alerts.runloop import Runner

from .hostile import T0, good_form


class _SlowRelay:
    """The Maildir, but the first send takes 200 s (lease: 180 s), during which the standby runs."""

    def __init__(self, inner, on_first_send) -> None:
        self.inner, self.on_first_send, self.sent = inner, on_first_send, Counter()

    def fetch(self):
        return self.inner.fetch()

    def mark_handled(self, transport_id, outcome):
        self.inner.mark_handled(transport_id, outcome)

    def send(self, data, *, sender, recipients):
        first = not self.sent
        self.sent[message_id_of(data)] += 1
        if first:
            self.on_first_send()
        self.inner.send(data, sender=sender, recipients=recipients)

    def close(self):
        self.inner.close()


def test_a_standby_never_resends_what_the_slow_active_process_is_sending(harness) -> None:
    h = harness("rutland")
    for i in range(4):
        h.drop(good_form(h, f"<form-slow-{i}@example.gov.uk>"))
    clock = {"now": T0}
    standby = Runner(h.ctx, clock=lambda: clock["now"], log=JsonLog(quiet=True), holder="standby")
    outcome = {}

    def slow_send() -> None:
        clock["now"] += dt.timedelta(seconds=200)
        outcome["standby"] = standby.one_pass()

    h.ctx.transport = _SlowRelay(h.ctx.transport, slow_send)
    active = Runner(h.ctx, clock=lambda: clock["now"], log=JsonLog(quiet=True), holder="active")
    try:
        active.one_pass()
    except Exception as exc:  # the active process finds the lease gone and stops
        outcome["active"] = type(exc).__name__
    assert outcome["standby"].leader
    assert h.ctx.transport.sent and max(h.ctx.transport.sent.values()) == 1, h.ctx.transport.sent
    assert outcome.get("active") == "LeaseLostError"
    assert len(h.ctx.transport.sent) >= 4  # every stage letter went out, once


def test_the_smtp_client_waits_as_long_as_rfc_5321_asks() -> None:
    from practice_alerts.config import ServiceTimings
    from practice_alerts.mailflow.transports.settings import SmtpSettings

    smtp = SmtpSettings(host="relay.example.gov.uk", auth="none")
    assert smtp.timeout_seconds >= 300  # 4.5.3.2: five minutes for each command
    assert smtp.data_timeout_seconds >= 600  # ten minutes after the data's final "."
    # The claim outlasts the longest wait, so nobody else sends a message still being sent.
    assert ServiceTimings().send_claim_seconds > smtp.timeout_seconds + smtp.data_timeout_seconds
