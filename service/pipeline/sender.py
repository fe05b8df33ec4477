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

A failure is retried with back-off (4xx replies, lost connections, settings being put right) until
the attempts run out; a permanent refusal (an SMTP 5xx to MAIL, RCPT or DATA: RFC 5321 says the
same message must not be sent again) is given up at once. Either way a give-up and the notice to
LAC admin and the IRO are written in one transaction. When the server took the message for some
recipients only, a retry goes to the others alone, so nobody gets it twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from practice_alerts.mailflow.ratelimit import SendHistory, Sent, over_limit
from practice_alerts.mailflow.transports import (
    PartlyDeliveredError,
    PermanentRefusalError,
    TransientTransportError,
    TransportError,
)
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.crash import crashpoint
from practice_alerts.pipeline.limits import free_again, hold, rate_limit, recent_sends
from practice_alerts.pipeline.problems import scrubbed
from practice_alerts.pipeline.undelivered import tell_undelivered
from practice_alerts.store import ABANDONED, LeaseLostError, OutboxItem, RetryPolicy, unit_of_work


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
    with ctx.database.reading() as reads:
        history = SendHistory(recent_sends(reads, now=now, limit=limit))  # constant cost per send
    _give_up_abandoned(ctx, now, retry)
    while not should_stop():
        if not keep_lease():
            raise LeaseLostError("another service process took over the mailbox; it sends the rest")
        now = read_clock()
        with unit_of_work(ctx.database, now=now) as work:
            items = work.claim_due(limit=1, policy=retry)
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
            except PermanentRefusalError as exc:
                _failed(ctx, item, now, f"refused for good: {_answer(ctx, item, exc)}", retry,
                        give_up_now=True, only_to=_only(exc.undelivered, exc.delivered), delivered=exc.delivered)
                report.failed += 1
                continue
            except TransientTransportError as exc:
                retry_after = dt.timedelta(seconds=exc.retry_after) if exc.retry_after else None
                partly = exc.undelivered if isinstance(exc, PartlyDeliveredError) else ()
                _failed(ctx, item, now, f"try again later: {_answer(ctx, item, exc)}", retry, retry_after=retry_after,
                        only_to=partly or None)
                report.failed += 1
                continue
            except TransportError as exc:
                _failed(ctx, item, now, f"refused: {_answer(ctx, item, exc)}", retry)
                report.failed += 1
                continue
            # The server has accepted it: record that at once, in its own transaction, nothing before.
            crashpoint("after-send", item.message_id)
            with unit_of_work(ctx.database, now=now) as work:
                work.mark_sent(item.id)
            report.sent += 1
            history.extend(Sent(recipient=r, at=now) for r in item.envelope_to)
    return report


def _failed(ctx: ServiceContext, item: OutboxItem, now: dt.datetime, error: str, retry: RetryPolicy, *,
            give_up_now: bool = False, retry_after: dt.timedelta | None = None,
            only_to: tuple[str, ...] | None = None, delivered: tuple[str, ...] = ()) -> None:
    """Record the failed attempt and, if it is given up, tell people, in one transaction: a crash
    between the two would otherwise lose the notice."""
    with unit_of_work(ctx.database, now=now) as work:
        if give_up_now:
            after = work.give_up(item.id, error=error, only_to=only_to)
        else:
            after = work.mark_failed(item.id, error=error, retry_after=retry_after, policy=retry, only_to=only_to)
        if after.status == "gave_up":
            tell_undelivered(ctx, work, after, now, delivered=delivered)


def _give_up_abandoned(ctx: ServiceContext, now: dt.datetime, retry: RetryPolicy) -> None:
    """A message whose last attempt the sender never reported (it stopped mid-send) is not sent again, as
    it may have gone out: it is given up, and LAC admin and the IRO are told, in one transaction."""
    with unit_of_work(ctx.database, now=now) as work:
        for item in work.abandoned(retry):
            tell_undelivered(ctx, work, work.give_up(item.id, error=ABANDONED), now)


def _only(undelivered: tuple[str, ...], delivered: tuple[str, ...]) -> tuple[str, ...] | None:
    """Who a later retry goes to: all (None) unless the server took it for some recipients."""
    return undelivered if delivered and undelivered else None


def _answer(ctx: ServiceContext, item: OutboxItem, exc: TransportError) -> str:
    """The server's answer on one line, without passwords or addresses other than the message's own."""
    keep = (item.envelope_from, *item.envelope_to, *ctx.config.own_addresses)
    return scrubbed(" ".join(str(exc).split()), keep)
