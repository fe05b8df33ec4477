"""Sending the outbox through the transport, in short transactions, with back-off on failure.

Claim (commit) → send → mark sent or failed (commit): no transaction is held open while a mail
server is talked to. A sender stopped between sending and marking leaves its claim to expire
and the message is sent again with the same Message-ID (the Maildir and IMAP Sent copies are
kept once per Message-ID).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practice_alerts.mailflow.transports import TransientTransportError, TransportError
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.crash import crashpoint
from practice_alerts.store import RetryPolicy, claim_due, mark_failed, mark_sent


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0


def send_outbox(ctx: ServiceContext, *, now: dt.datetime, should_stop=lambda: False) -> SendReport:
    report = SendReport()
    timings = ctx.config.service
    retry = RetryPolicy(claim_for=dt.timedelta(seconds=timings.send_claim_seconds), max_attempts=timings.send_max_attempts)
    while not should_stop():
        with ctx.database.transaction() as session:
            items = claim_due(session, now=now, limit=timings.send_batch, policy=retry)
        crashpoint("after-claim")
        if not items:
            break
        for item in items:
            try:
                ctx.transport.send(item.raw, sender=item.envelope_from, recipients=list(item.envelope_to))
            except TransientTransportError as exc:
                retry_after = dt.timedelta(seconds=exc.retry_after) if exc.retry_after else None
                with ctx.database.transaction() as session:
                    mark_failed(session, item.id, now=now, error=f"try again later: {exc}",
                                retry_after=retry_after, policy=retry)
                report.failed += 1
                continue
            except TransportError as exc:
                with ctx.database.transaction() as session:
                    mark_failed(session, item.id, now=now, error=f"refused: {exc}", policy=retry)
                report.failed += 1
                continue
            crashpoint("after-send")
            with ctx.database.transaction() as session:
                mark_sent(session, item.id, now=now)
            report.sent += 1
    return report
