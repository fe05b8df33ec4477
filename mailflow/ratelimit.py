"""A per-recipient limit on what we send, so no exchange with another robot can loop.

Pure: the caller passes what was sent (recipient and time) and the current time. The
default allows 20 messages to one address in any rolling hour and 60 in a day: a busy
manager with many alerts stays far below it, an auto-responder loop hits it in minutes.
A message held back is kept in the outbox and LAC admin told, never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Window(BaseModel):
    model_config = ConfigDict(frozen=True)

    length: dt.timedelta
    limit: int = Field(ge=1)


class RateLimit(BaseModel):
    model_config = ConfigDict(frozen=True)

    windows: tuple[Window, ...] = (
        Window(length=dt.timedelta(hours=1), limit=20),
        Window(length=dt.timedelta(days=1), limit=60),
    )


class Sent(BaseModel):
    model_config = ConfigDict(frozen=True)

    recipient: str
    at: AwareDatetime


DEFAULT_RATE_LIMIT = RateLimit()


def _key(address: str) -> str:
    return address.strip().lower()


def over_limit(recipients: Iterable[str], history: Iterable[Sent], now: dt.datetime,
               limit: RateLimit = DEFAULT_RATE_LIMIT) -> list[str]:
    """The recipients (lower-case) who may not be sent another message now."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    wanted = {_key(r) for r in recipients}
    longest = max(w.length for w in limit.windows)
    recent = [s for s in history if _key(s.recipient) in wanted and now - longest < s.at <= now]
    blocked = []
    for recipient in sorted(wanted):
        times = [s.at for s in recent if _key(s.recipient) == recipient]
        if any(sum(1 for t in times if now - w.length < t) >= w.limit for w in limit.windows):
            blocked.append(recipient)
    return blocked
