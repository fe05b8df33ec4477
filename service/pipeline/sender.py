"""Sending the outbox through the transport, in short transactions, with back-off on failure.

One message at a time: renew the lease (stop if it is lost) → claim one message (commit) →
rate-limit check → send → mark sent or failed (commit); ``now`` is read afresh for each. No
transaction is held open while a mail server is talked to. A claim lasts ``send_claim_seconds``
(20 minutes by default), longer than the SMTP client waits for the server (RFC 5321: 5 minutes
for each command, 10 after the data), so a standby that takes over never sends a message the
active process is still sending; it sends it only once that claim has run out. Between the server's acceptance (``transport.send``
returning) and ``mark_sent`` nothing else happens: that gap is the one place a crash makes a
message go out twice (with the same Message-ID), so it is kept as short as it can be. A message
to someone over the rate limit is held in the outbox for later (``limits.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from practice_alerts.mailflow.ratelimit import SendHistory, Sent, over_limit
from practice_alerts.mailflow.transports import TransientTransportError, TransportError
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.crash import crashpoint
from practice_alerts.pipeline.limits import free_again, hold, rate_limit, recent_sends
from practice_alerts.pipeline.undelivered import tell_undelivered
from practice_alerts.store import LeaseLostError, RetryPolicy, claim_due, mark_failed, mark_sent, unit_of_work


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    held: int = 0


def send_outbox(ctx: ServiceContext, *, now: dt.datetime, should_stop: Callable[[], bool] = lambda: False,
                clock: Callable[[], dt.datetime] | None = None, keep_lease: Callable[[], bool] = lambda: True) -> SendReport:
    """Send what is due, one message at a time, until nothing is due or asked to stop. ``clock`` gives
    each message its own ``now``; ``keep_lease`` renews the lease before each claim and says
    whether it is still held (if not, LeaseLostError: the new holder sends the rest)."""
    report = SendReport()
    timings = ctx.config.service
    retry = RetryPolicy(claim_for=dt.timedelta(seconds=timings.send_claim_seconds), max_attempts=timings.send_max_attempts)
    limit = rate_limit(ctx)
    read_clock = clock or (lambda: now)
    with ctx.database.reading() as session:
        history = SendHistory(recent_sends(session, now=now, limit=limit))  # constant cost per send
    while not should_stop():
        if not keep_lease():
            raise LeaseLostError("another service process took over the mailbox; it sends the rest")
        now = read_clock()
        with ctx.database.transaction() as session:
            items = claim_due(session, now=now, limit=1, policy=retry)
        crashpoint("after-claim")
        if not items:
            break
        for item in items:
            blocked = over_limit(item.envelope_to, history, now, limit)
            if blocked:
                with unit_of_work(ctx.database, now=now) as work:
                    hold(ctx, work, item, blocked, free_again(blocked, history, now, limit), now)
                report.held += 1
                continue
            try:
                ctx.transport.send(item.raw, sender=item.envelope_from, recipients=list(item.envelope_to))
            except TransientTransportError as exc:
                retry_after = dt.timedelta(seconds=exc.retry_after) if exc.retry_after else None
                with ctx.database.transaction() as session:
                    after = mark_failed(session, item.id, now=now, error=f"try again later: {exc}",
                                        retry_after=retry_after, policy=retry)
                if after.status == "gave_up":
                    tell_undelivered(ctx, after, now)
                report.failed += 1
                continue
            except TransportError as exc:
                with ctx.database.transaction() as session:
                    after = mark_failed(session, item.id, now=now, error=f"refused: {exc}", policy=retry)
                if after.status == "gave_up":
                    tell_undelivered(ctx, after, now)
                report.failed += 1
                continue
            # The server has accepted it: record that at once, in its own transaction, nothing before.
            crashpoint("after-send", item.message_id)
            with ctx.database.transaction() as session:
                mark_sent(session, item.id, now=now)
            report.sent += 1
            history.extend(Sent(recipient=r, at=now) for r in item.envelope_to)
    return report
