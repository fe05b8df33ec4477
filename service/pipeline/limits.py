"""The per-recipient rate limit, applied where the outbox is drained, so a mail loop floods nobody.

Before each message is sent, ``mailflow.ratelimit.over_limit`` is asked about its recipients
against what the outbox has sent in the last day. A message to someone over the limit is
**held**: it stays in the outbox (never dropped), its claim is released without using up an
attempt, and it is due again when the oldest counted message leaves the window. LAC admin is
told once per held address and day (the notice's Message-ID is keyed on both, so the outbox
keeps one). A loop therefore slows to the limit's pace and a person is told; nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from practice_alerts.mailflow.compose import Addressee
from practice_alerts.mailflow.ratelimit import RateLimit, Sent, Window
from practice_alerts.pipeline.actions import enqueue_unreferenced
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.store import OutboxItem, StoreReads, UnitOfWork

HELD_SUBJECT = "Practice Alerts: mail to one address held back"


def rate_limit(ctx: ServiceContext) -> RateLimit:
    timings = ctx.config.service
    return RateLimit(windows=(Window(length=dt.timedelta(hours=1), limit=timings.rate_limit_per_hour),
                              Window(length=dt.timedelta(days=1), limit=timings.rate_limit_per_day)))


def recent_sends(reads: StoreReads, *, now: dt.datetime, limit: RateLimit) -> list[Sent]:
    """Who the outbox sent to within the longest window, one entry per recipient and message."""
    since = now - max(w.length for w in limit.windows)
    return [Sent(recipient=r, at=at) for to, at in reads.sent_since(since) for r in to]


def free_again(blocked: list[str], history: Iterable[Sent], now: dt.datetime, limit: RateLimit) -> dt.datetime:
    """The earliest time every blocked recipient is under every window again."""
    latest = now + dt.timedelta(minutes=1)
    for recipient in blocked:
        times = sorted(s.at for s in history if s.recipient.strip().lower() == recipient)
        for window in limit.windows:
            inside = [t for t in times if now - window.length < t <= now]
            if len(inside) >= window.limit:
                latest = max(latest, inside[len(inside) - window.limit] + window.length + dt.timedelta(seconds=1))
    return latest


def hold(ctx: ServiceContext, work: UnitOfWork, item: OutboxItem, blocked: list[str], until: dt.datetime,
         now: dt.datetime) -> None:
    """Keep the message for later (its attempt is given back) and tell LAC admin once per address and day."""
    work.defer(item.id, until=until, reason=f"held back until {until:%Y-%m-%d %H:%M} UTC: too many "
                                                f"messages to {len(blocked)} recipient(s) (rate limit)")
    admins = tuple(a for a in ctx.lac_admin if a not in blocked)
    if not admins:
        return

    for recipient in blocked:
        digest = hashlib.sha256(recipient.encode()).hexdigest()[:12]
        text = (f"The service has sent {recipient} as many messages as it may within the hour or the day, "
                "so further messages to that address are held in the outbox and sent later, at that pace.\n\n"
                "This usually means a loop with an automatic responder or a mail rule. Please check that "
                "address's automatic replies; nothing is lost. 'practice-alerts status' shows the outbox.")
        enqueue_unreferenced(ctx, work, f"rate-limit-{digest}-{now:%Y%m%d}", subject=HELD_SUBJECT,
                             to=tuple(Addressee(email=a, name=ctx.name_of(a)) for a in admins), text=text,
                             in_reply_to=None, now=now, purpose="rate_limit_held")
