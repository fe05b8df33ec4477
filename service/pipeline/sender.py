"""Sending the outbox through the transport, in short transactions, with back-off on failure.

Claim (commit) → rate-limit check → send → mark sent or failed (commit): no transaction is held
open while a mail server is talked to. Between the server's acceptance (``transport.send``
returning) and ``mark_sent`` nothing else happens: that gap is the one place a crash makes a
message go out twice (with the same Message-ID), so it is kept as short as it can be. A message
to someone over the rate limit is held in the outbox for later (``limits.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practice_alerts.mailflow.ratelimit import Sent, over_limit
from practice_alerts.mailflow.transports import TransientTransportError, TransportError
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.crash import crashpoint
from practice_alerts.pipeline.limits import free_again, hold, rate_limit, recent_sends
from practice_alerts.store import RetryPolicy, claim_due, defer, mark_failed, mark_sent


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    held: int = 0


def send_outbox(ctx: ServiceContext, *, now: dt.datetime, should_stop=lambda: False) -> SendReport:
    report = SendReport()
    timings = ctx.config.service
    retry = RetryPolicy(claim_for=dt.timedelta(seconds=timings.send_claim_seconds), max_attempts=timings.send_max_attempts)
    limit = rate_limit(ctx)
    with ctx.database.reading() as session:
        history = recent_sends(session, now=now, limit=limit)
    while not should_stop():
        with ctx.database.transaction() as session:
            items = claim_due(session, now=now, limit=timings.send_batch, policy=retry)
        crashpoint("after-claim")
        if not items:
            break
        for index, item in enumerate(items):
            if should_stop():  # stopping: give the rest back now rather than leave them claimed
                with ctx.database.transaction() as session:
                    for left in items[index:]:
                        defer(session, left.id, until=now, reason="not sent yet: the service stopped before it")
                break
            blocked = over_limit(item.envelope_to, history, now, limit)
            if blocked:
                with ctx.database.transaction() as session:
                    hold(ctx, session, item, blocked, free_again(blocked, history, now, limit), now)
                report.held += 1
                continue
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
            # The server has accepted it: record that at once, in its own transaction, nothing before.
            crashpoint("after-send", item.message_id)
            with ctx.database.transaction() as session:
                mark_sent(session, item.id, now=now)
            report.sent += 1
            history.extend(Sent(recipient=r, at=now) for r in item.envelope_to)
    return report
